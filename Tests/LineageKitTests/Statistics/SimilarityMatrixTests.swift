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
            #expect(abs(s.meanCosine[i, i] - 1) < 1e-5)
            for j in 0..<3 {
                #expect(s.meanCosine[i, j] == s.meanCosine[j, i])
                var sum: Float = 0
                var count = 0
                for p in 0..<4 where e[i].answered[p] && e[j].answered[p] {
                    sum += zip(e[i].embeddings.row(p), e[j].embeddings.row(p)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                    count += 1
                }
                #expect(abs(s.meanCosine[i, j] - sum / Float(count)) < 1e-5)
            }
        }
    }
}
