/// A probe on which the student's answer is much closer to the candidate's than to any panel
/// model's: the side-by-side excerpts of the report.
public struct ClosestProbe: Sendable, Codable, Equatable {
    public var probe: String
    public var prompt: String
    public var student: String
    public var candidate: String
    /// The panel model closest to the student on this probe, and its answer.
    public var nearestPanelModel: String
    public var nearestPanelAnswer: String
    public var candidateCosine: Double
    public var panelMaxCosine: Double
    public var panelMeanCosine: Double

    /// How far the candidate is ahead of the best panel model (the ordering key).
    public var margin: Double { candidateCosine - panelMaxCosine }

    enum CodingKeys: String, CodingKey {
        case probe, prompt, student, candidate, nearestPanelModel = "nearest_panel_model"
        case nearestPanelAnswer = "nearest_panel_answer", candidateCosine = "candidate_cosine"
        case panelMaxCosine = "panel_max_cosine", panelMeanCosine = "panel_mean_cosine"
    }
}

enum ClosestProbeFinder {
    /// The `limit` probes with the largest candidate − panel-max cosine, from the tensor of
    /// [student, candidates…, panel…] (indices as in `ReportAnalysis`).
    static func find(tensor: ProbeSimilarityTensor, student: Int, candidate: Int, panel: [Int],
                     recordings: [AlignedRecording], probeSet: ProbeSet, limit: Int = 5) -> [ClosestProbe] {
        var rows: [(Int, Double, Double, Double, Int)] = []
        for p in 0..<tensor.probes where tensor.isComparable(student, candidate, probe: p) {
            let c = Double(tensor.cosine(student, candidate, probe: p))
            var best = -Double.infinity, bestIndex = -1, total = 0.0, count = 0
            for m in panel where tensor.isComparable(student, m, probe: p) {
                let v = Double(tensor.cosine(student, m, probe: p))
                total += v
                count += 1
                if v > best { best = v; bestIndex = m }
            }
            guard count > 0 else { continue }
            rows.append((p, c, best, total / Double(count), bestIndex))
        }
        rows.sort { ($0.1 - $0.2, -$0.0) > ($1.1 - $1.2, -$1.0) }
        return rows.prefix(limit).map { row in
            ClosestProbe(probe: probeSet.probes[row.0].id, prompt: probeSet.probes[row.0].prompt,
                         student: recordings[student].answer(row.0) ?? "",
                         candidate: recordings[candidate].answer(row.0) ?? "",
                         nearestPanelModel: recordings[row.4].model,
                         nearestPanelAnswer: recordings[row.4].answer(row.0) ?? "",
                         candidateCosine: EmbeddingGrid.clampedCosine(row.1), panelMaxCosine: EmbeddingGrid.clampedCosine(row.2),
                         panelMeanCosine: EmbeddingGrid.clampedCosine(row.3))
        }
    }
}
