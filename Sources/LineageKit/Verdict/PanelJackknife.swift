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

        /// The omission that gives the lowest (or highest) `measure` — the LR, or the score in an uncalibrated
        /// run, whose LRs are all 1 (`PanelJackknife.measure`) — the first in panel order among equals.
        public func lowest(_ measure: KeyPath<Omission, Double>) -> Omission? { omissions.min { $0[keyPath: measure] < $1[keyPath: measure] } }
        public func highest(_ measure: KeyPath<Omission, Double>) -> Omission? { omissions.max { $0[keyPath: measure] < $1[keyPath: measure] } }
    }

    /// In the run's ranking order.
    public var candidates: [Candidate]
    /// Omissions (one per panel model) under which the run's first candidate still ranks first.
    public var firstKept: Int
    public var omissions: Int
    /// Whether the run had a calibration: without one every LR is 1, and only the scores (the ranking) move.
    public var calibrated: Bool

    enum CodingKeys: String, CodingKey {
        case candidates, firstKept = "first_kept", omissions, calibrated
    }

    /// What the sentence and the report's table follow: the LR, or the score when there is no calibration.
    public var measure: KeyPath<Omission, Double> {
        if calibrated { return \Omission.log10LikelihoodRatio }
        return \Omission.score
    }
    public var measureName: String { calibrated ? "log10 LR" : "score" }

    /// - Parameters:
    ///   - ranking: the full panel's candidates in ranking order and their verdicts; `scores[j][k]`,
    ///     `log10LRs[j][k]`, `verdicts[j][k]`: candidate `k` (in that order) without panel model `j`.
    static func of(ranking: [(model: String, verdict: Verdict)], panel: [String], scores: [[Double]], log10LRs: [[Double]],
                   verdicts: [[Verdict]], calibrated: Bool = true) -> PanelJackknife {
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
        return PanelJackknife(candidates: candidates, firstKept: firstKept, omissions: panel.count, calibrated: calibrated)
    }

    /// "each of the 32 panel models left out in turn: gpt-3.5-turbo-0301 stays first in 32 of 32; its log10 LR
    /// 1.41 (without gemma-2b-it) to 1.54 (without chatglm2-6b), its verdict the same in 32 of 32; no other
    /// candidate's verdict changes".
    /// - Parameter name: how a model's name is shown (escaped for a terminal, say).
    public func sentence(name: (String) -> String = { $0 }) -> String {
        let label = measureName, value = measure
        guard let first = candidates.first, let low = first.lowest(value), let high = first.highest(value) else { return "" }
        func at(_ o: Omission) -> String { "\(String(format: "%.2f", o[keyPath: value])) (without \(name(o.panelModel)))" }
        let head = "each of the \(omissions) panel models left out in turn: \(name(first.model)) stays first in \(firstKept) of \(omissions); "
            + "its \(label) \(at(low)) to \(at(high))"
        guard calibrated else { return head + " (no calibration: no likelihood ratio or verdict to move)" }
        let changed = candidates.dropFirst().filter { $0.verdictChanges > 0 }
        return head + ", its verdict the same in \(omissions - first.verdictChanges) of \(omissions); "
            + (changed.isEmpty ? "no other candidate's verdict changes"
                : "other verdicts that change: " + changed.map { "\(name($0.model)) (in \($0.verdictChanges) of \(omissions))" }.joined(separator: ", "))
    }
}
