import Testing
@testable import LineageKit

@Suite("Report: shared phrases and identity mentions")
struct SharedPhraseTests {
    static func recording(_ model: String, _ answers: [String]) -> AlignedRecording {
        AlignedRecording(model: model, source: "\(model).jsonl", sha256: "", format: .canonical, notes: ReadingNotes(),
                         answers: answers.map { [$0] },
                         summary: AlignmentSummary(probes: answers.count, aligned: answers.count, missing: 0, empty: 0,
                                                   duplicate: 0, conflicting: 0, unknown: 0, missingIDs: [], emptyIDs: [],
                                                   duplicateIDs: [], unknownRecords: []))
    }

    @Test("a phrase planted in student and teacher, absent from the panel, is found with its counts")
    func planted() {
        let base = (0..<10).map { "the answer to question \($0) is here" }
        let student = Self.recording("s", base.enumerated().map { $1 + ($0 < 6 ? " certainly delve into tapestry" : "") })
        let teacher = Self.recording("t", base.enumerated().map { $1 + ($0 >= 2 ? " certainly delve into tapestry" : "") })
        let panel = (0..<5).map { Self.recording("m\($0)", base) }
        let phrases = SharedPhraseFinder.find(student: student, candidate: teacher, panel: panel)
        let top = phrases.first
        #expect(top?.phrase == "certainly delve into tapestry")
        #expect(top?.studentProbes == 6)
        #expect(top?.candidateProbes == 8)
        #expect(top?.panelModelsUsing == 0)
        // Overlapping sub-phrases ("delve into") are not listed again, and words every model uses are not listed.
        #expect(!phrases.contains { $0.phrase == "delve into" || $0.phrase == "the answer" })
    }

    @Test("a first-person claim before a family name counts as a self-claim; a plain mention does not")
    func identity() throws {
        let r = Self.recording("s", ["I am ChatGPT, a model trained by OpenAI.", "Google Maps is useful.", "Nothing here."])
        let set = try ProbeSet(name: "t", probes: (0..<3).map { Probe(id: "p\($0)", prompt: "q\($0)") },
                               sha256: "", path: "t.jsonl", directory: nil)
        let found = IdentityClaims.detect(r, probes: set)
        let openai = found.families.first { $0.family == "openai" }
        #expect(openai?.naming == 1)
        #expect(openai?.selfClaims == 1)
        #expect(openai?.examples.first?.probe == "p0")
        let google = found.families.first { $0.family == "google" }
        #expect(google?.naming == 1)
        #expect(google?.selfClaims == 0)
    }
}
