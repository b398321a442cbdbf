import Foundation
import LineageKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `--out` through the binary: never into the input folder, never over a user's file, one run at a time,
/// and a folder that holds results still reads as its recordings (issue 19).
@Suite("CLI: --out safety", .serialized)
struct OutputSafetyCLITests {
    static let matrixOptions = ["--probes", "probes.jsonl", "--model", "model.lnm", "--tree-bootstrap", "10", "--quiet"]

    @Test("matrix DIR --out DIR is refused and writes nothing; a folder holding results reads as its recordings")
    func matrixIntoItsInputFolder() throws {
        let folder = try SyntheticCorpus.temporaryFolder("out-into-input")
        let before = try FileManager.default.contentsOfDirectory(atPath: folder + "/panel").sorted()
        let refused = try CLI.run(["matrix", "panel", "--out", "panel"] + Self.matrixOptions, in: folder)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("panel: the result folder holds an input of this run"), "\(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/panel").sorted() == before)

        // Results written beside recordings by hand (a copy) do not break the next run over the folder.
        let made = try CLI.run(["matrix", "panel", "--out", "results"] + Self.matrixOptions, in: folder)
        try #require(made.status == 0, "\(made.stderr)")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder + "/panel") {
            try FileManager.default.copyItem(atPath: folder + "/panel/" + name, toPath: folder + "/results/" + name)
        }
        let again = try CLI.run(["matrix", "--json", "results", "--probes", "probes.jsonl", "--model", "model.lnm"], in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("results: \(SyntheticCorpus.panelModels) recording files"), "\(again.stderr)")
    }

    @Test("a user's own file in --out is refused and kept; a Lineage folder is replaced whole, stale files gone")
    func userFilesAndStaleOutputs() throws {
        let folder = try SyntheticCorpus.temporaryFolder("out-user-files")
        let compare = ["compare", "--student", "student.jsonl", "--teacher", "teacher.jsonl"] + SyntheticCorpus.options
        try FileManager.default.createDirectory(atPath: folder + "/mine", withIntermediateDirectories: true)
        try Data("my own report".utf8).write(to: URL(fileURLWithPath: folder + "/mine/report.html"))
        let refused = try CLI.run(compare + ["--out", "mine"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("mine: the folder holds files Lineage did not write"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: folder + "/mine/report.html", encoding: .utf8) == "my own report")

        let first = try CLI.run(compare + ["--out", "out"], in: folder)
        try #require(first.status == 0, "\(first.stderr)")
        let matrix = try CLI.run(["matrix", "student.jsonl", "teacher.jsonl", "other.jsonl", "--out", "out"] + Self.matrixOptions, in: folder)
        #expect(matrix.status == 0, "\(matrix.stderr)")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: folder + "/out"))
        #expect(!files.contains("report.html") && files.contains("tree.nwk"), "no stale report beside the matrix: \(files)")
        let verified = try CLI.run(["verify", folder + "/out", "--quiet"])
        #expect(verified.status == 0, "\(verified.stderr)")
        let beside = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".out") }
        #expect(beside.isEmpty, "\(beside)")
    }

    @Test("a run into a folder another run is writing stops at once with a clear message")
    func concurrentRunsAreRefused() throws {
        let folder = try SyntheticCorpus.temporaryFolder("out-lock")
        let lockPath = folder + "/.out.lineage-lock"
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o644)
        try #require(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        defer { close(fd) }
        let second = try CLI.run(["compare", "--student", "student.jsonl", "--teacher", "teacher.jsonl", "--out", "out"]
                                 + SyntheticCorpus.options, in: folder)
        #expect(second.status == 1)
        #expect(second.stderr.contains("out: another lineage run is writing this result folder"), "\(second.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
    }
}
