import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The output file of `lineage record`, opened for appending after what earlier runs recorded.
///
/// Opening reads the existing lines: a damaged last line (no trailing newline, or not JSON — what a
/// killed run leaves) is cut away; a damaged earlier line, or a line recorded for another model or
/// with other request parameters, is refused. Each answer is then appended as one line with a single
/// `write`, so that a crash loses at most the line being written.
public actor ResumableRecordingFile {
    public nonisolated let path: String
    /// (probe, sample) pairs already in the file when it was opened.
    public nonisolated let existing: Set<RecordKey>
    /// Bytes of a damaged last line that opening removed (0: none).
    public nonisolated let truncatedBytes: Int
    /// Whether opening created the file (it did not exist before).
    public nonisolated let created: Bool
    private let handle: FileHandle
    private var appended = 0
    private let encoder: JSONEncoder

    /// - Parameters:
    ///   - model: the model name every line must carry.
    ///   - request: the request parameters every line must carry.
    ///
    /// The file is locked (`flock`, exclusive) for as long as it is open: a second `record` into the same
    /// file is refused at once instead of interleaving its lines with this run's. It must be a regular
    /// file: a FIFO or a device is refused before anything is read from it.
    public init(path: String, model: String, request: RequestParameters) throws(RecorderError) {
        self.path = path
        // Whether this run creates the file (a run that records nothing removes what it created).
        created = !FileManager.default.fileExists(atPath: path)
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw RecorderError(.io, "\(path): cannot open the output file: \(RegularFile.openFailure(errno))")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw RecorderError(.io, "\(path): cannot inspect the output file") }
        if let kind = RegularFile.nonRegularKind(info.st_mode) { throw RecorderError(.io, "\(path): \(kind)") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            if errno == EWOULDBLOCK {
                throw RecorderError(.busy, "\(path): another lineage record is writing this file (it holds the file's lock); wait for it to finish, or record into another --out file")
            }
            throw RecorderError(.io, "\(path): cannot lock the output file: \(String(cString: strerror(errno)))")
        }
        let data: Data
        do { data = try handle.readToEnd() ?? Data() } catch {
            throw RecorderError(.io, "\(path): cannot read: \(error.localizedDescription)")
        }
        let scan = try Self.scan(data, path: path, model: model, request: request)
        existing = scan.keys
        truncatedBytes = data.count - scan.validLength
        do {
            if truncatedBytes > 0 { try handle.truncate(atOffset: UInt64(scan.validLength)) }
            try handle.seekToEnd()
        } catch {
            throw RecorderError(.io, "\(path): cannot prepare for appending: \(error.localizedDescription)")
        }
        self.handle = handle
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.encoder = encoder
    }

    deinit { try? handle.close() }

    struct Scan {
        var keys: Set<RecordKey> = []
        /// Length of the prefix made of whole, valid lines.
        var validLength = 0
    }

    static func scan(_ data: Data, path: String, model: String, request: RequestParameters) throws(RecorderError) -> Scan {
        var scan = Scan()
        let decoder = JSONDecoder()
        let bytes = [UInt8](data)
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            lineNumber += 1
            let newline = bytes[start...].firstIndex(of: 0x0A)
            let end = newline ?? bytes.count
            let lineBytes = bytes[start..<end]
            let isLast = newline == nil || end + 1 >= bytes.count
            if newline == nil { break }  // no trailing newline: a partly written last line
            if lineBytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                start = end + 1
                scan.validLength = start
                continue
            }
            let line: RecordedLine
            do { line = try decoder.decode(RecordedLine.self, from: Data(lineBytes)) } catch {
                if isLast { break }
                throw RecorderError(.corruptFile, "\(path):\(lineNumber): not a recorded answer line; the file is damaged before its last line, refusing to resume into it")
            }
            if line.model != model {
                throw RecorderError(.resumeMismatch, "\(path):\(lineNumber): the file was recorded for model \"\(line.model)\", not \"\(model)\"; refusing to resume (use another --out file)")
            }
            if line.request != request {
                throw RecorderError(.resumeMismatch, "\(path):\(lineNumber): the file was recorded with other request parameters (\(describe(line.request)); now \(describe(request))); refusing to resume (use another --out file)")
            }
            scan.keys.insert(RecordKey(probe: line.probe, sample: line.sample))
            start = end + 1
            scan.validLength = start
        }
        return scan
    }

    static func describe(_ request: RequestParameters) -> String {
        let temperature = request.temperature.map { "\($0)" } ?? "default"
        let maxTokens = request.maxTokens.map { "\($0)" } ?? "default"
        let system = request.systemPrompt.map { "\"\($0.prefix(40))\"" } ?? "none"
        return "endpoint \(request.endpoint), temperature \(temperature), max tokens \(maxTokens), system prompt \(system)"
    }

    /// Appends one answer as one line.
    public func append(_ line: RecordedLine) throws(RecorderError) {
        var data: Data
        do { data = try encoder.encode(line) } catch {
            throw RecorderError(.io, "\(path): cannot encode an answer: \(error.localizedDescription)")
        }
        data.append(0x0A)
        do { try handle.write(contentsOf: data) } catch {
            throw RecorderError(.io, "\(path): write failed: \(error.localizedDescription)")
        }
        appended += 1
    }

    /// Removes the file when this open created it and nothing was written: a run in which every answer
    /// failed leaves no 0-byte recording behind (an existing file is never removed).
    /// - Returns: whether the file was removed.
    @discardableResult
    public func discardIfNothingWritten() -> Bool {
        guard created, appended == 0 else { return false }
        try? handle.close()
        return (try? FileManager.default.removeItem(atPath: path)) != nil
    }
}
