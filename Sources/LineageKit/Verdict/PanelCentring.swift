/// The prompt centring (`PromptCentring`) of the structure families on one panel, worked out once for a
/// batch: each family's per-probe panel mean and the centred rows of the candidates and panel models.
///
/// A student whose panel is this one (the same recordings in the same order) takes them instead of
/// centring all of its 1 + C + P models again: the same rows centred on a mean summed in the same order,
/// so the same bits. Only the student's own rows are centred for it. Centred rows are on `EmbeddingGrid`,
/// so they are kept as 16-bit steps (`EmbeddingRows`), exact.
struct PanelCentring: Sendable {
    /// The panel, by recording identity, in pool order.
    let pool: [String]
    let means: [FeatureFamily: [Double]]
    /// Each family's centred rows of every recording given, by recording identity.
    let centred: [FeatureFamily: [String: EmbeddingRows]]

    /// - Parameters: `recordings` (with their `embeddings`): the candidates and panel; `pool`: the panel's
    ///   indices among them, in panel order.
    init(families: Set<FeatureFamily>, model: EmbeddingModel, recordings: [AlignedRecording],
         embeddings: [EmbeddingRows], pool: [Int]) {
        self.pool = pool.map { recordings[$0].identity }
        let answered = embeddings.map(\.answered)
        var means: [FeatureFamily: [Double]] = [:], centred: [FeatureFamily: [String: EmbeddingRows]] = [:]
        for family in families {
            guard let columns = model.layout(family)?.columns else { continue }
            let blocks = embeddings.map { $0.columnsNormalized([columns]) }
            let mean = PromptCentring.mean(blocks, answered: answered, pool: pool)
            means[family] = mean
            var byIdentity: [String: EmbeddingRows] = [:]
            for (m, recording) in recordings.enumerated() {
                let rows = EmbeddingRows(PromptCentring.centre(blocks[m], answered: answered[m], mean: mean), answered: answered[m])
                byIdentity[recording.identity] = rows.compacted() ?? rows
            }
            centred[family] = byIdentity
        }
        self.means = means
        self.centred = centred
    }

    /// Every recording's centred rows of `family` when `pool` is this panel (nil otherwise): the shared
    /// ones, and any other (the student) centred here on the shared mean.
    func rows(_ family: FeatureFamily, columns: Range<Int>, recordings: [AlignedRecording], embeddings: [EmbeddingRows],
              pool: [Int]) -> [EmbeddingRows]? {
        guard pool.map({ recordings[$0].identity }) == self.pool, let mean = means[family], let known = centred[family]
        else { return nil }
        return recordings.indices.map { m in
            known[recordings[m].identity] ?? EmbeddingRows(
                PromptCentring.centre(embeddings[m].columnsNormalized([columns]), answered: embeddings[m].answered, mean: mean),
                answered: embeddings[m].answered)
        }
    }
}
