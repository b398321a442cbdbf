import Foundation

/// A strict JSON (RFC 8259) parser over UTF-8 bytes that reports the line and column of every error.
///
/// Foundation's parser says *that* a file is malformed; an expert witness needs *where*. It also
/// bounds nesting depth, so a hostile file cannot exhaust the stack, and refuses invalid UTF-8
/// inside strings rather than replacing it.
struct JSONParser {
    struct Failure: Error, Equatable {
        var message: String
        var line: Int
        var column: Int
        var isEncoding: Bool = false
        var isDepth: Bool = false
    }

    static let maximumDepth = 512

    private var bytes: UnsafeBufferPointer<UInt8>
    var offset: Int
    private var line: Int
    private var lineStart: Int
    /// The unescaped bytes of a string with escapes, kept between strings so that its storage is
    /// allocated once per parser rather than once per string.
    private var scratch: [UInt8] = []

    /// - Parameters:
    ///   - firstLine: the line number of `bytes[0]` in its file, so that errors in a JSONL line point
    ///     into the whole file.
    init(bytes: UnsafeBufferPointer<UInt8>, firstLine: Int = 1) {
        self.bytes = bytes
        self.offset = 0
        self.line = firstLine
        self.lineStart = 0
    }

    /// Parses exactly one JSON value that fills the input (surrounding white space allowed).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int = 1) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes, firstLine: firstLine)
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.offset < bytes.count {
            throw parser.failure("unexpected \(parser.describe(bytes[parser.offset])) after the JSON value")
        }
        return value
    }

    /// Carries on in `bytes`, the same input with its first `shift` bytes dropped and more appended
    /// (a streaming reader's window): offsets, and so lines and columns, go on from where they were.
    mutating func move(to bytes: UnsafeBufferPointer<UInt8>, droppingFirst shift: Int) {
        self.bytes = bytes
        offset -= shift
        lineStart -= shift
    }

    var atEnd: Bool { offset >= bytes.count }
    var currentLine: Int { line }

    func failure(_ message: String, encoding: Bool = false, depth: Bool = false) -> Failure {
        Failure(message: message, line: line, column: offset - lineStart + 1, isEncoding: encoding, isDepth: depth)
    }

    func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0D: offset += 1
            case 0x0A:
                offset += 1
                line += 1
                lineStart = offset
            default: return
            }
        }
    }

    /// Consumes `byte` after optional white space, or fails naming what was expected.
    mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        skipWhitespace()
        guard offset < bytes.count else { throw failure("unexpected end of input, expected \(what)") }
        guard bytes[offset] == byte else { throw failure("expected \(what), found \(describe(bytes[offset]))") }
        offset += 1
    }

    /// Peeks the next non-space byte without consuming it.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
        skipWhitespace()
        guard offset < bytes.count else { throw failure("unexpected end of input, expected a value") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("unexpected \(describe(bytes[offset])), expected a value")
        }
    }

    private mutating func parseLiteral(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        let start = word.utf8Start
        for i in 0..<count {
            guard offset + i < bytes.count, bytes[offset + i] == start[i] else {
                // One matching letter is a word that is not JSON ("this…"); more is a broken literal ("tru").
                throw failure(i <= 1 ? "unexpected \(describe(bytes[offset])), expected a value (text must be quoted)"
                                     : "invalid literal, expected '\(word)'")
            }
        }
        offset += count
    }

    private mutating func parseNumber() throws(Failure) -> Double {
        let start = offset
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        func digits(_ p: inout JSONParser) -> Int {
            var n = 0
            while p.offset < p.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.bytes[p.offset]) {
                p.offset += 1
                n += 1
            }
            return n
        }
        guard digits(&self) > 0 else { throw failure("invalid number") }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard digits(&self) > 0 else { throw failure("invalid number: no digits after '.'") }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard digits(&self) > 0 else { throw failure("invalid number: no digits in exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        guard let value = Double(text) else { throw failure("invalid number '\(text)'") }
        return value
    }

    mutating func parseString() throws(Failure) -> String {
        offset += 1  // opening quote
        scratch.removeAll(keepingCapacity: true)
        var segmentStart = offset
        offset = nextSpecialByte(from: offset)
        while true {
            guard offset < bytes.count else { throw failure("unterminated string") }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let text: String
                if scratch.isEmpty {
                    text = try decodeUTF8(UnsafeBufferPointer(rebasing: bytes[segmentStart..<offset]))
                } else {
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart..<offset]))
                    text = try scratch.withUnsafeBufferPointer { (p) throws(Failure) -> String in try decodeUTF8(p) }
                }
                offset += 1
                return text
            }
            if byte == UInt8(ascii: "\\") {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart..<offset]))
                offset += 1
                guard offset < bytes.count else { throw failure("unterminated escape") }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "\""): scratch.append(0x22)
                case UInt8(ascii: "\\"): scratch.append(0x5C)
                case UInt8(ascii: "/"): scratch.append(0x2F)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                              bytes[offset + 1] == UInt8(ascii: "u") else {
                            throw failure("unpaired UTF-16 surrogate in \\u escape", encoding: true)
                        }
                        offset += 2
                        let low = try parseHex4()
                        guard (0xDC00..<0xE000).contains(low) else {
                            throw failure("invalid UTF-16 surrogate pair in \\u escape", encoding: true)
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw failure("unpaired UTF-16 surrogate in \\u escape", encoding: true)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else {
                        throw failure("invalid code point in \\u escape", encoding: true)
                    }
                    UTF8.encode(unicode) { scratch.append($0) }
                default:
                    offset -= 1
                    throw failure("invalid escape '\\\(Character(Unicode.Scalar(escape)))'")
                }
                segmentStart = offset
                offset = nextSpecialByte(from: offset)
                continue
            }
            if byte < 0x20 {
                throw failure(byte == 0x0A ? "unterminated string (line break inside a string)"
                                           : "control character \(describe(byte)) inside a string must be escaped")
            }
            offset = nextSpecialByte(from: offset + 1)
        }
    }

    /// The index of the first byte at or after `start` that ends a plain run of string text (a quote,
    /// a backslash or a control character), or the end of input.
    private func nextSpecialByte(from start: Int) -> Int {
        StringScan.firstSpecial(bytes, from: start, controls: true)
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard offset < bytes.count else { throw failure("unterminated \\u escape") }
            let byte = bytes[offset]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            offset += 1
        }
        return value
    }

    private func decodeUTF8(_ buffer: UnsafeBufferPointer<UInt8>) throws(Failure) -> String {
        // `String(decoding:)` is specialised for a UTF-8 buffer, where `String(validating:)` looked up
        // generic metadata on every call. It repairs invalid UTF-8 with U+FFFD, which no valid input
        // yields unchanged, so a string whose bytes are the input's is the validated string.
        let text = String(decoding: buffer, as: UTF8.self)
        if Self.hasBytes(text, buffer) { return text }
        return try invalidUTF8(buffer)
    }

    private static func hasBytes(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            guard utf8.count == bytes.count else { return false }
            guard let a = utf8.baseAddress, let b = bytes.baseAddress else { return true }
            return memcmp(a, b, bytes.count) == 0
        }
    }

    /// The failure for a string that is not valid UTF-8, at its first bad byte.
    private func invalidUTF8(_ buffer: UnsafeBufferPointer<UInt8>) throws(Failure) -> String {
        if let text = String(validating: buffer, as: UTF8.self) { return text }
        // Find the first bad byte to point at it.
        var iterator = buffer.makeIterator()
        var decoder = UTF8()
        var good = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar): good += UTF8.width(scalar)
            case .emptyInput: break loop
            case .error: break loop
            }
        }
        var failure = failure("invalid UTF-8 in a string", encoding: true)
        failure.column = max(1, failure.column - (buffer.count - good))
        return try { () throws(Failure) -> String in throw failure }()
    }

    private mutating func parseArray(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw failure("JSON nested deeper than \(Self.maximumDepth) levels", depth: true) }
        offset += 1
        var elements: [JSONValue] = []
        if peek() == UInt8(ascii: "]") { offset += 1; return .array(elements) }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard offset < bytes.count else { throw failure("unexpected end of input inside an array, expected ',' or ']'") }
            if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
            if bytes[offset] == UInt8(ascii: "]") { offset += 1; return .array(elements) }
            throw failure("expected ',' or ']' in an array, found \(describe(bytes[offset]))")
        }
    }

    /// True when `members` has `key`: a linear scan for the handful of keys a record has, a set beyond 32
    /// keys so that an object of a million keys costs a million lookups, not half a trillion comparisons.
    private static func holds(_ members: [(key: String, value: JSONValue)], _ key: String, _ seen: inout Set<String>?) -> Bool {
        if members.count <= 32 { return members.contains { $0.key == key } }
        if seen == nil { seen = Set(members.map(\.key)) }
        return seen?.insert(key).inserted == false
    }

    private mutating func parseObject(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw failure("JSON nested deeper than \(Self.maximumDepth) levels", depth: true) }
        offset += 1
        var members: [(key: String, value: JSONValue)] = []
        var seen: Set<String>? = nil
        if peek() == UInt8(ascii: "}") { offset += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard offset < bytes.count else { throw failure("unexpected end of input inside an object, expected a key") }
            guard bytes[offset] == UInt8(ascii: "\"") else {
                throw failure("expected a quoted key in an object, found \(describe(bytes[offset]))")
            }
            let keyOffset = offset
            let key = try parseString()
            // A key given twice is refused: Lineage would read the first value where Python, jq and browsers
            // read the last, so a reviewer's tools and Lineage would see different answers in the same file.
            if Self.holds(members, key, &seen) {
                offset = keyOffset
                throw failure("duplicate key \"\(key)\" in an object: JSON tools disagree on which value counts (Lineage would take the first, Python, jq and browsers the last); keep one")
            }
            try expect(UInt8(ascii: ":"), "':' after key \"\(key)\"")
            members.append((key, try parseValue(depth: depth)))
            skipWhitespace()
            guard offset < bytes.count else { throw failure("unexpected end of input inside an object, expected ',' or '}'") }
            if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
            if bytes[offset] == UInt8(ascii: "}") { offset += 1; return .object(members) }
            throw failure("expected ',' or '}' in an object, found \(describe(bytes[offset]))")
        }
    }
}
