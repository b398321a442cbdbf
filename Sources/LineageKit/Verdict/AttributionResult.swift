/// A model as it entered a run: its name, the file it came from, and how it aligned.
public struct ModelInput: Sendable, Codable, Equatable {
    public var model: String
    public var source: String
    public var sha256: String
    public var format: String
    public var probes: AlignmentSummary
    public var notes: ReadingNotes
    /// How its answers look as evidence (the student's and the candidates'; absent for panel models): what
    /// `EvidenceSufficiency` judged, and the answer lengths a reader weighs against the ranking (two answers
    /// of unlike length look less alike in every feature family; METHOD.md §10).
    public var answers: AnswerProfile?

    init(_ recording: AlignedRecording, answers: AnswerProfile? = nil) {
        model = recording.model
        source = recording.source
        sha256 = recording.sha256
        format = recording.format.rawValue
        probes = recording.summary
        notes = recording.notes
        self.answers = answers
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

/// Per probe, in probe order: the candidate's cosine to the student, and the panel's mean and largest cosine to
/// the student (nil where not comparable).
///
/// Held compactly: a cosine is a Float32 value and a missing one NaN, so a probe takes 16 bytes instead of the 48
/// of three `[Double?]` entries. A batch holds one series per student and candidate until it writes its
/// document (26 MB of the 68-student batch's peak as `[Double?]`). Encoded as before: numbers, and null for nil.
public struct PerProbeSimilarity: Sendable, Codable, Equatable {
    private let candidates: [Float]
    private let panelMeans: [Double]
    private let panelMaxima: [Float]

    public var candidate: [Double?] { candidates.map { $0.isNaN ? nil : Double($0) } }
    public var panelMean: [Double?] { panelMeans.map { $0.isNaN ? nil : $0 } }
    public var panelMax: [Double?] { panelMaxima.map { $0.isNaN ? nil : Double($0) } }

    /// - Parameters: `candidate` and `panelMax` hold Float32 cosines (widened); none of the values is NaN.
    public init(candidate: [Double?], panelMean: [Double?], panelMax: [Double?]) {
        guard let series = Self.compact(candidate, panelMean, panelMax) else {
            preconditionFailure("per-probe cosines are Float32 values, and none is NaN")
        }
        (candidates, panelMeans, panelMaxima) = series
    }

    /// The three series as stored, or nil when a cosine is not a Float32 value or a value is NaN.
    private static func compact(_ candidate: [Double?], _ panelMean: [Double?], _ panelMax: [Double?])
        -> ([Float], [Double], [Float])? {
        func narrow(_ values: [Double?]) -> [Float]? {
            var out: [Float] = []
            out.reserveCapacity(values.count)
            for value in values {
                guard let value else { out.append(.nan); continue }
                guard Double(Float(value)) == value else { return nil }  // NaN fails this too
                out.append(Float(value))
            }
            return out
        }
        guard let candidates = narrow(candidate), let maxima = narrow(panelMax),
              !panelMean.contains(where: { $0?.isNaN ?? false }) else { return nil }
        return (candidates, panelMean.map { $0 ?? .nan }, maxima)
    }

    enum CodingKeys: String, CodingKey { case candidate, panelMean = "panel_mean", panelMax = "panel_max" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let series = try Self.compact(c.decode([Double?].self, forKey: .candidate),
                                            c.decode([Double?].self, forKey: .panelMean),
                                            c.decode([Double?].self, forKey: .panelMax)) else {
            throw DecodingError.dataCorruptedError(forKey: .candidate, in: c,
                                                   debugDescription: "per-probe cosines must be Float32 values")
        }
        (candidates, panelMeans, panelMaxima) = series
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(candidate, forKey: .candidate)
        try c.encode(panelMean, forKey: .panelMean)
        try c.encode(panelMax, forKey: .panelMax)
    }

    public static func == (a: PerProbeSimilarity, b: PerProbeSimilarity) -> Bool {
        a.candidate == b.candidate && a.panelMean == b.panelMean && a.panelMax == b.panelMax
    }
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
    /// How clearly the first candidate stands above the second (nil with one candidate).
    public var rankingMargin: RankingMargin? = nil
    public var probeSet: ProbeSetReference
    public var embeddingModel: EmbeddingReference
    public var calibration: CalibrationReference
    public var options: AttributionOptions
    /// Every candidate judged with each panel model left out in turn (`--panel-jackknife`; absent otherwise).
    public var panelJackknife: PanelJackknife? = nil
    /// The candidates ranked again with every cosine corrected for answer length, beside the verdict's
    /// ranking (absent with one candidate, or with a calibration of before version 0.3.0).
    public var lengthCheck: LengthCheck? = nil

    /// A candidate's answer profile by model name (nil for a result that predates them).
    func candidateAnswers(_ model: String) -> AnswerProfile? {
        candidates.first { $0.model == model }?.answers
    }

    enum CodingKeys: String, CodingKey {
        case student, candidates, panel, panelExcluded = "panel_excluded", ranking, rankingMargin = "ranking_margin"
        case probeSet = "probe_set", embeddingModel = "embedding_model", calibration, options
        case panelJackknife = "panel_jackknife", lengthCheck = "length_check"
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
    /// The decision rule's errors at other thresholds (absent for a calibration file without them).
    public var operatingPoints: [OperatingPoint]? = nil
    /// How often the labelled students' close and clear firsts were a labelled teacher (nil without them).
    public var rankingRecord: RankingRecord? = nil
    /// Whether the student is one of the calibration's labelled students: its error rates then include
    /// this very student's pairs (judged without them, leave-one-student-out).
    public var studentInCalibration: Bool = false
    /// Then its labelled pairs with this run's candidates as the calibration judged them, leave one student
    /// out: by a map fitted without this student, the out-of-sample LR and verdict beside this run's
    /// in-sample ones (absent when the student is not a labelled one).
    public var heldOutPairs: [CalibratedPair]? = nil
    /// How this run differs from the configuration the calibration was fitted on (probe set, embedding
    /// model, panel); empty when it is the same. Where it differs, the stated error rates are not this run's.
    public var mismatches: [String] = []

    enum CodingKeys: String, CodingKey {
        case path, sha256, probeSet = "probe_set", embeddingModel = "embedding_model", panelSize = "panel_size", map
        case errorRates = "error_rates", errorRatesByTier = "error_rates_by_tier", supported
        case operatingPoints = "operating_points", rankingRecord = "ranking_record"
        case studentInCalibration = "student_in_calibration", heldOutPairs = "held_out_pairs", mismatches
    }
}

extension CalibrationReference {
    /// For a labelled student, its pairs here as the calibration judged them without it ("Left out of the
    /// calibration's fit, …"), so a reader sees the out-of-sample LR beside this run's; nil otherwise.
    public func heldOutSentence(student: String, name: (String) -> String = { $0 }) -> String? {
        guard studentInCalibration, let pairs = heldOutPairs, !pairs.isEmpty else { return nil }
        let items = pairs.map { pair in
            let label = (pair.distilled ? "distilled" : "independent") + (pair.confidence.map { ", \($0)" } ?? "")
            return "\(name(pair.teacher)) (\(label)) log10 LR \(String(format: "%.2f", pair.log10LikelihoodRatio)), \(pair.verdict.rawValue)"
        }
        return "left out of the calibration's fit (leave one student out), \(name(student))'s labelled pairs here gave "
            + items.joined(separator: "; ")
            + "; this run's figures come from the map fitted with \(name(student)) among the labelled students"
    }
}
