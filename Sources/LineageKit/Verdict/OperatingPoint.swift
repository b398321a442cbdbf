/// What the labelled pairs say the decision rule would do at another threshold: `distilled` at log10 LR ≥ t,
/// `not-distilled` at ≤ −t, each error counted out of sample (the leave-one-student-out LRs of the calibration).
///
/// Why: the threshold (LR 10, "moderate support" on the ENFSI scale) is a convention, not a fit, and the first
/// question about it is what another one would have cost. The table answers it from the same pairs as the
/// stated error rates, with the same rule (`Verdict.decide`: a map's LR bound nearer than the threshold
/// counts as reached; evidence outside what the calibration supports decides nothing). The threshold stays
/// fixed; the table only shows what it trades.
public struct OperatingPoint: Sendable, Codable, Equatable {
    /// The log10 LR threshold t.
    public var log10LR: Double
    /// Independent pairs at ≥ t (false `distilled`) and distilled pairs at ≥ t (found).
    public var falseDistilled: Int
    public var trueDistilled: Int
    /// Distilled pairs at ≤ −t (false `not-distilled`) and independent pairs at ≤ −t (rightly exonerated).
    public var falseNotDistilled: Int
    public var trueNotDistilled: Int
    public var distilledPairs: Int
    public var independentPairs: Int

    enum CodingKeys: String, CodingKey {
        case log10LR = "log10_lr", falseDistilled = "false_distilled", trueDistilled = "true_distilled"
        case falseNotDistilled = "false_not_distilled", trueNotDistilled = "true_not_distilled"
        case distilledPairs = "distilled_pairs", independentPairs = "independent_pairs"
    }

    /// The 95 % upper bounds of the two error rates (`BinomialBound`).
    public var falseDistilledUpper95: Double { BinomialBound.upper95(falseDistilled, of: independentPairs) }
    public var falseNotDistilledUpper95: Double { BinomialBound.upper95(falseNotDistilled, of: distilledPairs) }

    /// The thresholds every calibration is tabulated at: LR 3, 10, 32 and 100.
    static let standardThresholds: [Double] = [0.5, 1, 1.5, 2]

    /// The decision rule at each threshold, applied to judged pairs.
    static func table(_ pairs: [CalibratedPair], thresholds: [Double] = standardThresholds) -> [OperatingPoint] {
        thresholds.map { at($0, pairs) }
    }

    /// The rule at threshold `t`. A pair's map bound is known where its score lies beyond it (the LR was
    /// clamped to it); otherwise the bound is further out than the LR and cannot change the decision.
    static func at(_ t: Double, _ pairs: [CalibratedPair]) -> OperatingPoint {
        var options = AttributionOptions()
        options.decisionLog10LR = t
        var point = OperatingPoint(log10LR: t, falseDistilled: 0, trueDistilled: 0, falseNotDistilled: 0, trueNotDistilled: 0,
                                   distilledPairs: 0, independentPairs: 0)
        for pair in pairs {
            let lr = pair.log10LikelihoodRatio
            let bounds = (pair.score < lr ? lr : -Double.infinity)...(pair.score > lr ? lr : Double.infinity)
            let verdict = Verdict.decide(log10LR: lr, options: options, bounds: bounds, sufficient: pair.inconclusiveReasons == nil)
            if pair.distilled {
                point.distilledPairs += 1
                point.trueDistilled += verdict == .distilled ? 1 : 0
                point.falseNotDistilled += verdict == .notDistilled ? 1 : 0
            } else {
                point.independentPairs += 1
                point.falseDistilled += verdict == .distilled ? 1 : 0
                point.trueNotDistilled += verdict == .notDistilled ? 1 : 0
            }
        }
        return point
    }
}
