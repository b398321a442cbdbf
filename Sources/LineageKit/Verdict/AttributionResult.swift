/// A model as it entered a run: its name, the file it came from, and how it aligned.
public struct ModelInput: Sendable, Codable, Equatable {
    public var model: String
    public var source: String
    public var sha256: String
    public var format: String
    public var probes: AlignmentSummary
    public var notes: ReadingNotes

    init(_ recording: AlignedRecording) {
        model = recording.model
        source = recording.source
        sha256 = recording.sha256
        format = recording.format.rawValue
        probes = recording.summary
        notes = recording.notes
    }
}

/// The supporting statistics of one student–candidate pair.
public struct PairStatistics: Sendable, Codable, Equatable {
    public var impostor: ImpostorScore
    public var scoreInterval: ClosedInterval
    public var mmd: MaximumMeanDiscrepancy
    /// Jensen–Shannon divergence (bits) of the two models' pooled n-gram distributions.
    public var jensenShannon: Double
    /// The candidate's per-probe cosine to the student, and the panel's per-probe mean and quantiles,
    /// in probe order (NaN where not comparable) — the data of the per-probe plot.
    public var perProbe: PerProbeSimilarity

    enum CodingKeys: String, CodingKey {
        case impostor, scoreInterval = "score_interval", mmd, jensenShannon = "jensen_shannon_bits"
        case perProbe = "per_probe"
    }
}

public struct PerProbeSimilarity: Sendable, Codable, Equatable {
    public var candidate: [Double?]
    public var panelMean: [Double?]
    public var panelMax: [Double?]

    enum CodingKeys: String, CodingKey { case candidate, panelMean = "panel_mean", panelMax = "panel_max" }
}

/// One feature's value for a pair, and its share of the score (weight · standardised value, log10 units).
public struct EvidenceValue: Sendable, Codable, Equatable {
    public var feature: String
    public var value: Double
    public var contribution: Double
}

/// One candidate teacher's assessment. `score` is the calibrated score (the fused log10 LR before its
/// bounds; without a calibration, the n-gram impostor score), `pValue` the n-gram impostor p-value.
public struct CandidateAssessment: Sendable, Codable, Equatable {
    public var model: String
    public var source: String
    public var rank: Int
    public var score: Double
    public var log10LikelihoodRatio: Double
    public var verbal: String
    public var pValue: Double
    public var pValueHolm: Double
    public var verdict: Verdict
    /// Why the evidence was not enough for a verdict (absent when it was): `EvidenceSufficiency`.
    public var inconclusiveReasons: [String]?
    /// The features the score weighs, by name, with this pair's values.
    public var evidence: [EvidenceValue]
    public var statistics: PairStatistics

    enum CodingKeys: String, CodingKey {
        case model, source, rank, score, log10LikelihoodRatio = "log10_likelihood_ratio", verbal
        case pValue = "p_value", pValueHolm = "p_value_holm", verdict, inconclusiveReasons = "inconclusive_reasons"
        case evidence, statistics
    }
}

/// Everything an attribution run found: the student, the candidates best first, and what they were
/// judged against.
public struct AttributionResult: Sendable, Codable, Equatable {
    public var student: ModelInput
    public var candidates: [ModelInput]
    public var panel: [ModelInput]
    /// Panel recordings left out, with why (`PanelSelection`): the student or a candidate, or a repeat of
    /// an earlier panel file's bytes or model name.
    public var panelExcluded: [PanelExclusion]
    public var ranking: [CandidateAssessment]
    public var probeSet: ProbeSetReference
    public var embeddingModel: EmbeddingReference
    public var calibration: CalibrationReference
    public var options: AttributionOptions

    enum CodingKeys: String, CodingKey {
        case student, candidates, panel, panelExcluded = "panel_excluded", ranking
        case probeSet = "probe_set", embeddingModel = "embedding_model", calibration, options
    }
}

public struct ProbeSetReference: Sendable, Codable, Equatable {
    public var name: String
    public var path: String
    public var sha256: String
    public var probes: Int
}

public struct EmbeddingReference: Sendable, Codable, Equatable {
    public var version: String
    public var sha256: String
    public var dimensions: Int
}

public struct CalibrationReference: Sendable, Codable, Equatable {
    public var path: String
    public var sha256: String
    /// The configuration it was fitted on: probe set, embedding model, panel size.
    public var probeSet: String
    public var embeddingModel: String
    public var panelSize: Int
    public var map: LikelihoodRatioFusion
    /// The leave-one-student-out error rates of this configuration on all its labelled pairs, and per
    /// confidence tier.
    public var errorRates: CalibrationMetrics
    public var errorRatesByTier: [CalibrationMetrics]
    /// The evidence those error rates speak for.
    public var supported: EvidenceSufficiency
    /// Whether the student is one of the calibration's labelled students: its error rates then include
    /// this very student's pairs (judged without them, leave-one-student-out).
    public var studentInCalibration: Bool = false
    /// How this run differs from the configuration the calibration was fitted on (probe set, embedding
    /// model, panel); empty when it is the same. Where it differs, the stated error rates are not this run's.
    public var mismatches: [String] = []

    enum CodingKeys: String, CodingKey {
        case path, sha256, probeSet = "probe_set", embeddingModel = "embedding_model", panelSize = "panel_size", map
        case errorRates = "error_rates", errorRatesByTier = "error_rates_by_tier", supported
        case studentInCalibration = "student_in_calibration", mismatches
    }
}
