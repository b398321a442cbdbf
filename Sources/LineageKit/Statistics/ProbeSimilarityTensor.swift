/// The cosine between every pair of models on every probe: `P` Gram matrices of `N` models.
///
/// Built with one `ssyrk` per probe over the N models' embeddings of that probe (BLAS level 3), it
/// holds everything the verdict needs: per-probe values for resampling and plots, and their means. An
/// anchored tensor holds one model's pairs only (one student against candidates and panel, as a batch
/// judges it).
public struct ProbeSimilarityTensor: Sendable {
    public let models: Int
    public let probes: Int
    /// `values[p * N * N + i * N + j]`: cosine of models i and j on probe p (0 where one has no answer);
    /// for a tensor anchored on model a, `values[p * N + j]`: the cosine of a and j.
    public let values: [Float]
    /// The one model whose pairs an anchored tensor holds (`init(…, anchor:)`), or nil: every pair.
    let anchor: Int?
    /// `answered[i * P + p]`: model i has a non-empty answer to probe p.
    public let answered: [Bool]

    /// - Parameter embeddings: one P×D matrix per model, rows L2-normalised (zero rows where unanswered).
    public init(embeddings: [Matrix], answered: [[Bool]]) {
        self.init(embeddings: embeddings, answered: answered, anchor: nil)
    }

    /// - Parameter anchor: hold only the pairs of this model, with every model (itself included): what
    ///   judging one student needs, in O(N) products a probe instead of O(N²); the same values.
    init(embeddings: [Matrix], answered: [[Bool]], anchor: Int?) {
        precondition(answered.count == embeddings.count)
        self.init(rows: zip(embeddings, answered).map { EmbeddingRows($0, answered: $1) }, columns: nil, anchor: anchor)
    }

    /// The tensor of some columns of each model's embeddings, each row renormalised over them: the values
    /// of `init(embeddings:answered:)` on `Embedder.columnsNormalized` copies, without making the copies
    /// (each probe's rows are gathered and normalised as its Gram matrix is staged).
    init(embeddings: [Matrix], columns ranges: [Range<Int>], answered: [[Bool]], anchor: Int? = nil) {
        precondition(answered.count == embeddings.count)
        self.init(rows: zip(embeddings, answered).map { EmbeddingRows($0, answered: $1) }, columns: ranges, anchor: anchor)
    }

    /// The tensor of each model's rows as they are (`columns` nil), or of some of their columns with each row
    /// renormalised over them; the rows may be Float32 or 16-bit steps (`EmbeddingRows`: the same values).
    init(rows models: [EmbeddingRows], columns ranges: [Range<Int>]?, anchor: Int? = nil) {
        let p = models.first?.rows ?? 0
        let d = ranges.map { $0.reduce(0) { $0 + $1.count } } ?? models.first?.columns ?? 0
        precondition(models.allSatisfy { $0.rows == p && (ranges != nil || $0.columns == d) })
        self.init(models: models.count, probes: p, dimensions: d, answered: models.map(\.answered), anchor: anchor) { probe, i, row in
            guard let ranges else { return models[i].write(row: probe, columns: 0..<d, into: row) }
            var k = 0
            for range in ranges {
                models[i].write(row: probe, columns: range, into: row + k)
                k += range.count
            }
            Embedder.normalize(row, count: d)
        }
    }

    /// The tensor of a stack's models, each probe's rows converted from the stack's grid steps (the same
    /// values as `init(embeddings:answered:)` on the stack's recordings, at half their memory).
    public init(stack: EmbeddingStack) {
        let d = stack.dimensions, width = stack.width
        self.init(models: stack.count, probes: stack.probes, dimensions: d, answered: stack.answered) { probe, i, row in
            stack.steps.withUnsafeBufferPointer { steps in
                let from = steps.baseAddress.unsafelyUnwrapped + i * width + probe * d
                for k in 0..<d { row[k] = Float(from[k]) * EmbeddingGrid.unit }
            }
        }
    }

    /// One N × N Gram matrix a probe (`ssyrk`), or for an anchored tensor one matrix–vector product
    /// (`sgemv`): `row(probe, i, into)` writes model i's D values for the probe. Every product is of rows
    /// on `EmbeddingGrid`, exact in Float, so both give the anchor's pairs the same bits.
    private init(models n: Int, probes p: Int, dimensions d: Int, answered: [[Bool]], anchor: Int? = nil,
                 row: (Int, Int, UnsafeMutablePointer<Float>) -> Void) {
        precondition(anchor.map { (0..<n).contains($0) } ?? true, "the anchor is one of the models")
        let slice = anchor == nil ? n * n : n
        var values = [Float](repeating: 0, count: p * slice)
        var block = Matrix(rows: n, columns: d)
        for probe in 0..<p {
            block.values.withUnsafeMutableBufferPointer { target in
                guard let base = target.baseAddress else { return }
                for i in 0..<n { row(probe, i, base + i * d) }
            }
            let products = if let anchor {
                BLAS.multiply(block, vector: Array(block.values[(anchor * d)..<((anchor + 1) * d)]))
            } else {
                BLAS.gram(block).values
            }
            values.replaceSubrange((probe * slice)..<((probe + 1) * slice), with: products)
        }
        self.anchor = anchor
        self.models = n
        self.probes = p
        self.values = values
        self.answered = answered.flatMap { $0 }
    }

    /// The tensor with `offset(i, j, probe)` taken from each stored cosine of two models that both answered
    /// the probe: a correction of every cosine before any statistic is computed from them (`LengthShift`).
    func subtracting(_ offset: (_ i: Int, _ j: Int, _ probe: Int) -> Float) -> ProbeSimilarityTensor {
        var adjusted = values
        let n = models
        for probe in 0..<probes {
            if let anchor {
                for j in 0..<n where isComparable(anchor, j, probe: probe) { adjusted[probe * n + j] -= offset(anchor, j, probe) }
                continue
            }
            for i in 0..<n {
                for j in 0..<n where isComparable(i, j, probe: probe) {
                    adjusted[probe * n * n + i * n + j] -= offset(i, j, probe)
                }
            }
        }
        return ProbeSimilarityTensor(models: n, probes: probes, values: adjusted, anchor: anchor, answered: answered)
    }

    private init(models: Int, probes: Int, values: [Float], anchor: Int?, answered: [Bool]) {
        self.models = models
        self.probes = probes
        self.values = values
        self.anchor = anchor
        self.answered = answered
    }

    public func isComparable(_ i: Int, _ j: Int, probe: Int) -> Bool {
        answered[i * probes + probe] && answered[j * probes + probe]
    }

    public func cosine(_ i: Int, _ j: Int, probe: Int) -> Float {
        guard let anchor else { return values[probe * models * models + i * models + j] }
        precondition(i == anchor || j == anchor, "an anchored tensor holds only its anchor's pairs")
        return values[probe * models + (i == anchor ? j : i)]
    }

    /// The probes both models answered.
    public func comparableProbes(_ i: Int, _ j: Int) -> [Int] {
        (0..<probes).filter { isComparable(i, j, probe: $0) }
    }

    /// Every pair's mean per-probe cosine over a multiset of probes, given as each probe's multiplicity
    /// (all ones: every probe once; a bootstrap resample: how often each probe was drawn), N × N, NaN where
    /// two models share no drawn probe (on the diagonal: where a model answered none).
    ///
    /// The same numbers as `meanCosine(_:_:over:)` on each pair, bit for bit, in O(N²·P) for all pairs:
    /// each cosine is a dot product of rows on `EmbeddingGrid`, an integer multiple of 2⁻²⁰ of magnitude
    /// ≤ 1.1, so every weighted sum here is exact in Double whatever the order of the additions. One pass
    /// over the probes adds each drawn probe's N × N slice, upper triangle and diagonal only (the slice is
    /// symmetric).
    public func meanCosines(multiplicities weights: [Int]) -> [[Double]] {
        precondition(weights.count == probes, "one multiplicity a probe")
        precondition(anchor == nil, "every pair's means need every pair")
        let n = models
        var totals = [Double](repeating: 0, count: n * n)
        var counts = [Int](repeating: 0, count: n * n)
        // answered, probe-major: the models that answered probe p are one contiguous run.
        var byProbe = [Bool](repeating: false, count: probes * n)
        for i in 0..<n { for p in 0..<probes { byProbe[p * n + i] = answered[i * probes + p] } }
        values.withUnsafeBufferPointer { slices in
            for p in 0..<probes where weights[p] > 0 {
                let w = Double(weights[p]), slice = p * n * n
                for i in 0..<n where byProbe[p * n + i] {
                    for j in i..<n where byProbe[p * n + j] {
                        totals[i * n + j] += w * Double(slices[slice + i * n + j])
                        counts[i * n + j] += weights[p]
                    }
                }
            }
        }
        return (0..<n).map { i in
            (0..<n).map { j in
                let k = min(i, j) * n + max(i, j)
                return counts[k] == 0 ? .nan : totals[k] / Double(counts[k])
            }
        }
    }

    /// Mean per-probe cosine over the probes both models answered (NaN when there are none).
    public func meanCosine(_ i: Int, _ j: Int, over subset: [Int]? = nil) -> Double {
        var total = 0.0, count = 0
        for probe in subset ?? Array(0..<probes) where isComparable(i, j, probe: probe) {
            total += Double(cosine(i, j, probe: probe))
            count += 1
        }
        return count == 0 ? .nan : total / Double(count)
    }
}
