import Foundation
import Testing
@testable import LineageKit

@Suite("Operating points: the decision rule at other thresholds")
struct OperatingPointTests {
    static func pair(_ d: Bool, score: Double, bounds: ClosedRange<Double> = -1.4...2.3, reasons: [String]? = nil) -> CalibratedPair {
        let lr = min(max(score, bounds.lowerBound), bounds.upperBound)
        let verdict = Verdict.decide(log10LR: lr, options: AttributionOptions(), bounds: bounds, sufficient: reasons == nil)
        return CalibratedPair(student: "s", teacher: "t", distilled: d, confidence: nil, score: score, log10LikelihoodRatio: lr,
                              features: [score], pValueHolm: 1, verdict: verdict, inconclusiveReasons: reasons)
    }

    @Test("at the rule's own threshold the table gives the calibration's error counts")
    func ruleThresholdMatchesMetrics() {
        let pairs = [Self.pair(true, score: 1.7), Self.pair(true, score: 0.4), Self.pair(true, score: -1.2),
                     Self.pair(false, score: 1.1), Self.pair(false, score: -0.3), Self.pair(false, score: -2.5),
                     Self.pair(false, score: 3, reasons: ["too few probes"])]
        let metrics = CalibrationMetrics.of(pairs)
        let point = OperatingPoint.at(AttributionOptions().decisionLog10LR, pairs)
        #expect(point.falseDistilled == metrics.falseDistilled && point.trueDistilled == metrics.trueDistilled)
        #expect(point.falseNotDistilled == metrics.falseNotDistilled)
        #expect(point.distilledPairs == 3 && point.independentPairs == 4)
        // Lower thresholds decide more pairs both ways; the pair outside the supported evidence never.
        let low = OperatingPoint.at(0.3, pairs)
        #expect(low.trueDistilled == 2 && low.falseDistilled == 1 && low.trueNotDistilled == 2)
    }

    @Test("an LR clamped to its map's bound reaches any threshold beyond that bound, as in Verdict.decide")
    func clampedBoundReachesFurtherThresholds() {
        let pairs = [Self.pair(true, score: 3.0), Self.pair(true, score: 2.2), Self.pair(false, score: -2.0)]
        let point = OperatingPoint.at(2.5, pairs)
        #expect(point.trueDistilled == 1)  // 3.0 was clamped to the bound 2.3; 2.2 lies below both
        #expect(point.trueNotDistilled == 1)  // −2.0 was clamped to −1.4
        #expect(OperatingPoint.table(pairs).map(\.log10LR) == OperatingPoint.standardThresholds)
    }
}
