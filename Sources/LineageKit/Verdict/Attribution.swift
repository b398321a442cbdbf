import Foundation

/// What an attribution run reads.
public struct AttributionRequest: Sendable {
    public var student: String
    public var candidates: [String]
    /// Panel recording files; the student and candidates are removed from it automatically.
    public var panel: [String]
    public var probeSet: ProbeSet
    public var inputFormat: RecordingFormat?
    public var model: EmbeddingModel
    public var calibration: Calibration
    public var options: AttributionOptions
    /// Where embeddings may come from and go (never part of a result: the same bits either way).
    public var cache: EmbeddingCache?

    public init(student: String, candidates: [String], panel: [String], probeSet: ProbeSet,
                inputFormat: RecordingFormat? = nil, model: EmbeddingModel, calibration: Calibration,
                options: AttributionOptions = AttributionOptions(), cache: EmbeddingCache? = nil) {
        self.student = student
        self.candidates = candidates
        self.panel = panel
        self.probeSet = probeSet
        self.inputFormat = inputFormat
        self.model = model
        self.calibration = calibration
        self.options = options
        self.cache = cache
    }
}

/// Errors of an attribution run that are not about one input file.
public struct AttributionError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Scores a student against candidate teachers, each judged against the panel.
public enum Attribution {
    /// The smallest panel that makes a standard deviation meaningful.
    public static let minimumPanel = 5

    /// Refuses features whose family the embedding model lacks (a calibration fitted with another model).
    static func checkFeatures(_ features: [EvidenceFeature], model: EmbeddingModel) throws(AttributionError) {
        for feature in features {
            guard let family = feature.family else { continue }
            guard model.layout(family) != nil else {
                throw AttributionError(description: "the calibration weighs \(feature), but the embedding model \(model.version) has no \(family) family: use the model the calibration was fitted with (or re-run `lineage calibrate`)")
            }
        }
    }

    /// The result alone: only the student's pairs are compared (the anchored tensors), which is all a
    /// result holds; a report, which also scores panel models, runs `runKeepingInputs`. The same bytes.
    public static func run(_ request: AttributionRequest,
                           progress: (@Sendable (String) -> Void)? = nil) throws -> AttributionResult {
        try runKeepingInputs(request, progress: progress, studentPairsOnly: true).result
    }

    /// Runs, and also returns the aligned recordings, which the report's evidence exhibits quote.
    public static func runKeepingInputs(_ request: AttributionRequest,
                                        progress: (@Sendable (String) -> Void)? = nil,
                                        studentPairsOnly: Bool = false) throws -> AttributionRun {
        let set = request.probeSet
        progress?("reading the student, \(request.candidates.count) candidate(s) and \(request.panel.count) panel file(s)")
        // Files are read on every core; an error is the first failing file's in argument order, as a serial read's.
        let paths = [request.student] + request.candidates + request.panel
        let loaded = try ParallelWork.map(jobs: paths.count, threads: ProcessInfo.processInfo.activeProcessorCount) {
            (k) throws(InputError) in try Aligner.align(path: paths[k], format: request.inputFormat, to: set)
        }
        let student = loaded[0]
        let candidates = Array(loaded[1..<(1 + request.candidates.count)])
        let panel = Array(loaded[(1 + request.candidates.count)...])
        progress?("embedding \(1 + candidates.count + panel.count) recordings")
        let embedder = Embedder(model: request.model)
        let cache = request.cache.map { ($0, set, request.inputFormat) }
        // The candidates are scored on every core, each with single-threaded BLAS (the same bits).
        return try BLASThreads.singleThreaded {
            try assess(student: student, embedded: EmbeddingRows(ScoringContext.embed(student, embedder, cache)),
                       candidates: candidates, panel: panel, request: request, progress: progress, threads: embedder.threads,
                       studentPairsOnly: studentPairsOnly) {
                EmbeddingRows(ScoringContext.embed($0, embedder, cache))
            }
        }
    }

    /// The attribution of one student, aligned and embedded, against candidates and panel files: the one
    /// path single and batch runs share, so each student's result is the same bytes either way.
    /// - Parameters:
    ///   - embedded: the student's embeddings; `embed`: those of a candidate or panel recording (a batch holds
    ///     them as 16-bit steps, the same values); `distribution`, `selfGram`, `profile`: a
    ///     candidate's n-gram distribution, self-Gram matrix and answer profile (a batch computes each once).
    ///   - threads: workers for the candidates' statistics and the n-gram distributions (a batch, which
    ///     judges one student a core, passes 1); the result does not depend on it.
    ///   - studentPairsOnly: similarities of the student's pairs only (a batch or a run that writes no report:
    ///     the run's tensor then cannot score panel models as candidates); `centring`: the panel's
    ///     structure centring worked out once. Neither changes the result.
    static func assess(student: AlignedRecording, embedded studentEmbedding: EmbeddingRows,
                       candidates: [AlignedRecording], panel files: [AlignedRecording], request: AttributionRequest,
                       progress: (@Sendable (String) -> Void)?, threads: Int = 1,
                       distribution: (@Sendable (AlignedRecording) -> NgramDistribution)? = nil,
                       selfGram: (@Sendable (AlignedRecording) -> SymmetricMatrix?)? = nil,
                       profile: (@Sendable (AlignedRecording) -> AnswerProfile)? = nil,
                       studentPairsOnly: Bool = false, centring: PanelCentring? = nil,
                       embed: (AlignedRecording) -> EmbeddingRows) throws -> AttributionRun {
        let set = request.probeSet
        var seenNames: Set<String> = [student.model]
        for candidate in candidates {
            guard seenNames.insert(candidate.model).inserted else {
                throw AttributionError(description: "model \"\(candidate.model)\" (\(candidate.source)) is given twice among the student and candidates")
            }
        }
        var selection = PanelSelection(underTest: [student] + candidates)
        for recording in files { selection.consider(recording) }
        let panel = selection.kept
        guard panel.count >= minimumPanel else {
            throw AttributionError(description: "the panel has \(panel.count) models once the student and candidates are left out; at least \(minimumPanel) are needed")
        }
        let features = try request.calibration.features
        try checkFeatures(features, model: request.model)
        let all = [student] + candidates + panel
        let panelIndices = Array((1 + candidates.count)..<all.count)
        let rows = [studentEmbedding] + (candidates + panel).map(embed)
        let context = ScoringContext(recordings: all, rows: rows,
                                     model: request.model, divergencesFor: Set(0...candidates.count),
                                     structureFamilies: Set(features.compactMap(\.family)), centringPool: panelIndices,
                                     distribution: distribution, selfGram: selfGram, threads: threads,
                                     anchor: studentPairsOnly ? 0 : nil, centring: centring)
        let map = request.calibration.map
        let calibrated = !map.features.isEmpty
        let supported = request.calibration.supported
        let studentProfile = AnswerProfile(student, probeSet: set)
        progress?("scoring \(candidates.count) candidate(s)")
        // Each candidate's answer profile (a batch's, or worked out here) beside its statistics.
        let scored = ParallelWork.map(jobs: candidates.count, threads: threads) { k in
            (context.statistics(student: 0, candidate: 1 + k, panel: panelIndices, options: request.options,
                                seed: pairSeed(request.options.seed, student: student.model, candidate: candidates[k].model)),
             context.evidence(features, student: 0, candidate: 1 + k, panel: panelIndices),
             profile?(candidates[k]) ?? AnswerProfile(candidates[k], probeSet: set))
        }
        /// Candidate `k`'s score, LR, verdict and reasons from its features `x` against a panel of `panelSize`
        /// models (uncalibrated: the n-gram score, which is then the only feature, and LR 1).
        @Sendable func judge(_ x: [Double], candidate k: Int, panelSize: Int) -> (score: Double, log10LR: Double, verdict: Verdict, reasons: [String]) {
            let score = calibrated ? map.score(x) : x[0]
            let log10LR = calibrated ? map.log10LikelihoodRatio(score: score) : 0
            let reasons = supported.reasons(comparedProbes: scored[k].0.impostor.probesCompared, panelSize: panelSize,
                                            student: studentProfile, candidate: scored[k].2,
                                            studentName: student.model, candidateName: candidates[k].model)
            return (score, log10LR, Verdict.decide(log10LR: log10LR, options: request.options, bounds: map.bounds,
                                                   sufficient: reasons.isEmpty), reasons)
        }
        var assessments: [CandidateAssessment] = []
        for (k, candidate) in candidates.enumerated() {
            let (statistics, x, _) = scored[k]
            let judged = judge(x, candidate: k, panelSize: panel.count)
            let evidence = features.indices.map { j in
                EvidenceValue(feature: features[j].description, value: x[j],
                              contribution: calibrated ? map.contribution(ofFeature: j, value: x[j]) : 0)
            }
            assessments.append(CandidateAssessment(
                model: candidate.model, source: candidate.source, rank: 0, score: judged.score,
                log10LikelihoodRatio: judged.log10LR, verbal: VerbalScale.phrase(log10LR: judged.log10LR),
                pValue: statistics.impostor.pValue, pValueHolm: 1, verdict: judged.verdict,
                inconclusiveReasons: judged.reasons.isEmpty ? nil : judged.reasons, evidence: evidence, statistics: statistics))
        }
        let adjusted = MultipleTesting.holm(assessments.map(\.pValue))
        for k in assessments.indices { assessments[k].pValueHolm = adjusted[k] }
        assessments.sort { ($0.score, $1.model) > ($1.score, $0.model) }
        for k in assessments.indices { assessments[k].rank = k + 1 }
        var jackknife: PanelJackknife? = nil
        if request.options.panelJackknife {
            progress?("judging every candidate with each of \(panel.count) panel models left out")
            let order = assessments.map { a in candidates.firstIndex { $0.model == a.model } ?? 0 }
            let families = Set(features.compactMap(\.family))
            // Each omission is its own context (the structure families centred on the smaller panel), anchored
            // on the student: one job a core, each with one thread, so the bits do not depend on the threads.
            let omitted = ParallelWork.map(jobs: panel.count, threads: threads) { [all, rows, model = request.model] j in
                let pool = panelIndices.filter { $0 != panelIndices[j] }
                let reduced = ScoringContext(recordings: all, rows: rows, model: model, divergencesFor: [],
                                             structureFamilies: families, centringPool: pool, distribution: nil,
                                             selfGram: nil, threads: 1, anchor: 0, centring: nil)
                return order.map { k in
                    judge(reduced.evidence(features, student: 0, candidate: 1 + k, panel: pool), candidate: k, panelSize: pool.count)
                }
            }
            jackknife = PanelJackknife.of(ranking: assessments.map { ($0.model, $0.verdict) }, panel: panel.map(\.model),
                                          scores: omitted.map { $0.map(\.score) }, log10LRs: omitted.map { $0.map(\.log10LR) },
                                          verdicts: omitted.map { $0.map(\.verdict) }, calibrated: calibrated)
        }
        let lengthCheck = calibrated ? request.calibration.lengthAdjustment.flatMap {
            LengthCheck.of($0, context: context, features: features, candidates: candidates.map(\.model), panel: panelIndices,
                           verdictFirst: assessments.first?.model ?? "")
        } : nil
        let candidateInputs: [ModelInput] = candidates.indices.map { ModelInput(candidates[$0], answers: scored[$0].2) }
        let result = AttributionResult(
            student: ModelInput(student, answers: studentProfile), candidates: candidateInputs,
            panel: panel.map { ModelInput($0) }, panelExcluded: selection.excluded, ranking: assessments,
            rankingMargin: RankingMargin.of(assessments, threshold: request.options.decisionLog10LR),
            probeSet: ProbeSetReference(name: set.name, path: set.path, sha256: set.sha256, probes: set.probes.count),
            embeddingModel: EmbeddingReference(version: request.model.version, sha256: request.model.sha256,
                                               dimensions: request.model.dimensions),
            calibration: request.calibration.reference(probeSet: set, model: request.model, panel: panel.map(\.model),
                                                       student: student.model, candidates: assessments.map(\.model)),
            options: request.options, panelJackknife: jackknife, lengthCheck: lengthCheck)
        return AttributionRun(result: result, student: student, candidates: candidates, panel: panel,
                              tensor: context.tensor, context: context, features: features)
    }
}

extension Attribution {
    /// The seed of one pair's resampling, from the run's seed and the two model names: a pair gets the same
    /// interval and MMD p-value whichever other candidates it is ranked among (`compare` and `attribute`).
    static func pairSeed(_ seed: UInt64, student: String, candidate: String) -> UInt64 {
        StableHash.hash(student + "\u{0}" + candidate, seed: seed)
    }
}

/// An attribution's result with the aligned recordings it was computed from.
public struct AttributionRun: Sendable {
    public var result: AttributionResult
    public var student: AlignedRecording
    public var candidates: [AlignedRecording]
    public var panel: [AlignedRecording]
    /// Per-probe similarities of [student] + candidates + panel, in that order.
    public var tensor: ProbeSimilarityTensor
    /// Everything the pair features are computed from (the report scores panel models with it).
    var context: ScoringContext
    var features: [EvidenceFeature]
}
