import Foundation
import LineageKit
import Testing

@Suite("CLI: a panel counts each model once")
struct PanelSelectionCLITests {
    /// The report's JSON (`compare --json` holds the attribution under "details").
    static func details(_ output: CLI.Output) throws -> [String: Any] {
        let json = try JSONSerialization.jsonObject(with: output.stdoutBytes) as? [String: Any]
        return try #require(json?["details"] as? [String: Any])
    }

    @Test("a copied panel file and a second recording of a panel model are left out, listed, and change nothing")
    func duplicatesLeftOut() throws {
        let folder = try SyntheticCorpus.temporaryFolder("panel-dup")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let arguments = ["compare", "--student", "student.jsonl", "--teacher", "teacher.jsonl", "--json"] + SyntheticCorpus.options
        let plain = try CLI.run(arguments, in: folder)
        #expect(plain.status == 0, "\(plain.stderr)")
        let panel = (folder as NSString).appendingPathComponent("panel")
        // A byte copy of panel0, and another recording of panel1 (other answers, same model name).
        try FileManager.default.copyItem(atPath: panel + "/panel0.jsonl", toPath: panel + "/zz-panel0-copy.jsonl")
        let rerun = (0..<SyntheticCorpus.probes).map { SyntheticCorpus.answer(probe: $0, style: SyntheticCorpus.phrases(101), seed: 999) }
        try Data(SyntheticCorpus.jsonl(model: "panel1", answers: rerun).utf8).write(to: URL(fileURLWithPath: panel + "/zz-panel1-rerun.jsonl"))
        let doubled = try CLI.run(arguments, in: folder)
        #expect(doubled.status == 0, "\(doubled.stderr)")

        let before = try Self.details(plain), after = try Self.details(doubled)
        #expect((after["panel"] as? [Any])?.count == SyntheticCorpus.panelModels)
        let excluded = try #require(after["panel_excluded"] as? [[String: String]])
        #expect(excluded.map { $0["reason"] } == ["same_content", "same_model"])
        #expect(excluded.map { $0["source"].map { ($0 as NSString).lastPathComponent } } == ["zz-panel0-copy.jsonl", "zz-panel1-rerun.jsonl"])
        #expect(excluded.map { $0["same_as"].map { ($0 as NSString).lastPathComponent } } == ["panel0.jsonl", "panel1.jsonl"])
        // The verdict is computed against the same eight models.
        func ranking(_ details: [String: Any]) throws -> Data {
            try JSONSerialization.data(withJSONObject: try #require(details["ranking"]), options: .sortedKeys)
        }
        #expect(try ranking(before) == ranking(after))
    }
}
