import Foundation
import Testing
@testable import LineageKit

/// Streamed reading: chunk boundaries change nothing, the aligner can work without texts, and a
/// very large answer reads in bounded time.
@Suite struct StreamingTests {
    static func answers(_ file: InputFile, format: RecordingFormat? = nil) throws -> ([RecordedAnswer], RecordingHeader) {
        var answers: [RecordedAnswer] = []
        let header = try RecordingReader.forEachAnswer(file, format: format) { answers.append($0) }
        return (answers, header)
    }

    static func outcome(_ file: InputFile) -> String {
        do {
            let (answers, header) = try answers(file)
            return "\(answers) \(header)"
        } catch { return "\(error)" }
    }

    /// Every fixture gives the same answers, notes, hash or error whatever the chunk size, down to one byte.
    @Test(arguments: ["good.jsonl", "crlf.jsonl", "bom.jsonl", "blank-lines.jsonl", "answers.csv", "answers-crlf.csv",
                      "alpaca.json", "openai-batch.jsonl", "truncated.jsonl", "csv-unterminated-quote.csv",
                      "invalid-utf8-in-string.jsonl", "csv-invalid-utf8.csv", "samples.jsonl"])
    func chunkSizeChangesNothing(_ name: String) throws {
        let path = FixturePaths.fixture("recordings/" + name)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let reference = Self.outcome(try InputFile(path: path))
        for size in [1, 2, 3, 5, 64] {
            #expect(Self.outcome(InputFile(path: path, contents: bytes, chunkSize: size)) == reference, "chunk size \(size)")
        }
    }

    @Test func streamedHashIsTheFileHash() throws {
        let path = FixturePaths.fixture("recordings/bom.jsonl")
        let (_, header) = try Self.answers(try InputFile(path: path))
        #expect(header.sha256 == SHA256Digest.hex(of: try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(header.notes.byteOrderMark)
        #expect(header.answers == 3)
    }

    @Test(arguments: ["duplicate-conflicting.jsonl", "unknown-probes.jsonl", "missing-and-empty.jsonl", "samples.jsonl", "alpaca.json"])
    func alignmentWithoutTextsHasTheSameSummary(_ name: String) throws {
        let set = try ProbeSet.load(path: FixturePaths.probes)
        let path = FixturePaths.fixture("recordings/" + name)
        let full = Aligner.align(try RecordingReader.read(path: path), to: set)
        let streamed = try Aligner.align(path: path, to: set, keepTexts: false)
        let streamedWithTexts = try Aligner.align(path: path, to: set, keepTexts: true)
        #expect(streamed.summary == full.summary)
        #expect(streamed.answers.allSatisfy { $0.isEmpty })
        #expect(streamedWithTexts.answers == full.answers)
        #expect(streamed.sha256 == full.sha256 && streamed.model == full.model)
    }

    @Test func bundledRecordingAlignsTheSameStreamed() throws {
        let set = try ProbeSet.load(path: FixturePaths.alpacaEval.path)
        let path = FixturePaths.alpacaEval.appendingPathComponent("panel/gemma-2b-it.jsonl").path
        #expect(try Aligner.align(path: path, to: set, keepTexts: false).summary
                == Aligner.align(try RecordingReader.read(path: path), to: set).summary)
    }

    @Test func fileReplacedByADirectoryOrRemovedIsAnError() throws {
        let directory = try FixturePaths.temporaryDirectory()
        let path = directory.appendingPathComponent("gone.jsonl").path
        try Data("{\"probe\": \"p1\", \"output\": \"a\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        let file = try InputFile(path: path)
        try FileManager.default.removeItem(atPath: path)
        #expect(throws: InputError.self) { try Self.answers(file) }
    }

    /// A 200 MB answer on one line, generated (never committed): read, hashed and aligned.
    @Test func twoHundredMegabyteAnswer() throws {
        let directory = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("huge.jsonl").path
        var content = Data("{\"probe\": \"p1\", \"model\": \"m\", \"output\": \"".utf8)
        content.append(Data(repeating: UInt8(ascii: "a"), count: 200 << 20))  // memset: fast in a debug build
        content.append(Data("\"}\n{\"probe\": \"p2\", \"model\": \"m\", \"output\": \"b\"}\n".utf8))
        try content.write(to: URL(fileURLWithPath: path))
        content = Data()
        let set = try ProbeSet.load(path: FixturePaths.probes)
        let aligned = try Aligner.align(path: path, to: set, keepTexts: false)
        #expect(aligned.summary.aligned == 2 && aligned.summary.missing == 1)
        #expect(aligned.model == "m" && aligned.format == .canonical)
    }
}
