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

@Suite("Report: word tokens of shared phrases")
struct SharedPhraseWordTests {
    @Test("the ASCII path gives the Character path's tokens, on edge cases and on bundled answers")
    func asciiMatchesUnicode() throws {
        let edge = ["", "don't stop", "'quoted' words'", "a'b'c' d", "line\r\nbreak", "x1 2y 3.14 -5",
                    "UPPER lower", "tab\there", "end.", "''", "a", "mixed-case_words and under_score"]
        for text in edge {
            let lower = text.lowercased()
            #expect(SharedPhraseFinder.asciiWords(lower) == SharedPhraseFinder.unicodeWords(lower), "\(text)")
        }
        #expect(SharedPhraseFinder.asciiWords("é") == nil)
        let file = FixturePaths.alpacaEval.appendingPathComponent("recordings/vicuna-13b.jsonl").path
        var checked = 0
        _ = try RecordingReader.forEachAnswer(path: file) { record in
            let lower = record.output.lowercased()
            guard let ascii = SharedPhraseFinder.asciiWords(lower) else { return }
            #expect(ascii == SharedPhraseFinder.unicodeWords(lower))
            checked += 1
        }
        #expect(checked > 500)
    }
}

@Suite("Report: the key set of shared phrases")
struct MixedKeySetTests {
    @Test("holds exactly its keys: zero, colliding low bits and wrap-around included")
    func membership() {
        var keys: [UInt64] = [0, 1, 15, 16, 31, 1 << 40, (1 << 40) + 15, UInt64.max]
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<500 { keys.append(UInt64.random(in: 1...UInt64.max, using: &generator)) }
        let set = MixedKeySet(keys)
        for key in keys { #expect(set.contains(key), "\(key)") }
        let reference = Set(keys)
        for _ in 0..<5000 {
            let probe = UInt64.random(in: 0...UInt64.max, using: &generator) & (generator.next() % 2 == 0 ? 0xFFFF : UInt64.max)
            #expect(set.contains(probe) == reference.contains(probe))
        }
        #expect(!MixedKeySet([UInt64]()).contains(0))
        #expect(!MixedKeySet([5]).contains(21))
    }
}
