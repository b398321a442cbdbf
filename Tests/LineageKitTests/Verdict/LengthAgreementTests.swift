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
}
