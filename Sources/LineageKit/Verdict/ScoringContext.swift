/// Embedded recordings of several models on one probe set and the per-probe similarity tensors
/// between all of them: computed once, then any (student, candidate, panel) triple is scored from it.
struct ScoringContext: Sendable {
    let recordings: [AlignedRecording]
    /// Each model's embeddings (a batch holds its candidates' and panel's as 16-bit steps).
    let embeddings: [EmbeddingRows]
    /// Per-probe cosines of the content families (character and word n-grams; for a model with no
    /// structure family, of the whole embedding, as before structure families existed).
    private(set) var tensor: ProbeSimilarityTensor
    /// Per-probe cosines of each structure family's prompt-centred vectors (`PromptCentring`, centred on
    /// the panel), for the families the verdict's features name.
    private(set) var structure: [FeatureFamily: ProbeSimilarityTensor]
    /// Word n-gram distributions of the models whose divergences are reported (nil for the others).
    let ngrams: [NgramDistribution?]
    /// The same models' self-Gram matrices over all probes, for the MMD (nil for the others).
    let selfGrams: [SymmetricMatrix?]

    /// - Parameters:
    ///   - divergencesFor: the models whose n-gram distributions are needed (students and candidates; the
    ///     panel only enters through similarities).
    ///   - structureFamilies: the structure families to centre and compare; `centringPool`: the models whose
    ///     mean answer is taken away per probe (the panel).
    ///   - cache: where embeddings may come from (`Embedder.embed(_:format:probeSet:cache:)`; the same bits).
    init(recordings: [AlignedRecording], embedder: Embedder, divergencesFor: Set<Int> = [],
         structureFamilies: Set<FeatureFamily> = [], centringPool: [Int] = [],
         cache: (cache: EmbeddingCache, probeSet: ProbeSet, format: RecordingFormat?)? = nil) {
        self.init(recordings: recordings, embedded: recordings.map { Self.embed($0, embedder, cache) }, model: embedder.model,
                  divergencesFor: divergencesFor, structureFamilies: structureFamilies, centringPool: centringPool)
    }

    /// One recording's embeddings, from the cache when there is one (the same bits).
    static func embed(_ recording: AlignedRecording, _ embedder: Embedder,
                      _ cache: (cache: EmbeddingCache, probeSet: ProbeSet, format: RecordingFormat?)?) -> EmbeddedRecording {
        guard let cache else { return embedder.embed(recording) }
        return embedder.embed(recording, format: cache.format, probeSet: cache.probeSet, cache: cache.cache)
    }

    /// The context of recordings embedded already (`embedded[i]` of `recordings[i]`, by `model`).
    /// - Parameters:
    ///   - distribution: a model's word n-gram distribution; `selfGram`: its embeddings' Gram matrix, or nil
    ///     to compute it here (a batch computes each candidate's once).
    ///   - anchor: compute only this model's pairs (`ProbeSimilarityTensor`'s anchored form): enough to judge
    ///     it as a student, not to score panel models as candidates (the report does that).
    ///   - centring: the panel's centring worked out once (a batch), used when `centringPool` is its panel.
    init(recordings: [AlignedRecording], embedded: [EmbeddedRecording], model: EmbeddingModel, divergencesFor: Set<Int> = [],
         structureFamilies: Set<FeatureFamily> = [], centringPool: [Int] = [],
         distribution: (@Sendable (AlignedRecording) -> NgramDistribution)? = nil,
         selfGram: (@Sendable (AlignedRecording) -> SymmetricMatrix?)? = nil, threads: Int = 1,
         anchor: Int? = nil, centring: PanelCentring? = nil) {
        self.init(recordings: recordings, rows: embedded.map { EmbeddingRows($0) }, model: model, divergencesFor: divergencesFor,
                  structureFamilies: structureFamilies, centringPool: centringPool, distribution: distribution,
                  selfGram: selfGram, threads: threads, anchor: anchor, centring: centring)
    }

    /// The context of recordings' embedding rows (`rows[i]` of `recordings[i]`), Float32 or 16-bit steps.
    init(recordings: [AlignedRecording], rows embeddings: [EmbeddingRows], model: EmbeddingModel, divergencesFor: Set<Int>,
         structureFamilies: Set<FeatureFamily>, centringPool: [Int],
         distribution: (@Sendable (AlignedRecording) -> NgramDistribution)?,
         selfGram: (@Sendable (AlignedRecording) -> SymmetricMatrix?)?, threads: Int, anchor: Int?, centring: PanelCentring?) {
        self.recordings = recordings
        self.embeddings = embeddings
        let answered = embeddings.map(\.answered)
        let content = model.families.filter { $0.dimensions > 0 && !$0.family.isStructure }.map(\.columns)
        let whole = content.count == model.families.filter({ $0.dimensions > 0 }).count
        // The content tensor and each structure family's are independent jobs, shared over the threads.
        let families = structureFamilies.sorted(by: { $0.rawValue < $1.rawValue })
            .compactMap { family in model.layout(family).map { (family, $0.columns) } }
        let tensors = ParallelWork.map(jobs: 1 + families.count, threads: threads) { [recordings] job -> ProbeSimilarityTensor in
            guard job > 0 else { return ProbeSimilarityTensor(rows: embeddings, columns: whole ? nil : content, anchor: anchor) }
            let (family, columns) = families[job - 1]
            let centred = centring?.rows(family, columns: columns, recordings: recordings, embeddings: embeddings,
                                         pool: centringPool)
                ?? zip(PromptCentring.centred(embeddings.map { $0.columnsNormalized([columns]) }, answered: answered,
                                              pool: centringPool), answered).map { EmbeddingRows($0, answered: $1) }
            return ProbeSimilarityTensor(rows: centred, columns: nil, anchor: anchor)
        }
        tensor = tensors[0]
        structure = Dictionary(uniqueKeysWithValues: zip(families.map(\.0), tensors.dropFirst()))
        let counters = WorkerPool { FeatureCounter(model: model) }
        let distribution = distribution ?? { recording in counters.withResource { NgramDistribution(recording: recording, counter: $0) } }
        let prepared = divergencesFor.sorted()
        let embeddings = embeddings
        let distributions = ParallelWork.map(jobs: prepared.count, threads: threads) { [recordings] k in
            (distribution(recordings[prepared[k]]),
             selfGram?(recordings[prepared[k]]) ?? SymmetricMatrix(upperTriangleOf: BLAS.gram(embeddings[prepared[k]].matrix)))
        }
        var ngrams = [NgramDistribution?](repeating: nil, count: recordings.count)
        var selfGrams = [SymmetricMatrix?](repeating: nil, count: recordings.count)
        for (k, index) in prepared.enumerated() { (ngrams[index], selfGrams[index]) = distributions[k] }
        self.ngrams = ngrams
        self.selfGrams = selfGrams
    }

    /// The verdict's features of a pair, in `features` order (NaN where a family's tensor is absent).
    func evidence(_ features: [EvidenceFeature], student: Int, candidate: Int, panel: [Int],
                  over subset: [Int]? = nil) -> [Double] {
        features.map { feature in
            guard let family = feature.family else {
                return ImpostorScore.compute(tensor, student: student, candidate: candidate, panel: panel, over: subset).score
            }
            guard let centred = structure[family] else { return .nan }
            switch feature.statistic {
            case .meanCosine: return centred.meanCosine(student, candidate, over: subset)
            case .impostorScore:
                return ImpostorScore.compute(centred, student: student, candidate: candidate, panel: panel, over: subset).score
            }
        }
    }

    /// Jensen–Shannon divergence of two models' word n-grams (NaN when either was not prepared).
    func jensenShannon(_ a: Int, _ b: Int) -> Double {
        guard let first = ngrams[a], let second = ngrams[b] else { return .nan }
        return first.jensenShannon(second)
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
        let grams = selfGrams[student].flatMap { x in selfGrams[candidate].map { (x: x, y: $0) } }
        let mmd = MaximumMeanDiscrepancy.compute(embeddings[student].matrix, embeddings[candidate].matrix, comparable: comparable,
                                                 permutations: options.permutations, seed: seed &+ 1, selfGrams: grams)
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
                              jensenShannon: jensenShannon(student, candidate),
                              perProbe: PerProbeSimilarity(candidate: candidateSeries, panelMean: panelMean,
                                                           panelMax: panelMax))
    }
}

extension ScoringContext {
    /// This context with every cosine less the shift its family's `LengthShift` expects at the two answers'
    /// length difference on that probe (families without one keep their cosines); `logLengths` as
    /// `LengthShift.logLengths` gives them for its recordings, when the caller has them already.
    func lengthAdjusted(_ shifts: [LengthShift], logLengths: [[Double]]? = nil) -> ScoringContext {
        let logLengths = logLengths ?? recordings.map(LengthShift.logLengths)
        func adjusted(_ tensor: ProbeSimilarityTensor, _ family: String) -> ProbeSimilarityTensor {
            guard let shift = shifts.first(where: { $0.family == family }) else { return tensor }
            return tensor.subtracting { i, j, probe in
                Float(shift.shift(LengthShift.difference(logLengths[i][probe], logLengths[j][probe])))
            }
        }
        var copy = self
        copy.tensor = adjusted(tensor, EvidenceFeature.ngram.familyName)
        copy.structure = Dictionary(uniqueKeysWithValues: structure.map { ($0.key, adjusted($0.value, $0.key.description)) })
        return copy
    }
}
