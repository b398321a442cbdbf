/// Several recordings' embeddings in one contiguous, model-major buffer: row i is model i's probes ×
/// dimensions matrix read as one row of K = probes · dimensions values.
///
/// Why one buffer: the similarity matrix is the Gram matrix of these N long rows (`SimilarityMatrix`),
/// which `BlockedGram` reads block by block from it. Why 16-bit steps: every embedding value lies on
/// `EmbeddingGrid` (a multiple of 2⁻¹⁰ within ±1.02), so `Int16` holds it exactly in half the memory of
/// Float32 — and the stack is most of `lineage matrix`'s peak memory (52 models × 805 probes × 512
/// dimensions: 43 MB instead of 86 MB, against 66.5 MB of input). Each block is converted back to
/// Float32 as it is staged for the kernel; the products, hence the matrix, are the same bits.
public struct EmbeddingStack: Sendable {
    public var models: [String]
    /// The recording files, and their SHA-256.
    public var sources: [String]
    public var sha256s: [String]
    /// N × K grid steps (value = step · `EmbeddingGrid.unit`); zero for unanswered probes, as in
    /// `EmbeddedRecording.embeddings`.
    var steps: [Int16]
    /// `answered[i][p]`: whether model i's probe p has a non-zero row.
    public var answered: [[Bool]]
    public let probes: Int
    public let dimensions: Int
    /// Which embedding model made the rows (`EmbeddingModel.version`, `.sha256`).
    public var modelVersion: String
    public var modelSHA256: String

    public var count: Int { models.count }

    /// Embeds `files` with `embed` (called for whole files on up to `threads` workers at once), each
    /// writing into a zeroed Float32 buffer of its worker's that is then stored as grid steps in the file's
    /// row, so no file's embeddings exist twice at full size. Rows are in `files` order; when files fail,
    /// the first failing file's error (in `files` order) is thrown. A value off the grid (an embedding not
    /// made by this tool's embedder) is refused as `mismatchedProbeSet`.
    init(files: [String], probes: Int, model: EmbeddingModel, threads: Int,
         _ embed: @Sendable (String, UnsafeMutableBufferPointer<Float>) throws(InputError) -> Facts) throws(InputError) {
        let dims = model.dimensions, width = probes * dims, sha = model.sha256
        var steps = [Int16](repeating: 0, count: files.count * width)
        let scratch = WorkerPool { UnsafeMutablePointer<Float>.allocate(capacity: max(1, width)) }
        defer { for buffer in scratch.made { buffer.deallocate() } }
        let facts = try steps.withUnsafeMutableBufferPointer { (buffer) throws(InputError) -> [Facts] in
            nonisolated(unsafe) let base = buffer.baseAddress
            return try ParallelWork.map(jobs: files.count, threads: threads) { (index) throws(InputError) -> Facts in
                guard let base else { return try embed(files[index], UnsafeMutableBufferPointer(start: nil, count: 0)) }
                return try scratch.withResource { (row) throws(InputError) -> Facts in
                    row.initialize(repeating: 0, count: width)
                    let facts = try embed(files[index], UnsafeMutableBufferPointer(start: row, count: width))
                    guard EmbeddingGrid.steps(of: row, count: width, into: base + index * width) else {
                        throw InputError(.mismatchedProbeSet, at: SourceLocation(path: facts.source),
                                         "embedding values are not on the 2⁻¹⁰ grid this tool's embedder writes")
                    }
                    return facts
                }
            }
        }
        self.models = facts.map(\.model)
        self.sources = facts.map(\.source)
        self.sha256s = facts.map(\.sha256)
        self.answered = facts.map(\.answered)
        self.steps = steps
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

    /// K = probes · dimensions: the length of one model's row.
    public var width: Int { probes * dimensions }

    /// Model i's embeddings as a probes × dimensions matrix (a Float32 copy).
    public func embeddings(_ i: Int) -> Matrix {
        Matrix(rows: probes, columns: dimensions,
               values: steps[(i * width)..<((i + 1) * width)].map { Float($0) * EmbeddingGrid.unit })
    }

    /// Every row as Float32, N × K (a copy of twice the stack's size: for the benchmark's kernel comparisons).
    public func floatValues() -> Matrix {
        Matrix(rows: count, columns: width, values: steps.map { Float($0) * EmbeddingGrid.unit })
    }

    /// The Gram matrix of the rows (`BlockedGram.gram(steps:rows:columns:unit:)`).
    func gram(_ gram: BlockedGram) -> Matrix {
        steps.withUnsafeBufferPointer { gram.gram(steps: $0, rows: count, columns: width, unit: EmbeddingGrid.unit) }
    }
}
