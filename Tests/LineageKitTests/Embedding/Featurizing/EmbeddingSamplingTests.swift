import Foundation
import Testing
@testable import LineageKit

/// Hash sampling of n-gram families (`FamilyLayout.sampleShift`, the experimental 1-in-8 recipe's character block): the kept
/// n-grams are a fixed subset of the unsampled ones, about 1 in 2^shift, and the model file says so.
@Suite("Embedding: n-gram sampling")
struct EmbeddingSamplingTests {
    static func model(charShift: Int, wordShift: Int = 0) throws -> EmbeddingModel {
        try EmbeddingFeaturizerTests.model([
            ModelRecipe.Family(family: "char", seed: 1, buckets: 1 << 16, dimensions: 64, weight: 1, minN: 3, maxN: 5,
                               sampleShift: charShift),
            ModelRecipe.Family(family: "word", seed: 2, buckets: 1 << 16, dimensions: 64, weight: 1, minN: 1, maxN: 2,
                               sampleShift: wordShift),
        ])
    }

    static let texts = EmbeddingVectorKernelsTests.whiteSpaceHeavy(count: 200)
        + ["Déjà vu — “quoted” café, naïve façade.", "東京は日本の首都です。", "Plain ASCII text with some words in it."]

    /// Per family, the distinct buckets of `text` under `model`.
    static func buckets(_ text: String, _ counter: FeatureCounter) -> [FeatureFamily: Set<UInt32>] {
        counter.count(text)
        var out: [FeatureFamily: Set<UInt32>] = [:]
        for (layout, range) in counter.segments { out[layout.family] = Set(range.map { counter.touched[$0] }) }
        return out
    }

    @Test("a sampled family keeps a subset of the unsampled buckets, about 1 in 2^shift, with the right counts",
          arguments: FeaturizerKernels.runnable)
    func keptSubset(kernels: FeaturizerKernels) throws {
        let all = FeatureCounter(model: try Self.model(charShift: 0), kernels: kernels)
        let sampled = FeatureCounter(model: try Self.model(charShift: 3, wordShift: 1), kernels: kernels)
        var totals: [FeatureFamily: (all: Int, kept: Int)] = [:]
        var sameCount = 0, keptBuckets = 0
        for text in Self.texts {
            let full = Self.buckets(text, all), kept = Self.buckets(text, sampled)
            for family in [FeatureFamily.characters, .words] {
                let a = full[family] ?? [], k = kept[family] ?? []
                #expect(k.isSubset(of: a), "\(family) kept a bucket the unsampled family does not have")
                totals[family, default: (0, 0)].all += a.count
                totals[family, default: (0, 0)].kept += k.count
            }
            // A kept n-gram is counted as often as without sampling; the unsampled bucket may also hold
            // dropped n-grams that share it (a collision), so its count can only be larger.
            all.count(text)
            let counts = Dictionary((0..<all.distinctCount).map { (all.touched[$0], all.frequencies[$0]) }) { $0 + $1 }
            sampled.count(text)
            for k in 0..<sampled.distinctCount {
                let full = counts[sampled.touched[k]] ?? 0
                #expect(sampled.frequencies[k] <= full)
                if sampled.frequencies[k] == full { sameCount += 1 }
                keptBuckets += 1
            }
        }
        #expect(Double(sameCount) > 0.97 * Double(keptBuckets), "\(sameCount) of \(keptBuckets) counts equal")
        let characters = try #require(totals[.characters]), words = try #require(totals[.words])
        let characterShare = Double(characters.kept) / Double(characters.all)
        let wordShare = Double(words.kept) / Double(words.all)
        #expect(characters.all > 20_000 && characterShare > 0.10 && characterShare < 0.15, "kept \(characterShare)")
        #expect(words.all > 2_000 && wordShare > 0.42 && wordShare < 0.58, "kept \(wordShare)")
    }

    @Test("a model that samples is written as format 2 and reads back the same; one that does not stays format 1")
    func fileFormat() throws {
        let sampled = try Self.model(charShift: 3)
        let plain = try Self.model(charShift: 0)
        #expect(sampled.serialized()[8] == 2 && plain.serialized()[8] == 1)
        let read = try EmbeddingModel(data: sampled.serialized())
        #expect(read.families.map(\.sampleShift) == [3, 0])
        #expect(read.sha256 == sampled.sha256)
        #expect(try EmbeddingModel(data: plain.serialized()).families.map(\.sampleShift) == [0, 0])
    }

    @Test("the style family cannot be sampled, and a shift past the limit is refused")
    func refusals() throws {
        let style = ModelRecipe.Family(family: "style", seed: 3, buckets: 1 << 12, dimensions: 32, weight: 1, minN: 1,
                                       maxN: 1, sampleShift: 1)
        #expect(throws: EmbeddingModelError.self) { try EmbeddingFeaturizerTests.model([style]) }
        #expect(throws: EmbeddingModelError.self) { try Self.model(charShift: FamilyLayout.maximumSampleShift + 1) }
        var bytes = [UInt8](try Self.model(charShift: 3).serialized())
        // The char family's sample shift sits right after its max n; make it 40.
        let header = 8 + 4 + 4 + 4 + 8 + 4 + 4 + 4 + 4 + 4 + 4
        bytes[header + 4 + 8 + 4 * 4 + 4 + 4 * 2] = 40
        #expect(throws: EmbeddingModelError.self) { try EmbeddingModel(data: Data(bytes)) }
    }
}
