import Foundation

/// How clearly the first-ranked candidate stands above the second: the ratio of their likelihood ratios.
///
/// Why: each candidate's LR answers "this candidate, or a model unrelated to the student?", not "this candidate
/// or the next one?". Two candidates of one maker (GPT-3.5 and GPT-4) can both look like the teacher, and
/// then which of them ranks first is not established by either LR. Both LRs are against the same alternative
/// (the student is unrelated to the candidate): each is p(E | distilled from it) / p(E | unrelated), so
/// their ratio, LR₁ / LR₂, is p(E | from the first) / p(E | from the second), the same scale. Below the decision rule's own factor (LR 10, ENFSI "moderate support") the report says the two
/// are not told apart, and `RankingRecord` says how often such a close first was the labelled teacher.
public struct RankingMargin: Sendable, Codable, Equatable {
    public var first: String
    public var second: String
    /// log10 LR of the first minus that of the second: the bounded LRs, as reported, so two candidates
    /// both at the calibration's bound are not told apart.
    public var log10Factor: Double
    /// Whether `log10Factor` is below the decision threshold.
    public var close: Bool

    enum CodingKeys: String, CodingKey {
        case first, second, log10Factor = "log10_factor", close
    }

    /// The margin of a ranking (best first), or nil with fewer than two candidates.
    static func of(_ ranking: [CandidateAssessment], threshold: Double) -> RankingMargin? {
        guard ranking.count > 1 else { return nil }
        let factor = log10Factor(ranking[0].log10LikelihoodRatio, over: ranking[1].log10LikelihoodRatio)
        return RankingMargin(first: ranking[0].model, second: ranking[1].model, log10Factor: factor,
                             close: factor < threshold)
    }

    /// How far the first of two ranked log10 LRs is above the second (never below 0: ranked by score, the
    /// bounded LRs can only tie).
    static func log10Factor(_ first: Double, over second: Double) -> Double { max(0, first - second) }

    /// A log10 threshold as the whole factor it stands for (1 → 10).
    static func wholeFactor(_ log10: Double) -> Int { Int(pow(10, log10).rounded()) }
}

/// What the calibration's labelled students say a ranking margin is worth: each distilled student's
/// candidates ranked by their leave-one-student-out scores, as `attribute` ranks them, split at the
/// threshold into close and clear firsts, with how many of each were a labelled teacher.
public struct RankingRecord: Sendable, Codable, Equatable {
    public var log10Threshold: Double
    public var closeStudents: Int
    public var closeFirst: Int
    public var clearStudents: Int
    public var clearFirst: Int

    enum CodingKeys: String, CodingKey {
        case log10Threshold = "log10_threshold", closeStudents = "close_students", closeFirst = "close_first"
        case clearStudents = "clear_students", clearFirst = "clear_first"
    }

    /// The threshold as a factor (10 for log10 1).
    public var thresholdFactor: Int { RankingMargin.wholeFactor(log10Threshold) }

    /// The record of judged pairs, or nil when no distilled student has two candidates.
    static func of(_ pairs: [CalibratedPair], threshold: Double) -> RankingRecord? {
        var record = RankingRecord(log10Threshold: threshold, closeStudents: 0, closeFirst: 0, clearStudents: 0, clearFirst: 0)
        for (_, ranked) in CalibratedPair.rankedByStudent(pairs) {
            let factor = RankingMargin.log10Factor(ranked[0].log10LikelihoodRatio, over: ranked[1].log10LikelihoodRatio)
            let hit = ranked[0].distilled ? 1 : 0
            if factor < threshold {
                record.closeStudents += 1
                record.closeFirst += hit
            } else {
                record.clearStudents += 1
                record.clearFirst += hit
            }
        }
        return record.closeStudents + record.clearStudents > 0 ? record : nil
    }

    /// The record's line for a margin: how often firsts as close (or as clear) were a labelled teacher.
    public func sentence(for margin: RankingMargin) -> String {
        let factor = "a factor of \(thresholdFactor)"
        return margin.close
            ? "in calibration, firsts this close (below \(factor)) were a labelled teacher for \(closeFirst) of \(closeStudents) students, clearer ones for \(clearFirst) of \(clearStudents)"
            : "in calibration, firsts this clear (\(factor) or more) were a labelled teacher for \(clearFirst) of \(clearStudents) students, closer ones for \(closeFirst) of \(closeStudents)"
    }
}

extension RankingMargin {
    /// "gpt4_0314 above gpt-3.5-turbo-0301 by a factor of 3.0 (log10 0.47): below 10, the evidence does not tell them apart".
    /// - Parameter name: how a model's name is shown (escaped for a terminal, say).
    public func sentence(threshold: Double, name: (String) -> String = { $0 }) -> String {
        let limit = Self.wholeFactor(threshold)
        let head = "\(name(first)) above \(name(second)) by a factor of \(Self.factorText(log10Factor)) (log10 \(String(format: "%.2f", log10Factor)))"
        return close
            ? head + ": below \(limit), the evidence does not tell these two apart"
            : head + ": \(limit) or more, the evidence favours the first"
    }

    static func factorText(_ log10Factor: Double) -> String {
        let factor = pow(10, log10Factor)
        return factor < 10 ? String(format: "%.1f", factor) : String(Int(factor.rounded()))
    }
}
