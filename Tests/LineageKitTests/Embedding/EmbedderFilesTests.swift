import Foundation
import Testing
@testable import LineageKit

@Suite("Embedding: embedding files in parallel")
struct EmbedderFilesTests {
    /// Fixture recordings in several formats (one with several samples a probe) and generated ones.
    static func files(in directory: URL) throws -> [String] {
        var paths = ["recordings/good.jsonl", "recordings/samples.jsonl", "recordings/alpaca.json",
                     "recordings/answers.csv", "recordings/openai-batch.jsonl"].map(FixturePaths.fixture)
        for m in 0..<9 {
            let lines = ["p1", "p2", "p3"].enumerated().compactMap { (p, probe) -> String? in
                if (m + p) % 4 == 3 { return nil }  // some probes unanswered
                let text = "Model \(m) answers \(probe): " + String(repeating: "word\((m * 3 + p) % 5) ", count: 1 + (m + p) % 6)
                    + (m % 2 == 0 ? "\n- a bullet **bold**" : " Sure, here it is. Ünïcödé ✓")
                return #"{"probe": "\#(probe)", "model": "gen-\#(m)", "output": "\#(text.replacingOccurrences(of: "\n", with: "\\n"))"}"#
            }
            let url = directory.appendingPathComponent("gen-\(m).jsonl")
            try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
            paths.insert(url.path, at: min(paths.count, 2 * m % 7))
        }
        return paths
    }

    static func bits(_ e: [EmbeddedRecording]) -> [[UInt32]] { e.map { $0.embeddings.values.map(\.bitPattern) } }

    @Test("two and three workers give the serial result bit for bit, in input order")
    func parallelEqualsSerial() throws {
        let directory = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Self.files(in: directory)
        let set = try ProbeSet.load(path: FixturePaths.probes)
        let model = try EmbeddingModel.bundled()
        let serial = try Embedder(model: model, threads: 1).embed(files: files, probeSet: set)
        #expect(serial.map(\.source) == files)
        #expect(serial.contains { $0.answered.contains(false) })
        for threads in [2, 3] {
            let parallel = try Embedder(model: model, threads: threads).embed(files: files, probeSet: set)
            #expect(parallel.map(\.source) == serial.map(\.source))
            #expect(parallel.map(\.model) == serial.map(\.model))
            #expect(parallel.map(\.sha256) == serial.map(\.sha256))
            #expect(parallel.map(\.answered) == serial.map(\.answered))
            #expect(Self.bits(parallel) == Self.bits(serial))
        }
    }

    @Test("with failing files, the error is the first failing file's in input order, as in a serial run")
    func firstErrorInFileOrder() throws {
        let directory = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = try Self.files(in: directory)
        let bad = ["recordings/truncated.jsonl", "recordings/not-json-line.jsonl"].map(FixturePaths.fixture)
        let files = Array(good.prefix(3)) + [bad[0]] + Array(good.dropFirst(3)) + [bad[1], FixturePaths.fixture("absent.jsonl")]
        let set = try ProbeSet.load(path: FixturePaths.probes)
        let model = try EmbeddingModel.bundled()
        let serial = #expect(throws: InputError.self) { try Embedder(model: model, threads: 1).embed(files: files, probeSet: set) }
        #expect(serial?.location.path == bad[0])
        for _ in 0..<5 {
            let parallel = #expect(throws: InputError.self) { try Embedder(model: model, threads: 2).embed(files: files, probeSet: set) }
            #expect(parallel == serial)
        }
        // The last file alone failing is still reported.
        let last = #expect(throws: InputError.self) {
            try Embedder(model: model, threads: 2).embed(files: Array(good.prefix(4)) + [bad[1]], probeSet: set)
        }
        #expect(last?.location.path == bad[1])
    }

    @Test("a stack holds the same rows, answers and names as the per-file embeddings, for one and two workers")
    func stackEqualsFiles() throws {
        let directory = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Self.files(in: directory)
        let set = try ProbeSet.load(path: FixturePaths.probes)
        let model = try EmbeddingModel.bundled()
        let serial = try Embedder(model: model, threads: 1).embed(files: files, probeSet: set)
        for threads in [1, 2] {
            let stack = try Embedder(model: model, threads: threads).embedStack(files: files, probeSet: set)
            #expect(stack.count == files.count && stack.probes == 3 && stack.dimensions == model.dimensions)
            #expect(stack.models == serial.map(\.model) && stack.sources == files && stack.sha256s == serial.map(\.sha256))
            #expect(stack.answered == serial.map(\.answered))
            #expect((0..<stack.count).map { stack.embeddings($0).values.map(\.bitPattern) } == Self.bits(serial))
        }
        let bad = Array(files.prefix(2)) + [FixturePaths.fixture("recordings/truncated.jsonl")] + files
        let serialError = #expect(throws: InputError.self) { try Embedder(model: model, threads: 1).embed(files: bad, probeSet: set) }
        let stackError = #expect(throws: InputError.self) { try Embedder(model: model, threads: 2).embedStack(files: bad, probeSet: set) }
        #expect(stackError == serialError)
    }
}
