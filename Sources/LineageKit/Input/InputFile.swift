import Foundation

/// One input file, read as a stream of chunks through `FileHandle`, with its hash taken from the
/// same bytes that are parsed, so the manifest names exactly what was read.
///
/// Chunked reads rather than a memory map: a mapped file truncated by another process raises
/// SIGBUS in the reader, while a short read is an error this type can name. Memory stays bounded
/// by the chunk size plus the longest line (JSONL, CSV) or record a reader needs whole.
struct InputFile {
    let path: String
    /// Content given in memory (tests, fuzzing) instead of read from `path`.
    private let contents: [UInt8]?
    /// Bytes per read; small values exercise the chunk-boundary logic in tests and fuzzing. 64 KiB: one
    /// buffer per stream, small enough to come from the worker's heap and be reused file after file (a
    /// 1 MiB buffer per read was mapped, faulted in and unmapped every time), large enough that the
    /// system calls cost nothing beside parsing.
    static let defaultChunkSize = 1 << 16
    var chunkSize = InputFile.defaultChunkSize

    /// Checks that `path` names a readable regular file; nothing is read until a stream starts.
    init(path: String) throws(InputError) {
        self.path = path
        self.contents = nil
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(.unreadable, at: SourceLocation(path: path), "no such file")
        }
        guard !isDirectory.boolValue else {
            throw InputError(.unreadable, at: SourceLocation(path: path), "is a directory, expected a file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw InputError(.unreadable, at: SourceLocation(path: path), "permission denied")
        }
    }

    /// A file whose content is given: errors still name `path`.
    init(path: String, contents: [UInt8], chunkSize: Int = InputFile.defaultChunkSize) {
        self.path = path
        self.contents = contents
        self.chunkSize = max(1, chunkSize)
    }

    /// What one full pass over the file established.
    struct Facts {
        var sha256: String
        /// True when the file began with a UTF-8 byte-order mark, which readers skip (and say so).
        var byteOrderMark: Bool
        var size: Int
    }

    /// Hands `body` the file's content after any byte-order mark, chunk by chunk, and returns the
    /// facts of the whole file. A file that cannot be read, or that shrinks or grows while it is
    /// read, is an `InputError`; errors `body` throws pass through unchanged.
    func streamChunks(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Facts {
        var hasher = SHA256Digest.Hasher()
        var total = 0
        var bom = false
        // The first three bytes are held back until it is known whether they are a byte-order mark.
        var head: [UInt8]? = []
        func feed(_ raw: UnsafeRawBufferPointer) throws {
            hasher.update(raw)
            total += raw.count
            let bytes = raw.bindMemory(to: UInt8.self)
            guard var held = head else {
                if !bytes.isEmpty { try body(bytes) }
                return
            }
            let needed = min(3 - held.count, bytes.count)
            held.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<needed]))
            guard held.count == 3 else { head = held; return }
            head = nil
            try release(held)
            if needed < bytes.count { try body(UnsafeBufferPointer(rebasing: bytes[needed...])) }
        }
        func release(_ held: [UInt8]) throws {
            if held == [0xEF, 0xBB, 0xBF] { bom = true; return }
            if !held.isEmpty { try held.withUnsafeBufferPointer { try body($0) } }
        }
        func end() throws {
            if let held = head { head = nil; try release(held) }
        }
        if let contents {
            var offset = 0
            try contents.withUnsafeBytes { (all) throws in
                while offset < all.count {
                    let end = min(all.count, offset + chunkSize)
                    try feed(UnsafeRawBufferPointer(rebasing: all[offset..<end]))
                    offset = end
                }
            }
            try end()
            return Facts(sha256: hasher.finalize(), byteOrderMark: bom, size: total)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(.unreadable, at: location(), "cannot open the file for reading")
        }
        defer { try? handle.close() }
        let expected = Self.size(of: handle)
        // One buffer for the whole stream, filled by read(2): `FileHandle.read(upToCount:)` allocated a new
        // buffer of the full count for every chunk and filled it 4 KiB per system call.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(handle.fileDescriptor, buffer.baseAddress, chunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(.unreadable, at: location(), "read failed after \(total) bytes: \(String(cString: strerror(errno)))")
            }
            guard count > 0 else { break }
            try feed(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        try end()
        if let expected, expected != total {
            throw InputError(.unreadable, at: location(),
                             "the file changed while it was read (\(expected) bytes when opened, \(total) read)")
        }
        return Facts(sha256: hasher.finalize(), byteOrderMark: bom, size: total)
    }

    /// The size of an open regular file, or nil when it has none (a pipe).
    private static func size(of handle: FileHandle) -> Int? {
        var info = stat()
        guard fstat(handle.fileDescriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Calls `body` with each line (1-based number, content without its `\n` or a trailing `\r`,
    /// and whether that `\r` was there), holding at most one line beyond the current chunk.
    func forEachLine(_ body: (Int, UnsafeBufferPointer<UInt8>, Bool) throws -> Void) throws -> Facts {
        var carry: [UInt8] = []
        var number = 0
        func emit(_ line: UnsafeBufferPointer<UInt8>) throws {
            number += 1
            if let last = line.last, last == 0x0D {
                try body(number, UnsafeBufferPointer(rebasing: line.dropLast()), true)
            } else {
                try body(number, line, false)
            }
        }
        let facts = try streamChunks { chunk in
            guard let base = chunk.baseAddress else { return }
            var start = 0
            while start < chunk.count {
                guard let found = memchr(base + start, 0x0A, chunk.count - start) else { break }
                let newline = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if carry.isEmpty {
                    try emit(UnsafeBufferPointer(rebasing: chunk[start..<newline]))
                } else {
                    carry.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[start..<newline]))
                    try carry.withUnsafeBufferPointer { try emit($0) }
                    carry = []
                }
                start = newline + 1
            }
            if start < chunk.count { carry.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[start...])) }
        }
        if !carry.isEmpty { try carry.withUnsafeBufferPointer { try emit($0) } }
        return facts
    }

    /// Up to `limit` bytes from the start, after any byte-order mark: enough to recognise the format.
    func prefix(_ limit: Int) throws(InputError) -> [UInt8] {
        if let contents {
            let skip = contents.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            return Array(contents.dropFirst(skip).prefix(limit))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(.unreadable, at: location(), "cannot open the file for reading")
        }
        defer { try? handle.close() }
        var bytes: [UInt8] = []
        do {
            while bytes.count < limit + 3, let chunk = try handle.read(upToCount: limit + 3 - bytes.count), !chunk.isEmpty {
                bytes.append(contentsOf: chunk)
            }
        } catch {
            throw InputError(.unreadable, at: location(), "read failed: \(error.localizedDescription)")
        }
        let skip = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        return Array(bytes.dropFirst(skip).prefix(limit))
    }

    func location(line: Int? = nil, column: Int? = nil) -> SourceLocation {
        SourceLocation(path: path, line: line, column: column)
    }

    func error(_ failure: JSONParser.Failure) -> InputError {
        let kind: InputError.Kind = failure.isEncoding ? .invalidUTF8 : (failure.isDepth ? .tooDeep : .malformedJSON)
        return InputError(kind, at: location(line: failure.line, column: failure.column), failure.message)
    }
}

/// Iterates the lines of a byte buffer, 1-based, with a trailing `\r` removed and counted.
struct LineIterator: IteratorProtocol {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0
    private(set) var lineNumber = 0
    private(set) var carriageReturns = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func next() -> (number: Int, bytes: UnsafeBufferPointer<UInt8>)? {
        guard offset < bytes.count else { return nil }
        let start = offset
        var end = start
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        offset = end + 1
        lineNumber += 1
        var contentEnd = end
        if contentEnd > start, bytes[contentEnd - 1] == 0x0D {
            contentEnd -= 1
            carriageReturns += 1
        }
        return (lineNumber, UnsafeBufferPointer(rebasing: bytes[start..<contentEnd]))
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// True when every byte is JSON white space (or there are none).
    var isBlank: Bool { allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A } }
}
