import Foundation
import Testing
@testable import LineageKit

/// String decoding in the JSON parser: escapes, UTF-8 validation and where an invalid byte is reported.
@Suite struct JSONParserTests {
    static func parse(_ text: [UInt8]) throws(JSONParser.Failure) -> JSONValue {
        try text.withUnsafeBufferPointer { (bytes) throws(JSONParser.Failure) -> JSONValue in try JSONParser.parse(bytes) }
    }

    static func parse(_ text: String) throws(JSONParser.Failure) -> JSONValue { try parse(Array(text.utf8)) }

    @Test func escapesDoNotLeakIntoTheNextString() throws {
        let value = try Self.parse(#"["a\nb\"c", "d", "e\\f", "", "\u00e9\ud83d\ude00\u0000x", "plain"]"#)
        #expect(value == .array([.string("a\nb\"c"), .string("d"), .string("e\\f"), .string(""),
                                 .string("\u{E9}\u{1F600}\u{0}x"), .string("plain")]))
    }

    @Test func keysAndValuesWithEscapesAlternate() throws {
        let value = try Self.parse(#"{"k\t1": "v\/1", "k2": "v2", "k\u00203": "\b\f\r"}"#)
        #expect(value["k\t1"] == .string("v/1"))
        #expect(value["k2"] == .string("v2"))
        #expect(value["k 3"] == .string("\u{8}\u{C}\r"))
    }

    @Test func invalidUTF8IsReportedAtItsByte() throws {
        // Column of the first bad byte: after `["ab` (4 bytes) in a plain string, after the escape in the other.
        for (text, column) in [([0x5B, 0x22, 0x61, 0x62, 0xFF, 0x22, 0x5D] as [UInt8], 5),
                               (Array(#"["a\n"#.utf8) + [0xC3, 0x28, 0x22, 0x5D], 6),
                               (Array(#"["é"#.utf8) + [0xE2, 0x82, 0x22, 0x5D], 5)] {
            let failure = try #require(throws: JSONParser.Failure.self) { try Self.parse(text) }
            #expect(failure.isEncoding)
            #expect(failure.message == "invalid UTF-8 in a string")
            #expect(failure.line == 1 && failure.column == column, "\(text)")
        }
    }

    /// Any bytes inside a string decode to exactly what `String(validating:)` makes of them, or fail
    /// as invalid UTF-8 exactly when it refuses them.
    @Test func decodingAgreesWithStandardValidation() throws {
        var generator = SeededGenerator(seed: 3_141)
        let pieces: [[UInt8]] = [[0x61], [0x7A, 0x20], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80],
                                 [0x80], [0xBF], [0xC0, 0xAF], [0xC1], [0xC2], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80],
                                 [0xED, 0x9F, 0xBF], [0xEF, 0xBF, 0xBD], [0xF4, 0x90, 0x80, 0x80], [0xF5], [0xFF],
                                 [0xE2, 0x82], [0xF0, 0x9F], Array(#"\n"#.utf8), Array(#"\u00e9"#.utf8)]
        for _ in 0..<3_000 {
            var body: [UInt8] = []
            for _ in 0..<Int.random(in: 0...6, using: &generator) {
                body += pieces[Int.random(in: 0..<pieces.count, using: &generator)]
            }
            let unescaped = String(decoding: body, as: UTF8.self).replacingOccurrences(of: #"\n"#, with: "\n")
                .replacingOccurrences(of: #"\u00e9"#, with: "é")
            let raw = Array(body.split(separator: 0x5C, omittingEmptySubsequences: false).joined())
            let valid = raw.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) } != nil
            do {
                let value = try Self.parse([0x22] + body + [0x22])
                #expect(valid, "\(body)")
                #expect(value == .string(unescaped), "\(body)")
            } catch {
                #expect(!valid && error.isEncoding, "\(body): \(error)")
            }
        }
    }
}

/// Duplicate keys are refused where they stand (issue 19: Lineage took the first value, Python, jq and
/// browsers the last), in small objects and in large ones (a set, not a quadratic scan).
@Suite("JSONParser: duplicate keys")
struct JSONParserDuplicateKeyTests {
    @Test func duplicateKeyIsRefusedAtItsPosition() {
        let text = Array(#"{"a": 1, "b": {"x": 1, "x": 2}}"#.utf8)
        do throws(JSONParser.Failure) {
            _ = try text.withUnsafeBufferPointer { (buffer) throws(JSONParser.Failure) in try JSONParser.parse(buffer) }
            Issue.record("a duplicate key was accepted")
        } catch {
            #expect(error.message.contains("duplicate key \"x\"") && error.line == 1 && error.column == 24, "\(error)")
        }
    }

    @Test func largeObjectsAreCheckedToo() throws {
        let keys = (0..<200).map { "\"k\($0)\": \($0)" }
        let unique = Array(("{" + keys.joined(separator: ", ") + "}").utf8)
        #expect(throws: Never.self) { _ = try unique.withUnsafeBufferPointer { try JSONParser.parse($0) } }
        let repeated = Array(("{" + keys.joined(separator: ", ") + ", \"k150\": 0}").utf8)
        #expect(throws: JSONParser.Failure.self) { _ = try repeated.withUnsafeBufferPointer { try JSONParser.parse($0) } }
    }
}

/// The reader-level check behind `--duplicates refuse` (the command line's default).
@Suite("DuplicateAnswerCheck")
struct DuplicateAnswerCheckTests {
    @Test func conflictingAnswerIsRefusedAndIdenticalOneIsNot() throws {
        let file = InputFile(path: "f.jsonl", contents: [])
        var check = DuplicateAnswerCheck(rule: .refuse)
        try check.check(RecordedAnswer(probeID: "p1", prompt: nil, output: "Red.", line: 1), file: file)
        try check.check(RecordedAnswer(probeID: "p1", prompt: nil, output: "Red.", line: 2), file: file)
        try check.check(RecordedAnswer(probeID: "p1", prompt: nil, sample: 1, output: "Blue.", line: 3), file: file)
        try check.check(RecordedAnswer(probeID: nil, prompt: "Say  hi.", output: "Hi", line: 4), file: file)
        do {
            try check.check(RecordedAnswer(probeID: nil, prompt: "Say hi.", output: "Hello", line: 5), file: file)
            Issue.record("a second answer to the same prompt was accepted")
        } catch {
            #expect(error.kind == .duplicateProbe && error.location.line == 5 && error.message.contains("first is at line 4"), "\(error)")
        }
        var lenient = DuplicateAnswerCheck(rule: .first)
        try lenient.check(RecordedAnswer(probeID: "p1", prompt: nil, output: "Red.", line: 1), file: file)
        try lenient.check(RecordedAnswer(probeID: "p1", prompt: nil, output: "Blue.", line: 2), file: file)
    }
}
