import Foundation

/// The bytes of one input file, memory-mapped, with its hash and the encoding facts a reader needs.
///
/// Mapping rather than reading keeps a large recording out of the heap; the SHA-256 is taken from
/// the same bytes that are parsed, so the manifest names exactly what was read.
struct InputFile {
    let path: String
    let data: Data
    let sha256: String
    /// True when the file began with a UTF-8 byte-order mark, which readers skip (and say so).
    let hasByteOrderMark: Bool

    init(path: String) throws(InputError) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(.unreadable, at: SourceLocation(path: path), "no such file")
        }
        guard !isDirectory.boolValue else {
            throw InputError(.unreadable, at: SourceLocation(path: path), "is a directory, expected a file")
        }
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw InputError(.unreadable, at: SourceLocation(path: path), "cannot read: \(error.localizedDescription)")
        }
        sha256 = SHA256Digest.hex(of: data)
        hasByteOrderMark = data.count >= 3 && data.prefix(3).elementsEqual([0xEF, 0xBB, 0xBF])
    }

    /// Calls `body` with the file's content after any byte-order mark.
    func withContent<R>(_ body: (UnsafeBufferPointer<UInt8>) throws(InputError) -> R) throws(InputError) -> R {
        let skip = hasByteOrderMark ? 3 : 0
        let result: Result<R, InputError> = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let all = raw.bindMemory(to: UInt8.self)
            return Result { () throws(InputError) -> R in
                try body(UnsafeBufferPointer(rebasing: all[min(skip, all.count)...]))
            }
        }
        return try result.get()
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
