/// The prompt centring (`PromptCentring`) of the structure families on one panel, worked out once for a
/// batch: each family's per-probe panel mean and the centred blocks of the candidates and panel models.
///
/// A student whose panel is this one (the same recordings in the same order) takes them instead of
/// centring all of its 1 + C + P models again: the same rows centred on a mean summed in the same order,
/// so the same bits. Only the student's own block is centred for it.
struct PanelCentring: Sendable {
    /// The panel, by recording identity, in pool order.
    let pool: [String]
    let means: [FeatureFamily: [Double]]
    /// Each family's centred block of every recording given, by recording identity.
    let centred: [FeatureFamily: [String: Matrix]]

    /// - Parameters: `recordings` (with their `embeddings` and `answered` rows): the candidates and panel;
    ///   `pool`: the panel's indices among them, in panel order.
    init(families: Set<FeatureFamily>, model: EmbeddingModel, recordings: [AlignedRecording],
         embeddings: [Matrix], answered: [[Bool]], pool: [Int]) {
        self.pool = pool.map { recordings[$0].identity }
        var means: [FeatureFamily: [Double]] = [:], centred: [FeatureFamily: [String: Matrix]] = [:]
        for family in families {
            guard let columns = model.layout(family)?.columns else { continue }
            let blocks = embeddings.map { Embedder.columnsNormalized($0, [columns]) }
            let mean = PromptCentring.mean(blocks, answered: answered, pool: pool)
            means[family] = mean
            var byIdentity: [String: Matrix] = [:]
            for (m, recording) in recordings.enumerated() {
                byIdentity[recording.identity] = PromptCentring.centre(blocks[m], answered: answered[m], mean: mean)
            }
            centred[family] = byIdentity
        }
        self.means = means
        self.centred = centred
    }

    /// Every recording's centred block of `family` when `pool` is this panel (nil otherwise): the shared
    /// ones, and any other (the student) centred here on the shared mean.
    func blocks(_ family: FeatureFamily, columns: Range<Int>, recordings: [AlignedRecording], embeddings: [Matrix],
                answered: [[Bool]], pool: [Int]) -> [Matrix]? {
        guard pool.map({ recordings[$0].identity }) == self.pool, let mean = means[family], let known = centred[family]
        else { return nil }
        return recordings.indices.map { m in
            known[recordings[m].identity]
                ?? PromptCentring.centre(Embedder.columnsNormalized(embeddings[m], [columns]), answered: answered[m], mean: mean)
        }
    }
}
