import CFeatureKernels
import Foundation
import Testing
@testable import LineageKit

/// The portable kernels (plain C on any CPU, AVX2 where the CPU has it) must give the bytes of the Swift
/// loops, as the AVX-512 ones must (`EmbeddingVectorKernelsTests`, whose texts these tests share).
@Suite("Embedding: portable kernels")
struct EmbeddingPortableKernelsTests {
    typealias Texts = EmbeddingVectorKernelsTests

    /// The shipped ngram-v3 on every bundled answer; ngram-v1 (samples nothing) and the 1-in-8 experiment on the
    /// first 4000 (the debug build's Swift loops are slow, and the kernels' code is the same for every model).
    @Test("bundled and sampled models count the same buckets, in the same order, with the portable kernels",
          arguments: ["ngram-v1", "ngram-v3", "experiments/ngram-v2-char-1in8"])
    func counts(modelName: String) throws {
        let model = try Texts.model(modelName)
        let answers = modelName == "ngram-v3" ? Texts.answers : Array(Texts.answers.prefix(4000))
        let portable = FeatureCounter(model: model, kernels: .portable)
        let swift = FeatureCounter(model: model, kernels: .swift)
        var mismatches = 0, buckets = 0
        for text in Texts.whiteSpaceHeavy(count: 300) + Texts.tokenHeavy(count: 300) + answers {
            if !Texts.countsAgree(portable, swift, on: text) { mismatches += 1 }
            buckets += swift.distinctCount
        }
        #expect(Texts.answers.count > 16_000)
        #expect(mismatches == 0)
        #expect(buckets > 1_000_000) // the texts were counted
    }

    @Test("embeddings are bit-identical with the portable kernels and the Swift loops",
          arguments: ["ngram-v3", "experiments/ngram-v2-char-1in8"])
    func embeddings(modelName: String) throws {
        #expect(Texts.embeddingsAgree(try Texts.model(modelName), .portable, .swift))
    }

    @Test("the AVX2 fold writes what TextNormalizer.foldASCII writes, and refuses the same texts",
          .enabled(if: VectorKernels.avx2Supported, "needs AVX2"))
    func fold() {
        let (mismatches, refused) = Texts.foldMismatches { bytes, lowercase, output in
            FeaturizerKernels.portable.foldASCII(bytes, lowercase: lowercase, into: output)
        }
        #expect(mismatches == 0)
        #expect(refused > 1000) // the non-ASCII answers were refused on both sides
    }

    @Test("the AVX2 character kernel gives the plain-C kernel's ids for any number of positions",
          .enabled(if: VectorKernels.avx2Supported, "needs AVX2"))
    func characterIDs() {
        var mismatches = 0, ids = 0
        for (k, answer) in Texts.answers.prefix(3000).enumerated() {
            var text: [UInt8] = []
            TextNormalizer(lowercase: true).normalize(answer, into: &text)
            guard text.count >= 5, text.allSatisfy({ $0 < 0x80 }) else { continue }
            // Every answer whole, and a short prefix of it (1 to 9 positions: the vector loop's tail alone).
            for positions in [text.count - 4, min(text.count - 4, 1 + k % 9)] {
                var plain = [UInt32](repeating: 0, count: 3 * positions + 1), vector = plain
                var plainCount = 0, vectorCount = 0
                let done = lineage_char_ngram_ids_3to5_portable(text, positions, 0xcbf2_9ce4_8422_2325 ^ 1, 45, 7, 3,
                                                                &plain, &plainCount)
                let vectorDone = lineage_char_ngram_ids_3to5_avx2(text, positions, 0xcbf2_9ce4_8422_2325 ^ 1, 45, 7, 3,
                                                                  &vector, &vectorCount)
                if done != positions || vectorDone != positions || plainCount != vectorCount
                    || plain.prefix(plainCount) != vector.prefix(vectorCount) { mismatches += 1 }
                ids += plainCount
            }
        }
        #expect(mismatches == 0)
        #expect(ids > 100_000)
    }

    @Test("the portable projection kernels give SparseProjection's column and sign for every bucket they are given")
    func projection() throws {
        let model = try EmbeddingModel.bundled()
        let projection = SparseProjection(model: model)
        let buckets = (0..<4099).map { UInt32(truncatingIfNeeded: $0 &* 2_654_435_761) >> 12 }
        var plain = [UInt32](repeating: 0, count: buckets.count), vector = plain
        lineage_project_columns_portable(buckets, buckets.count, projection.seed, 256, &plain)
        if VectorKernels.avx2Supported {
            lineage_project_columns_avx2(buckets, buckets.count, projection.seed, 256, &vector)
            #expect(vector == plain)
        }
        for (bucket, entry) in zip(buckets, plain) {
            projection.forEachEntry(bucket: bucket, dims: 256) { column, signBit in
                #expect(entry == UInt32(column) | signBit)
            }
        }
        #expect(Set(plain.map { $0 & 0x7fff_ffff }).count == 256) // every column is reached
    }

    @Test("the portable ASCII scans find the first byte at or above 0x80 wherever it is")
    func asciiPrefix() {
        var text = [UInt8](repeating: 0x61, count: 200)
        for length in [0, 1, 7, 8, 9, 31, 32, 33, 64, 65, 200] {
            for high in [nil, 0, 1, 7, 8, 30, 31, 32, 63, 64, 100, 199] as [Int?] {
                text.withUnsafeMutableBufferPointer { buffer in
                    if let high { buffer[high] = 0xC3 }
                    let expected = (0..<length).first { buffer[$0] >= 0x80 } ?? length
                    #expect(lineage_ascii_prefix_portable(buffer.baseAddress, length) == expected)
                    if VectorKernels.avx2Supported {
                        #expect(lineage_ascii_prefix_avx2(buffer.baseAddress, length) == expected)
                    }
                    if let high { buffer[high] = 0x61 }
                }
            }
        }
    }

    /// The portable word kernel's ids of `text` (lowercase ASCII) for one buffer size, called again from where
    /// it stopped until the text is done, as `FeatureCounter` calls it; also the last token's hash and flag.
    static func wordIDs(_ text: [UInt8], capacity: Int) -> (ids: [UInt32], previous: UInt64, seen: Int32) {
        var ids: [UInt32] = [], buffer = [UInt32](repeating: 0, count: capacity + 16)
        var position = 0, previous: UInt64 = 0, seen: Int32 = 0
        repeat {
            let written = lineage_word_ids_1to2_portable(text, text.count, &position, 0xcbf2_9ce4_8422_2325, 45, 7, 3,
                                                         &previous, &seen, &buffer, capacity)
            ids += buffer.prefix(written)
        } while position < text.count
        return (ids, previous, seen)
    }

    @Test("the portable word kernel gives the same ids whatever the room it is given, and the AVX-512 kernel's",
          arguments: [16, 40])
    func wordIDsAnyCapacity(capacity: Int) {
        var mismatches = 0, ids = 0
        for answer in Texts.tokenHeavy(count: 300) + Texts.answers.prefix(4000) {
            var text: [UInt8] = []
            TextNormalizer(lowercase: true).normalize(answer, into: &text)
            guard !text.isEmpty, text.allSatisfy({ $0 < 0x80 }) else { continue }
            let small = Self.wordIDs(text, capacity: capacity), whole = Self.wordIDs(text, capacity: 1 << 15)
            if small.ids != whole.ids || small.previous != whole.previous || small.seen != whole.seen { mismatches += 1 }
            if VectorKernels.supported {
                let vector = Texts.wordIDs(text, capacity: capacity, queued: 1)
                if vector.ids != whole.ids || vector.previous != whole.previous { mismatches += 1 }
            }
            ids += whole.ids.count
        }
        #expect(mismatches == 0)
        #expect(ids > 100_000) // the texts are there
    }
}
