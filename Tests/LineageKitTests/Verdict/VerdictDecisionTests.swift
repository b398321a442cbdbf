import Testing
@testable import LineageKit

@Suite("Verdict decision and calibration metrics")
struct VerdictDecisionTests {
    let options = AttributionOptions()

    @Test func distilledNeedsBothLikelihoodRatioAndSignificance() {
        #expect(Verdict.decide(log10LR: 1.5, adjustedPValue: 0.01, options: options) == .distilled)
        #expect(Verdict.decide(log10LR: 1.5, adjustedPValue: 0.2, options: options) == .inconclusive)
        #expect(Verdict.decide(log10LR: 0.5, adjustedPValue: 0.001, options: options) == .inconclusive)
        #expect(Verdict.decide(log10LR: -1.2, adjustedPValue: 0.9, options: options) == .notDistilled)
    }

    @Test func boundsNearerThanTheThresholdCountAsReached() {
        // A calibration on 6 distilled pairs cannot say less than 1:7; reaching that bound is "not distilled".
        let bounds = -0.85...1.94
        #expect(Verdict.decide(log10LR: -0.85, adjustedPValue: 1, options: options, bounds: bounds) == .notDistilled)
        #expect(Verdict.decide(log10LR: -0.5, adjustedPValue: 1, options: options, bounds: bounds) == .inconclusive)
        // An uncalibrated map (bounds 0...0) never decides.
        #expect(Verdict.decide(log10LR: 0, adjustedPValue: 0, options: options, bounds: 0...0) == .inconclusive)
    }

    @Test func metricsCountRightTeacherAndFalseDistilled() {
        func pair(_ s: String, _ t: String, _ d: Bool, _ score: Double, _ verdict: Verdict) -> CalibratedPair {
            CalibratedPair(student: s, teacher: t, distilled: d, score: score, log10LikelihoodRatio: score,
                           pValueHolm: 0.5, verdict: verdict)
        }
        let pairs = [
            pair("a", "t1", true, 2, .distilled), pair("a", "t2", false, 1, .inconclusive),
            pair("b", "t1", false, 3, .distilled), pair("b", "t2", true, 0.5, .inconclusive),
            pair("c", "t1", false, -1, .notDistilled),
        ]
        let metrics = Calibration.metrics(pairs)
        #expect(metrics.rightTeacherFirst == 1)
        #expect(metrics.distilledStudents == 2)
        #expect(metrics.falseDistilled == 1)
        #expect(metrics.missedDistilled == 1)
        #expect(metrics.inconclusive == 2)
        #expect(abs(metrics.auc - 0.5) < 1e-12)  // wins: 2>1, 2>−1, 0.5>−1 of 6 pairs
    }
}
