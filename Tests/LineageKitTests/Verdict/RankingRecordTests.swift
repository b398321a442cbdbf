import Foundation
import Testing
@testable import LineageKit

@Suite("Ranking record: how often close and clear firsts were the labelled teacher")
struct RankingRecordTests {
    static func pair(_ student: String, _ teacher: String, _ distilled: Bool, score: Double, bounds: ClosedRange<Double> = -1.4...2.3)
        -> CalibratedPair {
        let lr = min(max(score, bounds.lowerBound), bounds.upperBound)
        return CalibratedPair(student: student, teacher: teacher, distilled: distilled, confidence: nil, score: score,
                              log10LikelihoodRatio: lr, features: [score], pValueHolm: 1,
                              verdict: Verdict.decide(log10LR: lr, options: AttributionOptions(), bounds: bounds, sufficient: true),
                              inconclusiveReasons: nil)
    }

    @Test("students split at the threshold by their first two bounded LRs; independent-only students do not count")
    func splitsAtTheThreshold() throws {
        let pairs = [
            Self.pair("clear-hit", "a", true, score: 2.0), Self.pair("clear-hit", "b", false, score: 0.5),
            Self.pair("close-miss", "a", true, score: 0.3), Self.pair("close-miss", "b", false, score: 0.5),
            // Both at the map's upper bound: 1.1 apart in score, not at all in LR, so close.
            Self.pair("both-bounded", "a", true, score: 4.0), Self.pair("both-bounded", "b", false, score: 2.9),
            Self.pair("independent", "a", false, score: 1.5), Self.pair("independent", "b", false, score: -1.0),
            Self.pair("one-candidate", "a", true, score: 1.0),
        ]
        let record = try #require(RankingRecord.of(pairs, threshold: 1))
        #expect(record.clearStudents == 1 && record.clearFirst == 1)
        #expect(record.closeStudents == 2 && record.closeFirst == 1)
        // The firsts are the calibration's teacher-first count over the same students.
        #expect(record.clearFirst + record.closeFirst == CalibrationMetrics.of(pairs.filter { $0.student != "one-candidate" }).rightTeacherFirst)
        #expect(RankingRecord.of(pairs.filter { $0.student == "independent" }, threshold: 1) == nil)
    }

    @Test("a tie in score goes to the name first in order, as in attribute's ranking")
    func tiesFollowTheRanking() throws {
        let pairs = [Self.pair("s", "b", true, score: 0.5), Self.pair("s", "a", false, score: 0.5)]
        let record = try #require(RankingRecord.of(pairs, threshold: 1))
        #expect(record.closeStudents == 1 && record.closeFirst == 0)  // "a" ranks first and is independent
    }

    @Test("the sentences say which side of the threshold a margin is on")
    func sentences() {
        let record = RankingRecord(log10Threshold: 1, closeStudents: 12, closeFirst: 5, clearStudents: 10, clearFirst: 9)
        let close = RankingMargin(first: "gpt4", second: "gpt-3.5", log10Factor: 0.47, close: true)
        let clear = RankingMargin(first: "gpt-3.5", second: "gpt4", log10Factor: 1.21, close: false)
        #expect(close.sentence(threshold: 1) == "gpt4 above gpt-3.5 by a factor of 3.0 (log10 0.47): below 10, the evidence does not tell these two apart")
        #expect(clear.sentence(threshold: 1).hasPrefix("gpt-3.5 above gpt4 by a factor of 16 (log10 1.21): 10 or more"))
        #expect(record.sentence(for: close).contains("for 5 of 12 students, clearer ones for 9 of 10"))
        #expect(record.sentence(for: clear).contains("for 9 of 10 students, closer ones for 5 of 12"))
    }
}
