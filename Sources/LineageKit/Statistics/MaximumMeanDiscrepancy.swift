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

    /// - Parameters:
    ///   - x, y: P×D embeddings (rows L2-normalised); `comparable`: probes both answered.
    ///   - selfGrams: `x·xᵀ` and `y·yᵀ` over all P probes when the caller holds them (a model's is the same
    ///     for every pair it is in); computed here otherwise. The result is the same bits either way.
    static func compute(_ x: Matrix, _ y: Matrix, comparable: [Int], permutations: Int,
                        seed: UInt64, selfGrams: (x: SymmetricMatrix, y: SymmetricMatrix)? = nil) -> MaximumMeanDiscrepancy {
        let n = comparable.count
        guard n >= 2 else {
            return MaximumMeanDiscrepancy(mmdSquared: .nan, pValue: 1, bandwidthSquared: .nan, probes: n, permutations: 0)
        }
        // The pooled Gram matrix of the 2n answers in three blocks: x·xᵀ, y·yᵀ and x·yᵀ. Every entry is a dot
        // product of rows on `EmbeddingGrid`, exact in Float whichever BLAS call computes it, so the blocks
        // hold the bits one `ssyrk` of the pooled rows would.
        let all = comparable == Array(0..<x.rows)
        let xs = all ? x : x.selectingRows(comparable), ys = all ? y : y.selectingRows(comparable)
        func block(_ full: SymmetricMatrix?, _ rows: Matrix) -> SymmetricMatrix {
            guard let full else { return SymmetricMatrix(upperTriangleOf: BLAS.gram(rows)) }
            return all ? full : full.selecting(comparable)
        }
        let xx = block(selfGrams?.x, xs), yy = block(selfGrams?.y, ys)
        let xy = BLAS.multiplyTransposed(xs, ys)
        // The within-model blocks are read only on and above the diagonal: entry (i, j), j ≥ i, of row i is
        // at `rowBase(i) + j` of the packed triangle.
        let xNorms = (0..<n).map { xx[$0, $0] }, yNorms = (0..<n).map { yy[$0, $0] }
        // Squared distances, each as the Float expression ‖a‖² + ‖b‖² − 2a·b of the pooled matrix (negative
        // rounding residue as 0).
        func distance(_ aa: Float, _ bb: Float, _ ab: Float) -> Float { let d = aa + bb - 2 * ab; return d > 0 ? d : 0 }
        var distances: [Float] = []
        distances.reserveCapacity(n * (2 * n - 1))
        for i in 0..<n {
            let xi = xx.rowBase(i), yi = yy.rowBase(i)
            for j in (i + 1)..<n {
                distances.append(distance(xNorms[i], xNorms[j], xx.values[xi + j]))
                distances.append(distance(yNorms[i], yNorms[j], yy.values[yi + j]))
            }
            for j in 0..<n { distances.append(distance(xNorms[i], yNorms[j], xy.values[i * n + j])) }
        }
        let sigma2 = max(Descriptive.median(nonNegative: distances), 1e-6)
        distances = []
        func kernel(_ d: Float) -> Double { exp(-Double(d) / (2 * sigma2)) }
        // The cross block's kernel values, each used twice below (k(xi,yj) and, transposed, k(xj,yi)).
        var kxy = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { kxy[i * n + j] = kernel(distance(xNorms[i], yNorms[j], xy.values[i * n + j])) }
        }
        // h_ij = k(xi,xj) + k(yi,yj) − k(xi,yj) − k(xj,yi); swapping the answers of probe i flips the
        // sign of row and column i, so MMD²(s) = Σ_{i≠j} s_i s_j h_ij / (n(n−1)) for signs s. All
        // permutations at once: diag(Sᵀ H S) with one sgemm. h is rounded to a power-of-two grid fine
        // enough that a row's sum of |h| (≤ 2(n−1)) stays below 2²⁴ grid steps: the sgemm is then exact
        // in any BLAS and any summation order (see `EmbeddingGrid`), and so is the Double sum below.
        // The within-model kernels are symmetric: each is computed once for h_ij and h_ji.
        let grid = Self.grid(probes: n)
        func rounded(_ value: Double) -> Float { Float((value * grid).rounded(.toNearestOrEven) / grid) }
        var h = Matrix(rows: n, columns: n)
        for i in 0..<n {
            let xi = xx.rowBase(i), yi = yy.rowBase(i)
            for j in (i + 1)..<n {
                let within = kernel(distance(xNorms[i], xNorms[j], xx.values[xi + j]))
                    + kernel(distance(yNorms[i], yNorms[j], yy.values[yi + j]))
                h.values[i * n + j] = rounded(within - kxy[i * n + j] - kxy[j * n + i])
                h.values[j * n + i] = rounded(within - kxy[j * n + i] - kxy[i * n + j])
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
