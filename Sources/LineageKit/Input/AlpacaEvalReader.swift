/// Reads AlpacaEval `model_outputs.json`: a JSON array of `{"instruction", "output", "generator"}`.
/// Answers align by instruction text; the record's position stands in for its line number.
///
/// The array is one JSON value, but it is read as a stream: a window holds the bytes not yet parsed, and
/// each element is parsed once the window is known to hold all of it (`ElementEnd`), so memory is the
/// read chunk plus one record rather than the file (the whole file was held while its texts were built,
/// two files at once in a parallel run). Errors, lines and columns are those of parsing the file whole:
/// the parser carries its position from window to window.
enum AlpacaEvalReader {
    static func read(_ file: InputFile, _ emit: (RecordedAnswer) throws -> Void) throws -> (String?, InputFile.Facts) {
        var model = ModelNameCollector()
        var window: [UInt8] = []
        // A chunk and the usual unparsed tail (part of one record) without growing by doubling.
        window.reserveCapacity(file.chunkSize + 1 << 14)
        var parser = JSONParser(bytes: UnsafeBufferPointer(start: nil, count: 0))
        var stage = Stage.opening
        var end = ElementEnd()
        var index = 0

        /// Parses as far as the window allows; with `final`, the window holds the rest of the file.
        func advance(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool) throws {
            while true {
                switch stage {
                case .opening:
                    if !final && parser.peek() == nil { return }
                    try parser.expect(UInt8(ascii: "["), "'[' opening a JSON array")
                    stage = .first
                case .first:
                    guard let next = parser.peek() else {
                        if !final { return }
                        stage = .element
                        continue
                    }
                    if next == UInt8(ascii: "]") {
                        parser.offset += 1
                        stage = .trailing
                    } else {
                        stage = .element
                    }
                case .element:
                    parser.skipWhitespace()
                    if !final {
                        if parser.atEnd { return }
                        if !end.found(from: parser.offset, in: bytes) { return }
                    }
                    end = ElementEnd()
                    let line = parser.currentLine
                    let value = try parser.parseValue(depth: 1)
                    index += 1
                    try emit(answer(value, element: index, line: line, file: file, model: &model))
                    stage = .separator
                case .separator:
                    guard let next = parser.peek() else {
                        if !final { return }
                        throw parser.failure("unexpected end of input inside the array, expected ',' or ']'")
                    }
                    if next == UInt8(ascii: "]") {
                        parser.offset += 1
                        stage = .trailing
                        continue
                    }
                    guard next == UInt8(ascii: ",") else {
                        throw parser.failure("expected ',' or ']' in the array, found \(parser.describe(next))")
                    }
                    parser.offset += 1
                    stage = .element
                case .trailing:
                    parser.skipWhitespace()
                    if !parser.atEnd {
                        throw parser.failure("unexpected content after the JSON array")
                    }
                    return
                }
            }
        }

        do {
            let facts = try file.streamChunks { chunk in
                // Drop what is parsed, append the chunk, and go on in the new window.
                let parsed = parser.offset
                window.removeSubrange(0..<parsed)
                // One record held whole, like one line of JSONL: bounded (`InputFile.maximumLineBytes`).
                guard window.count + chunk.count <= InputFile.maximumLineBytes else {
                    throw InputError(.unreadable, at: file.location(line: parser.failure("").line),
                                     "an array element longer than \(InputFile.maximumLineBytes >> 20) MiB, the most Lineage holds of one record (is this a recording?)")
                }
                window.append(contentsOf: chunk)
                end.shift(by: parsed)
                try window.withUnsafeBufferPointer { (bytes) throws in
                    parser.move(to: bytes, droppingFirst: parsed)
                    try advance(bytes, final: false)
                }
            }
            try window.withUnsafeBufferPointer { (bytes) throws in
                parser.move(to: bytes, droppingFirst: 0)
                try advance(bytes, final: true)
            }
            return (model.name, facts)
        } catch let failure as JSONParser.Failure {
            throw file.error(failure)
        }
    }

    /// The answer one array element (the `element`-th, 1-based, starting on `line`) holds; its `generator`
    /// goes to `model`, which refuses a file naming two.
    static func answer(_ value: JSONValue, element: Int, line: Int, file: InputFile,
                       model: inout ModelNameCollector) throws(InputError) -> RecordedAnswer {
        guard case .object = value else {
            throw InputError(.wrongType, at: file.location(line: line),
                             "array element \(element) must be an object, found \(value.typeName)")
        }
        let fields = FieldReader(file: file, line: line, record: value)
        let instruction = try fields.requiredString("instruction")
        let output = try fields.requiredString("output")
        try model.add(fields.optionalString("generator"), file: file, line: line)
        return RecordedAnswer(probeID: nil, prompt: instruction, output: output, line: line)
    }

    private enum Stage {
        /// Before the `[`; after it, before the first element or `]`; at an element; after an element; after `]`.
        case opening, first, element, separator, trailing
    }

    /// Finds where the array element starting at a window offset ends, scanning each byte once however the
    /// element is split over chunks. The parser never reads past that end (an object or array ends at its
    /// matching bracket, a string at its closing quote, a number or literal before the first byte that
    /// cannot continue it), so parsing the element in the window gives what parsing the file whole gives.
    /// Brackets are counted without checking that they match: where they do not, the parser fails at or
    /// before the byte where the count closes.
    struct ElementEnd {
        private enum Shape { case unknown, nested, string, token }
        private var start = -1
        private var position = 0
        private var shape = Shape.unknown
        private var depth = 0
        private var inString = false
        private var escaped = false

        mutating func shift(by dropped: Int) {
            guard start >= 0 else { return }
            start -= dropped
            position -= dropped
        }

        /// Whether `bytes` hold the whole element that starts at `offset` (a non-space byte).
        mutating func found(from offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            if start != offset {
                self = ElementEnd()
                start = offset
                position = offset
            }
            if shape == .unknown {
                guard position < bytes.count else { return false }
                switch bytes[position] {
                case UInt8(ascii: "{"), UInt8(ascii: "["): shape = .nested; depth = 1
                case UInt8(ascii: "\""): shape = .string; inString = true
                default: shape = .token
                }
                if shape != .token { position += 1 }
            }
            if shape == .token {
                // A number, a literal or a stray byte: it ends before the first byte that cannot continue a
                // number or a literal word (at once for a stray byte).
                while position < bytes.count, Self.continuesToken(bytes[position]) { position += 1 }
                return position < bytes.count
            }
            while position < bytes.count {
                let byte = bytes[position]
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                        if depth == 0 { return true }
                    } else {
                        position = StringScan.firstSpecial(bytes, from: position + 1, controls: false)
                        continue
                    }
                } else {
                    switch byte {
                    case UInt8(ascii: "\""): inString = true
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 { return true }
                    default: break
                    }
                }
                position += 1
            }
            return false
        }

        private static func continuesToken(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                return true
            default: return false
            }
        }
    }
}
