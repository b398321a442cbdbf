/// Reads AlpacaEval `model_outputs.json`: a JSON array of `{"instruction", "output", "generator"}`.
/// Answers align by instruction text; the record's position stands in for its line number.
enum AlpacaEvalReader {
    static func read(_ file: InputFile) throws(InputError) -> ([RecordedAnswer], String?) {
        var answers: [RecordedAnswer] = []
        var model = ModelNameCollector()
        try file.withContent { (bytes) throws(InputError) in
            var parser = JSONParser(bytes: bytes)
            do {
                try parser.expect(UInt8(ascii: "["), "'[' opening a JSON array")
                if parser.peek() == UInt8(ascii: "]") {
                    parser.skipWhitespace()
                    return
                }
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
                    answers.append(RecordedAnswer(probeID: nil, prompt: instruction, output: output, line: line))
                    guard let next = parser.peek() else {
                        throw parser.failure("unexpected end of input inside the array, expected ',' or ']'")
                    }
                    parser.offset += 1
                    if next == UInt8(ascii: "]") { break }
                    guard next == UInt8(ascii: ",") else {
                        parser.offset -= 1
                        throw parser.failure("expected ',' or ']' in the array, found \(parser.describe(next))")
                    }
                }
                parser.skipWhitespace()
                if !parser.atEnd {
                    throw parser.failure("unexpected content after the JSON array")
                }
            } catch let failure as JSONParser.Failure {
                throw file.error(failure)
            } catch let error as InputError {
                throw error
            } catch {
                throw InputError(.malformedJSON, at: file.location(), "\(error)")
            }
        }
        return (answers, model.name)
    }
}
