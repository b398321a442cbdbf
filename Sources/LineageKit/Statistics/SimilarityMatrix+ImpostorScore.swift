extension SimilarityMatrix {
    /// The impostor score of every ordered pair: row model as student, column model as candidate, every
    /// other model of the matrix as the panel (Koppel & Winter 2014; `ImpostorScore`). Nil on the diagonal,
    /// where the pair shares no probe, and where fewer than two panel models share probes with the student
    /// (no spread to standardise by). The formula of `ImpostorScore.compute` with that panel, applied to the
    /// matrix's mean cosines, so it costs nothing beside the matrix.
    public func impostorScores() -> [[Double?]] {
        let n = models.count
        return (0..<n).map { i in
            (0..<n).map { j -> Double? in
                guard i != j, probesCompared[i][j] > 0 else { return nil }
                let panel = (0..<n).filter { $0 != i && $0 != j && probesCompared[i][$0] > 0 }
                    .map { Double(meanCosine[i, $0]) }
                guard panel.count >= 2 else { return nil }
                return ImpostorScore.score(Double(meanCosine[i, j]), panelMeans: panel)
            }
        }
    }
}
