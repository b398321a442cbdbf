/// The cosine between every pair of models on every probe: `P` Gram matrices of `N` models.
///
/// Built with one `ssyrk` per probe over the N models' embeddings of that probe (BLAS level 3), it
/// holds everything the verdict needs: per-probe values for resampling and plots, and their means.
public struct ProbeSimilarityTensor: Sendable {
    public let models: Int
    public let probes: Int
    /// `values[p * N * N + i * N + j]`: cosine of models i and j on probe p (0 where one has no answer).
    public let values: [Float]
    /// `answered[i * P + p]`: model i has a non-empty answer to probe p.
    public let answered: [Bool]

    /// - Parameter embeddings: one P×D matrix per model, rows L2-normalised (zero rows where unanswered).
    public init(embeddings: [Matrix], answered: [[Bool]]) {
        let n = embeddings.count
        let p = embeddings.first?.rows ?? 0
        let d = embeddings.first?.columns ?? 0
        precondition(embeddings.allSatisfy { $0.rows == p && $0.columns == d } && answered.count == n)
        var values = [Float](repeating: 0, count: p * n * n)
        var block = Matrix(rows: n, columns: d)
        for probe in 0..<p {
            for (i, embedding) in embeddings.enumerated() {
                block.values.withUnsafeMutableBufferPointer { target in
                    embedding.values.withUnsafeBufferPointer { source in
                        (target.baseAddress! + i * d).update(from: source.baseAddress! + probe * d, count: d)
                    }
                }
            }
            let gram = BLAS.gram(block)
            values.replaceSubrange((probe * n * n)..<((probe + 1) * n * n), with: gram.values)
        }
        self.models = n
        self.probes = p
        self.values = values
        self.answered = answered.flatMap { $0 }
    }

    public func isComparable(_ i: Int, _ j: Int, probe: Int) -> Bool {
        answered[i * probes + probe] && answered[j * probes + probe]
    }

    public func cosine(_ i: Int, _ j: Int, probe: Int) -> Float { values[probe * models * models + i * models + j] }

    /// The probes both models answered.
    public func comparableProbes(_ i: Int, _ j: Int) -> [Int] {
        (0..<probes).filter { isComparable(i, j, probe: $0) }
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
