import Foundation

/// Maximum mean discrepancy between two models' answer distributions (Gretton et al. 2012), with a
/// permutation p-value that respects the pairing by probe (Gao, Liang & Guestrin 2025, model equality
/// testing): under "same distribution", the two answers to each probe are exchangeable.
///
/// Kernel: Gaussian on the embedding, `k(x, y) = exp(−‖x − y‖² / (2σ²))`, with σ² the median of
/// the pooled squared distances (the median heuristic). Small MMD² means similar distributions; this
/// is a supporting statistic, not the score: two unrelated models may be similar and two related ones
/// may differ in everything but the teacher's habits.
public struct MaximumMeanDiscrepancy: Sendable, Equatable, Codable {
    /// Unbiased estimate of MMD² over the probes both answered.
    public var mmdSquared: Double
    /// P(MMD²* ≥ MMD²) under random swaps of the two answers within each probe.
    public var pValue: Double
    public var bandwidthSquared: Double
    public var probes: Int
    public var permutations: Int

    enum CodingKeys: String, CodingKey {
        case mmdSquared = "mmd_squared", pValue = "p_value", bandwidthSquared = "bandwidth_squared"
        case probes, permutations
    }

    /// - Parameters: `x`, `y`: P×D embeddings (rows L2-normalised); `comparable`: probes both answered.
    public static func compute(_ x: Matrix, _ y: Matrix, comparable: [Int], permutations: Int,
                               seed: UInt64) -> MaximumMeanDiscrepancy {
        let n = comparable.count
        guard n >= 2 else {
            return MaximumMeanDiscrepancy(mmdSquared: .nan, pValue: 1, bandwidthSquared: .nan, probes: n, permutations: 0)
        }
        // Pooled rows: 0..<n from x, n..<2n from y; one Gram matrix by ssyrk.
        let pooled = Matrix(rows: 2 * n, columns: x.columns,
                            values: x.selectingRows(comparable).values + y.selectingRows(comparable).values)
        let gram = BLAS.gram(pooled)
        let size = 2 * n
        var distances: [Double] = []
        distances.reserveCapacity(size * (size - 1) / 2)
        for i in 0..<size {
            for j in (i + 1)..<size {
                distances.append(max(0, Double(gram.values[i * size + i] + gram.values[j * size + j] - 2 * gram.values[i * size + j])))
            }
        }
        let sigma2 = max(Descriptive.median(distances), 1e-6)
        func k(_ i: Int, _ j: Int) -> Double {
            let d = max(0, Double(gram.values[i * size + i] + gram.values[j * size + j] - 2 * gram.values[i * size + j]))
            return exp(-d / (2 * sigma2))
        }
        // h_ij = k(xi,xj) + k(yi,yj) − k(xi,yj) − k(xj,yi); swapping the answers of probe i flips the
        // sign of row and column i, so MMD²(s) = Σ_{i≠j} s_i s_j h_ij / (n(n−1)) for signs s. All
        // permutations at once: diag(Sᵀ H S) with one sgemm. h is rounded to a power-of-two grid fine
        // enough that a row's sum of |h| (≤ 2(n−1)) stays below 2²⁴ grid steps: the sgemm is then exact
        // in any BLAS and any summation order (see `EmbeddingGrid`), and so is the Double sum below.
        let grid = Self.grid(probes: n)
        var h = Matrix(rows: n, columns: n)
        for i in 0..<n {
            for j in 0..<n where j != i {
                h.values[i * n + j] = Float(((k(i, j) + k(i + n, j + n) - k(i, j + n) - k(j, i + n)) * grid)
                    .rounded(.toNearestOrEven) / grid)
            }
        }
        let scale = 1 / Double(n * (n - 1))
        let observed = h.values.reduce(0.0) { $0 + Double($1) } * scale
        var generator = SeededGenerator(seed: seed)
        var signs = Matrix(rows: permutations, columns: n)
        for b in 0..<permutations {
            for i in 0..<n { signs.values[b * n + i] = generator.coin() ? -1 : 1 }
        }
        let projected = BLAS.multiplyTransposed(signs, h)  // (S H)ᵀ rows: permutations × n (H symmetric)
        var atLeast = 0
        for b in 0..<permutations {
            var total = 0.0
            for i in 0..<n { total += Double(projected.values[b * n + i] * signs.values[b * n + i]) }
            if total * scale >= observed - 1e-9 * Swift.abs(observed) { atLeast += 1 }
        }
        return MaximumMeanDiscrepancy(mmdSquared: observed, pValue: Double(1 + atLeast) / Double(1 + permutations),
                                      bandwidthSquared: sigma2, probes: n, permutations: permutations)
    }

    /// 2^g for the largest g ≤ 20 with 2(n−1)·2^g < 2²⁴: the grid `h` is rounded to.
    static func grid(probes n: Int) -> Double {
        var g = 20
        while g > 0 && 2 * Double(n - 1) * Double(1 << g) >= Double(1 << 24) { g -= 1 }
        return Double(1 << g)
    }
}
