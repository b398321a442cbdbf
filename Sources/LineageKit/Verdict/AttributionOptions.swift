/// Every choice that changes an attribution's numbers; all of it goes into the manifest.
public struct AttributionOptions: Sendable, Codable, Equatable {
    /// Seed of every resampling (bootstrap, permutations).
    public var seed: UInt64 = 20_251_122
    public var bootstrapResamples: Int = 1000
    public var permutations: Int = 200
    /// Family-wise significance level at which the Holm-adjusted p-values are read (supporting statistics only).
    public var alpha: Double = 0.05
    /// |log10 LR| below this is `inconclusive`: 1 is "moderate support" on the ENFSI scale (LR 10).
    public var decisionLog10LR: Double = 1
    /// Also judge every candidate with each panel model left out in turn (`PanelJackknife`). Written only
    /// when on, so that results, manifests and calibration files without it keep their bytes.
    public var panelJackknife: Bool = false

    public init() {}

    enum CodingKeys: String, CodingKey {
        case seed, bootstrapResamples = "bootstrap_resamples", permutations, alpha
        case decisionLog10LR = "decision_log10_lr", panelJackknife = "panel_jackknife"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seed = try c.decode(UInt64.self, forKey: .seed)
        bootstrapResamples = try c.decode(Int.self, forKey: .bootstrapResamples)
        permutations = try c.decode(Int.self, forKey: .permutations)
        alpha = try c.decode(Double.self, forKey: .alpha)
        decisionLog10LR = try c.decode(Double.self, forKey: .decisionLog10LR)
        panelJackknife = try c.decodeIfPresent(Bool.self, forKey: .panelJackknife) ?? false
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seed, forKey: .seed)
        try c.encode(bootstrapResamples, forKey: .bootstrapResamples)
        try c.encode(permutations, forKey: .permutations)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(decisionLog10LR, forKey: .decisionLog10LR)
        if panelJackknife { try c.encode(true, forKey: .panelJackknife) }
    }
}

/// The three answers Lineage gives.
public enum Verdict: String, Sendable, Codable {
    case distilled
    case notDistilled = "not-distilled"
    case inconclusive

    /// `distilled` needs a calibrated likelihood ratio of at least 10^threshold for distillation,
    /// `not-distilled` one of at most 10^−threshold; anything between is inconclusive, which is an answer,
    /// not a failure. The rule's error rates are those measured leave-one-student-out by `calibrate` and
    /// stated beside every verdict. p-values are reported as supporting statistics but do not gate the
    /// verdict: against a panel that holds other students of the same teachers, a true teacher is rarely
    /// extreme, so a p-value gate made `distilled` unreachable (docs/METHOD.md).
    /// A calibration fitted on few pairs cannot state LRs beyond its bounds; where a bound is nearer
    /// to 1 than the threshold, reaching the bound is the strongest support it can give, and counts.
    /// Evidence the calibration does not cover (`EvidenceSufficiency`) is always inconclusive.
    public static func decide(log10LR: Double, options: AttributionOptions,
                              bounds: ClosedRange<Double> = -Double.infinity...Double.infinity,
                              sufficient: Bool = true) -> Verdict {
        guard sufficient else { return .inconclusive }
        let upper = min(options.decisionLog10LR, bounds.upperBound)
        let lower = max(-options.decisionLog10LR, bounds.lowerBound)
        if upper > 0, log10LR >= upper { return .distilled }
        if lower < 0, log10LR <= lower { return .notDistilled }
        return .inconclusive
    }
}
