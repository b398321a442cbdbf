import Foundation
import Testing
@testable import LineageKit

@Suite("Embedding: embedder and model file")
struct EmbeddingEmbedderTests {
    static func model() throws -> EmbeddingModel {
        try EmbeddingFeaturizerTests.model([EmbeddingFeaturizerTests.char, EmbeddingFeaturizerTests.word, EmbeddingFeaturizerTests.style])
    }

    static let texts: [String] = (0..<150).map { i in
        i % 17 == 0 ? "" : "Answer \(i): " + String(repeating: "word\(i % 7) ", count: 1 + i % 9)
            + (i % 3 == 0 ? "\n- bullet **bold**\n" : "Sure, here are some thoughts.") + (i % 5 == 0 ? " Ünïcödé ✓" : "")
    }

    @Test("rows are unit length, an empty text gives a zero row, and the result is deterministic")
    func rows() throws {
        let embedder = Embedder(model: try Self.model(), threads: 1)
        let m = embedder.embed(Self.texts)
        for (i, text) in Self.texts.enumerated() {
            let norm = m.row(i).reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            // Unit length up to the rounding onto `EmbeddingGrid` (at most √D·2⁻¹¹ off).
            if text.isEmpty { #expect(norm == 0) } else { #expect(abs(norm - 1) < 0.012) }
        }
        #expect(embedder.embed(Self.texts) == m)
    }

    @Test("one thread and two threads give bit-identical embeddings")
    func threads() throws {
        let model = try Self.model()
        let one = Embedder(model: model, threads: 1).embed(Self.texts)
        let two = Embedder(model: model, threads: 2).embed(Self.texts)
        #expect(one.values.map(\.bitPattern) == two.values.map(\.bitPattern))
    }

    @Test("family blocks are unit rows and weights combine cosines: cos = Σ w cos_f / Σ w")
    func familyBlocks() throws {
        let model = try Self.model()
        let m = Embedder(model: model, threads: 1).embed(["Sure! Here is a list:\n- one\n- two", "Certainly. Here is one list:\n- a\n- b"])
        let recording = EmbeddedRecording(model: "x", source: "x", sha256: "", embeddings: m, answered: [true, true],
                                          familyColumns: model.familyColumns, modelVersion: model.version, modelSHA256: model.sha256)
        var combined: Float = 0
        for family in [FeatureFamily.characters, .words, .style] {
            let block = try #require(recording.block(family))
            #expect(block.columns == 64 || block.columns == 32)
            let cos = zip(block.row(0), block.row(1)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            combined += cos / 3
        }
        let whole = zip(m.row(0), m.row(1)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        // Exact before rounding; the whole row and each renormalised block are rounded onto `EmbeddingGrid`
        // separately (each value by at most 2⁻¹¹), which moves a cosine of these short rows by ~10⁻³.
        #expect(abs(whole - combined) < 4e-3)
    }

    @Test("a model file round-trips through its bytes, and damage is refused")
    func roundTrip() throws {
        let model = try Self.model().withIDF([Float](repeating: 2.5, count: try Self.model().bucketCount), documents: 10)
        let again = try EmbeddingModel(data: model.serialized())
        #expect(again.sha256 == model.sha256)
        #expect(again.families == model.families && again.idf == model.idf && again.documents == 10)
        #expect(throws: EmbeddingModelError.self) { try EmbeddingModel(data: model.serialized().dropLast(3)) }
        var bad = model.serialized()
        bad[0] = 0
        #expect(throws: EmbeddingModelError.self) { try EmbeddingModel(data: bad) }
    }

    @Test("an embedding-only model drops the Float32 IDF but names itself and embeds exactly as the full model")
    func embeddingOnly() throws {
        let full = try EmbeddingModel.bundled()
        let light = full.embeddingOnly()
        #expect(light.idf.isEmpty && light.bucketCount == full.bucketCount && light.bucketCount > 0)
        #expect(light.sha256 == full.sha256 && light.version == full.version)
        let texts = ["Sure! Here are three tips:\n1. Sleep well", "Café — naïve “quotes”", "", "x"]
        let a = Embedder(model: full, threads: 1).embed(texts)
        let b = Embedder(model: light, threads: 1).embed(texts)
        #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
    }

    @Test("each bundled model's SHA-256 is the one committed beside it, and --model finds it by name",
          arguments: EmbeddingModel.bundledNames)
    func bundledHash(name: String) throws {
        let path = try #require(EmbeddingModel.bundledPath(named: name))
        let recorded = try String(contentsOfFile: path + ".sha256", encoding: .utf8)
            .split(separator: " ").first.map(String.init)
        let model = try EmbeddingModel.bundled(named: name)
        #expect(model.sha256 == recorded)
        #expect(model.version == name && model.dimensions > 0 && model.documents > 0)
        #expect(try EmbeddingModel.load(path: name).sha256 == model.sha256)
        #expect(EmbeddingModel.file(for: name) == path)
    }

    @Test("the default model is ngram-v3, and ngram-v2 and ngram-v1 stay bundled for replaying older reports")
    func bundledDefault() throws {
        #expect(try EmbeddingModel.load(path: nil).version == "ngram-v3")
        #expect(EmbeddingModel.bundledNames == ["ngram-v3", "ngram-v2", "ngram-v1"])
    }
}
