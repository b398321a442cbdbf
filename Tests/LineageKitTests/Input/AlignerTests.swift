import Foundation
import Testing
@testable import LineageKit

@Suite struct AlignerTests {
    static let set: ProbeSet = {
        let probes = (1...5).map { Probe(id: "p\($0)", prompt: "Prompt number \($0).") }
        // A literal set of distinct ids cannot fail; fall back to a one-probe set to stay free of `try!`.
        return (try? ProbeSet(name: "t", probes: probes, sha256: "", path: "t.jsonl", directory: nil))
            ?? (try? ProbeSet(name: "t", probes: [probes[0]], sha256: "", path: "t", directory: nil))!
    }()

    static func recording(_ answers: [RecordedAnswer]) -> Recording {
        Recording(model: "m", source: "m.jsonl", format: .canonical, sha256: "", answers: answers)
    }

    @Test func countsEveryKindOfProblem() {
        let answers = [
            RecordedAnswer(probeID: "p1", prompt: nil, output: "one", line: 1),
            RecordedAnswer(probeID: "p1", prompt: nil, output: "one", line: 2),          // duplicate, same text
            RecordedAnswer(probeID: "p2", prompt: nil, output: "two", line: 3),
            RecordedAnswer(probeID: "p2", prompt: nil, output: "TWO", line: 4),          // duplicate, conflicting
            RecordedAnswer(probeID: "p3", prompt: nil, output: "  \n", line: 5),         // empty
            RecordedAnswer(probeID: "p9", prompt: nil, output: "x", line: 6),            // unknown id
            RecordedAnswer(probeID: nil, prompt: "Nobody asked this.", output: "y", line: 7),  // unknown prompt
            RecordedAnswer(probeID: nil, prompt: "prompt  number 4.", output: "four", line: 8), // by prompt? case differs
            RecordedAnswer(probeID: "zz", prompt: "Prompt number 5.", output: "five", line: 9), // id unknown, prompt known
        ]
        let aligned = Aligner.align(Self.recording(answers), to: Self.set)
        let s = aligned.summary
        #expect(s.probes == 5)
        #expect(s.aligned == 3)      // p1, p2, p5
        #expect(s.missing == 1)      // p4: prompt matching is exact up to white space
        #expect(s.empty == 1)        // p3
        #expect(s.duplicate == 2 && s.conflicting == 1)
        #expect(s.unknown == 3)
        #expect(s.missingIDs == ["p4"] && s.emptyIDs == ["p3"] && s.duplicateIDs == ["p1", "p2"])
        #expect(s.unknownRecords == ["line 6: p9", "line 7: Nobody asked this.", "line 8: prompt  number 4."])
        #expect(aligned.answer(1) == "two", "the first record wins")
        #expect(aligned.answer(2) == nil && aligned.answer(3) == nil)
        #expect(aligned.answer(4) == "five")
    }

    @Test func samplesAreKeptInSampleOrder() {
        let answers = [
            RecordedAnswer(probeID: "p1", prompt: nil, sample: 2, output: "c", line: 1),
            RecordedAnswer(probeID: "p1", prompt: nil, sample: 0, output: "a", line: 2),
            RecordedAnswer(probeID: "p1", prompt: nil, sample: 1, output: " ", line: 3),
        ]
        let aligned = Aligner.align(Self.recording(answers), to: Self.set)
        #expect(aligned.answers[0] == ["a", "c"])
        #expect(aligned.summary.aligned == 1 && aligned.summary.missing == 4)
    }

    @Test func emptyRecordingLeavesEveryProbeMissing() {
        let s = Aligner.align(Self.recording([]), to: Self.set).summary
        #expect(s.missing == 5 && s.aligned == 0 && s.missingIDs.count == 5)
    }
}

/// The real quirks of the bundled AlpacaEval recordings.
@Suite struct BundledRecordingTests {
    static func align(_ relative: String) throws -> AlignedRecording {
        let set = try ProbeSet.load(path: FixturePaths.alpacaEval.path)
        let path = FixturePaths.alpacaEval.appendingPathComponent(relative).path
        return Aligner.align(try RecordingReader.read(path: path), to: set)
    }

    @Test func llama2_70bMissesOneProbe() throws {
        let a = try Self.align("recordings/llama-2-70b-chat-hf.jsonl")
        #expect(a.model == "llama-2-70b-chat-hf")
        #expect(a.summary.missing == 1 && a.summary.missingIDs == ["ae-692"])
        #expect(a.summary.aligned == 804 && a.summary.empty == 0 && a.summary.unknown == 0 && a.summary.duplicate == 0)
    }

    @Test func gemma2bHas22EmptyAnswers() throws {
        let a = try Self.align("panel/gemma-2b-it.jsonl")
        #expect(a.summary.empty == 22)
        #expect(Array(a.summary.emptyIDs.prefix(3)) == ["ae-063", "ae-086", "ae-215"])
        #expect(a.summary.aligned == 783 && a.summary.missing == 0)
    }

    @Test func everyBundledRecordingReadsCleanly() throws {
        let set = try ProbeSet.load(path: FixturePaths.alpacaEval.path)
        for folder in ["recordings", "panel"] {
            let url = FixturePaths.alpacaEval.appendingPathComponent(folder)
            let files = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".jsonl") }
            #expect(!files.isEmpty)
            for file in files {
                let r = try RecordingReader.read(path: url.appendingPathComponent(file).path)
                let s = Aligner.align(r, to: set).summary
                #expect(r.model + ".jsonl" == file)
                #expect(s.unknown == 0 && s.duplicate == 0, "\(file)")
                #expect(s.aligned + s.missing + s.empty == 805)
            }
        }
    }
}

@Suite struct AlignerLimitTests {
    @Test func strayListsAreCappedButCountedInFull() throws {
        let set = try ProbeSet(name: "t", probes: [Probe(id: "p1", prompt: "a")], sha256: "", path: "t", directory: nil)
        var aligner = StreamingAligner(set: set, keepTexts: false)
        let n = StreamingAligner.listLimit + 5
        for i in 0..<n { aligner.add(RecordedAnswer(probeID: "stray\(i)", prompt: nil, output: "x", line: i + 1)) }
        for i in 0..<n { aligner.add(RecordedAnswer(probeID: "p1", prompt: nil, output: "y\(i == 0 ? "" : "z")", line: i + 1)) }
        let s = aligner.finish(model: "m", source: "s", sha256: "", format: .canonical, notes: ReadingNotes()).summary
        #expect(s.unknown == n && s.unknownRecords.count == StreamingAligner.listLimit)
        #expect(s.duplicate == n - 1 && s.conflicting == n - 1 && s.duplicateIDs.count == StreamingAligner.listLimit)
    }
}
