import Foundation

/// How unusually close a student is to a candidate teacher, judged against a panel of unrelated
/// models — the impostors method (Koppel & Winter 2014) turned into a standard score.
///
/// `score = (m(S,T) − mean_M m(S,M)) / sd_M m(S,M)` with `m` the mean per-probe cosine and M over
/// the panel (population sd). Similarity alone is dominated by the student's base model, topic and
/// length; standardising by how close the *same student* is to many unrelated models removes what
/// every model shares with it, and leaves what the candidate shares with it beyond that.
public struct ImpostorScore: Sendable, Equatable, Codable {
    /// The candidate's mean per-probe cosine to the student, clamped to [−1, 1] for the reader: the
    /// grid-rounded embeddings (`EmbeddingGrid`) can put it at 1 + ~10⁻⁵ for identical answers. The score
    /// and p-values use the unclamped mean, so the calibrated numbers do not depend on the clamp.
    public var meanCosine: Double
    /// The panel's mean and population standard deviation of the same quantity.
    public var panelMean: Double
    public var panelSD: Double
    public var score: Double
    /// One-sided p-value that the candidate is just another panel model: a prediction-interval t test
    /// for a new draw from the panel's (assumed normal) distribution of similarities to the student,
    /// `t = (m − mean) / (s·√(1 + 1/n))`, n − 1 degrees of freedom.
    public var pValue: Double
    /// Distribution-free check: the candidate's rank among the panel, `(1 + #{M: m(S,M) ≥ m(S,T)}) / (1 + n)`;
    /// exact under exchangeability, but never below 1/(n + 1).
    public var rankPValue: Double
    public var panelSize: Int
    /// Probes on which the candidate is closer to the student than every panel model, and of how many.
    public var probesClosestToCandidate: Int
    public var probesCompared: Int

    enum CodingKeys: String, CodingKey {
        case meanCosine = "mean_cosine", panelMean = "panel_mean_cosine", panelSD = "panel_sd_cosine"
        case score, pValue = "p_value", rankPValue = "rank_p_value", panelSize = "panel_size"
        case probesClosestToCandidate = "probes_closest_to_candidate", probesCompared = "probes_compared"
    }

    /// - Parameters:
    ///   - subset: probes to use (all when nil): the bootstrap passes resampled probe lists here.
    public static func compute(_ tensor: ProbeSimilarityTensor, student: Int, candidate: Int, panel: [Int],
                               over subset: [Int]? = nil) -> ImpostorScore {
        let m = tensor.meanCosine(student, candidate, over: subset)
        let panelMeans = panel.map { tensor.meanCosine(student, $0, over: subset) }.filter { $0.isFinite }
        let n = Double(panelMeans.count)
        let (mean, variance) = panelSpread(panelMeans)
        let sd = variance.squareRoot()
        let score = standardized(m, mean: mean, sd: sd)
        let sampleSD = n > 1 ? (variance * n / (n - 1)).squareRoot() : 0
        let t = sampleSD > 0 ? (m - mean) / (sampleSD * (1 + 1 / n).squareRoot()) : 0
        let p = n > 1 ? StudentT.upperTail(t, degrees: n - 1) : 1
        let atLeast = panelMeans.filter { $0 >= m }.count
        var closest = 0, compared = 0
        if subset == nil {
            for probe in 0..<tensor.probes where tensor.isComparable(student, candidate, probe: probe) {
                compared += 1
                let c = tensor.cosine(student, candidate, probe: probe)
                if panel.allSatisfy({ !tensor.isComparable(student, $0, probe: probe) || tensor.cosine(student, $0, probe: probe) < c }) {
                    closest += 1
                }
            }
        }
        return ImpostorScore(meanCosine: m.isFinite ? EmbeddingGrid.clampedCosine(m) : m, panelMean: mean, panelSD: sd, score: m.isFinite ? score : 0,
                             pValue: m.isFinite ? p : 1, rankPValue: Double(1 + atLeast) / (n + 1),
                             panelSize: panelMeans.count, probesClosestToCandidate: closest, probesCompared: compared)
    }

    /// Mean and population variance of the panel's mean cosines with the student.
    static func panelSpread(_ panelMeans: [Double]) -> (mean: Double, variance: Double) {
        let mean = Descriptive.mean(panelMeans)
        let variance = panelMeans.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(Double(panelMeans.count), 1)
        return (mean, variance)
    }

    /// The impostor score `(m − mean) / sd` (0 when the panel does not spread).
    static func standardized(_ m: Double, mean: Double, sd: Double) -> Double {
        sd > 0 ? (m - mean) / sd : 0
    }

    /// The score of a mean cosine `m` against the panel's mean cosines with the same student: what
    /// `compute` gives, for callers that already hold every pair's mean (the matrix views).
    static func score(_ m: Double, panelMeans: [Double]) -> Double {
        let (mean, variance) = panelSpread(panelMeans)
        return standardized(m, mean: mean, sd: variance.squareRoot())
    }

    /// Percentile bootstrap interval of the score over probes (Efron & Tibshirani 1993), seeded.
    ///
    /// Each resample is a multiset of probes, held as each probe's multiplicity; all resamples' sums for
    /// the candidate and every panel model come from one `dgemm` (multiplicities × the student's per-probe
    /// cosines and comparability). Every cosine is an integer multiple of 2⁻²⁰ of magnitude ≤ 1.1
    /// (`EmbeddingGrid`) and every multiplicity an integer ≤ P, so each sum is exact in Double whatever the
    /// order: the scores are bit for bit those of `compute(_:student:candidate:panel:over:)` on the drawn
    /// probe lists.
    public static func bootstrapInterval(_ tensor: ProbeSimilarityTensor, student: Int, candidate: Int, panel: [Int],
                                         resamples: Int, seed: UInt64, level: Double = 0.95) -> ClosedInterval {
        guard resamples > 0 else { return ClosedInterval(low: .nan, high: .nan, level: level) }
        let probes = tensor.probes
        let others = [candidate] + panel
        let width = 2 * others.count
        // probes × (cosines | comparable flags) of the student with the candidate, then each panel model.
        var series = [Double](repeating: 0, count: probes * width)
        for p in 0..<probes {
            for (k, other) in others.enumerated() where tensor.isComparable(student, other, probe: p) {
                series[p * width + k] = Double(tensor.cosine(student, other, probe: p))
                series[p * width + others.count + k] = 1
            }
        }
        var generator = SeededGenerator(seed: seed)
        var draws = [Double](repeating: 0, count: resamples * probes)
        for b in 0..<resamples {
            for _ in 0..<probes { draws[b * probes + generator.index(below: probes)] += 1 }
        }
        let sums = BLAS.multiply(draws, rows: resamples, inner: probes, series, columns: width)
        var scores = (0..<resamples).map { b -> Double in
            func mean(_ k: Int) -> Double {
                let count = sums[b * width + others.count + k]
                return count == 0 ? .nan : sums[b * width + k] / count
            }
            let m = mean(0)
            return m.isFinite ? score(m, panelMeans: (1..<others.count).map(mean).filter(\.isFinite)) : 0
        }
        scores.sort()
        let alpha = (1 - level) / 2
        return ClosedInterval(low: Descriptive.quantile(sorted: scores, alpha),
                              high: Descriptive.quantile(sorted: scores, 1 - alpha), level: level)
    }
}

/// A confidence interval.
public struct ClosedInterval: Sendable, Equatable, Codable {
    public var low: Double
    public var high: Double
    public var level: Double
}
