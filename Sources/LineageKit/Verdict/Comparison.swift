/// The answer to "was the student distilled from this teacher?", in the flat shape scripts read
/// (`lineage compare --json`).
public struct Comparison: Sendable, Codable, Equatable {
    public var student: String
    public var teacher: String
    public var probes: PairProbeCounts
    public var score: Double
    public var log10LikelihoodRatio: Double
    public var verbal: String
    public var pValue: Double
    public var verdict: Verdict
    public var statistics: PairStatistics
    /// The full attribution it was taken from: inputs, panel, calibration, options.
    public var details: AttributionResult

    enum CodingKeys: String, CodingKey {
        case student, teacher, probes, score, log10LikelihoodRatio = "log10_likelihood_ratio", verbal
        case pValue = "p_value", verdict, statistics, details
    }

    public init(_ result: AttributionResult) {
        let assessment = result.ranking[0]
        let teacher = result.candidates[0]
        student = result.student.model
        self.teacher = assessment.model
        probes = PairProbeCounts(student: result.student.probes, teacher: teacher.probes)
        score = assessment.score
        log10LikelihoodRatio = assessment.log10LikelihoodRatio
        verbal = assessment.verbal
        pValue = assessment.pValue
        verdict = assessment.verdict
        statistics = assessment.statistics
        details = result
    }
}

/// How many probes a pair could be compared on, and why the others could not.
public struct PairProbeCounts: Sendable, Codable, Equatable {
    /// Probes both models answered (non-empty).
    public var aligned: Int
    /// Probes at least one model has no record for.
    public var missing: Int
    /// Probes that both have records for but at least one answered with nothing.
    public var empty: Int
    public var total: Int

    init(student: AlignmentSummary, teacher: AlignmentSummary) {
        let missing = Set(student.missingIDs).union(teacher.missingIDs)
        let empty = Set(student.emptyIDs).union(teacher.emptyIDs).subtracting(missing)
        total = student.probes
        self.missing = missing.count
        self.empty = empty.count
        aligned = total - missing.count - empty.count
    }
}
