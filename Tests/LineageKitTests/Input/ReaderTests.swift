import Foundation
import Testing
@testable import LineageKit

/// Each reader on small well-formed and malformed files written on the fly.
@Suite struct ReaderTests {
    /// Writes `content` to a fresh file named `name` and returns its path.
    static func write(_ content: String, name: String = "recording.jsonl") throws -> String {
        try write(Data(content.utf8), name: name)
    }

    static func write(_ content: Data, name: String) throws -> String {
        let url = try FixturePaths.temporaryDirectory().appendingPathComponent(name)
        try content.write(to: url)
        return url.path
    }

    static func refusal(_ path: String, format: RecordingFormat? = nil) -> InputError? {
        do {
            _ = try RecordingReader.read(path: path, format: format)
            return nil
        } catch { return error }
    }

    // MARK: canonical JSONL

    @Test func canonicalReadsIdsPromptsSamplesAndModel() throws {
        let path = try Self.write("""
        {"probe": "p1", "model": "m", "output": "a", "meta": {"t": 0.7}}
        {"probe": 2, "model": "m", "sample": 1, "output": "b"}
        {"prompt": "Say hello.", "output": "c"}

        """)
        let r = try RecordingReader.read(path: path)
        #expect(r.model == "m")
        #expect(r.format == .canonical)
        #expect(r.answers == [
            RecordedAnswer(probeID: "p1", prompt: nil, output: "a", line: 1),
            RecordedAnswer(probeID: "2", prompt: nil, sample: 1, output: "b", line: 2),
            RecordedAnswer(probeID: nil, prompt: "Say hello.", output: "c", line: 3),
        ])
        #expect(r.sha256 == SHA256Digest.hex(of: try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test func canonicalWithoutModelTakesTheFileName() throws {
        let path = try Self.write(#"{"probe": "p1", "output": "a"}"#, name: "my-model.outputs.jsonl")
        #expect(try RecordingReader.read(path: path).model == "my-model")
    }

    @Test func canonicalMalformedLineNamesLineAndColumn() throws {
        let path = try Self.write("{\"probe\": \"p1\", \"output\": \"a\"}\n{\"probe\": \"p2\", \"output\": }\n")
        let error = try #require(Self.refusal(path))
        #expect(error.kind == .malformedJSON)
        #expect(error.location == SourceLocation(path: path, line: 2, column: 27))
        #expect(error.message.contains("expected a value"))
    }

    @Test func canonicalRefusesWrongTypes() throws {
        let path = try Self.write(#"{"probe": "p1", "output": ["a"]}"#)
        let error = try #require(Self.refusal(path))
        #expect(error.kind == .wrongType)
        #expect(error.message == #"field "output" must be text, found array"#)
    }

    @Test func canonicalRefusesDuplicateKeys() throws {
        // RFC 8259 leaves duplicate names undefined, and tools disagree (first or last wins): refused (issue 19).
        let path = try Self.write(#"{"probe": "p1", "output": "first", "output": "second"}"#)
        let error = try #require(Self.refusal(path))
        #expect(error.kind == .malformedJSON && error.location.line == 1 && error.location.column == 36)
        #expect(error.message.hasPrefix(#"duplicate key "output" in an object"#))
    }

    // MARK: AlpacaEval

    @Test func alpacaEvalReadsArrayByInstruction() throws {
        let path = try Self.write("""
        [
          {"instruction": "Name a colour.", "output": "Red.", "generator": "g", "dataset": "x"},
          {"instruction": "Say hello.", "output": "Hi", "generator": "g"}
        ]
        """, name: "model_outputs.json")
        let r = try RecordingReader.read(path: path)
        #expect(r.format == .alpacaEval)
        #expect(r.model == "g")
        #expect(r.answers.map(\.line) == [2, 3])
        #expect(r.answers.map(\.prompt) == ["Name a colour.", "Say hello."])
        #expect(r.answers.allSatisfy { $0.probeID == nil })
    }

    @Test func alpacaEvalMalformedNamesLine() throws {
        let path = try Self.write("[\n {\"instruction\": \"a\", \"output\": \"b\"},\n {\"instruction\": \"c\" \"output\": \"d\"}\n]", name: "x.json")
        let error = try #require(Self.refusal(path))
        #expect(error.kind == .malformedJSON)
        #expect(error.location.line == 3)
        #expect(error.location.column == 22)
    }

    // MARK: OpenAI Batch

    @Test func openAIBatchReadsContentAndCountsFailures() throws {
        let ok = #"{"id": "batch_req_1", "custom_id": "p1", "response": {"status_code": 200, "body": {"model": "gpt-x", "choices": [{"index": 0, "message": {"role": "assistant", "content": "Red."}}]}}, "error": null}"#
        let failed = #"{"id": "batch_req_2", "custom_id": "p2", "response": null, "error": {"code": "server_error"}}"#
        let path = try Self.write(ok + "\n" + failed + "\n", name: "batch_output.jsonl")
        let r = try RecordingReader.read(path: path)
        #expect(r.format == .openAIBatch)
        #expect(r.model == "gpt-x")
        #expect(r.answers == [RecordedAnswer(probeID: "p1", prompt: nil, output: "Red.", line: 1)])
        #expect(r.notes.failedRequests == ["p2"])
    }

    @Test func openAIBatchOnlyFailuresIsAcceptedWithNotes() throws {
        let failed = #"{"custom_id": "p2", "response": null, "error": {"code": "server_error"}}"#
        let r = try RecordingReader.read(path: try Self.write(failed + "\n"))
        #expect(r.answers.isEmpty)
        #expect(r.notes.failedRequests == ["p2"])
    }

    @Test func openAIBatchMissingContentNamesThePath() throws {
        let bad = #"{"custom_id": "p1", "response": {"status_code": 200, "body": {"choices": [{"message": {"role": "assistant"}}]}}}"#
        let error = try #require(Self.refusal(try Self.write(bad + "\n")))
        #expect(error.kind == .missingField)
        #expect(error.message.contains("response.body.choices[0].message.content"))
        #expect(error.location.line == 1)
    }

    // MARK: CSV

    @Test func csvReadsQuotedFieldsAcrossLines() throws {
        let path = try Self.write("id,sample,response,model\np1,0,\"a, \"\"b\"\"\nc\",m\np1,1,d,m\n", name: "answers.csv")
        let r = try RecordingReader.read(path: path)
        #expect(r.format == .csv)
        #expect(r.model == "m")
        #expect(r.answers == [
            RecordedAnswer(probeID: "p1", prompt: nil, sample: 0, output: "a, \"b\"\nc", line: 2),
            RecordedAnswer(probeID: "p1", prompt: nil, sample: 1, output: "d", line: 4),
        ])
    }

    @Test func csvByPromptColumn() throws {
        let path = try Self.write("instruction,output\nSay hello.,Hi\n", name: "a.csv")
        let r = try RecordingReader.read(path: path)
        #expect(r.answers == [RecordedAnswer(probeID: nil, prompt: "Say hello.", output: "Hi", line: 2)])
    }

    @Test func csvShortRowNamesLine() throws {
        let error = try #require(Self.refusal(try Self.write("probe,output\np1,a\np2\n", name: "a.csv")))
        #expect(error.kind == .malformedCSV)
        #expect(error.location.line == 3)
        #expect(error.message == "row has 1 fields, the header has 2")
    }

    @Test func csvWithoutCSVExtensionIsDetectedFromItsHeader() throws {
        let r = try RecordingReader.read(path: try Self.write("probe,output\np1,a\n", name: "answers.txt"))
        #expect(r.format == .csv)
    }

    // MARK: format detection and forcing

    @Test(arguments: [
        ("{\"probe\": \"p\", \"output\": \"o\"}\n", "x.jsonl", RecordingFormat.canonical),
        ("\n\n  [{\"instruction\": \"i\", \"output\": \"o\"}]", "x.json", .alpacaEval),
        ("{\"custom_id\": \"p\", \"response\": null, \"error\": {}}\n", "x.jsonl", .openAIBatch),
        ("probe,output\np,o\n", "x.csv", .csv),
        ("probe,output\np,o\n", "x", .csv),
        ("{\"probe\": \"p\", \"output\": \"o\"", "x.jsonl", .canonical),  // malformed: let the JSONL reader say where
    ])
    func detectsFormat(_ content: String, _ name: String, _ format: RecordingFormat) throws {
        let file = try InputFile(path: try Self.write(content, name: name))
        #expect(try RecordingFormat.detect(file: file) == format)
    }

    @Test func unrecognisedContentIsRefusedWithAHint() throws {
        let error = try #require(Self.refusal(try Self.write("just prose\n", name: "x.txt")))
        #expect(error.kind == .unknownFormat)
        #expect(error.message.contains("--input-format"))
    }

    @Test func forcedFormatOverridesDetection() throws {
        // A JSONL file forced to be CSV: its quotes stand inside unquoted CSV fields.
        let path = try Self.write("{\"probe\": \"p\", \"output\": \"o\"}\n")
        let error = try #require(Self.refusal(path, format: .csv))
        #expect(error.kind == .malformedCSV)
        #expect(error.location.line == 1)
    }

    @Test func missingFileAndDirectoryAreUnreadable() throws {
        let directory = try FixturePaths.temporaryDirectory()
        let missing = try #require(Self.refusal(directory.appendingPathComponent("nope.jsonl").path))
        #expect(missing.kind == .unreadable)
        #expect(missing.message == "no such file")
        let folder = try #require(Self.refusal(directory.path))
        #expect(folder.kind == .unreadable)
    }

    @Test func modelNamesWithPathAndShellCharactersAreKeptVerbatim() throws {
        for name in ["../../etc/x", "a;rm -rf", "$(x)", "org/name", "`id`", "a b"] {
            let line = try JSONOutput.string(["probe": "p1", "model": name, "output": "o"])
                .replacingOccurrences(of: "\n", with: "")
            #expect(try RecordingReader.read(path: try Self.write(line + "\n")).model == name)
        }
    }

    @Test func fileNamesWithShellCharactersAreReadAsGiven() throws {
        for name in ["a;rm -rf.jsonl", "$(x).jsonl", "`id`.jsonl", "-n.jsonl"] {
            let path = try Self.write("{\"probe\": \"p1\", \"output\": \"o\"}\n", name: name)
            let r = try RecordingReader.read(path: path)
            #expect(r.model == String(name.dropLast(6)))
            #expect(r.source == path)
        }
    }
}
