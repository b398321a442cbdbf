import CFeatureKernels

/// Embedding values are multiples of 2⁻¹⁰, so every BLAS product of embeddings is exact, whatever BLAS.
///
/// Why: OpenBLAS picks its kernels by CPU (and Debian can swap in reference BLAS), and each sums a dot
/// product in its own order; on Float32 values that changes the last bits of every similarity, hence the
/// JSON (measured: `OPENBLAS_CORETYPE=Haswell` and reference BLAS each gave a different `matrix --json`
/// on the same machine before this grid). On the grid, a product of two values is an integer times
/// 2⁻²⁰, and for rows of norm ≤ 1 + √D·2⁻¹¹ the magnitude of any partial sum over B probes is at most
/// B·(2¹⁰ + √D/2)²·2⁻²⁰ by Cauchy–Schwarz. While the integer numerator stays below 2²⁴ every addition —
/// in any order, fused or not — is exact in Float32 (IEEE 754: an integer below 2²⁴ is representable).
/// So a BLAS call is exact when it sums over at most `exactProbes(dimensions:)` probes (15 for 512
/// dimensions); `BlockedGram` adds its blocks in Double, which is exact far beyond 805 probes.
///
/// Cost: rounding moves a unit row by at most √D·2⁻¹¹ (0.011 for 512 dimensions; typically 0.006), so a
/// per-probe cosine by about 4·10⁻⁴ and a mean over hundreds of probes by about 10⁻⁵ — below every
/// reported precision and far below the spread of the statistics the verdict uses.
enum EmbeddingGrid {
    /// Values are `k / scale` for integers `k`.
    static let scale: Float = 1024

    /// Rounds each value of `row[0..<count]` (|value| ≤ 1) to the grid, ties to even.
    ///
    /// Adding and subtracting 1.5·2²³ rounds any |v| < 2²² to an integer in IEEE 754's default rounding
    /// mode — the same result as `rounded(.toNearestOrEven)`, which on baseline x86-64 (no SSE4.1) is a
    /// library call per value.
    static func snap(_ row: UnsafeMutablePointer<Float>, count: Int) {
        let scale = Self.scale, inverse = 1 / Self.scale, magic: Float = 12_582_912
        for d in 0..<count { row[d] = ((row[d] * scale + magic) - magic) * inverse }
    }

    /// The value of one grid step, 2⁻¹⁰ (a power of two: `Float(step) · unit` is exact).
    static let unit: Float = 1 / scale

    /// Writes `values[0..<count]` as grid steps (value · 2¹⁰) into `steps`; returns false, leaving `steps`
    /// unspecified, when a value is not on the grid or beyond Int16 (not an embedding of this tool). An
    /// embedding's values are within ±1.02, so 16 bits hold every step exactly.
    /// `values` as grid steps, or nil when a value is off the grid or beyond Int16 (see the pointer form).
    static func steps(of values: [Float]) -> [Int16]? {
        var steps = [Int16](repeating: 0, count: values.count)
        let onGrid = values.withUnsafeBufferPointer { from in
            steps.withUnsafeMutableBufferPointer { out in
                guard let source = from.baseAddress, let target = out.baseAddress else { return true }
                return Self.steps(of: source, count: from.count, into: target)
            }
        }
        return onGrid ? steps : nil
    }

    static func steps(of values: UnsafePointer<Float>, count: Int, into steps: UnsafeMutablePointer<Int16>) -> Bool {
        lineage_grid_steps(values, count, scale, steps) != 0
    }

    /// A cosine as shown: two grid-rounded unit rows have squared lengths 1 ± ~10⁻⁴, so their dot product
    /// (identical answers, or a model with itself) can come out just above 1, which no cosine can be. Shown
    /// values are clamped; scores and rankings use them as computed.
    static func clampedCosine<T: BinaryFloatingPoint>(_ cosine: T) -> T { min(1, max(-1, cosine)) }

    /// The most probes of `dimensions` values one BLAS call may sum over and still be exact.
    static func exactProbes(dimensions: Int) -> Int {
        let perProbe = (Double(scale) + Double(dimensions).squareRoot() / 2)
        return max(1, Int((Double(1 << 24) / (perProbe * perProbe)).rounded(.down)))
    }
}
