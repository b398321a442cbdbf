/// A result's second ranking of its candidates with every cosine corrected for answer length
/// (`LengthAdjustment`), beside the verdict's: a sensitivity analysis of the one confound the shared
/// labelled pairs showed to move the first candidate. Verdicts never depend on it.
public struct LengthCheck: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public var model: String
        public var score: Double
        public var log10LikelihoodRatio: Double

        enum CodingKeys: String, CodingKey {
            case model, score, log10LikelihoodRatio = "log10_likelihood_ratio"
        }
    }

    /// The candidates by length-adjusted score, best first (ties by name, as the verdict's ranking).
    public var ranking: [Entry]
    /// Whether it names the verdict's first candidate first.
    public var agrees: Bool
    /// How the two rankings compared on the calibration's labelled students (nil without two), overall and
    /// by confidence tier.
    public var calibration: LengthAgreement?
    public var calibrationByTier: [LengthAgreement]

    public var first: String { ranking.first?.model ?? "" }

    /// A candidate's place (1 = first) and entry in the length-adjusted ranking.
    public func place(of model: String) -> (rank: Int, entry: Entry)? {
        ranking.firstIndex { $0.model == model }.map { ($0 + 1, ranking[$0]) }
    }

    /// "gpt4_0314 ranks first again" or "gpt-3.5-turbo-0301 ranks first instead of gpt4_0314", then the
    /// calibration's record of such agreements.
    /// - Parameters: `verdictFirst`: the verdict's first candidate; `name`: how a model's name is shown.
    public func sentence(verdictFirst: String, name: (String) -> String = { $0 }) -> String {
        let head = agrees ? "\(name(first)) ranks first again" : "\(name(first)) ranks first instead of \(name(verdictFirst))"
        let tiers = LengthAgreement.tierClause(calibrationByTier)
        return head + (calibration.map { "; " + $0.sentence() } ?? "") + (tiers.isEmpty ? "" : " (\(tiers))")
    }

    enum CodingKeys: String, CodingKey {
        case ranking, agrees, calibration, calibrationByTier = "calibration_by_tier"
    }

    /// The check of candidates `1...candidates.count` of `context` (student 0) against `panel`, or nil with
    /// fewer than two candidates (nothing to reorder).
    static func of(_ adjustment: LengthAdjustment, context: ScoringContext, features: [EvidenceFeature],
                   candidates: [String], panel: [Int], verdictFirst: String) -> LengthCheck? {
        guard candidates.count > 1 else { return nil }
        let adjusted = context.lengthAdjusted(adjustment.shifts)
        let entries = candidates.enumerated().map { k, model in
            let score = adjustment.map.score(adjusted.evidence(features, student: 0, candidate: 1 + k, panel: panel))
            return Entry(model: model, score: score, log10LikelihoodRatio: adjustment.map.log10LikelihoodRatio(score: score))
        }.sorted { ($0.score, $1.model) > ($1.score, $0.model) }
        return LengthCheck(ranking: entries, agrees: entries[0].model == verdictFirst, calibration: adjustment.agreement,
                           calibrationByTier: adjustment.agreementByTier)
    }
}
