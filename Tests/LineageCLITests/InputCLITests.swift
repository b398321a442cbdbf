import Foundation
import Testing

/// `lineage validate` and `lineage matrix` run as subprocesses: exit status, located error messages,
/// and byte-identical output across runs, thread counts and file order.
@Suite("InputCLI", .serialized)
struct InputCLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/Fixtures").path
    static let recordings = repository.appendingPathComponent("Probes/alpaca-eval/recordings").path

    /// The `lineage` binary beside the test bundle (found by `CLI.executable()`); a missing one makes
    /// every run fail with the launch error.
    static var binary: URL { URL(fileURLWithPath: (try? CLI.executable()) ?? "lineage-not-found") }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CLI.Output {
        try CLI.run(executable: binary.path, arguments, in: repository.path, environment: environment)
    }

    static func fixture(_ name: String) -> String { fixtures + "/recordings/" + name }

    @Test(arguments: [("truncated.jsonl", ":2:49: unterminated string"),
                      ("csv-short-row.csv", ":3: row has 2 fields, the header has 3"),
                      ("invalid-utf8-in-string.jsonl", ":2:46: invalid UTF-8 in a string"),
                      ("deeply-nested.jsonl", ":1:568: JSON nested deeper than 512 levels"),
                      ("empty.jsonl", ": the file is empty")])
    func validateRefusesWithFileAndLine(_ name: String, _ located: String) throws {
        let path = Self.fixture(name)
        let result = try Self.run(["validate", "--probes", Self.fixtures + "/probes.jsonl", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: " + path + located), "stderr: \(result.stderr)")
    }

    @Test("a folder argument stands for its recording files, sorted; what else it holds is named; an empty one is refused")
    func folderArguments() throws {
        let folder = try CLI.temporaryFolder("folder-args")
        let names = ["vicuna-13b", "alpaca-7b", "claude"]
        for name in names {
            try FileManager.default.copyItem(atPath: Self.recordings + "/\(name).jsonl", toPath: folder + "/\(name).jsonl")
        }
        try Data("notes".utf8).write(to: URL(fileURLWithPath: folder + "/README.txt"))
        let byFolder = try Self.run(["matrix", "--json", folder])
        let byFiles = try Self.run(["matrix", "--json"] + names.sorted().map { folder + "/\($0).jsonl" })
        #expect(byFolder.status == 0 && byFiles.status == 0, "\(byFolder.stderr)")
        #expect(byFolder.stdoutBytes == byFiles.stdoutBytes)
        #expect(byFolder.stderr.contains("\(folder): 3 recording files; not recordings, left out: README.txt"))
        let empty = try CLI.temporaryFolder("folder-args-empty")
        let refused = try Self.run(["validate", empty])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("\(empty): a folder without recording files"))
    }

    @Test func validateAcceptsAndCountsProblems() throws {
        let result = try Self.run(["validate", "--duplicates", "first", "--probes", Self.fixtures + "/probes.jsonl",
                                   Self.fixture("duplicate-conflicting.jsonl"), Self.fixture("missing-and-empty.jsonl")])
        #expect(result.status == 0)
        let text = result.stdout
        #expect(text.contains("aligned 3/3, missing 0, empty 0, duplicate 2, unknown 0 (1 conflicting)"))
        #expect(text.contains("aligned 1/3, missing 1, empty 1"))
    }

    @Test func validateOneBadFileAmongGoodOnesStillFails() throws {
        let result = try Self.run(["validate", "--json", "--probes", Self.fixtures + "/probes.jsonl",
                                   Self.fixture("good.jsonl"), Self.fixture("truncated.jsonl")])
        #expect(result.status == 1)
        #expect(result.stdout.contains("truncated.jsonl:2:49: unterminated string"))
    }

    static let bundled = ["alpaca-7b.jsonl", "text_davinci_003.jsonl", "llama-2-70b-chat-hf.jsonl", "vicuna-7b-v1.5.jsonl"]
        .map { recordings + "/" + $0 }

    @Test func validateJSONIsByteIdenticalAcrossRunsAndOrder() throws {
        let first = try Self.run(["validate", "--json"] + Self.bundled)
        let second = try Self.run(["validate", "--json"] + Self.bundled)
        #expect(first.status == 0)
        #expect(first.stdoutBytes == second.stdoutBytes)
        // validate reports files in command-line order: reversed input gives the same reports, reversed.
        let reversed = try Self.run(["validate", "--json"] + Self.bundled.reversed())
        let a = try #require(JSONSerialization.jsonObject(with: first.stdoutBytes) as? [String: Any])
        let b = try #require(JSONSerialization.jsonObject(with: reversed.stdoutBytes) as? [String: Any])
        let filesA = try #require(a["files"] as? [Any]), filesB = try #require(b["files"] as? [Any])
        #expect(try JSONSerialization.data(withJSONObject: filesA, options: .sortedKeys)
                == JSONSerialization.data(withJSONObject: Array(filesB.reversed()), options: .sortedKeys))
    }

    @Test func matrixJSONIsByteIdenticalAcrossRunsThreadsAndOrder() throws {
        let files = Array(Self.bundled.prefix(2))
        let one = try Self.run(["matrix", "--json", "--threads", "1"] + files)
        guard one.status == 0 else {
            Issue.record("matrix failed: \(one.stderr)")
            return
        }
        let again = try Self.run(["matrix", "--json", "--threads", "1"] + files)
        let two = try Self.run(["matrix", "--json", "--threads", "2"] + files)
        #expect(one.stdoutBytes == again.stdoutBytes, "repeated run")
        #expect(one.stdoutBytes == two.stdoutBytes, "1 vs 2 threads")
        // matrix keeps command-line order: after a shuffle, the matrix permuted back must be identical.
        let order = [1, 0]
        let shuffled = try Self.run(["matrix", "--json", "--threads", "2"] + order.map { files[$0] })
        let a = try #require(JSONSerialization.jsonObject(with: one.stdoutBytes) as? [String: Any])
        let b = try #require(JSONSerialization.jsonObject(with: shuffled.stdoutBytes) as? [String: Any])
        let modelsA = try #require(a["models"] as? [String]), modelsB = try #require(b["models"] as? [String])
        #expect(modelsB == order.map { modelsA[$0] })
        let m = try #require(a["mean_cosine"] as? [[Double]]), s = try #require(b["mean_cosine"] as? [[Double]])
        for i in order.indices { for j in order.indices { #expect(s[i][j] == m[order[i]][order[j]]) } }
    }
}
