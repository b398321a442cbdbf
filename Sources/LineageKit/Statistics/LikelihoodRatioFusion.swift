import Foundation

/// Several scores of one pair joined into one log10 likelihood ratio, fitted on labelled pairs.
///
/// Linear logistic-regression fusion with prior weighting (Brümmer & du Preez 2006; Brümmer et al. 2007,
/// the FoCal toolkit; Morrison 2013): each class weighs one half whatever its size, so
/// `a + Σ bₖ·(xₖ − μₖ)/σₖ` is the log likelihood ratio itself, not posterior odds under the sample's class
/// balance. Calibration and fusion are one step: with one feature this is the classic score-to-LR map.
/// Each feature is standardised by its mean and sd over the training pairs so that one ridge penalty
/// means the same for every feature; the ridge keeps the weights finite when the training pairs are
/// separable. The result is bounded by what so few pairs can support (in the spirit of Vergeer et al.
/// 2016's empirical bounds): no LR beyond (n + 1) : 1, n the number of pairs of the class it speaks against.
///
/// By default no weight may be negative (`WeightSign.nonNegative`): every feature measures how alike two
/// models' answers are, and a map that counts likeness *against* distillation is using the feature as a
/// suppressor, whose meaning belongs to the labelled teachers it was fitted on (docs/METHOD.md §9).
public struct LikelihoodRatioFusion: Sendable, Codable, Equatable {
    /// The sign a fitted weight may take.
    public enum WeightSign: String, Sendable, Codable, CaseIterable {
        /// Every weight ≥ 0: more alike in any feature never lowers the LR.
        case nonNegative = "non-negative"
        /// Any sign: the plain logistic fit.
        case free
    }

    /// The features, by name (`EvidenceFeature`), in the order of `weights`.
    public var features: [String]
    /// Each feature's mean and population sd over the training pairs.
    public var means: [Double]
    public var scales: [Double]
    /// log10 LR = intercept + Σ weights[k] · (x[k] − means[k]) / scales[k], before bounding.
    public var intercept: Double
    public var weights: [Double]
    public var ridge: Double
    /// The sign constraint the weights were fitted under (a file without it was fitted `free`).
    public var weightSign: WeightSign
    public var lowerBound: Double
    public var upperBound: Double
    public var distilledPairs: Int
    public var independentPairs: Int

    enum CodingKeys: String, CodingKey {
        case features, means, scales, intercept, weights, ridge
        case weightSign = "weight_sign"
        case lowerBound = "lower_bound_log10", upperBound = "upper_bound_log10"
        case distilledPairs = "distilled_pairs", independentPairs = "independent_pairs"
    }

    /// The ridge penalty on the standardised weights, in units of the prior-weighted log-likelihood (whose
    /// two classes sum to weight 1). 0.01 is the smaller of the two values compared by nested
    /// leave-one-student-out selection on the AlpacaEval pairs (docs/METHOD.md, "How the verdict was chosen").
    public static let defaultRidge = 0.01

    /// The map that knows nothing: every LR is 1.
    public static let uninformative = LikelihoodRatioFusion(
        features: [], means: [], scales: [], intercept: 0, weights: [], ridge: defaultRidge, weightSign: .nonNegative,
        lowerBound: 0, upperBound: 0, distilledPairs: 0, independentPairs: 0)

    init(features: [String], means: [Double], scales: [Double], intercept: Double, weights: [Double], ridge: Double,
         weightSign: WeightSign, lowerBound: Double, upperBound: Double, distilledPairs: Int, independentPairs: Int) {
        self.features = features
        self.means = means
        self.scales = scales
        self.intercept = intercept
        self.weights = weights
        self.ridge = ridge
        self.weightSign = weightSign
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.distilledPairs = distilledPairs
        self.independentPairs = independentPairs
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(features: c.decode([String].self, forKey: .features), means: c.decode([Double].self, forKey: .means),
                      scales: c.decode([Double].self, forKey: .scales), intercept: c.decode(Double.self, forKey: .intercept),
                      weights: c.decode([Double].self, forKey: .weights), ridge: c.decode(Double.self, forKey: .ridge),
                      weightSign: c.decodeIfPresent(WeightSign.self, forKey: .weightSign) ?? .free,
                      lowerBound: c.decode(Double.self, forKey: .lowerBound), upperBound: c.decode(Double.self, forKey: .upperBound),
                      distilledPairs: c.decode(Int.self, forKey: .distilledPairs),
                      independentPairs: c.decode(Int.self, forKey: .independentPairs))
    }

    /// The range of log10 LRs this map can state.
    public var bounds: ClosedRange<Double> { lowerBound...max(lowerBound, upperBound) }

    /// The unbounded log10 LR: what ranks candidates, and what the bounds clip.
    public func score(_ x: [Double]) -> Double {
        precondition(x.count == weights.count, "one value per feature")
        var total = intercept
        for k in weights.indices where x[k].isFinite {
            total += weights[k] * (x[k] - means[k]) / scales[k]
        }
        return total
    }

    /// Feature `k`'s share of the score at value `x`: exactly 0 for a missing value or a feature the fit
    /// holds at weight 0 (not −0, which JSON would show).
    public func contribution(ofFeature k: Int, value x: Double) -> Double {
        guard x.isFinite, weights[k] != 0 else { return 0 }
        return weights[k] * (x - means[k]) / scales[k]
    }

    public func log10LikelihoodRatio(_ x: [Double]) -> Double {
        log10LikelihoodRatio(score: score(x))
    }

    /// A score clipped to the bounds (0 for a non-finite score).
    public func log10LikelihoodRatio(score: Double) -> Double {
        guard score.isFinite else { return 0 }
        return min(max(score, lowerBound), upperBound)
    }

    /// Fits by Newton's method on the prior-weighted, ridge-penalised logistic log-likelihood.
    ///
    /// Under `.nonNegative` the constrained optimum is found by an active set (Lawson & Hanson 1974, ch. 23):
    /// the most negative weight is held at 0 and the rest refitted until none is negative; then a held
    /// feature whose gradient at 0 points upwards (a positive weight would fit better) is freed again, until
    /// neither happens. A held feature keeps weight 0 and stays in `features`, so the map says what it ignored.
    /// - Parameter rows: one feature vector per labelled pair, in `features` order.
    public static func fit(features: [String], rows: [[Double]], labels: [Bool],
                           ridge: Double = defaultRidge, weightSign: WeightSign = .nonNegative) -> LikelihoodRatioFusion {
        precondition(rows.count == labels.count && rows.allSatisfy { $0.count == features.count })
        let k = features.count
        var means = [Double](repeating: 0, count: k), scales = [Double](repeating: 1, count: k)
        for j in 0..<k {
            let column = rows.map { $0[j] }.filter(\.isFinite)
            guard !column.isEmpty else { continue }
            means[j] = Descriptive.mean(column)
            let variance = column.reduce(0) { $0 + ($1 - means[j]) * ($1 - means[j]) } / Double(column.count)
            scales[j] = variance > 0 ? variance.squareRoot() : 1
        }
        // Standardised design with a leading 1; a missing (non-finite) value sits at the mean.
        let design = rows.map { row in [1.0] + (0..<k).map { row[$0].isFinite ? (row[$0] - means[$0]) / scales[$0] : 0 } }
        let logistic = PriorWeightedLogistic(design: design, labels: labels, ridge: ridge)
        var beta = logistic.fit(active: Array(0...k))
        if weightSign == .nonNegative {
            var active = Array(0...k)
            let weighted = Array(1..<(k + 1))
            // Each round holds or frees one feature; 4k + 4 rounds bound any cycling by rounding.
            for _ in 0..<(4 * k + 4) {
                if let worst = weighted.filter({ beta[$0] < 0 }).min(by: { beta[$0] < beta[$1] }) {
                    active.removeAll { $0 == worst }
                } else {
                    let gradient = logistic.gradient(at: beta)
                    let held = weighted.filter { !active.contains($0) && gradient[$0] > 1e-12 }
                    guard let best = held.max(by: { gradient[$0] < gradient[$1] }) else { break }
                    active = (active + [best]).sorted()
                }
                beta = logistic.fit(active: active)
            }
            for j in 1..<(k + 1) where beta[j] < 0 { beta[j] = 0 }
        }
        let positives = labels.filter { $0 }.count, negatives = labels.count - positives
        return LikelihoodRatioFusion(
            features: features, means: means, scales: scales, intercept: beta[0] / M_LN10,
            weights: beta.dropFirst().map { $0 / M_LN10 }, ridge: ridge, weightSign: weightSign,
            lowerBound: -log10(Double(positives + 1)), upperBound: log10(Double(negatives + 1)),
            distilledPairs: positives, independentPairs: negatives)
    }
}

/// The prior-weighted, ridge-penalised logistic log-likelihood of a standardised design (column 0 the
/// intercept, never penalised), and its Newton fit over a subset of the columns (the rest held at 0).
struct PriorWeightedLogistic {
    let design: [[Double]]
    let labels: [Bool]
    let ridge: Double
    let wPositive: Double, wNegative: Double

    init(design: [[Double]], labels: [Bool], ridge: Double) {
        self.design = design
        self.labels = labels
        self.ridge = ridge
        let positives = labels.filter { $0 }.count, negatives = labels.count - positives
        wPositive = positives > 0 ? 0.5 / Double(positives) : 0
        wNegative = negatives > 0 ? 0.5 / Double(negatives) : 0
    }

    var columns: Int { design.first?.count ?? 1 }

    /// The penalised log-likelihood's gradient at `beta`, every column.
    func gradient(at beta: [Double]) -> [Double] {
        var gradient = [Double](repeating: 0, count: columns)
        for (x, y) in zip(design, labels) {
            var eta = 0.0
            for j in 0..<columns { eta += beta[j] * x[j] }
            let r = (y ? wPositive : wNegative) * ((y ? 1 : 0) - 1 / (1 + exp(-eta)))
            for i in 0..<columns { gradient[i] += r * x[i] }
        }
        for j in 1..<max(1, columns) { gradient[j] -= ridge * beta[j] }
        return gradient
    }

    /// Newton's method over the `active` columns (which hold 0, the intercept); the others stay 0.
    func fit(active: [Int]) -> [Double] {
        let n = active.count
        var beta = [Double](repeating: 0, count: columns)
        for _ in 0..<100 {
            var gradient = [Double](repeating: 0, count: n)
            var hessian = [Double](repeating: 0, count: n * n)
            for (x, y) in zip(design, labels) {
                let w = y ? wPositive : wNegative
                var eta = 0.0
                for j in active { eta += beta[j] * x[j] }
                let p = 1 / (1 + exp(-eta))
                let r = w * ((y ? 1 : 0) - p), v = w * p * (1 - p)
                for (a, i) in active.enumerated() {
                    gradient[a] += r * x[i]
                    for (b, j) in active.enumerated() { hessian[a * n + b] += v * x[i] * x[j] }
                }
            }
            for (a, j) in active.enumerated() where j > 0 {
                gradient[a] -= ridge * beta[j]
                hessian[a * n + a] += ridge
            }
            hessian[0] += 1e-12
            guard let step = SmallCholesky.solve(hessian, gradient, size: n) else { break }
            var change = 0.0
            for (a, j) in active.enumerated() { beta[j] += step[a]; change += Swift.abs(step[a]) }
            if change < 1e-12 { break }
        }
        return beta
    }
}

/// Cholesky solve of a small symmetric positive definite system in Double, in a fixed order.
///
/// Written out rather than called through LAPACK on purpose: the calibration file's bytes are part of
/// every result's manifest, and a LAPACK build may sum in another order (or fuse multiply-adds), which
/// would move the fitted weights' last bits from one machine to the next. At the sizes here (≤ 9
/// unknowns) the cost is nil.
enum SmallCholesky {
    static func solve(_ a: [Double], _ b: [Double], size n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = b[i]
            for k in 0..<i { sum -= l[i * n + k] * y[k] }
            y[i] = sum / l[i * n + i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<n { sum -= l[k * n + i] * x[k] }
            x[i] = sum / l[i * n + i]
        }
        return x
    }
}
