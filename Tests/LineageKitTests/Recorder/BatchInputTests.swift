import Foundation
import Testing
@testable import LineageKit

@Suite("BatchInput")
struct BatchInputTests {
    /// batch-input → a fabricated Batch output for every line → RecordingReader → Aligner aligns every probe.
    @Test(arguments: [1, 3])
    func batchOutputReadsBackAligned(samples: Int) throws {
        let set = try ProbeSet.load(path: probesRoot + "/identity")
        let input = try BatchInputBuilder.lines(for: set, configuration: RecorderConfiguration(
            model: "gpt-x", samples: samples, temperature: 0.5, maxTokens: 100, systemPrompt: "Be brief."))
        var output = ""
        var count = 0
        for line in input.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["method"] as? String == "POST" && object["url"] as? String == "/v1/chat/completions")
            let body = try #require(object["body"] as? [String: Any])
            #expect(body["model"] as? String == "gpt-x" && body["max_tokens"] as? Int == 100)
            let messages = try #require(body["messages"] as? [[String: String]])
            let id = try #require(object["custom_id"] as? String)
            let response: [String: Any] = [
                "custom_id": id,
                "response": ["status_code": 200, "body": [
                    "model": "gpt-x-2024", "choices": [["message": ["role": "assistant", "content": "answer to \(id)"]]]]],
                "error": NSNull(),
            ]
            if messages.first?["role"] == "system" { count += 1 }
            output += String(decoding: try JSONSerialization.data(withJSONObject: response), as: UTF8.self) + "\n"
        }
        #expect(count == set.probes.count * samples)
        let dir = NSTemporaryDirectory() + "lineage-batch-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try output.write(toFile: dir + "/batch_output.jsonl", atomically: true, encoding: .utf8)
        let recording = try RecordingReader.read(path: dir + "/batch_output.jsonl")
        #expect(recording.format == .openAIBatch)
        let aligned = Aligner.align(recording, to: set)
        #expect(aligned.summary.aligned == set.probes.count)
        #expect(aligned.summary.unknown == 0 && aligned.summary.duplicate == 0)
        #expect(aligned.answers.allSatisfy { $0.count == samples })
        let suffix = samples == 1 ? "" : "#2"
        #expect(aligned.answers[0].last == "answer to \(set.probes[0].id)\(suffix)")
    }

    @Test func customIDsWithoutASampleSuffixAreKept() {
        #expect(OpenAIBatchReader.splitSample("ae-001") == ("ae-001", 0))
        #expect(OpenAIBatchReader.splitSample("ae-001#2") == ("ae-001", 2))
        #expect(OpenAIBatchReader.splitSample("a#b") == ("a#b", 0))
        #expect(OpenAIBatchReader.splitSample("#3") == ("#3", 0))
        #expect(OpenAIBatchReader.splitSample("x#+3") == ("x#+3", 0))
    }
}

/// The repository's Probes/ folder, found from this file's path so tests run from any directory.
let probesRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Probes").path
