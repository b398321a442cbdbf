import Foundation

/// A calibration's map applied unchanged to other labelled pairs (`lineage calibrate --evaluate`): what it
/// was fitted on, what it was judged on, and every figure `calibrate` prints for a fit, so that a pipeline
/// reads from the JSON what a reader sees in the text.
public struct CalibrationEvaluation: Sendable, Encodable, Equatable {
    /// The calibration file applied (path and SHA-256 of its bytes) and the set it was fitted on.
    public var calibration: String
    public var calibrationSHA256: String
    public var fittedProbeSet: String
    public var fittedPairs: Int
    /// The probe set the pairs were judged on, how many of its probes, and the seed that drew them when
    /// that was a sample (`--probe-sample`; absent for the whole set).
    public var probeSetName: String
    public var probeSetSHA256: String
    public var probes: Int
    public var probeSampleSeed: UInt64?
    public var panel: [String]
    public var panelExcluded: [PanelExclusion]?
    /// The evidence range the verdicts were judged against: that of these pairs' own models, probe count and
    /// panel; and the calibration's own, which `compare` and `attribute` apply with it.
    public var supported: EvidenceSufficiency
    public var calibrationSupported: EvidenceSufficiency
    /// All pairs first, then each confidence tier.
    public var metrics: [CalibrationMetrics]
    public var withinTeacher: [TeacherDiscrimination]
    public var operatingPoints: [OperatingPoint]
    public var rankingRecord: RankingRecord?
    /// The calibration's length-adjusted ranking applied unchanged to these pairs (its shifts and map), with
    /// its error rates and agreement here (absent when the calibration has none).
    public var lengthAdjustment: LengthAdjustment?
    /// The SHA-256 of the pairs file and of every recording judged.
    public var inputs: CalibrationInputs
    /// Every judged pair, as `Calibration.pairs` holds them (here judged by the one map, not leave-one-out).
    public var pairs: [CalibratedPair]

    enum CodingKeys: String, CodingKey {
        case calibration, calibrationSHA256 = "calibration_sha256", fittedProbeSet = "fitted_probe_set"
        case fittedPairs = "fitted_pairs", probeSetName = "probe_set", probeSetSHA256 = "probe_set_sha256", probes
        case probeSampleSeed = "probe_sample_seed", panel, panelExcluded = "panel_excluded", supported, metrics
        case calibrationSupported = "calibration_supported"
        case withinTeacher = "within_teacher", operatingPoints = "operating_points", rankingRecord = "ranking_record"
        case lengthAdjustment = "length_adjustment", inputs, pairs
    }

    /// Where these pairs fall short of the calibration's own range (fewer probes, a smaller panel): in
    /// `compare` and `attribute` with this calibration their verdicts would be `inconclusive`.
    public var outsideCalibration: [String] {
        var shortfalls: [String] = []
        if probes < calibrationSupported.minimumProbes { shortfalls.append("\(probes) probes (it needs \(calibrationSupported.minimumProbes))") }
        if let minimum = calibrationSupported.minimumPanel, panel.count < minimum {
            shortfalls.append("a panel of \(panel.count) models (it needs \(minimum))")
        }
        return shortfalls
    }

    /// The error rates over all judged pairs.
    public var overall: CalibrationMetrics { metrics.first ?? .empty }
}
