/// The calibration's length-adjusted ranking, the second opinion behind every result's length check.
///
/// Two answers of unlike length look less alike in every feature family (docs/METHOD.md §10), so between two
/// candidates that differ mainly in verbosity (GPT-3.5 and GPT-4 answers, 720 and 1,290 characters at the
/// median on AlpacaEval) the ranking can follow length. Here each per-probe cosine is first corrected by the
/// shift unrelated models show at that length difference (`LengthShift`, fitted on the panel), then the same
/// features are computed and fused by a map of their own, fitted as the verdict's is. It never decides a
/// verdict: on the shared AlpacaEval pairs it ranked more medium-tier teachers first but accused more
/// independent pairs and lost a high-tier student (docs/FINDINGS.md, "Verdict v8"), so where it names
/// another first candidate a report says so, with how such disagreements went in calibration.
public struct LengthAdjustment: Sendable, Codable, Equatable {
    /// One shift a family the verdict's features use.
    public var shifts: [LengthShift]
    /// The length-adjusted features → log10 LR map (the same features as the verdict's map).
    public var map: LikelihoodRatioFusion
    /// Its error rates leave-one-student-out, all pairs first, then each tier (as `Calibration.metrics`), and
    /// the AUC among each labelled teacher's own pairs (as `Calibration.withinTeacher`).
    public var metrics: [CalibrationMetrics]
    public var withinTeacher: [TeacherDiscrimination]
    /// How its first candidates compared with the verdict's on the labelled students (nil without two), and
    /// the same for each confidence tier of the students' distilled pairs.
    public var agreement: LengthAgreement?
    public var agreementByTier: [LengthAgreement]
    /// The same, student by student: what the agreement counts.
    public var firsts: [LengthAgreement.Firsts]

    init(shifts: [LengthShift], map: LikelihoodRatioFusion, metrics: [CalibrationMetrics], verdict: [CalibratedPair],
         adjusted: [CalibratedPair]) {
        self.shifts = shifts
        self.map = map
        self.metrics = metrics
        withinTeacher = TeacherDiscrimination.byTeacher(adjusted)
        let firsts = LengthAgreement.firsts(verdict: verdict, adjusted: adjusted)
        self.firsts = firsts
        agreement = LengthAgreement(firsts)
        agreementByTier = Set(firsts.compactMap(\.confidence)).sorted().compactMap { tier in
            LengthAgreement(firsts.filter { $0.confidence == tier }, tier: tier)
        }
    }

    enum CodingKeys: String, CodingKey {
        case shifts, map, metrics, withinTeacher = "within_teacher", agreement, agreementByTier = "agreement_by_tier", firsts
    }

    /// The shifts fitted on `panel`'s pairs in `context` (`logLengths` as `LengthShift.logLengths` gives them for
    /// its recordings), one for the content families and one a structure family, for the families `features` use.
    static func shifts(for features: [EvidenceFeature], context: ScoringContext, panel: [Int],
                       logLengths: [[Double]]) -> [LengthShift] {
        var shifts: [LengthShift] = []
        if features.contains(where: { $0.family == nil }) {
            shifts.append(.fit(family: EvidenceFeature.ngram.familyName, tensor: context.tensor, panel: panel, logLengths: logLengths))
        }
        for family in Set(features.compactMap(\.family)).sorted(by: { $0.rawValue < $1.rawValue }) {
            guard let tensor = context.structure[family] else { continue }
            shifts.append(.fit(family: family.description, tensor: tensor, panel: panel, logLengths: logLengths))
        }
        return shifts
    }

    /// Why it cannot be used with `verdictMap`, if anything (a hand-edited calibration file).
    func inconsistency(verdictMap: LikelihoodRatioFusion) -> String? {
        if map.features != verdictMap.features { return "length adjustment: its map weighs \(map.features), not the verdict's \(verdictMap.features)" }
        if let problem = Calibration.inconsistency(of: map) { return "length adjustment \(problem)" }
        let families = (try? EvidenceFeature.parse(map.features)).map { Set($0.map(\.familyName)) } ?? []
        if Set(shifts.map(\.family)) != families || shifts.count != families.count {
            return "length adjustment: shifts for \(shifts.map(\.family)), not one for each of the map's families \(families.sorted())"
        }
        return shifts.lazy.compactMap(\.inconsistency).first
    }
}

/// How often, leave-one-student-out on the labelled students with a distilled pair, the length-adjusted
/// ranking named the verdict's first candidate, and which of the two was a labelled teacher when they differed.
public struct LengthAgreement: Sendable, Codable, Equatable {
    /// "all", or the confidence tier of the students' distilled pairs ("high", "medium").
    public var tier: String = "all"
    public var agreeing: Int
    /// Of those, how often the common first was a labelled teacher.
    public var agreeingRight: Int
    public var differing: Int
    /// Of those, how often the verdict's first, and the length-adjusted first, was a labelled teacher.
    public var differingVerdictRight: Int
    public var differingAdjustedRight: Int

    enum CodingKeys: String, CodingKey {
        case tier, agreeing, agreeingRight = "agreeing_right", differing
        case differingVerdictRight = "differing_verdict_right", differingAdjustedRight = "differing_adjusted_right"
    }

    /// One labelled student's first candidate under each ranking, and whether it is a labelled teacher.
    public struct Firsts: Sendable, Codable, Equatable {
        public var student: String
        /// The confidence of the student's distilled pair (of its first, when it has several).
        public var confidence: String?
        public var verdict: String
        public var adjusted: String
        public var verdictRight: Bool
        public var adjustedRight: Bool

        enum CodingKeys: String, CodingKey {
            case student, confidence, verdict, adjusted, verdictRight = "verdict_right", adjustedRight = "adjusted_right"
        }
    }

    /// Each student with a distilled pair and two candidates, from its pairs judged both ways, in student order.
    static func firsts(verdict: [CalibratedPair], adjusted: [CalibratedPair]) -> [Firsts] {
        let adjustedFirst = Dictionary(uniqueKeysWithValues: CalibratedPair.rankedByStudent(adjusted).map { ($0.student, $0.ranked[0]) })
        return CalibratedPair.rankedByStudent(verdict).compactMap { student, ranked in
            adjustedFirst[student].map { other in
                Firsts(student: student, confidence: ranked.first(where: \.distilled)?.confidence,
                       verdict: ranked[0].teacher, adjusted: other.teacher,
                       verdictRight: ranked[0].distilled, adjustedRight: other.distilled)
            }
        }
    }

    /// From the same students' pairs judged both ways (nil when no distilled student has two candidates).
    static func of(verdict: [CalibratedPair], adjusted: [CalibratedPair]) -> LengthAgreement? {
        LengthAgreement(firsts(verdict: verdict, adjusted: adjusted))
    }

    /// "by tier: high, different for 1 of 6, the length-adjusted first right for 0, the verdict's for 1; …"
    /// (empty without tiers).
    public static func tierClause(_ tiers: [LengthAgreement]) -> String {
        guard !tiers.isEmpty else { return "" }
        return "by tier: " + tiers.map {
            "\($0.tier), different for \($0.differing) of \($0.agreeing + $0.differing), the length-adjusted first right for \($0.differingAdjustedRight), the verdict's for \($0.differingVerdictRight)"
        }.joined(separator: "; ")
    }

    /// "in calibration (leave one student out) the two rankings named different first candidates for 6 of 22
    /// distilled students; …", or with another `measured` in place of the first words.
    public func sentence(measured: String = "in calibration (leave one student out)") -> String {
        "\(measured) the two rankings named different first candidates for \(differing) of \(agreeing + differing) distilled students; the verdict's first was a labelled teacher for \(differingVerdictRight) of those \(differing), the length-adjusted first for \(differingAdjustedRight); where they agreed (\(agreeing)), the first was a labelled teacher for \(agreeingRight)"
    }
}

extension LengthAgreement {
    /// The counts of `firsts` (nil when there are none), labelled `tier`.
    init?(_ firsts: [Firsts], tier: String = "all") {
        guard !firsts.isEmpty else { return nil }
        let same = firsts.filter { $0.verdict == $0.adjusted }, different = firsts.filter { $0.verdict != $0.adjusted }
        self.init(tier: tier, agreeing: same.count, agreeingRight: same.filter(\.verdictRight).count, differing: different.count,
                  differingVerdictRight: different.filter(\.verdictRight).count,
                  differingAdjustedRight: different.filter(\.adjustedRight).count)
    }
}

extension CalibratedPair {
    /// Each student with a distilled pair and two or more candidates, its pairs in `Attribution`'s order (by
    /// score, then by name), in student order.
    static func rankedByStudent(_ pairs: [CalibratedPair]) -> [(student: String, ranked: [CalibratedPair])] {
        Dictionary(grouping: pairs, by: \.student)
            .filter { $0.value.contains(where: \.distilled) && $0.value.count > 1 }
            .map { ($0.key, $0.value.sorted { ($0.score, $1.teacher) > ($1.score, $0.teacher) }) }
            .sorted { $0.student < $1.student }
    }
}
