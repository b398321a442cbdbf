/// Embedded recordings of several models on one probe set and the per-probe similarity tensor
/// between all of them: computed once, then any (student, candidate, panel) triple is scored from it.
struct ScoringContext {
    let recordings: [AlignedRecording]
    let embeddings: [Matrix]
    let tensor: ProbeSimilarityTensor
    let ngrams: [NgramDistribution]

    init(recordings: [AlignedRecording], embedder: Embedder) {
        self.recordings = recordings
        let embedded = recordings.map { embedder.embed($0) }
        embeddings = embedded.map(\.embeddings)
        tensor = ProbeSimilarityTensor(embeddings: embeddings, answered: embedded.map(\.answered))
        ngrams = recordings.map { NgramDistribution(recording: $0, model: embedder.model) }
    }

    func score(student: Int, candidate: Int, panel: [Int]) -> ImpostorScore {
        ImpostorScore.compute(tensor, student: student, candidate: candidate, panel: panel)
    }

    /// The full supporting statistics of a pair (bootstrap, MMD, JS, per-probe series).
    func statistics(student: Int, candidate: Int, panel: [Int], options: AttributionOptions,
                    seed: UInt64) -> PairStatistics {
        let impostor = score(student: student, candidate: candidate, panel: panel)
        let interval = ImpostorScore.bootstrapInterval(tensor, student: student, candidate: candidate, panel: panel,
                                                       resamples: options.bootstrapResamples, seed: seed)
        let comparable = tensor.comparableProbes(student, candidate)
        let mmd = MaximumMeanDiscrepancy.compute(embeddings[student], embeddings[candidate], comparable: comparable,
                                                 permutations: options.permutations, seed: seed &+ 1)
        var candidateSeries: [Double?] = []
        var panelMean: [Double?] = []
        var panelMax: [Double?] = []
        for probe in 0..<tensor.probes {
            candidateSeries.append(tensor.isComparable(student, candidate, probe: probe)
                                   ? Double(tensor.cosine(student, candidate, probe: probe)) : nil)
            let values = panel.filter { tensor.isComparable(student, $0, probe: probe) }
                .map { Double(tensor.cosine(student, $0, probe: probe)) }
            panelMean.append(values.isEmpty ? nil : Descriptive.mean(values))
            panelMax.append(values.max())
        }
        return PairStatistics(impostor: impostor, scoreInterval: interval, mmd: mmd,
                              jensenShannon: ngrams[student].jensenShannon(ngrams[candidate]),
                              perProbe: PerProbeSimilarity(candidate: candidateSeries, panelMean: panelMean,
                                                           panelMax: panelMax))
    }
}
