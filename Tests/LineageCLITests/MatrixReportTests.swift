import Foundation
import LineageKit
import Testing

@Suite("CLI: matrix --out, lineage tree and verify")
struct MatrixReportTests {
    @Test("matrix --out writes CSV/JSON matrices, a heatmap, a Newick tree holding every model, and verifies")
    func matrix() throws {
        let folder = try SyntheticCorpus.temporaryFolder("matrix")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = ["student.jsonl", "teacher.jsonl", "other.jsonl"] + (0..<SyntheticCorpus.panelModels).map { "panel/panel\($0).jsonl" }
        let output = try CLI.run(executable: try CLI.executable(),
                                 ["matrix"] + files + ["--probes", "probes.jsonl", "--model", "model.lnm", "--out", "m",
                                                       "--tree-bootstrap", "20", "--quiet"], in: folder)
        #expect(output.status == 0, "\(output.stderr)")
        let out = (folder as NSString).appendingPathComponent("m")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: out))
        #expect(names == ["matrix.json", "pairs.csv", "mean-cosine.csv", "impostor-score.csv", "heatmap.svg", "tree.nwk", "tree.svg", "matrix.html", "manifest.json"])
        let newick = try String(contentsOfFile: (out as NSString).appendingPathComponent("tree.nwk"), encoding: .utf8)
        let tree = try NewickParser.parse(newick)
        let models = ["student", "teacher", "other"] + (0..<SyntheticCorpus.panelModels).map { "panel\($0)" }
        #expect(tree.leaves.sorted() == models.sorted())
        // The planted pair is the tightest clade.
        #expect(newick.contains("(student:") && newick.contains(",teacher:") || newick.contains("(teacher:") && newick.contains(",student:"))
        let csv = try String(contentsOfFile: (out as NSString).appendingPathComponent("mean-cosine.csv"), encoding: .utf8)
        #expect(csv.components(separatedBy: "\r\n").dropLast().count == models.count + 1)
        // The parser also reads quoted names and internal support labels.
        let quoted = try NewickParser.parse("(('a b':1,'it''s':2)95:0.5,c:1);")
        #expect(quoted.leaves == ["a b", "it's", "c"])
        let verified = try CLI.run(["verify", out, "--quiet"])
        #expect(verified.status == 0, "\(verified.stderr)")
    }
}
