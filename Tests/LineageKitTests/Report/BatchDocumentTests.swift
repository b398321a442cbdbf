import Foundation
import Testing
@testable import LineageKit

@Suite("Batch document: each student's JSON indented a level")
struct BatchDocumentTests {
    static func indented(_ text: String) -> String { String(decoding: BatchDocument.indented(Data(text.utf8)), as: UTF8.self) }

    @Test("every non-empty line gets four spaces; blank lines and the ends stay as they were")
    func indentsNonEmptyLines() {
        #expect(Self.indented("") == "")
        #expect(Self.indented("{") == "    {")
        #expect(Self.indented("a\n\nb\n") == "    a\n\n    b\n")
        #expect(Self.indented("[\n\n]") == "    [\n\n    ]")
        #expect(Self.indented("\n") == "\n")
    }

    @Test("the same as indenting each line of the split document, on an encoder's output")
    func sameAsSplitting() throws {
        let json = try JSONOutput.data(["results": [["a": [Int](), "b": [1, 2]], ["c": [Int]()]]])
        let lines = json.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let expected = lines.map { $0.isEmpty ? "" : "    " + String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
        #expect(String(decoding: BatchDocument.indented(json), as: UTF8.self) == expected)
    }
}
