import Foundation

/// How much a run's answer rests on any one panel model: every candidate judged again with each panel model
/// left out in turn, the calibration's map unchanged (a jackknife over the panel; Quenouille 1956, Tukey
/// 1958). "Would another panel have changed the answer?" is the first question put to a panel method; this
/// answers it for every panel one model smaller, each still within the calibration's panel range when the
/// full panel is (`EvidenceSufficiency.minimumPanel`).
public struct PanelJackknife: Sendable, Codable, Equatable {
    /// One candidate without one panel model.
    public struct Omission: Sendable, Codable, Equatable {
        public var panelModel: String
        public var score: Double
        public var log10LikelihoodRatio: Double
        public var verdict: Verdict

        enum CodingKeys: String, CodingKey {
            case panelModel = "panel_model", score, log10LikelihoodRatio = "log10_likelihood_ratio", verdict
        }
    }

    /// One candidate over all omissions, in panel order.
    public struct Candidate: Sendable, Codable, Equatable {
        public var model: String
        public var omissions: [Omission]
        public var log10LikelihoodRatioLowest: Double
        public var log10LikelihoodRatioHighest: Double
        /// Omissions whose verdict differs from the full panel's.
        public var verdictChanges: Int

        enum CodingKeys: String, CodingKey {
            case model, omissions, log10LikelihoodRatioLowest = "log10_likelihood_ratio_lowest"
            case log10LikelihoodRatioHighest = "log10_likelihood_ratio_highest", verdictChanges = "verdict_changes"
        }

        /// The omission that gives the lowest (or highest) LR, the first in panel order among equals.
        public var lowest: Omission? { omissions.min { $0.log10LikelihoodRatio < $1.log10LikelihoodRatio } }
        public var highest: Omission? { omissions.max { $0.log10LikelihoodRatio < $1.log10LikelihoodRatio } }
    }

    /// In the run's ranking order.
    public var candidates: [Candidate]
    /// Omissions (one per panel model) under which the run's first candidate still ranks first.
    public var firstKept: Int
    public var omissions: Int

    enum CodingKeys: String, CodingKey {
        case candidates, firstKept = "first_kept", omissions
    }

    /// - Parameters:
    ///   - ranking: the full panel's candidates in ranking order and their verdicts; `scores[j][k]`,
    ///     `log10LRs[j][k]`, `verdicts[j][k]`: candidate `k` (in that order) without panel model `j`.
    static func of(ranking: [(model: String, verdict: Verdict)], panel: [String], scores: [[Double]], log10LRs: [[Double]],
                   verdicts: [[Verdict]]) -> PanelJackknife {
        let candidates = ranking.enumerated().map { k, ranked in
            let omissions = panel.indices.map { j in
                Omission(panelModel: panel[j], score: scores[j][k], log10LikelihoodRatio: log10LRs[j][k], verdict: verdicts[j][k])
            }
            let lrs = omissions.map(\.log10LikelihoodRatio)
            return Candidate(model: ranked.model, omissions: omissions, log10LikelihoodRatioLowest: lrs.min() ?? .nan,
                             log10LikelihoodRatioHighest: lrs.max() ?? .nan,
                             verdictChanges: omissions.filter { $0.verdict != ranked.verdict }.count)
        }
        // First as `attribute` ranks: the highest score, ties by model name.
        let firstKept = panel.indices.filter { j in
            ranking.indices.max { a, b in (scores[j][a], ranking[b].model) < (scores[j][b], ranking[a].model) } == 0
        }.count
        return PanelJackknife(candidates: candidates, firstKept: firstKept, omissions: panel.count)
    }

    /// "each of the 32 panel models left out in turn: gpt-3.5-turbo-0301 stays first in 32 of 32; its log10 LR
    /// 1.41 (without gemma-2b-it) to 1.54 (without chatglm2-6b), its verdict the same in 32 of 32; no other
    /// candidate's verdict changes".
    /// - Parameter name: how a model's name is shown (escaped for a terminal, say).
    public func sentence(name: (String) -> String = { $0 }) -> String {
        guard let first = candidates.first, let low = first.lowest, let high = first.highest else { return "" }
        func lr(_ o: Omission) -> String { "\(String(format: "%.2f", o.log10LikelihoodRatio)) (without \(name(o.panelModel)))" }
        let changed = candidates.dropFirst().filter { $0.verdictChanges > 0 }
        return "each of the \(omissions) panel models left out in turn: \(name(first.model)) stays first in \(firstKept) of \(omissions); "
            + "its log10 LR \(lr(low)) to \(lr(high)), its verdict the same in \(omissions - first.verdictChanges) of \(omissions); "
            + (changed.isEmpty ? "no other candidate's verdict changes"
                : "other verdicts that change: " + changed.map { "\(name($0.model)) (in \($0.verdictChanges) of \(omissions))" }.joined(separator: ", "))
    }
}
