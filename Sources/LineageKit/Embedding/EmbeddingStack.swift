/// Several recordings' embeddings in one contiguous, model-major buffer: row i of `values` is model i's
/// probes × dimensions matrix read as one row of K = probes · dimensions values.
///
/// Why: the similarity matrix is the Gram matrix of these N long rows (`SimilarityMatrix`), and BLAS reads
/// them in place from one buffer. Separate per-model arrays would first have to be copied block by block
/// into a staging buffer — measured here at 52 models × 805 probes × 512 dimensions as ~23 ms instead of
/// ~16 ms for the whole product, the copy costing as much as a third of the arithmetic.
public struct EmbeddingStack: Sendable {
    public var models: [String]
    /// The recording files, and their SHA-256.
    public var sources: [String]
    public var sha256s: [String]
    /// N × (probes · dimensions); zero rows for unanswered probes, as in `EmbeddedRecording.embeddings`.
    public var values: Matrix
    /// `answered[i][p]`: whether model i's probe p has a non-zero row.
    public var answered: [[Bool]]
    public let probes: Int
    public let dimensions: Int
    /// Which embedding model made the rows (`EmbeddingModel.version`, `.sha256`).
    public var modelVersion: String
    public var modelSHA256: String

    public var count: Int { models.count }

    /// Embeds `files` with `embed` (called for whole files on up to `threads` workers at once), each
    /// writing straight into its own row of the stack, so no file's embeddings exist twice. Rows are in
    /// `files` order; when files fail, the first failing file's error (in `files` order) is thrown.
    init(files: [String], probes: Int, model: EmbeddingModel, threads: Int,
         _ embed: @Sendable (String, UnsafeMutableBufferPointer<Float>) throws(InputError) -> Facts) throws(InputError) {
        let dims = model.dimensions, width = probes * dims, sha = model.sha256
        var values = [Float](repeating: 0, count: files.count * width)
        let facts = try values.withUnsafeMutableBufferPointer { (buffer) throws(InputError) -> [Facts] in
            nonisolated(unsafe) let base = buffer.baseAddress
            return try ParallelWork.map(jobs: files.count, threads: threads) { (index) throws(InputError) -> Facts in
                guard let base else { return try embed(files[index], UnsafeMutableBufferPointer(start: nil, count: 0)) }
                return try embed(files[index], UnsafeMutableBufferPointer(start: base + index * width, count: width))
            }
        }
        self.models = facts.map(\.model)
        self.sources = facts.map(\.source)
        self.sha256s = facts.map(\.sha256)
        self.answered = facts.map(\.answered)
        self.values = Matrix(rows: files.count, columns: width, values: values)
        self.probes = probes
        self.dimensions = dims
        self.modelVersion = model.version
        self.modelSHA256 = sha
    }

    /// Copies an embedded recording (from the cache) into its row, after checking it is `probes` ×
    /// `dimensions` rows of this model; a file that is not is refused as `mismatchedProbeSet`.
    static func place(_ e: EmbeddedRecording, into row: UnsafeMutableBufferPointer<Float>, probes: Int,
                      model: EmbeddingModel) throws(InputError) -> Facts {
        guard e.embeddings.rows == probes, e.embeddings.columns == model.dimensions, e.modelSHA256 == model.sha256 else {
            throw InputError(.mismatchedProbeSet, at: SourceLocation(path: e.source),
                             "embeddings of \(e.embeddings.rows) probes × \(e.embeddings.columns) dimensions from model \(e.modelSHA256.prefix(12)); expected \(probes) × \(model.dimensions) from \(model.sha256.prefix(12))")
        }
        e.embeddings.values.withUnsafeBufferPointer { from in
            if let source = from.baseAddress, let target = row.baseAddress, row.count == from.count {
                target.update(from: source, count: from.count)
            }
        }
        return Facts(model: e.model, source: e.source, sha256: e.sha256, answered: e.answered)
    }

    /// What a stack keeps of each embedded recording besides its rows.
    struct Facts: Sendable {
        var model: String, source: String, sha256: String, answered: [Bool]
    }

    /// Model i's embeddings as a probes × dimensions matrix (a copy).
    public func embeddings(_ i: Int) -> Matrix {
        Matrix(rows: probes, columns: dimensions, values: values.row(i))
    }
}
