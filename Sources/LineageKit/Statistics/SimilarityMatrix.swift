/// How alike every pair of models answers: the mean, over the probes both answered, of the cosine of
/// their two answers' embeddings.
public struct SimilarityMatrix: Sendable, Equatable {
    public var models: [String]
    public var sources: [String]
    /// N×N, symmetric; 1 on the diagonal for a model with any answer; 0 where two models share no probe.
    public var meanCosine: Matrix
    /// N×N: the number of probes both models answered (the diagonal: probes the model answered).
    public var probesCompared: [[Int]]

    /// Errors in the inputs to a similarity matrix.
    public struct ShapeMismatch: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Mean per-probe cosine of every pair of embedded recordings.
    ///
    /// With rows unit length and zero where a probe is unanswered, `Σ_p ⟨e_ip, e_jp⟩` over all probes is
    /// the sum of cosines over the probes both answered. Stacking model i's rows for a block of probes into
    /// one long row makes that sum one Gram matrix: for each block of `probeBlock` probes the N models'
    /// rows are copied side by side into an N × (block·D) matrix and `ssyrk` adds its Gram matrix into S
    /// (β = 1) — one level-3 call per block, half the flops of `sgemm` because S is symmetric. The counts
    /// of shared probes are the Gram matrix of the 0/1 answer masks (exact in Float32 below 2²⁴).
    public static func meanProbeCosine(_ embedded: [EmbeddedRecording], probeBlock: Int = 32) throws(ShapeMismatch) -> SimilarityMatrix {
        let n = embedded.count
        guard let first = embedded.first else {
            return SimilarityMatrix(models: [], sources: [], meanCosine: Matrix(rows: 0, columns: 0), probesCompared: [])
        }
        let probes = first.embeddings.rows
        let dims = first.embeddings.columns
        for e in embedded where e.embeddings.rows != probes || e.embeddings.columns != dims || e.modelSHA256 != first.modelSHA256 {
            throw ShapeMismatch(description: "\(e.source): \(e.embeddings.rows)×\(e.embeddings.columns) embeddings from model \(e.modelSHA256.prefix(12)) differ from \(first.source): \(probes)×\(dims) from \(first.modelSHA256.prefix(12))")
        }
        var sums = Matrix(rows: n, columns: n)
        let block = max(1, probeBlock)
        var staging = [Float](repeating: 0, count: n * block * dims)
        var p0 = 0
        while p0 < probes {
            let p1 = min(probes, p0 + block)
            let width = (p1 - p0) * dims
            staging.withUnsafeMutableBufferPointer { stage in
                guard let base = stage.baseAddress else { return }
                for (i, e) in embedded.enumerated() {
                    e.embeddings.values.withUnsafeBufferPointer { source in
                        if let from = source.baseAddress { (base + i * width).update(from: from + p0 * dims, count: width) }
                    }
                }
                BLAS.accumulateGram(base, rows: n, columns: width, into: &sums)
            }
            p0 = p1
        }
        let masks = Matrix(rows: n, columns: probes,
                           values: embedded.flatMap { $0.answered.map { $0 ? Float(1) : 0 } })
        let counts = BLAS.gram(masks)
        var mean = Matrix(rows: n, columns: n)
        var compared = [[Int]](repeating: [Int](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in i..<n {
                let shared = Int(counts[i, j].rounded())
                let value = shared > 0 ? sums[i, j] / Float(shared) : 0
                mean[i, j] = value
                mean[j, i] = value
                compared[i][j] = shared
                compared[j][i] = shared
            }
        }
        return SimilarityMatrix(models: embedded.map(\.model), sources: embedded.map(\.source),
                                meanCosine: mean, probesCompared: compared)
    }
}
