/// Corrections for testing several candidate teachers at once.
public enum MultipleTesting {
    /// Holm's step-down adjustment (Holm 1979): controls the family-wise error rate for any
    /// dependence between tests, and is uniformly more powerful than Bonferroni.
    /// Returns adjusted p-values in the input order.
    public static func holm(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }
}
