import Foundation
import Testing

/// Two recordings that name the same model (here one bundled AlpacaEval file linked under two names) must
/// stay two distinguishable rows: unique labels in every output, a warning, the fact in the JSON.
@Suite("CLI: matrix with two recordings of one model name")
struct MatrixDuplicateNamesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func lineage() throws -> String {
        try ProcessInfo.processInfo.environment["LINEAGE_RELEASE_BIN"] ?? CLI.executable()
    }

    /// r1-alpaca-7b.jsonl and r2-alpaca-7b.jsonl (links to one file), vicuna-13b, claude-2: absolute paths.
    static func recordings(in folder: String) throws -> [String] {
        let bundled = { (name: String) in "\(root)/Probes/alpaca-eval/recordings/\(name).jsonl" }
        let links = ["r1", "r2"].map { "\(folder)/\($0)-alpaca-7b.jsonl" }
        for link in links { try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: bundled("alpaca-7b")) }
        return links + [bundled("vicuna-13b"), bundled("claude-2")]
    }

    static let labels = ["alpaca-7b (r1-alpaca-7b.jsonl)", "alpaca-7b (r2-alpaca-7b.jsonl)", "vicuna-13b", "claude-2"]

    static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// What both outputs share: names kept, labels unique, the identical pair at exactly the diagonal's 1.
    static func checkDocument(_ document: [String: Any], files: [String]) throws {
        #expect(document["models"] as? [String] == ["alpaca-7b", "alpaca-7b", "vicuna-13b", "claude-2"])
        #expect(document["labels"] as? [String] == labels)
        let duplicates = try #require(document["duplicate_models"] as? [[String: Any]])
        #expect(duplicates.count == 1)
        #expect(duplicates.first?["model"] as? String == "alpaca-7b")
        #expect(duplicates.first?["sources"] as? [String] == Array(files.prefix(2)))
        #expect(duplicates.first?["labels"] as? [String] == Array(labels.prefix(2)))
        let identical = try #require(document["identical_files"] as? [[String: Any]])
        #expect(identical.count == 1)
        #expect(identical.first?["sources"] as? [String] == Array(files.prefix(2)))
        #expect((identical.first?["sha256"] as? String)?.count == 64)
        let cosine = try #require(document["mean_cosine"] as? [[Double]])
        #expect(cosine[0][1] == 1 && cosine[1][0] == 1 && cosine[0][0] == 1 && cosine[1][1] == 1)
        #expect(cosine.joined().allSatisfy { $0 <= 1 })
    }

    static func checkWarnings(_ stderr: String, files: [String]) {
        #expect(stderr.contains("warning: 2 recordings name the model \"alpaca-7b\"; labelled \(files[0]) as \"\(labels[0])\", \(files[1]) as \"\(labels[1])\""), "\(stderr)")
        #expect(stderr.contains("note: \(files[0]), \(files[1]) have identical content"), "\(stderr)")
        #expect(!stderr.contains("vicuna"))
    }

    @Test("--json keeps the names, adds unique labels and says why; the table and stderr show them, also with --quiet")
    func json() throws {
        let folder = try CLI.temporaryFolder("matrix-duplicates")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = try Self.recordings(in: folder)
        let run = try CLI.run(executable: try Self.lineage(), ["matrix", "--json", "--quiet"] + files, in: Self.root)
        #expect(run.status == 0, "\(run.stderr)")
        try Self.checkDocument(try Self.object(run.stdoutBytes), files: files)
        Self.checkWarnings(run.stderr, files: files)

        let table = try CLI.run(executable: try Self.lineage(), ["matrix"] + files, in: Self.root)
        #expect(table.status == 0, "\(table.stderr)")
        // Row labels are cut to 28 characters only while they stay distinct.
        let rows = table.stdout.split(separator: "\n").dropFirst(2).map { String($0.prefix(28)) }
        #expect(rows == ["alpaca-7b (r1-alpaca-7b.jso…", "alpaca-7b (r2-alpaca-7b.jso…",
                         "vicuna-13b                  ", "claude-2                    "], "\(table.stdout)")
    }

    @Test("--out: CSV headers, Newick leaves, matrix.json and the heatmap tell the two apart; verify reproduces them")
    func out() throws {
        let folder = try CLI.temporaryFolder("matrix-duplicates-out")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = try Self.recordings(in: folder)
        let out = "\(folder)/m"
        let run = try CLI.run(executable: try Self.lineage(),
                              ["matrix", "--out", out, "--tree-bootstrap", "10", "--quiet"] + files, in: Self.root)
        #expect(run.status == 0, "\(run.stderr)")
        Self.checkWarnings(run.stderr, files: files)
        try Self.checkDocument(try Self.object(Data(contentsOf: URL(fileURLWithPath: "\(out)/matrix.json"))), files: files)
        for csv in ["mean-cosine.csv", "impostor-score.csv"] {
            let text = try String(contentsOfFile: "\(out)/\(csv)", encoding: .utf8)
            let lines = text.components(separatedBy: "\r\n").dropLast()
            #expect(lines.first == (["model"] + Self.labels).joined(separator: ","), "\(csv)")
            #expect(lines.dropFirst().map { String($0.prefix { $0 != "," }) } == Self.labels, "\(csv)")
        }
        let newick = try String(contentsOfFile: "\(out)/tree.nwk", encoding: .utf8)
        #expect(try NewickParser.parse(newick).leaves.sorted() == Self.labels.sorted())
        let heatmap = try String(contentsOfFile: "\(out)/heatmap.svg", encoding: .utf8)
        for label in Self.labels { #expect(heatmap.contains(">\(label)<"), "\(label)") }
        let verified = try CLI.run(executable: try Self.lineage(), ["verify", out, "--quiet"])
        #expect(verified.status == 0, "\(verified.stderr)")
    }
}
