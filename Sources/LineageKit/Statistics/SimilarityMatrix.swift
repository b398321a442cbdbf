import Foundation

/// How alike every pair of models answers: the mean, over the probes both answered, of the cosine of
/// their two answers' embeddings.
public struct SimilarityMatrix: Sendable, Equatable {
    public var models: [String]
    public var sources: [String]
    /// N×N, symmetric, within [−1, 1]; 1 on the diagonal for a model with any answer (up to the grid
    /// rounding, see `means`); 0 where two models share no probe.
    public var meanCosine: Matrix
    /// N×N: the number of probes both models answered (the diagonal: probes the model answered).
    public var probesCompared: [[Int]]

    /// Errors in the inputs to a similarity matrix.
    public struct ShapeMismatch: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Mean per-probe cosine of every pair of embedded recordings (prefer an `EmbeddingStack`, read in place).
    ///
    /// With rows unit length and zero where a probe is unanswered, `Σ_p ⟨e_ip, e_jp⟩` over all probes is
    /// the sum of cosines over the probes both answered. Reading model i's P×D embeddings as one long row
    /// of K = P·D values makes that sum one N×N Gram matrix, computed by `BlockedGram` over fixed blocks of
    /// `probeBlock` probes (by default as `gram(models:dimensions:)` chooses for its kernel) on `threads`
    /// workers (default: the active processors); the result is bit-identical for any thread count. The
    /// counts of shared probes are the Gram matrix of the 0/1 answer masks (exact in Float32 below 2²⁴).
    public static func meanProbeCosine(_ embedded: [EmbeddedRecording], probeBlock: Int? = nil,
                                       threads: Int? = nil) throws(ShapeMismatch) -> SimilarityMatrix {
        let dims = embedded.first?.embeddings.columns ?? 0
        return try meanProbeCosine(embedded, gram: gram(models: embedded.count, dimensions: dims,
                                                        probeBlock: probeBlock, threads: threads))
    }

    /// The engine's configuration of the blocked Gram product for N models of `dimensions` columns:
    /// `sgemm` on 4-row strips of the upper triangle (`BlockedGram.Kernel.upperStrips`, the fastest here)
    /// up to `BlockedGram.stripModels` models, `ssyrk` beyond. A block never spans more probes than
    /// `EmbeddingGrid.exactProbes`, so that each BLAS call is exact and the matrix the same on any BLAS.
    static func gram(models: Int, dimensions: Int, probeBlock: Int? = nil, threads: Int? = nil,
                     kernel: BlockedGram.Kernel? = nil) -> BlockedGram {
        let kernel = kernel ?? (models <= BlockedGram.stripModels ? .upperStrips : .syrk)
        let strips = kernel == .upperStrips || kernel == .gemmStrips
        let exact = EmbeddingGrid.exactProbes(dimensions: dimensions) * max(1, dimensions)
        let columns = probeBlock.map { max(1, $0) * max(1, dimensions) }
            ?? min(exact, strips ? BlockedGram.stripBlockColumns(rows: models, granule: dimensions)
                                 : BlockedGram.blockColumns(rows: models, granule: dimensions))
        return BlockedGram(kernel: kernel, blockColumns: columns,
                           threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// `meanProbeCosine` with the Gram product configured by the caller (the benchmark compares kernels
    /// and block sizes).
    static func meanProbeCosine(_ embedded: [EmbeddedRecording], gram: BlockedGram) throws(ShapeMismatch) -> SimilarityMatrix {
        guard let first = embedded.first else {
            return SimilarityMatrix(models: [], sources: [], meanCosine: Matrix(rows: 0, columns: 0), probesCompared: [])
        }
        let probes = first.embeddings.rows
        let dims = first.embeddings.columns
        for e in embedded where e.embeddings.rows != probes || e.embeddings.columns != dims || e.modelSHA256 != first.modelSHA256 {
            throw ShapeMismatch(description: "\(e.source): \(e.embeddings.rows)×\(e.embeddings.columns) embeddings from model \(e.modelSHA256.prefix(12)) differ from \(first.source): \(probes)×\(dims) from \(first.modelSHA256.prefix(12))")
        }
        let sums = gram.gram(embedded.map(\.embeddings.values), columns: probes * dims)
        return means(sums: sums, answered: embedded.map(\.answered), models: embedded.map(\.model),
                     sources: embedded.map(\.source))
    }

    /// Mean per-probe cosine of every pair of models in a stack: as `meanProbeCosine(_:probeBlock:threads:)`
    /// on the same recordings (the same blocks, so the same bits), with each block converted from the
    /// stack's 16-bit grid steps as it is staged.
    public static func meanProbeCosine(_ stack: EmbeddingStack, probeBlock: Int? = nil,
                                       threads: Int? = nil) -> SimilarityMatrix {
        meanProbeCosine(stack, gram: gram(models: stack.count, dimensions: stack.dimensions,
                                          probeBlock: probeBlock, threads: threads))
    }

    static func meanProbeCosine(_ stack: EmbeddingStack, gram: BlockedGram) -> SimilarityMatrix {
        means(sums: stack.gram(gram), answered: stack.answered, models: stack.models, sources: stack.sources)
    }

    /// Sums of cosines and the counts of shared probes (the Gram matrix of the 0/1 answer masks, exact in
    /// Float32 below 2²⁴) into the matrix of means, each clamped to [−1, 1].
    ///
    /// Why clamp: the embeddings are unit rows rounded onto `EmbeddingGrid` (multiples of 2⁻¹⁰, so that every
    /// BLAS product is exact on any machine), and a rounded row's squared length is 1 ± ~10⁻⁴, so a "cosine"
    /// of two rows — a model with itself, or two identical recordings — can come out above 1 (measured:
    /// 1.0000240 for one AlpacaEval file given twice). A cosine cannot exceed 1; the clamp changes no value
    /// inside [−1, 1]. The diagonal is computed like every other cell, so a recording and an identical copy
    /// of it agree exactly: both are 1 unless the grid shrank the rows on average (then both equal the same
    /// mean, within `EmbeddingGrid`'s bound of 1).
    private static func means(sums: Matrix, answered: [[Bool]], models: [String], sources: [String]) -> SimilarityMatrix {
        let n = models.count
        let probes = answered.first?.count ?? 0
        let masks = Matrix(rows: n, columns: probes, values: answered.flatMap { $0.map { $0 ? Float(1) : 0 } })
        let counts = BLAS.gram(masks)
        var mean = Matrix(rows: n, columns: n)
        var compared = [[Int]](repeating: [Int](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in i..<n {
                let shared = Int(counts[i, j].rounded())
                let value = shared > 0 ? EmbeddingGrid.clampedCosine(sums[i, j] / Float(shared)) : 0
                mean[i, j] = value
                mean[j, i] = value
                compared[i][j] = shared
                compared[j][i] = shared
            }
        }
        return SimilarityMatrix(models: models, sources: sources, meanCosine: mean, probesCompared: compared)
    }
}
