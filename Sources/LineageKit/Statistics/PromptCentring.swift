/// Removes from every answer's structure what the prompt itself asks for, before two models are compared.
///
/// A prompt that asks for a list gets a list from every model; that likeness says nothing about lineage.
/// Per probe, the mean of the background panel's answer vectors is what "an answer to this prompt" looks
/// like; subtracting it from each model's vector leaves how that model departs from it, and the cosine
/// of two departures measures a shared *habit* (the double-centring of per-item profiles used in
/// authorship attribution: Burrows 2002's Delta standardises each feature over the reference corpus for
/// the same reason). Measured on the AlpacaEval pairs, centring lifts the markdown family's
/// leave-one-student-out AUC from 0.60 to 0.85 and hurts the n-gram families (0.83 → 0.77), so only the
/// structure families are centred (docs/METHOD.md).
enum PromptCentring {
    /// Each matrix (probes × dimensions, unit rows, zero rows where unanswered) minus, per probe, the mean
    /// of the `pool` matrices' answered rows; rows rescaled to unit length and put back on `EmbeddingGrid`,
    /// so that the Gram products over them stay exact on every BLAS. Unanswered rows stay zero; an answered
    /// row equal to the mean stays zero too (and then compares as 0 with everything).
    static func centred(_ blocks: [Matrix], answered: [[Bool]], pool: [Int]) -> [Matrix] {
        let mean = mean(blocks, answered: answered, pool: pool)
        return blocks.indices.map { centre(blocks[$0], answered: answered[$0], mean: mean) }
    }

    /// Per probe, the mean of the `pool` matrices' answered rows (probes × dimensions, row-major; a probe
    /// no pool model answered keeps a zero mean), summed in pool order.
    static func mean(_ blocks: [Matrix], answered: [[Bool]], pool: [Int]) -> [Double] {
        guard let first = blocks.first else { return [] }
        let p = first.rows, d = first.columns
        var mean = [Double](repeating: 0, count: p * d)
        var counts = [Int](repeating: 0, count: p)
        for m in pool {
            for probe in 0..<p where answered[m][probe] {
                counts[probe] += 1
                for k in 0..<d { mean[probe * d + k] += Double(blocks[m].values[probe * d + k]) }
            }
        }
        for probe in 0..<p where counts[probe] > 0 {
            for k in 0..<d { mean[probe * d + k] /= Double(counts[probe]) }
        }
        return mean
    }

    /// One matrix minus the per-probe `mean`, each answered row rescaled to unit length and snapped to
    /// `EmbeddingGrid` (see `centred`).
    static func centre(_ block: Matrix, answered: [Bool], mean: [Double]) -> Matrix {
        let p = block.rows, d = block.columns
        var out = Matrix(rows: p, columns: d)
        var centred = [Double](repeating: 0, count: d)
        out.values.withUnsafeMutableBufferPointer { target in
            guard let base = target.baseAddress else { return }
            for probe in 0..<p where answered[probe] {
                let row = base + probe * d
                var norm = 0.0
                for k in 0..<d {
                    centred[k] = Double(block.values[probe * d + k]) - mean[probe * d + k]
                    norm += centred[k] * centred[k]
                }
                guard norm > 1e-12 else { continue }
                let scale = 1 / norm.squareRoot()
                for k in 0..<d { row[k] = Float(centred[k] * scale) }
                EmbeddingGrid.snap(row, count: d)
            }
        }
        return out
    }
}
