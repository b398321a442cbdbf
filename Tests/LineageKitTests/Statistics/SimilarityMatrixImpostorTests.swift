import Testing
@testable import LineageKit

@Suite("Statistics: impostor scores of a similarity matrix")
struct SimilarityMatrixImpostorTests {
    @Test("each ordered pair equals ImpostorScore.compute with the other models as the panel; nil where undefined")
    func matchesTheVerdictScore() throws {
        let model = try EmbeddingEmbedderTests.model()
        let embedder = Embedder(model: model, threads: 1)
        let helper = SimilarityMatrixTests()
        let answers: [[String?]] = (0..<5).map { m in
            (0..<12).map { p in
                m == 4 ? nil : "Model \(m % 2) says \(p): " + String(repeating: "tok\((m * p) % 5) ", count: 1 + (m + p) % 4)
            }
        }
        let e = answers.enumerated().map { helper.recording("m\($0.offset)", $0.element, embedder) }
        let matrix = try SimilarityMatrix.meanProbeCosine(e, probeBlock: 5)
        let scores = matrix.impostorScores()
        let tensor = ProbeSimilarityTensor(embeddings: e.map(\.embeddings), answered: e.map(\.answered))
        for i in 0..<5 {
            #expect(scores[i][i] == nil)
            for j in 0..<5 where j != i {
                guard i != 4, j != 4 else {
                    // Model 4 answered nothing: it shares no probe with anyone.
                    #expect(scores[i][j] == nil)
                    continue
                }
                let panel = (0..<5).filter { $0 != i && $0 != j }
                let expected = ImpostorScore.compute(tensor, student: i, candidate: j, panel: panel).score
                let score = try #require(scores[i][j])
                // Float32 Gram sums against the tensor's Double sums: equal to a relative 1e-3 even where the
                // panel spread is tiny (these synthetic models are near copies, sd ≈ 5e-4, scores ≈ −70).
                #expect(abs(score - expected) <= 1e-3 * max(1, abs(expected)), "\(i) → \(j): \(score) vs \(expected)")
            }
        }
        // Three models leave a panel of one: no spread, no score.
        let three = try SimilarityMatrix.meanProbeCosine(Array(e.prefix(3)), probeBlock: 5)
        #expect(three.impostorScores().allSatisfy { $0.allSatisfy { $0 == nil } })
    }
}
