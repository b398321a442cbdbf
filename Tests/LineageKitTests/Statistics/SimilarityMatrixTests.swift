import Testing
@testable import LineageKit

@Suite("Statistics: similarity matrix")
struct SimilarityMatrixTests {
    func recording(_ name: String, _ answers: [String?], _ embedder: Embedder) -> EmbeddedRecording {
        let aligned = AlignedRecording(model: name, source: name + ".jsonl", sha256: "", format: .canonical,
                                       notes: ReadingNotes(), answers: answers.map { $0.map { [$0] } ?? [] },
                                       summary: AlignmentSummary(probes: answers.count, aligned: 0, missing: 0, empty: 0,
                                                                 duplicate: 0, conflicting: 0, unknown: 0, missingIDs: [],
                                                                 emptyIDs: [], duplicateIDs: [], unknownRecords: []))
        return embedder.embed(aligned)
    }

    @Test("symmetric, diagonal 1, counts of shared probes, equal to the per-probe mean done by hand")
    func small() throws {
        let model = try EmbeddingEmbedderTests.model()
        let embedder = Embedder(model: model, threads: 2)
        let e = [
            recording("a", ["Sure, here is a poem.", "Paris is the capital.", nil, "1. one\n2. two"], embedder),
            recording("b", ["Here is a poem for you.", "The capital is Paris.", "Yes.", "- one\n- two"], embedder),
            recording("c", ["I cannot do that.", nil, "No.", "## One\nTwo"], embedder),
        ]
        let s = try SimilarityMatrix.meanProbeCosine(e, probeBlock: 3)
        #expect(s.probesCompared == [[3, 3, 2], [3, 4, 3], [2, 3, 3]])
        for i in 0..<3 {
            // A row on `EmbeddingGrid` has unit length up to √D·2⁻¹¹ (D = 160 here), its square twice that.
            let gridBound: Float = 2 * Float(160).squareRoot() / 2048 + 1e-4
            #expect(abs(s.meanCosine[i, i] - 1) < gridBound)
            for j in 0..<3 {
                #expect(s.meanCosine[i, j] == s.meanCosine[j, i])
                var sum: Float = 0
                var count = 0
                for p in 0..<4 where e[i].answered[p] && e[j].answered[p] {
                    sum += zip(e[i].embeddings.row(p), e[j].embeddings.row(p)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                    count += 1
                }
                // Clamped to [−1, 1]: the diagonal's mean squared length of grid-rounded rows is 1.0009 here.
                #expect(abs(s.meanCosine[i, j] - min(1, max(-1, sum / Float(count)))) < 1e-5)
                #expect(s.meanCosine[i, j] <= 1)
            }
        }
    }

    /// Random unit rows for `n` models × `probes` × `dims`, some probes unanswered (zero rows).
    static func random(_ n: Int, probes: Int, dims: Int) -> [EmbeddedRecording] {
        var generator = SeededGenerator(seed: 7)
        return (0..<n).map { m in
            var values = [Float](repeating: 0, count: probes * dims)
            var answered = [Bool](repeating: false, count: probes)
            for p in 0..<probes where (m * 7 + p * 3) % 11 != 0 {
                answered[p] = true
                let row = (0..<dims).map { _ in Float.random(in: -1...1, using: &generator) }
                let norm = row.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
                for d in 0..<dims { values[p * dims + d] = row[d] / norm }
            }
            return EmbeddedRecording(model: "m\(m)", source: "m\(m).jsonl", sha256: "", embeddings: Matrix(rows: probes, columns: dims, values: values),
                                     answered: answered, familyColumns: [:], modelVersion: "v", modelSHA256: "x")
        }
    }

    @Test("equals a naive loop over probes and pairs, for the default and for odd block sizes")
    func naiveLoop() throws {
        let e = Self.random(9, probes: 61, dims: 24)
        for block: Int? in [nil, 1, 7, 61, 100] {
            let s = try SimilarityMatrix.meanProbeCosine(e, probeBlock: block, threads: 2)
            for i in 0..<9 {
                for j in 0..<9 {
                    var sum: Double = 0
                    var count = 0
                    for p in 0..<61 where e[i].answered[p] && e[j].answered[p] {
                        for d in 0..<24 { sum += Double(e[i].embeddings[p, d]) * Double(e[j].embeddings[p, d]) }
                        count += 1
                    }
                    #expect(s.probesCompared[i][j] == count)
                    #expect(abs(Double(s.meanCosine[i, j]) - (count > 0 ? sum / Double(count) : 0)) < 1e-5)
                }
            }
        }
    }

    @Test("one and two threads give bit-identical matrices")
    func threads() throws {
        let e = Self.random(12, probes: 97, dims: 32)
        for block: Int? in [nil, 5] {
            let one = try SimilarityMatrix.meanProbeCosine(e, probeBlock: block, threads: 1)
            let two = try SimilarityMatrix.meanProbeCosine(e, probeBlock: block, threads: 2)
            #expect(one.meanCosine.values.map(\.bitPattern) == two.meanCosine.values.map(\.bitPattern))
            #expect(one.probesCompared == two.probesCompared)
        }
    }

    /// Unit rows rounded onto `EmbeddingGrid`, keeping only rows the rounding lengthened (squared length > 1),
    /// as it does on average for real embeddings (measured: self-means 1.0000002–1.0000684 on 52 AlpacaEval files).
    static func lengthenedGridRows(probes: Int, dims: Int) -> EmbeddedRecording {
        var generator = SeededGenerator(seed: 11)
        var values: [Float] = []
        while values.count < probes * dims {
            var row = (0..<dims).map { _ in Float.random(in: -1...1, using: &generator) }
            let norm = row.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            for d in 0..<dims { row[d] /= norm }
            row.withUnsafeMutableBufferPointer { if let base = $0.baseAddress { EmbeddingGrid.snap(base, count: dims) } }
            if row.reduce(Double(0), { $0 + Double($1) * Double($1) }) > 1 { values += row }
        }
        return EmbeddedRecording(model: "m", source: "m.jsonl", sha256: "", embeddings: Matrix(rows: probes, columns: dims, values: values),
                                 answered: [Bool](repeating: true, count: probes), familyColumns: [:], modelVersion: "v", modelSHA256: "x")
    }

    @Test("two identical recordings: their mean cosine equals the diagonal and is at most 1, though the grid lengthened the rows")
    func identicalPairIsClamped() throws {
        let e = Self.lengthenedGridRows(probes: 20, dims: 64)
        // Without the clamp both cells would be this mean of squared lengths, above 1.
        var sum = 0.0
        for v in e.embeddings.values { sum += Double(v) * Double(v) }
        try #require(sum / 20 > 1)
        let other = Self.random(1, probes: 20, dims: 64)[0]
        let s = try SimilarityMatrix.meanProbeCosine([e, other, e], probeBlock: 7, threads: 2)
        #expect(s.meanCosine[0, 2] == s.meanCosine[0, 0])
        #expect(s.meanCosine[0, 2] == s.meanCosine[2, 2])
        #expect(s.meanCosine[0, 2] == 1)
        for value in s.meanCosine.values { #expect(value <= 1 && value >= -1) }
    }

    @Test("embeddings of different shapes are refused")
    func shapeMismatch() {
        let e = Self.random(2, probes: 5, dims: 8) + Self.random(1, probes: 4, dims: 8)
        #expect(throws: SimilarityMatrix.ShapeMismatch.self) { try SimilarityMatrix.meanProbeCosine(e) }
    }

    @Test("on a stack (read in place) equals the per-recording path, and one and two threads agree bit for bit")
    func stack() throws {
        let model = try EmbeddingEmbedderTests.model()
        let embedder = Embedder(model: model, threads: 1)
        let answers: [[String?]] = (0..<6).map { m in
            (0..<40).map { p in (m + p) % 9 == 0 ? nil : "Model \(m % 3) answer \(p): " + String(repeating: "w\(p % 4) ", count: 1 + (m * p) % 5) }
        }
        let e = answers.enumerated().map { recording("m\($0.offset)", $0.element, embedder) }
        let stack = try EmbeddingStack(files: e.map(\.source), probes: 40, model: model, threads: 2) {
            (path, row) throws(InputError) -> EmbeddingStack.Facts in
            try EmbeddingStack.place(e[e.firstIndex { $0.source == path } ?? 0], into: row, probes: 40, model: model)
        }
        let fromArrays = try SimilarityMatrix.meanProbeCosine(e, probeBlock: 3, threads: 2)
        let one = SimilarityMatrix.meanProbeCosine(stack, probeBlock: 3, threads: 1)
        let two = SimilarityMatrix.meanProbeCosine(stack, probeBlock: 3, threads: 2)
        #expect(one.meanCosine.values.map(\.bitPattern) == two.meanCosine.values.map(\.bitPattern))
        #expect(one.probesCompared == fromArrays.probesCompared && one.models == fromArrays.models)
        for (a, b) in zip(one.meanCosine.values, fromArrays.meanCosine.values) { #expect(abs(a - b) < 1e-6) }
    }

    @Test("a stack keeps embeddings as exact 16-bit grid steps, and refuses values off the grid")
    func stackSteps() throws {
        let model = try EmbeddingEmbedderTests.model()
        let embedder = Embedder(model: model, threads: 1)
        let e = (0..<3).map { m in recording("m\(m)", (0..<12).map { p in p == m ? nil : "answer \(p) of model \(m)" }, embedder) }
        func stack(_ recordings: [EmbeddedRecording]) throws(InputError) -> EmbeddingStack {
            try EmbeddingStack(files: recordings.map(\.source), probes: 12, model: model, threads: 2) {
                (path, row) throws(InputError) -> EmbeddingStack.Facts in
                try EmbeddingStack.place(recordings[recordings.firstIndex { $0.source == path } ?? 0], into: row, probes: 12, model: model)
            }
        }
        let s = try stack(e)
        #expect(s.steps.count == 3 * 12 * model.dimensions && s.width == 12 * model.dimensions)
        for i in 0..<3 { #expect(s.embeddings(i).values.map(\.bitPattern) == e[i].embeddings.values.map(\.bitPattern)) }
        var offGrid = e
        offGrid[1].embeddings.values[5] += 0.0001
        let error = #expect(throws: InputError.self) { try stack(offGrid) }
        #expect(error?.kind == .mismatchedProbeSet && error?.description.contains("m1.jsonl") == true)
    }
}
