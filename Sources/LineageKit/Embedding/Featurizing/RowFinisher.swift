import CFeatureKernels

/// The last step of embedding an answer, after `Embedder.drainOne`, taken for several rows at once: each
/// family block scaled to length `√(w_f / Σ w)`, then the row scaled to unit length and snapped onto
/// `EmbeddingGrid` (`Embedder.scaleToUnit`).
///
/// Why: every norm is a sum of squares taken in column order, one dependent addition after another (the
/// order fixes the bytes), so one row waits on the adder's latency for ~1000 additions. Eight rows in the
/// lanes of a `SIMD8` run eight such chains side by side, each in the same order as before (lane-wise
/// multiply then add, no fused multiply-add): the same bytes, at the adder's throughput instead of its
/// latency. Rows are handed in with `add` as they are drained and finished once eight are waiting, or
/// at `flush`.
struct RowFinisher {
    /// The blocks that are scaled: columns and share `w_f / Σ w` of each family with columns and weight.
    private let blocks: [(columns: Range<Int>, share: Float)]
    private let dimensions: Int
    /// Whether the scaling passes run as AVX-512 kernels (the featurizer's choice, `VectorKernels`; the same
    /// floats either way).
    private let vectorKernels: Bool
    /// Drained rows waiting to be finished (fewer than `lanes`).
    private var waiting: [UnsafeMutablePointer<Float>] = []

    init(model: EmbeddingModel, vectorKernels: Bool) {
        self.vectorKernels = vectorKernels
        let total = model.totalWeight
        blocks = total > 0
            ? model.families.filter { $0.dimensions > 0 && $0.weight > 0 }.map { ($0.columns, $0.weight / total) }
            : []
        dimensions = model.dimensions
        waiting.reserveCapacity(Self.lanes)
    }

    /// Hands in a drained row; it is finished by the time `flush` returns.
    mutating func add(_ row: UnsafeMutablePointer<Float>) {
        waiting.append(row)
        if waiting.count == Self.lanes { flush() }
    }

    /// Finishes every row handed in and not yet finished.
    mutating func flush() {
        waiting.withUnsafeBufferPointer { rows in
            if let base = rows.baseAddress { finish(base, count: rows.count) }
        }
        waiting.removeAll(keepingCapacity: true)
    }

    /// Rows finished eight at a time.
    static let lanes = 8

    /// Finishes the drained rows `rows[0..<count]` (at most `lanes`); a zero row stays zero.
    private func finish(_ rows: UnsafePointer<UnsafeMutablePointer<Float>>, count: Int) {
        precondition(count <= Self.lanes)
        guard count > 0 else { return }
        for block in blocks {
            let norms = Self.squaredNorms(rows, count: count, columns: block.columns)
            for j in 0..<count where norms[j] > 0 {
                let scale = block.share.squareRoot() / norms[j].squareRoot()
                let row = rows[j] // read once: through `rows[j]` the loop reloads the pointer at every store
                if vectorKernels {
                    lineage_scale_row(row + block.columns.lowerBound, block.columns.count, scale)
                } else {
                    for d in block.columns { row[d] *= scale }
                }
            }
        }
        let norms = Self.squaredNorms(rows, count: count, columns: 0..<dimensions)
        for j in 0..<count {
            // The scaling and the grid snap in one vector pass where the CPU has one (the same floats).
            if vectorKernels, norms[j] > 0 {
                lineage_scale_snap_row(rows[j], dimensions, 1 / norms[j].squareRoot(), EmbeddingGrid.scale)
            } else {
                Embedder.scaleToUnit(rows[j], count: dimensions, squaredNorm: norms[j])
            }
        }
    }

    /// `Σ_d row[d]²` over `columns` in column order, for each of `count` rows (lane j is row j; unused lanes
    /// read row 0 and are ignored).
    static func squaredNorms(_ rows: UnsafePointer<UnsafeMutablePointer<Float>>, count: Int,
                                     columns: Range<Int>) -> SIMD8<Float> {
        func row(_ j: Int) -> UnsafeMutablePointer<Float> { rows[j < count ? j : 0] }
        let (r0, r1, r2, r3, r4, r5, r6, r7) = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
        var norms = SIMD8<Float>()
        for d in columns {
            let v = SIMD8<Float>(r0[d], r1[d], r2[d], r3[d], r4[d], r5[d], r6[d], r7[d])
            norms += v * v
        }
        return norms
    }
}
