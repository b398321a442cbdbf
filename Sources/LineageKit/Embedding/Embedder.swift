import Foundation

/// Turns answers into unit vectors with an `EmbeddingModel`.
///
/// Per answer and family: term frequencies of the hashed features, weighted `(1 + ln tf) · idf` (sublinear
/// TF-IDF, Salton & Buckley 1988), projected by `SparseProjection` into the family's columns, the block
/// scaled to length `√(w_f / Σ w)`; then the whole row is L2-normalised. With every block present the
/// cosine of two rows is `Σ_f w_f cos_f / Σ_f w_f`, the research pipeline's combination. An answer with
/// no features (empty text) gives a zero row. Rows end on `EmbeddingGrid` (multiples of 2⁻¹⁰), which makes
/// every BLAS product of them exact and so the same bytes on any CPU and BLAS.
///
/// Work is split into fixed chunks of answers spread over `threads` workers; every row is computed by one
/// worker in a fixed order, so the result is bit-identical for any thread count.
public struct Embedder: Sendable {
    public let model: EmbeddingModel
    /// Worker threads (default: the active processor count).
    public var threads: Int
    /// Answers per chunk of work; fixed, so that chunking never depends on the thread count.
    static let chunkSize = 32
    /// The kernels featurizing runs (`FeaturizerKernels`); the rows are the same on every path.
    var kernels = VectorKernels.path
    /// Counters kept for every text and file this embedder and its copies embed.
    let counterPools: FeatureCounterPools

    public init(model: EmbeddingModel, threads: Int? = nil) {
        self.model = model
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        counterPools = FeatureCounterPools(model: model)
    }

    /// One L2-normalised row per text (a zero row for a text without features).
    public func embed(_ texts: [String]) -> Matrix {
        var out = Matrix(rows: texts.count, columns: model.dimensions)
        out.values.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { embed(texts, into: base) }
        }
        return out
    }

    /// Embeds one aligned recording: probes × dimensions, samples of a probe averaged then renormalised.
    public func embed(_ recording: AlignedRecording) -> EmbeddedRecording {
        var matrix = Matrix(rows: recording.answers.count, columns: model.dimensions)
        let answered = matrix.values.withUnsafeMutableBufferPointer { rows in
            embed(recording, into: rows)
        }
        return EmbeddedRecording(model: recording.model, source: recording.source, sha256: recording.sha256,
                                 embeddings: matrix, answered: answered, familyColumns: model.familyColumns,
                                 modelVersion: model.version, modelSHA256: model.sha256)
    }

    /// Embeds one aligned recording into `rows` (probes × dimensions, all zero on entry), so a caller that
    /// keeps many recordings in one buffer (`EmbeddingStack`) needs no second copy; returns, per probe,
    /// whether its row is non-zero.
    func embed(_ recording: AlignedRecording, into rows: UnsafeMutableBufferPointer<Float>) -> [Bool] {
        let probes = recording.answers.count
        let dims = model.dimensions
        precondition(rows.count == probes * dims)
        guard let base = rows.baseAddress else { return [Bool](repeating: false, count: probes) }
        if recording.answers.allSatisfy({ $0.count <= 1 }) {
            // One sample a probe (the usual case): embed straight into the probe rows.
            embed(recording.answers.map { $0.first ?? "" }, into: base)
        } else {
            let flat = embed(recording.answers.flatMap { $0 })
            var row = 0
            for p in 0..<probes {
                let samples = recording.answers[p].count
                guard samples > 0 else { continue }
                for s in 0..<samples {
                    for d in 0..<dims { base[p * dims + d] += flat.values[(row + s) * dims + d] }
                }
                row += samples
                Self.normalize(base + p * dims, count: dims)
            }
        }
        return Self.answered(base, probes: probes, dimensions: dims)
    }

    /// Per probe, whether its row of `rows` (probes × dimensions) is non-zero: a probe with no answer, or
    /// only answers without features, has a zero row.
    static func answered(_ rows: UnsafePointer<Float>, probes: Int, dimensions dims: Int) -> [Bool] {
        (0..<probes).map { p in (0..<dims).contains { rows[p * dims + $0] != 0 } }
    }

    /// Writes `texts.count` rows of `dimensions` at `base` (already zero): fixed chunks of answers shared
    /// out by `ParallelWork`, each embedded with a counter from the embedder's pool (one per worker in flight).
    func embed(_ texts: [String], into base: UnsafeMutablePointer<Float>) {
        let dims = model.dimensions
        guard !texts.isEmpty, dims > 0 else { return }
        let chunks = (texts.count + Self.chunkSize - 1) / Self.chunkSize
        let model = self.model
        let counters = counterPools.pool(kernels: kernels)
        let projection = SparseProjection(model: model)
        nonisolated(unsafe) let base = base
        ParallelWork.run(jobs: chunks, threads: threads) { chunk in
            counters.withResource { counter in
                let start = chunk * Self.chunkSize
                Self.embed(texts[start..<min(texts.count, start + Self.chunkSize)], into: base + start * dims,
                           counter: counter, projection: projection, model: model)
            }
        }
    }

    /// Writes the rows of `texts` one after another at `base` (already zero), with one counter.
    static func embed(_ texts: ArraySlice<String>, into base: UnsafeMutablePointer<Float>, counter: FeatureCounter,
                      projection: SparseProjection, model: EmbeddingModel) {
        let dims = model.dimensions
        var finisher = RowFinisher(model: model, vectorKernels: counter.vectorKernels)
        for (k, text) in texts.enumerated() {
            drainOne(text, counter: counter, projection: projection, model: model, row: base + k * dims)
            finisher.add(base + k * dims)
        }
        finisher.flush()
    }

    /// Embeds one answer into `row` (zero on entry): `drainOne`, then the row finished on its own.
    static func embedOne(_ text: String, counter: FeatureCounter, projection: SparseProjection,
                         model: EmbeddingModel, row: UnsafeMutablePointer<Float>) {
        drainOne(text, counter: counter, projection: projection, model: model, row: row)
        var finisher = RowFinisher(model: model, vectorKernels: counter.vectorKernels)
        finisher.add(row)
        finisher.flush()
    }

    /// Adds the weighted, projected features of one answer into `row` (zero on entry), each family into its
    /// own block; `RowFinisher` then scales the blocks and the row. An empty text, or a model whose families
    /// all weigh 0, leaves the row zero.
    static func drainOne(_ text: String, counter: FeatureCounter, projection: SparseProjection,
                         model: EmbeddingModel, row: UnsafeMutablePointer<Float>) {
        guard !text.isEmpty else { return }
        guard model.totalWeight > 0 else { return }
        counter.tally(text)
        defer { counter.endDrain() }
        let idfBase = model.idfBase, idfStep = model.idfStep
        // Tables as raw pointers for the loop: no lazy-global check or bounds check per feature.
        sublinearTable.withUnsafeBufferPointer { sublinear in
            for (layout, range) in counter.segments {
                let block = row + layout.columnOffset
                let dims = layout.dimensions
                guard layout.weight > 0 else { counter.drain(range) { _, _, _ in }; continue }
                // One pass over the distinct features: count and IDF from the cell, weight, projection.
                @inline(__always) func weight(_ tf: UInt32, _ code: UInt8) -> Float {
                    (tf < 256 ? sublinear[Int(tf)] : Float(1 + log(Double(tf)))) * (idfBase + Float(code) * idfStep)
                }
                if projection.nonzeros == 1 && counter.kernels != .swift {
                    // Columns and signs of the whole segment first (one pass), then the adds in C.
                    let columns = counter.projectedColumns(range, projection, dims: dims)
                    counter.drainProjected(range, columns: columns, sublinear: sublinear.baseAddress!, idfBase: idfBase,
                                           idfStep: idfStep, into: block, weight: weight)
                } else {
                    counter.drain(range) { bucket, tf, code in
                        let value = weight(tf, code)
                        projection.forEachEntry(bucket: bucket, dims: dims) { column, signBit in
                            block[column] += SparseProjection.signed(value, signBit)
                        }
                    }
                }
            }
        }
    }

    /// `1 + ln(tf)`, tabulated for small counts (computed in Double, so the table is the same everywhere).
    static let sublinearTable: [Float] = (0..<256).map { $0 == 0 ? 0 : Float(1 + log(Double($0))) }

    /// Scales `row[0..<count]` to unit length, then rounds it onto `EmbeddingGrid` (so that BLAS products
    /// of embeddings are exact on any machine); a zero row stays zero.
    static func normalize(_ row: UnsafeMutablePointer<Float>, count: Int) {
        var norm: Float = 0
        for d in 0..<count { norm += row[d] * row[d] }
        scaleToUnit(row, count: count, squaredNorm: norm)
    }

    /// `normalize` once the squared norm of `row[0..<count]` is known (summed in column order).
    static func scaleToUnit(_ row: UnsafeMutablePointer<Float>, count: Int, squaredNorm norm: Float) {
        guard norm > 0 else { return }
        let scale = 1 / norm.squareRoot()
        for d in 0..<count { row[d] *= scale }
        EmbeddingGrid.snap(row, count: count)
    }

    /// The given columns of `matrix` side by side, each row renormalised (zero rows stay zero).
    static func columnsNormalized(_ matrix: Matrix, _ ranges: [Range<Int>]) -> Matrix {
        EmbeddingRows(matrix, answered: []).columnsNormalized(ranges) // the same loop; it reads no `answered`
    }

    /// The given columns of `matrix`, each row renormalised (zero rows stay zero).
    static func columnsNormalized(_ matrix: Matrix, _ columns: Range<Int>) -> Matrix {
        columnsNormalized(matrix, [columns])
    }
}
