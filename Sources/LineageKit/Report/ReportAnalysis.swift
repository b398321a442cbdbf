/// What the report shows beyond the attribution result: the panel models' own scores (the background
/// of the ranking plot), and the evidence exhibits for the top-ranked candidate.
public struct ReportAnalysis: Sendable, Codable, Equatable {
    /// Each panel model scored as if it were a candidate, against the rest of the panel: where an
    /// unrelated model's score falls (the candidates' calibrated score, leave-one-out panel).
    public var panelScores: [PanelModelScore]
    /// The candidate the exhibits are about (the top-ranked one).
    public var exhibitCandidate: String
    public var sharedPhrases: [SharedPhrase]
    public var closestProbes: [ClosestProbe]
    public var identity: [IdentityClaims]

    enum CodingKeys: String, CodingKey {
        case panelScores = "panel_scores", exhibitCandidate = "exhibit_candidate", sharedPhrases = "shared_phrases"
        case closestProbes = "closest_probes", identity
    }

    /// Computes the exhibits from the run's similarity tensor. Deterministic: no resampling.
    static func compute(run: AttributionRun, model: EmbeddingModel, probeSet: ProbeSet,
                        progress: (@Sendable (String) -> Void)? = nil) -> ReportAnalysis {
        let recordings = [run.student] + run.candidates + run.panel
        let tensor = run.tensor
        let panel = Array((1 + run.candidates.count)..<recordings.count)
        let map = run.result.calibration.map
        let panelScores = panel.map { m -> PanelModelScore in
            let rest = panel.filter { $0 != m }
            let impostor = ImpostorScore.compute(tensor, student: 0, candidate: m, panel: rest)
            let score = map.features.isEmpty ? impostor.score
                : map.score(run.context.evidence(run.features, student: 0, candidate: m, panel: rest))
            return PanelModelScore(model: recordings[m].model, score: score, meanCosine: impostor.meanCosine)
        }.sorted { ($0.score, $1.model) > ($1.score, $0.model) }
        let top = run.result.ranking.first?.model ?? run.candidates.first?.model ?? ""
        let topIndex = 1 + (run.candidates.firstIndex { $0.model == top } ?? 0)
        progress?("report: finding shared phrases and closest probes")
        let closest = ClosestProbeFinder.find(tensor: tensor, student: 0, candidate: topIndex, panel: panel,
                                              recordings: recordings, probeSet: probeSet)
        let phrases = SharedPhraseFinder.find(student: run.student, candidate: recordings[topIndex], panel: run.panel)
        let identity = ([run.student] + run.candidates).map { IdentityClaims.detect($0, probes: probeSet) }
        return ReportAnalysis(panelScores: panelScores, exhibitCandidate: top, sharedPhrases: phrases,
                              closestProbes: closest, identity: identity)
    }
}

public struct PanelModelScore: Sendable, Codable, Equatable {
    public var model: String
    public var score: Double
    public var meanCosine: Double

    enum CodingKeys: String, CodingKey { case model, score, meanCosine = "mean_cosine" }
}
