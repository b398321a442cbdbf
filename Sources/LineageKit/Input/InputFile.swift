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

    /// The longest line (JSONL, CSV row) held whole: a file of one endless line is refused at this size
    /// instead of growing memory until the process dies. 256 MiB is far beyond any real answer.
    static let maximumLineBytes = 256 << 20

    /// Checks that `path` names a readable regular file (`RegularFile`: a FIFO, a device, a directory or a
    /// symbolic link loop is refused with what it is); nothing is read until a stream starts.
    init(path: String) throws(InputError) {
        self.path = path
        self.contents = nil
        if let refusal = RegularFile.check(path) {
            throw InputError(.unreadable, at: SourceLocation(path: path), refusal.reason)
        }
    }

    /// The file opened for reading, checked again on the descriptor to be a regular file.
    private func openHandle() throws(InputError) -> FileHandle {
        switch RegularFile.open(path) {
        case let .success(fd): return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        case let .failure(refusal): throw InputError(.unreadable, at: location(), refusal.reason)
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
        let handle = try openHandle()
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
                    guard carry.count + (newline - start) <= Self.maximumLineBytes else { throw self.lineTooLong(number + 1) }
                    carry.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[start..<newline]))
                    try carry.withUnsafeBufferPointer { try emit($0) }
                    carry = []
                }
                start = newline + 1
            }
            if start < chunk.count {
                guard carry.count + (chunk.count - start) <= Self.maximumLineBytes else { throw self.lineTooLong(number + 1) }
                carry.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[start...]))
            }
        }
        if !carry.isEmpty { try carry.withUnsafeBufferPointer { try emit($0) } }
        return facts
    }

    private func lineTooLong(_ line: Int) -> InputError {
        InputError(.unreadable, at: location(line: line),
                   "line longer than \(Self.maximumLineBytes >> 20) MiB, the most Lineage holds of one line (is this a recording?)")
    }

    /// Up to `limit` bytes from the start, after any byte-order mark: enough to recognise the format.
    func prefix(_ limit: Int) throws(InputError) -> [UInt8] {
        let bytes = try rawPrefix(limit + 3)
        let skip = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        return Array(bytes.dropFirst(skip).prefix(limit))
    }

    /// Refuses a file in UTF-16 or UTF-32, naming the encoding: Lineage reads UTF-8 only, and such a file
    /// was otherwise refused as "bad CSV" or "invalid UTF-8" without a word about why. Recognised by its
    /// byte-order mark, or without one by the NUL bytes beside the ASCII of a first `{`, `[` or letter.
    func refuseUnsupportedEncoding() throws(InputError) {
        let head = try rawPrefix(4)
        let encoding: String?
        switch head {
        case let h where h.starts(with: [0xFF, 0xFE, 0x00, 0x00]): encoding = "UTF-32 little-endian (byte-order mark FF FE 00 00)"
        case let h where h.starts(with: [0x00, 0x00, 0xFE, 0xFF]): encoding = "UTF-32 big-endian (byte-order mark 00 00 FE FF)"
        case let h where h.starts(with: [0xFF, 0xFE]): encoding = "UTF-16 little-endian (byte-order mark FF FE)"
        case let h where h.starts(with: [0xFE, 0xFF]): encoding = "UTF-16 big-endian (byte-order mark FE FF)"
        case let h where h.count == 4 && h[0] != 0 && h[0] < 0x80 && h[1] == 0 && h[2] != 0 && h[3] == 0:
            encoding = "UTF-16 little-endian (no byte-order mark; every other byte is NUL)"
        case let h where h.count == 4 && h[0] == 0 && h[1] != 0 && h[1] < 0x80 && h[2] == 0 && h[3] != 0:
            encoding = "UTF-16 big-endian (no byte-order mark; every other byte is NUL)"
        default: encoding = nil
        }
        if let encoding {
            throw InputError(.invalidUTF8, at: location(),
                             "the file is in \(encoding); Lineage reads UTF-8 only (convert it, e.g. iconv -f UTF-16 -t UTF-8)")
        }
    }

    /// Up to `limit` bytes from the very start of the file.
    private func rawPrefix(_ limit: Int) throws(InputError) -> [UInt8] {
        if let contents { return Array(contents.prefix(limit)) }
        let handle = try openHandle()
        defer { try? handle.close() }
        var bytes: [UInt8] = []
        do {
            while bytes.count < limit, let chunk = try handle.read(upToCount: limit - bytes.count), !chunk.isEmpty {
                bytes.append(contentsOf: chunk)
            }
        } catch {
            throw InputError(.unreadable, at: location(), "read failed: \(error.localizedDescription)")
        }
        return bytes
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
