/// How well a configuration separates distilled from independent pairs, out of sample (leave one student
/// out: each student's pairs are judged by a map fitted without that student), for one set of pairs.
public struct CalibrationMetrics: Sendable, Codable, Equatable {
    /// "all", or a confidence tier ("high", "medium"): the pairs of that tier.
    public var tier: String
    public var pairs: Int
    public var distilledPairs: Int
    public var independentPairs: Int
    public var auc: Double
    /// The AUC's 95 % interval over students (`StudentBootstrap`; nil for a single feature's row, or in a
    /// calibration file written before 2026-12-07).
    public var aucLow95: Double?
    public var aucHigh95: Double?
    public var cllr: Double
    public var cllrMin: Double
    public var equalErrorRate: Double
    /// Independent pairs that got `distilled` (false accusations).
    public var falseDistilled: Int
    /// Distilled pairs that got `not-distilled` (false exonerations).
    public var falseNotDistilled: Int
    /// Distilled pairs that got `distilled`.
    public var trueDistilled: Int
    /// Distilled pairs that did not get `distilled` (inconclusive or not-distilled).
    public var missedDistilled: Int
    public var inconclusive: Int
    public var inconclusiveDistilled: Int
    public var inconclusiveIndependent: Int
    /// Distilled students whose labelled teacher ranks first among their labelled candidates.
    public var rightTeacherFirst: Int
    public var distilledStudents: Int
    /// Students with at least one independent pair (nil in a calibration file written before 2026-12-07).
    public var independentStudents: Int?
    /// Students with at least one independent pair that got `distilled`: each student is one `attribute`
    /// run against its candidates, so this is the rate at which such a run falsely accuses someone.
    public var studentsFalseDistilled: Int?
    /// Distilled students with at least one labelled teacher that got `not-distilled`.
    public var studentsFalseNotDistilled: Int?

    enum CodingKeys: String, CodingKey {
        case tier, pairs, distilledPairs = "distilled_pairs", independentPairs = "independent_pairs", auc, cllr
        case aucLow95 = "auc_low_95", aucHigh95 = "auc_high_95"
        case cllrMin = "cllr_min", equalErrorRate = "equal_error_rate", falseDistilled = "false_distilled"
        case falseNotDistilled = "false_not_distilled", trueDistilled = "true_distilled"
        case missedDistilled = "missed_distilled", inconclusive
        case inconclusiveDistilled = "inconclusive_distilled", inconclusiveIndependent = "inconclusive_independent"
        case rightTeacherFirst = "right_teacher_first", distilledStudents = "distilled_students"
        case independentStudents = "independent_students", studentsFalseDistilled = "students_false_distilled"
        case studentsFalseNotDistilled = "students_false_not_distilled"
    }

    /// Written with every stored count and score, and the two error rates' 95 % upper bounds beside them
    /// (`false_distilled_upper_95`, `false_not_distilled_upper_95`; derived, so not read back).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tier, forKey: .tier)
        try c.encode(pairs, forKey: .pairs)
        try c.encode(distilledPairs, forKey: .distilledPairs)
        try c.encode(independentPairs, forKey: .independentPairs)
        try c.encode(auc, forKey: .auc)
        try c.encodeIfPresent(aucLow95, forKey: .aucLow95)
        try c.encodeIfPresent(aucHigh95, forKey: .aucHigh95)
        try c.encode(cllr, forKey: .cllr)
        try c.encode(cllrMin, forKey: .cllrMin)
        try c.encode(equalErrorRate, forKey: .equalErrorRate)
        try c.encode(falseDistilled, forKey: .falseDistilled)
        try c.encode(falseNotDistilled, forKey: .falseNotDistilled)
        try c.encode(trueDistilled, forKey: .trueDistilled)
        try c.encode(missedDistilled, forKey: .missedDistilled)
        try c.encode(inconclusive, forKey: .inconclusive)
        try c.encode(inconclusiveDistilled, forKey: .inconclusiveDistilled)
        try c.encode(inconclusiveIndependent, forKey: .inconclusiveIndependent)
        try c.encode(rightTeacherFirst, forKey: .rightTeacherFirst)
        try c.encode(distilledStudents, forKey: .distilledStudents)
        try c.encodeIfPresent(independentStudents, forKey: .independentStudents)
        try c.encodeIfPresent(studentsFalseDistilled, forKey: .studentsFalseDistilled)
        try c.encodeIfPresent(studentsFalseNotDistilled, forKey: .studentsFalseNotDistilled)
        var bounds = encoder.container(keyedBy: BoundKeys.self)
        try bounds.encode(falseDistilledUpper95, forKey: .falseDistilled)
        try bounds.encode(falseNotDistilledUpper95, forKey: .falseNotDistilled)
        try bounds.encodeIfPresent(byStudent?.falseDistilledUpper95, forKey: .studentsFalseDistilled)
        try bounds.encodeIfPresent(byStudent?.falseNotDistilledUpper95, forKey: .studentsFalseNotDistilled)
    }

    private enum BoundKeys: String, CodingKey {
        case falseDistilled = "false_distilled_upper_95", falseNotDistilled = "false_not_distilled_upper_95"
        case studentsFalseDistilled = "students_false_distilled_upper_95"
        case studentsFalseNotDistilled = "students_false_not_distilled_upper_95"
    }

    /// False `distilled` per independent pair (NaN without any).
    public var falseDistilledRate: Double { Self.rate(falseDistilled, independentPairs) }
    /// False `not-distilled` per distilled pair.
    public var falseNotDistilledRate: Double { Self.rate(falseNotDistilled, distilledPairs) }
    /// `distilled` per distilled pair.
    public var trueDistilledRate: Double { Self.rate(trueDistilled, distilledPairs) }
    public var inconclusiveRate: Double { Self.rate(inconclusive, pairs) }
    /// The 95 % upper bounds of the two error rates (`BinomialBound`): how large each could be, given how
    /// few pairs it was measured on.
    public var falseDistilledUpper95: Double { BinomialBound.upper95(falseDistilled, of: independentPairs) }
    public var falseNotDistilledUpper95: Double { BinomialBound.upper95(falseNotDistilled, of: distilledPairs) }

    /// The same two error rates counted by student, with their 95 % upper bounds: a student's pairs share
    /// its answers, so they are not independent trials, while students are (each its own recording and
    /// labels). Fewer trials, so wider bounds: the bound a cross-examiner cannot call optimistic. Nil for a
    /// calibration file without the counts.
    public var byStudent: ByStudent? {
        guard let accused = studentsFalseDistilled, let students = independentStudents,
              let exonerated = studentsFalseNotDistilled else { return nil }
        return ByStudent(falseDistilled: accused, independentStudents: students,
                         falseDistilledUpper95: BinomialBound.upper95(accused, of: students),
                         falseNotDistilled: exonerated, distilledStudents: distilledStudents,
                         falseNotDistilledUpper95: BinomialBound.upper95(exonerated, of: distilledStudents))
    }

    public struct ByStudent: Sendable, Equatable {
        public var falseDistilled: Int
        public var independentStudents: Int
        public var falseDistilledUpper95: Double
        public var falseNotDistilled: Int
        public var distilledStudents: Int
        public var falseNotDistilledUpper95: Double
    }

    static func rate(_ count: Int, _ total: Int) -> Double { total > 0 ? Double(count) / Double(total) : .nan }

    static let empty = CalibrationMetrics(tier: "all", pairs: 0, distilledPairs: 0, independentPairs: 0, auc: .nan,
                                          cllr: .nan, cllrMin: .nan, equalErrorRate: .nan, falseDistilled: 0,
                                          falseNotDistilled: 0, trueDistilled: 0, missedDistilled: 0, inconclusive: 0,
                                          inconclusiveDistilled: 0, inconclusiveIndependent: 0, rightTeacherFirst: 0,
                                          distilledStudents: 0, independentStudents: 0, studentsFalseDistilled: 0,
                                          studentsFalseNotDistilled: 0)

    /// The metrics of judged pairs. Teacher-first counts, per distilled student, whether its best-scored
    /// labelled candidate is a labelled teacher; a student belongs to the tier of its distilled pairs.
    /// - Parameter ranked: the pairs the teacher ranking is taken over (all of each student's pairs, of
    ///   whatever tier; default `results`).
    /// - Parameter intervalSeed: when given, the AUC's 95 % interval over students is drawn with this seed.
    static func of(_ results: [CalibratedPair], tier: String = "all", ranked: [CalibratedPair]? = nil,
                   intervalSeed: UInt64? = nil) -> CalibrationMetrics {
        let labels = results.map(\.distilled)
        let scores = results.map(\.score)
        let distilledStudents = Set(results.filter(\.distilled).map(\.student))
        let rightFirst = distilledStudents.filter { student in
            let own = (ranked ?? results).filter { $0.student == student }
            guard let best = own.max(by: { ($0.score, $1.teacher) < ($1.score, $0.teacher) }) else { return false }
            return best.distilled
        }.count
        let distilled = results.filter(\.distilled), independent = results.filter { !$0.distilled }
        func students(_ pairs: [CalibratedPair]) -> Int { Set(pairs.map(\.student)).count }
        let interval = intervalSeed.flatMap { StudentBootstrap.aucInterval(results, seed: $0) }
        return CalibrationMetrics(
            tier: tier, pairs: results.count, distilledPairs: distilled.count, independentPairs: independent.count,
            auc: DiscriminationMetrics.auc(scores: scores, labels: labels),
            aucLow95: interval?.lowerBound, aucHigh95: interval?.upperBound,
            cllr: DiscriminationMetrics.cllr(log10LR: results.map(\.log10LikelihoodRatio), labels: labels),
            cllrMin: DiscriminationMetrics.cllrMin(scores: scores, labels: labels),
            equalErrorRate: DiscriminationMetrics.equalErrorRate(scores: scores, labels: labels),
            falseDistilled: independent.filter { $0.verdict == .distilled }.count,
            falseNotDistilled: distilled.filter { $0.verdict == .notDistilled }.count,
            trueDistilled: distilled.filter { $0.verdict == .distilled }.count,
            missedDistilled: distilled.filter { $0.verdict != .distilled }.count,
            inconclusive: results.filter { $0.verdict == .inconclusive }.count,
            inconclusiveDistilled: distilled.filter { $0.verdict == .inconclusive }.count,
            inconclusiveIndependent: independent.filter { $0.verdict == .inconclusive }.count,
            rightTeacherFirst: rightFirst, distilledStudents: distilledStudents.count,
            independentStudents: students(independent),
            studentsFalseDistilled: students(independent.filter { $0.verdict == .distilled }),
            studentsFalseNotDistilled: students(distilled.filter { $0.verdict == .notDistilled }))
    }

    /// All pairs, then each confidence tier present: a tier's pairs are those labelled with it (a
    /// student's independent pairs carry their own tier), so each tier's AUC compares like with like.
    static func byTier(_ results: [CalibratedPair], intervalSeed: UInt64? = nil) -> [CalibrationMetrics] {
        [of(results, intervalSeed: intervalSeed)] + LabelledPair.tiers.compactMap { tier in
            let own = results.filter { $0.confidence == tier }
            return own.isEmpty ? nil : of(own, tier: tier, ranked: results, intervalSeed: intervalSeed)
        }
    }
}

/// One feature's leave-one-student-out results alone, per tier: the table that says what each family
/// contributes (`lineage calibrate` prints it).
public struct FeatureSummary: Sendable, Codable, Equatable {
    public var feature: String
    public var metrics: [CalibrationMetrics]
}
