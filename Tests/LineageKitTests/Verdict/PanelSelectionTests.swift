import Testing
@testable import LineageKit

@Suite("Verdict: panel selection")
struct PanelSelectionTests {
    static func recording(_ model: String, _ source: String, sha256: String) -> AlignedRecording {
        AlignedRecording(model: model, source: source, sha256: sha256, format: .canonical, notes: ReadingNotes(),
                         answers: [], summary: AlignmentSummary(probes: 0, aligned: 0, missing: 0, empty: 0, duplicate: 0,
                                                                conflicting: 0, unknown: 0, missingIDs: [], emptyIDs: [],
                                                                duplicateIDs: [], unknownRecords: []))
    }

    @Test("models under test, repeated bytes and repeated model names are left out with why; the first is kept")
    func exclusions() {
        let student = Self.recording("student", "s.jsonl", sha256: "aa")
        let candidate = Self.recording("teacher", "t.jsonl", sha256: "bb")
        var selection = PanelSelection(underTest: [student, candidate])
        let panel = [
            Self.recording("p1", "panel/p1.jsonl", sha256: "01"),
            Self.recording("teacher", "panel/teacher.jsonl", sha256: "02"),   // a candidate by name
            Self.recording("renamed", "panel/renamed.jsonl", sha256: "aa"),   // the student's bytes
            Self.recording("p2", "panel/p2.jsonl", sha256: "03"),
            Self.recording("p1-copy", "panel/p1-copy.jsonl", sha256: "01"),   // p1's bytes under another name
            Self.recording("p2", "panel/p2-rerun.jsonl", sha256: "04"),       // p2's name, other answers
            Self.recording("p3", "panel/p3.jsonl", sha256: "05"),
        ]
        for recording in panel { selection.consider(recording) }
        #expect(selection.kept.map(\.source) == ["panel/p1.jsonl", "panel/p2.jsonl", "panel/p3.jsonl"])
        #expect(selection.excluded == [
            PanelExclusion(model: "teacher", source: "panel/teacher.jsonl", reason: .underTest, sameAs: "t.jsonl"),
            PanelExclusion(model: "renamed", source: "panel/renamed.jsonl", reason: .underTest, sameAs: "s.jsonl"),
            PanelExclusion(model: "p1-copy", source: "panel/p1-copy.jsonl", reason: .sameContent, sameAs: "panel/p1.jsonl"),
            PanelExclusion(model: "p2", source: "panel/p2-rerun.jsonl", reason: .sameModel, sameAs: "panel/p2.jsonl"),
        ])
        #expect(selection.excluded[2].explanation == "p1-copy (panel/p1-copy.jsonl): the same bytes as panel/p1.jsonl")
    }

    @Test("a panel file with the student's answers under another name and in another format is left out; one changed answer keeps it")
    func sameAnswersAreOneModel() throws {
        let set = try ProbeSet(name: "t", probes: [Probe(id: "a", prompt: "One?"), Probe(id: "b", prompt: "Two?")], sha256: "x",
                               path: "t.jsonl", directory: nil)
        func aligned(_ model: String, _ source: String, _ answers: [String]) -> AlignedRecording {
            var aligner = StreamingAligner(set: set, keepTexts: true)
            for (k, text) in answers.enumerated() {
                aligner.add(RecordedAnswer(probeID: ["a", "b"][k], prompt: nil, sample: 0, output: text, line: k + 1))
            }
            return aligner.finish(model: model, source: source, sha256: source, format: .canonical, notes: ReadingNotes())
        }
        let student = aligned("student", "s.jsonl", ["first answer", "second answer"])
        var selection = PanelSelection(underTest: [student])
        selection.consider(aligned("vicuna-copy", "panel/vicuna.json", ["first answer", "second answer"]))
        selection.consider(aligned("near", "panel/near.jsonl", ["first answer", "second answer!"]))
        selection.consider(aligned("near-again", "panel/near-again.jsonl", ["first answer", "second answer!"]))
        var lean = aligned("lean", "panel/lean.jsonl", ["first answer", "second answer"])
        lean.answers = lean.answers.map { _ in [] }  // a batch keeps no texts of its panel; the fingerprint stays
        selection.consider(lean)
        #expect(selection.kept.map(\.source) == ["panel/near.jsonl"])
        #expect(selection.excluded.map(\.reason) == [.sameAnswers, .sameAnswers, .sameAnswers])
        #expect(selection.excluded[0].explanation == "vicuna-copy (panel/vicuna.json): the same answers, probe for probe, as s.jsonl")
        #expect(selection.excluded[1].sameAs == "panel/near.jsonl")
        // A recording with no answers has no fingerprint, so two of them are not "the same answers".
        #expect(aligned("none", "n.jsonl", ["", " "]).answersFingerprint == nil)
    }
}
