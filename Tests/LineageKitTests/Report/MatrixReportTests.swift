import Testing
@testable import LineageKit

@Suite("Report: matrix report statistics")
struct MatrixReportTests {
    @Test("impostor scores equal ImpostorScore.compute with the other models as panel; none without shared probes")
    func impostorScores() throws {
        let (_, e) = try ProbeSimilarityTensorTests.recordings()
        let tensor = ProbeSimilarityTensor(embeddings: e.map(\.embeddings), answered: e.map(\.answered))
        let report = MatrixReport.compute(tensor: tensor, models: e.map(\.model), sources: e.map(\.source),
                                          resamples: 5, seed: 9)
        for i in 0..<6 {
            #expect(report.impostorScore[i][i].isNaN)
            for j in 0..<6 where j != i {
                if i == 5 || j == 5 {
                    // Model 5 answered nothing: no mean cosine, so no score.
                    #expect(report.impostorScore[i][j].isNaN, "\(i) → \(j)")
                    continue
                }
                let panel = (0..<6).filter { $0 != i && $0 != j }
                let expected = ImpostorScore.compute(tensor, student: i, candidate: j, panel: panel).score
                #expect(report.impostorScore[i][j].bitPattern == expected.bitPattern, "\(i) → \(j)")
            }
        }
    }

    @Test("the tree bootstrap is fixed by its seed and moves with it")
    func bootstrapSeeded() throws {
        let (_, e) = try ProbeSimilarityTensorTests.recordings()
        let tensor = ProbeSimilarityTensor(embeddings: e.map(\.embeddings), answered: e.map(\.answered))
        func run(_ seed: UInt64) -> LineageTree {
            MatrixReport.compute(tensor: tensor, models: e.map(\.model), sources: e.map(\.source),
                                 resamples: 40, seed: seed).tree
        }
        let a = run(1), b = run(1)
        #expect(a == b)
        #expect(a.nodes.contains { $0.support != nil })
        let supports = (2..<12).map { run(UInt64($0)).nodes.map(\.support) }
        #expect(supports.contains { $0 != a.nodes.map(\.support) }, "ten other seeds all gave the same supports")
    }
}
