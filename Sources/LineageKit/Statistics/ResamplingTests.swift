/// Resampling tests over probes: the probe is the unit of replication, because the probes are the
/// only thing drawn from a population (the models are fixed).
public enum ResamplingTests {
    /// One-sided sign-flip test of "the mean of `differences` is > 0" (Fisher 1935; Good 2005):
    /// under the null each per-probe difference is symmetric about zero, so its sign is exchangeable.
    /// The p-value counts the observed statistic among the resamples, `(1 + #{T* ≥ T}) / (1 + B)`,
    /// which is never zero (Phipson & Smyth 2010).
    public static func signFlipPValue(_ differences: [Double], resamples: Int, seed: UInt64) -> Double {
        guard !differences.isEmpty else { return 1 }
        let observed = differences.reduce(0, +)
        var generator = SeededGenerator(seed: seed)
        var atLeast = 0
        for _ in 0..<resamples {
            var total = 0.0
            for value in differences { total += generator.coin() ? value : -value }
            if total >= observed - 1e-12 * Swift.abs(observed) { atLeast += 1 }
        }
        return Double(1 + atLeast) / Double(1 + resamples)
    }

    /// Percentile bootstrap confidence interval of the mean over probes (Efron & Tibshirani 1993).
    public static func bootstrapMeanInterval(_ values: [Double], level: Double = 0.95, resamples: Int,
                                             seed: UInt64) -> (low: Double, high: Double) {
        guard !values.isEmpty else { return (.nan, .nan) }
        var generator = SeededGenerator(seed: seed)
        var means = [Double](repeating: 0, count: resamples)
        for b in 0..<resamples {
            var total = 0.0
            for _ in values.indices { total += values[generator.index(below: values.count)] }
            means[b] = total / Double(values.count)
        }
        means.sort()
        let alpha = (1 - level) / 2
        return (Descriptive.quantile(sorted: means, alpha), Descriptive.quantile(sorted: means, 1 - alpha))
    }
}
