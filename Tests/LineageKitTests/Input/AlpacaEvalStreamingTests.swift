import Foundation
import Testing
@testable import LineageKit

/// The AlpacaEval reader parses its JSON array element by element from chunks: every answer and every
/// error (kind, message, line, column) must be those of parsing the file whole, as the reader did before.
@Suite struct AlpacaEvalStreamingTests {
    /// The former reader: the whole content parsed in one buffer.
    static func wholeFile(_ bytes: [UInt8]) -> String {
        let file = InputFile(path: "x.json", contents: bytes)
        var answers: [RecordedAnswer] = []
        var model = ModelNameCollector()
        do {
            try bytes.withUnsafeBufferPointer { (bytes) throws in
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
                            // One element's fields are read as the reader reads them; what differs is the framing.
                            answers.append(try AlpacaEvalReader.answer(value, element: index, line: line, file: file, model: &model))
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
                    if !parser.atEnd { throw parser.failure("unexpected content after the JSON array") }
                } catch let failure as JSONParser.Failure {
                    throw file.error(failure)
                }
            }
        } catch { return "\(error)" }
        return "\(answers) \(model.name ?? "-")"
    }

    static func streamed(_ bytes: [UInt8], chunkSize: Int) -> String {
        var answers: [RecordedAnswer] = []
        do {
            let (model, _) = try AlpacaEvalReader.read(InputFile(path: "x.json", contents: bytes, chunkSize: chunkSize)) {
                answers.append($0)
            }
            return "\(answers) \(model ?? "-")"
        } catch { return "\(error)" }
    }

    /// Escapes, a surrogate pair, non-ASCII text, brackets inside strings, nested values and numbers.
    static let sample = Array("""
    [
      {"instruction": "Say \\"hi\\" [twice]", "output": "Hi {hi}\\n\\\\ \\u00e9\\ud83d\\ude00 ✓", "generator": "g", "n": [1, -2.5e3, {"a": [true, false, null]}]},
      {"instruction": "x", "output": "", "generator": "g"} ,
    {"output": "o", "instruction": "y"}]

    """.utf8)

    static func check(_ bytes: [UInt8], sizes: [Int]) {
        let reference = wholeFile(bytes)
        for size in sizes {
            #expect(streamed(bytes, chunkSize: size) == reference, "chunk size \(size): \(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test func everyFixtureAtEveryChunkSize() throws {
        let names = ["alpaca.json", "alpaca-element-not-object.json", "alpaca-empty-array.json", "alpaca-missing-comma.json",
                     "alpaca-missing-output.json", "alpaca-trailing-content.json", "alpaca-truncated.json"]
        for name in names {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: FixturePaths.fixture("recordings/" + name))))
            Self.check(bytes, sizes: [1, 2, 3, 7, 64, bytes.count + 1])
        }
        Self.check(Self.sample, sizes: [1, 2, 3, 7, 64, Self.sample.count + 1])
    }

    @Test func everyTruncationAndByteChange() {
        let bytes = Self.sample
        for cut in 0...bytes.count { Self.check(Array(bytes[..<cut]), sizes: [1, 5, 64]) }
        let replacements = Array("\"\\[]{},: \nx1-t".utf8) + [0x00, 0xFF]
        for position in bytes.indices {
            for replacement in replacements where bytes[position] != replacement {
                var changed = bytes
                changed[position] = replacement
                Self.check(changed, sizes: [1, 5, 64])
            }
        }
    }

    @Test func scalarAndStrayElements() {
        for text in ["[1]", "[\"a\"]", "[tru]", "[true, {}]", "[1.5e]", "[-]", "[,]", "[{}]", "[[]]", "[}]", "[\"unterminated",
                     "[{\"instruction\": \"i\", \"output\": \"o\"}] x", "  ", "", "{}", "[", "[{\"a\": \"\\u12\"}]"] {
            Self.check(Array(text.utf8), sizes: [1, 2, 3, 64])
        }
    }
}
