import Foundation
import Testing
@testable import LineageKit

@Suite("Length check: how its first candidates compared with the verdict's")
struct LengthAgreementTests {
    static func pair(_ student: String, _ teacher: String, _ distilled: Bool, score: Double) -> CalibratedPair {
        RankingRecordTests.pair(student, teacher, distilled, score: score)
    }

    @Test("students counted once each, agreeing or differing, with which first was a labelled teacher")
    func countsEachStudent() throws {
        // Per student: the verdict's scores, then the length-adjusted ones, for (teacher "t", distilled; "u", not).
        let scores: [(String, verdict: (Double, Double), adjusted: (Double, Double))] = [
            ("agree-right", (2, 1), (1.5, 0.2)),
            ("agree-wrong", (0, 1), (0, 0.5)),
            ("verdict-right", (1, 0), (0, 1)),
            ("adjusted-right", (0, 1), (1, 0)),
        ]
        func pairs(_ which: KeyPath<(String, verdict: (Double, Double), adjusted: (Double, Double)), (Double, Double)>) -> [CalibratedPair] {
            scores.flatMap { row in [Self.pair(row.0, "t", true, score: row[keyPath: which].0),
                                     Self.pair(row.0, "u", false, score: row[keyPath: which].1)] }
                + [Self.pair("independent", "t", false, score: 3), Self.pair("independent", "u", false, score: 0)]
        }
        let record = try #require(LengthAgreement.of(verdict: pairs(\.verdict), adjusted: pairs(\.adjusted)))
        #expect(record == LengthAgreement(agreeing: 2, agreeingRight: 1, differing: 2, differingVerdictRight: 1, differingAdjustedRight: 1))
        #expect(record.sentence().hasPrefix("in calibration (leave one student out) the two rankings named different first candidates for 2 of 4 distilled students"))
        #expect(record.sentence(measured: "here").hasPrefix("here the two rankings"))
        #expect(LengthAgreement.of(verdict: [Self.pair("s", "t", true, score: 1)], adjusted: [Self.pair("s", "t", true, score: 1)]) == nil)
    }

    @Test("by tier: each student counted in the tier of its distilled pair, and the clause names each tier")
    func byTier() throws {
        func pair(_ student: String, _ teacher: String, _ distilled: Bool, _ score: Double, _ tier: String) -> CalibratedPair {
            var p = Self.pair(student, teacher, distilled, score: score)
            p.confidence = tier
            return p
        }
        // "a" (high): the rankings differ, the verdict right; "b", "c" (medium): they differ, the check right; agree.
        let verdict = [pair("a", "t", true, 1, "high"), pair("a", "u", false, 0, "medium"),
                       pair("b", "t", true, 0, "medium"), pair("b", "u", false, 1, "medium"),
                       pair("c", "t", true, 1, "medium"), pair("c", "u", false, 0, "medium")]
        let adjusted = verdict.map { p -> CalibratedPair in
            var q = p
            if p.student != "c" { q.score = 1 - p.score }
            return q
        }
        let adjustment = LengthAdjustment(shifts: [], map: .uninformative, metrics: [], verdict: verdict, adjusted: adjusted)
        #expect(adjustment.firsts.map(\.confidence) == ["high", "medium", "medium"])
        #expect(adjustment.agreementByTier.map(\.tier) == ["high", "medium"])
        let high = try #require(adjustment.agreementByTier.first), medium = try #require(adjustment.agreementByTier.last)
        #expect(high.differing == 1 && high.differingVerdictRight == 1 && high.differingAdjustedRight == 0)
        #expect(medium.differing == 1 && medium.differingAdjustedRight == 1 && medium.agreeing == 1 && medium.agreeingRight == 1)
        #expect(adjustment.agreement?.differing == 2 && adjustment.agreement?.tier == "all")
        #expect(LengthAgreement.tierClause(adjustment.agreementByTier)
                == "by tier: high, different for 1 of 1, the length-adjusted first right for 0, the verdict's for 1; medium, different for 1 of 2, the length-adjusted first right for 1, the verdict's for 0")
    }
}
