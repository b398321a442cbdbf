import Foundation

/// The map from a score to a log10 likelihood ratio, fitted on labelled pairs.
///
/// Prior-weighted logistic regression (Brümmer & du Preez 2006; Morrison 2013): each class weighs
/// one half whatever its size, so `a + b·score` is the log likelihood ratio itself, not posterior
/// odds under the sample's class balance. A small ridge keeps the slope finite when the training
/// pairs are separable, and the result is bounded by what so few pairs can support (in the spirit
/// of Vergeer et al. 2016's empirical lower and upper bounds): no LR beyond (n + 1) : 1, with n the
/// number of pairs of the class the LR speaks against.
public struct LikelihoodRatioCalibration: Sendable, Codable, Equatable {
    /// log10 LR = intercept + slope · score, before bounding.
    public var intercept: Double
    public var slope: Double
    public var lowerBound: Double
    public var upperBound: Double
    public var distilledPairs: Int
    public var independentPairs: Int

    enum CodingKeys: String, CodingKey {
        case intercept, slope
        case lowerBound = "lower_bound_log10"
        case upperBound = "upper_bound_log10"
        case distilledPairs = "distilled_pairs"
        case independentPairs = "independent_pairs"
    }

    public static let ridge = 1e-4

    /// The range of log10 LRs this map can state.
    public var bounds: ClosedRange<Double> { lowerBound...max(lowerBound, upperBound) }

    public func log10LikelihoodRatio(_ score: Double) -> Double {
        guard score.isFinite else { return 0 }
        return min(max(intercept + slope * score, lowerBound), upperBound)
    }

    /// Fits by Newton's method on the weighted logistic log-likelihood (2 parameters, converges in a
    /// handful of steps).
    public static func fit(scores: [Double], labels: [Bool]) -> LikelihoodRatioCalibration {
        let nPositive = labels.filter { $0 }.count
        let nNegative = labels.count - nPositive
        let wPositive = nPositive > 0 ? 0.5 / Double(nPositive) : 0
        let wNegative = nNegative > 0 ? 0.5 / Double(nNegative) : 0
        var a = 0.0, b = 0.0
        for _ in 0..<100 {
            var g0 = 0.0, g1 = 0.0, h00 = 0.0, h01 = 0.0, h11 = 0.0
            for (s, y) in zip(scores, labels) {
                let w = y ? wPositive : wNegative
                let p = 1 / (1 + exp(-(a + b * s)))
                let r = (y ? 1 : 0) - p
                g0 += w * r; g1 += w * r * s
                let v = w * p * (1 - p)
                h00 += v; h01 += v * s; h11 += v * s * s
            }
            g0 -= ridge * a; g1 -= ridge * b
            h00 += ridge; h11 += ridge
            let det = h00 * h11 - h01 * h01
            guard det > 0 else { break }
            let da = (h11 * g0 - h01 * g1) / det
            let db = (h00 * g1 - h01 * g0) / det
            a += da; b += db
            if Swift.abs(da) + Swift.abs(db) < 1e-10 { break }
        }
        return LikelihoodRatioCalibration(
            intercept: a / M_LN10, slope: b / M_LN10,
            lowerBound: -log10(Double(nPositive + 1)), upperBound: log10(Double(nNegative + 1)),
            distilledPairs: nPositive, independentPairs: nNegative)
    }
}

/// The verbal scale for likelihood ratios of the ENFSI guideline for evaluative reporting (2015).
public enum VerbalScale {
    public static func phrase(log10LR: Double) -> String {
        let magnitude = Swift.abs(log10LR)
        let strength: String
        switch magnitude {
        case ..<(0.0 + 1e-9): return "the evidence does not favour either proposition"
        case ..<1: strength = "weak support"
        case ..<2: strength = "moderate support"
        case ..<3: strength = "moderately strong support"
        case ..<4: strength = "strong support"
        case ..<6: strength = "very strong support"
        default: strength = "extremely strong support"
        }
        return log10LR > 0 ? "\(strength) for distillation" : "\(strength) against distillation (for independence)"
    }
}
