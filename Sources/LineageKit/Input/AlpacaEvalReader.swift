/// Reads AlpacaEval `model_outputs.json`: a JSON array of `{"instruction", "output", "generator"}`.
/// Answers align by instruction text; the record's position stands in for its line number.
///
/// The array is one JSON value, so the file's bytes are held while it is parsed (AlpacaEval files are
/// a few MB); records are parsed and handed on one at a time, never all held as values.
enum AlpacaEvalReader {
    static func read(_ file: InputFile, _ emit: (RecordedAnswer) throws -> Void) throws -> (String?, InputFile.Facts) {
        var model = ModelNameCollector()
        let (content, facts) = try file.readAll()
        try content.withUnsafeBufferPointer { (bytes) throws in
            var parser = JSONParser(bytes: bytes)
            do {
                try parser.expect(UInt8(ascii: "["), "'[' opening a JSON array")
                if parser.peek() == UInt8(ascii: "]") {
                    parser.offset += 1
                } else {
                    var index = 0
                    while true {
                        parser.skipWhitespace()
                        let line = parser.currentLine
                        let value = try parser.parseValue(depth: 1)
                        index += 1
                        guard case .object = value else {
                            throw InputError(.wrongType, at: file.location(line: line),
                                             "array element \(index) must be an object, found \(value.typeName)")
                        }
                        let fields = FieldReader(file: file, line: line, record: value)
                        let instruction = try fields.requiredString("instruction")
                        let output = try fields.requiredString("output")
                        try model.add(fields.optionalString("generator"), file: file, line: line)
                        try emit(RecordedAnswer(probeID: nil, prompt: instruction, output: output, line: line))
                        guard let next = parser.peek() else {
                            throw parser.failure("unexpected end of input inside the array, expected ',' or ']'")
                        }
                        if next == UInt8(ascii: "]") { parser.offset += 1; break }
                        guard next == UInt8(ascii: ",") else {
                            throw parser.failure("expected ',' or ']' in the array, found \(parser.describe(next))")
                        }
                        parser.offset += 1
                    }
                }
                parser.skipWhitespace()
                if !parser.atEnd {
                    throw parser.failure("unexpected content after the JSON array")
                }
            } catch let failure as JSONParser.Failure {
                throw file.error(failure)
            }
        }
        return (model.name, facts)
    }
}
