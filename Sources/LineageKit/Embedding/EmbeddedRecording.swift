/// One model's answers as embeddings: a row per probe of the set (in set order), zero where the model
/// gave no answer.
public struct EmbeddedRecording: Sendable {
    public var model: String
    /// The recording file, and its SHA-256.
    public var source: String
    public var sha256: String
    /// probes × dimensions, rows L2-normalised (several samples of one probe averaged, then renormalised);
    /// a zero row where `answered[p]` is false.
    public var embeddings: Matrix
    /// Whether probe `p` has an answer with at least one feature (a non-zero row).
    public var answered: [Bool]
    /// The columns of each feature family the model uses (see `block(_:)`).
    public var familyColumns: [FeatureFamily: Range<Int>]
    /// Which embedding model made the rows (`EmbeddingModel.version`, `.sha256`).
    public var modelVersion: String
    public var modelSHA256: String

    public init(model: String, source: String, sha256: String, embeddings: Matrix, answered: [Bool],
                familyColumns: [FeatureFamily: Range<Int>], modelVersion: String, modelSHA256: String) {
        self.model = model
        self.source = source
        self.sha256 = sha256
        self.embeddings = embeddings
        self.answered = answered
        self.familyColumns = familyColumns
        self.modelVersion = modelVersion
        self.modelSHA256 = modelSHA256
    }

    public var probeCount: Int { embeddings.rows }
    public var answeredCount: Int { answered.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// The columns of one family with each row renormalised to unit length (zero rows stay zero), so
    /// that a statistic can use one family alone (e.g. style only). Nil when the model lacks the family.
    public func block(_ family: FeatureFamily) -> Matrix? {
        guard let columns = familyColumns[family] else { return nil }
        return Embedder.columnsNormalized(embeddings, columns)
    }
}
