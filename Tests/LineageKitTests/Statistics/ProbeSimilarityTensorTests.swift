import Testing
@testable import LineageKit

@Suite("Statistics: per-probe similarity tensor")
struct ProbeSimilarityTensorTests {
    /// Six models on 30 probes: model 5 answers nothing, model 4 only the first ten, so some pairs share
    /// few probes and some none.
    static func recordings() throws -> (EmbeddingModel, [EmbeddedRecording]) {
        let model = try EmbeddingEmbedderTests.model()
        let embedder = Embedder(model: model, threads: 1)
        let helper = SimilarityMatrixTests()
        let answers: [[String?]] = (0..<6).map { m in
            (0..<30).map { p in
                m == 5 || (m == 4 && p >= 10) ? nil
                    : "Model \(m % 3) on \(p): " + String(repeating: "word\((m * p) % 7) ", count: 1 + (m + p) % 5)
            }
        }
        return (model, answers.enumerated().map { helper.recording("m\($0.offset)", $0.element, embedder) })
    }

    @Test("mean cosines over probe multiplicities equal meanCosine over the drawn multiset, bit for bit")
    func multiplicitiesMatchSubsets() throws {
        let (_, e) = try Self.recordings()
        let tensor = ProbeSimilarityTensor(embeddings: e.map(\.embeddings), answered: e.map(\.answered))
        var generator = SeededGenerator(seed: 42)
        for round in 0..<4 {
            // Round 0: every probe once; then bootstrap draws (repeats, and probes left out).
            let subset = round == 0 ? Array(0..<30) : (0..<30).map { _ in generator.index(below: 30) }
            var drawn = [Int](repeating: 0, count: 30)
            for p in subset { drawn[p] += 1 }
            let means = tensor.meanCosines(multiplicities: drawn)
            for i in 0..<6 {
                for j in 0..<6 {
                    let expected = tensor.meanCosine(i, j, over: subset)
                    if expected.isNaN {
                        #expect(means[i][j].isNaN, "round \(round): \(i), \(j)")
                    } else {
                        #expect(means[i][j].bitPattern == expected.bitPattern, "round \(round): \(i), \(j)")
                    }
                }
            }
        }
        let all = tensor.meanCosines(multiplicities: [Int](repeating: 1, count: 30))
        #expect(all[0][5].isNaN && all[5][5].isNaN && all[0][0].isFinite)
    }

    @Test("a tensor built from a stack's 16-bit steps equals the one built from the recordings")
    func fromStack() throws {
        let (model, e) = try Self.recordings()
        let stack = try EmbeddingStack(files: e.map(\.source), probes: 30, model: model, threads: 2) {
            (path, row) throws(InputError) -> EmbeddingStack.Facts in
            try EmbeddingStack.place(e[e.firstIndex { $0.source == path } ?? 0], into: row, probes: 30, model: model)
        }
        let a = ProbeSimilarityTensor(stack: stack)
        let b = ProbeSimilarityTensor(embeddings: e.map(\.embeddings), answered: e.map(\.answered))
        #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
        #expect(a.answered == b.answered && a.models == 6 && a.probes == 30)
    }
}

@Suite("Statistics: anchored tensor and shared panel centring")
struct AnchoredTensorTests {
    @Test("an anchored tensor holds its anchor's pairs with the bits of the full tensor, whole or by columns")
    func anchoredEqualsFull() throws {
        let (_, e) = try ProbeSimilarityTensorTests.recordings()
        let embeddings = e.map(\.embeddings), answered = e.map(\.answered)
        let columns = [0..<(embeddings[0].columns / 2)]
        let full = ProbeSimilarityTensor(embeddings: embeddings, answered: answered)
        let fullColumns = ProbeSimilarityTensor(embeddings: embeddings, columns: columns, answered: answered)
        for anchor in [0, 3, 5] {
            let anchored = ProbeSimilarityTensor(embeddings: embeddings, answered: answered, anchor: anchor)
            let anchoredColumns = ProbeSimilarityTensor(embeddings: embeddings, columns: columns, answered: answered, anchor: anchor)
            #expect(anchored.values.count == 30 * 6)
            for other in 0..<6 {
                for probe in 0..<30 {
                    #expect(anchored.cosine(anchor, other, probe: probe).bitPattern == full.cosine(anchor, other, probe: probe).bitPattern)
                    #expect(anchored.cosine(other, anchor, probe: probe).bitPattern == full.cosine(other, anchor, probe: probe).bitPattern)
                    #expect(anchoredColumns.cosine(anchor, other, probe: probe).bitPattern
                            == fullColumns.cosine(anchor, other, probe: probe).bitPattern)
                }
                #expect(anchored.meanCosine(anchor, other).bitPattern == full.meanCosine(anchor, other).bitPattern)
            }
        }
    }

    @Test("the panel's centring worked out once gives every model the rows of centring them all together, for its own panel only")
    func sharedCentringEqualsCentringAll() throws {
        let (model, e) = try ProbeSimilarityTensorTests.recordings()
        let family = try #require(model.families.first { $0.dimensions > 0 }).family
        let columns = try #require(model.layout(family)).columns
        let recordings = e.enumerated().map { k, embedded in
            PanelSelectionTests.recording(embedded.model, embedded.source, sha256: "\(k)")
        }
        // The shared models held as 16-bit steps, as a batch holds them; the student (model 0) as Float32.
        let rows = e.map { EmbeddingRows($0) }
        let stepped = try rows.map { try #require($0.compacted()) }
        let shared = PanelCentring(families: [family], model: model, recordings: Array(recordings[1...]),
                                   embeddings: Array(stepped[1...]), pool: [1, 2, 3, 4])
        let expected = PromptCentring.centred(e.map { Embedder.columnsNormalized($0.embeddings, [columns]) },
                                              answered: e.map(\.answered), pool: [2, 3, 4, 5])
        let centred = try #require(shared.rows(family, columns: columns, recordings: recordings,
                                               embeddings: [rows[0]] + stepped[1...], pool: [2, 3, 4, 5]))
        #expect(centred.map { $0.matrix.values.map(\.bitPattern) } == expected.map { $0.values.map(\.bitPattern) })
        // Another panel (a student that is itself a panel model leaves it) is not this centring's.
        #expect(shared.rows(family, columns: columns, recordings: recordings, embeddings: rows, pool: [2, 3, 4]) == nil)
    }

    @Test("embeddings held as 16-bit steps read back as the same Float32 values, and make the same tensors")
    func steppedRowsAreExact() throws {
        let (model, e) = try ProbeSimilarityTensorTests.recordings()
        let rows = e.map { EmbeddingRows($0) }
        let stepped = try rows.map { try #require($0.compacted()) }
        #expect(stepped.map { $0.matrix.values.map(\.bitPattern) } == e.map { $0.embeddings.values.map(\.bitPattern) })
        let columns = [try #require(model.families.first { $0.dimensions > 0 }).columns]
        #expect(stepped.map { $0.columnsNormalized(columns).values.map(\.bitPattern) }
                == e.map { Embedder.columnsNormalized($0.embeddings, columns).values.map(\.bitPattern) })
        for anchor in [nil, 2] as [Int?] {
            let a = ProbeSimilarityTensor(rows: stepped, columns: columns, anchor: anchor)
            let b = ProbeSimilarityTensor(embeddings: e.map(\.embeddings), columns: columns, answered: e.map(\.answered), anchor: anchor)
            #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
        }
        // Off the grid, nothing is stepped.
        #expect(EmbeddingRows(Matrix(rows: 1, columns: 2, values: [0.5, 0.1]), answered: [true]).compacted() == nil)
    }
}
