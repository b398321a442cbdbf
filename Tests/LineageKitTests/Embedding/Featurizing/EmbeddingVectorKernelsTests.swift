import CFeatureKernels
import Foundation
import Testing
@testable import LineageKit

/// The AVX-512 kernels must give the bytes of the Swift loops they stand in for: a result may never
/// depend on the CPU it was computed on.
@Suite("Embedding: vector kernels", .enabled(if: VectorKernels.supported, "needs AVX-512 (F, BW, DQ, VL)"))
struct EmbeddingVectorKernelsTests {
    /// Every answer of the bundled probe set's recordings (16 801 answers; 12 % not ASCII).
    static let answers: [String] = {
        let folder = FixturePaths.alpacaEval.appendingPathComponent("recordings")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".jsonl") }.sorted().flatMap { name in
            ((try? RecordingReader.read(path: folder.appendingPathComponent(name).path))?.answers ?? []).map(\.output)
        }
    }()

    /// Texts that exercise the fold's state machine: runs of every kind of white space, at block edges.
    static func whiteSpaceHeavy(count: Int) -> [String] {
        let pieces = ["a", "Bc", "7", " ", "  ", "\t", "\n", "\n\n", "\n\n\n", "\r\n", " \n ", "x_y", ".", "\u{0B}", "\u{0C}", "Word"]
        return generated(count: count, seed: 0x5eed, lengthShift: 55) { pieces[Int($0 >> 60)] } // 0..<512 pieces
    }

    /// Texts that exercise the word kernel's windows: words that end on, cross or fill a 64-byte window,
    /// runs of one-byte tokens (up to 64 tokens in one window), and single spaces and newlines between.
    static func tokenHeavy(count: Int) -> [String] {
        let pieces = ["a", "Word", String(repeating: "x", count: 63), String(repeating: "y", count: 64),
                      String(repeating: "z", count: 65), String(repeating: "w", count: 130), ".", "!?", "....", " ", " ",
                      "\n", "_9", "(", String(repeating: ",", count: 70), "it's"]
        return generated(count: count, seed: 0x70ce, lengthShift: 56) { pieces[Int($0 >> 60)] } // 0..<256 pieces
    }

    /// `count` texts of pseudo-random pieces (a 64-bit LCG from `seed`): each `state >> lengthShift` pieces
    /// long, each piece `piece(state)` of the next state.
    static func generated(count: Int, seed: UInt64, lengthShift: UInt64, piece: (UInt64) -> String) -> [String] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
        return (0..<count).map { _ in
            (0..<Int(next() >> lengthShift)).reduce(into: "") { text, _ in text += piece(next()) }
        }
    }

    /// `compress` 1 takes the VBMI2 byte-compress path where this CPU has it, 0 the store-or-writer path.
    @Test("the fold kernel writes what TextNormalizer.foldASCII writes, and refuses the same texts",
          arguments: [Int32(0), 1])
    func fold(compress: Int32) {
        #expect(Self.answers.count > 16_000)
        let (mismatches, refused) = Self.foldMismatches { bytes, lowercase, output in
            let folded = lineage_fold_ascii(bytes.baseAddress, bytes.count, lowercase ? 1 : 0, compress, output)
            return folded < 0 ? nil : folded
        }
        #expect(mismatches == 0)
        #expect(refused > 1000) // the non-ASCII answers took the other path on both sides
    }

    /// How many of the fold-heavy texts and bundled answers (each folded lowercased and not) `fold` folds otherwise
    /// than `TextNormalizer.foldASCII` (other bytes, or refused where it is not, or the reverse), and how many
    /// `foldASCII` refuses (not all ASCII).
    static func foldMismatches(
        _ fold: (UnsafeBufferPointer<UInt8>, Bool, UnsafeMutablePointer<UInt8>) -> Int?
    ) -> (mismatches: Int, refused: Int) {
        var mismatches = 0, refused = 0
        for text in whiteSpaceHeavy(count: 3000) + answers {
            var text = text
            text.withUTF8 { bytes in
                let expected = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count + 1)
                let got = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count + 1)
                defer { expected.deallocate(); got.deallocate() }
                for lowercase in [false, true] {
                    let length = TextNormalizer.foldASCII(bytes, lowercase: lowercase, into: expected)
                    if length == nil { refused += 1 }
                    let folded = fold(bytes, lowercase, got)
                    if length == folded && length.map({ memcmp(expected, got, $0) == 0 }) ?? true { continue }
                    mismatches += 1
                }
            }
        }
        return (mismatches, refused)
    }

    /// The models the kernels are held to: both bundled ones (ngram-v1 samples nothing, ngram-v2 its character
    /// n-grams 1 in 4) and the recipe `scripts/model/experiments/ngram-v2-char-1in8.recipe.json` (1 in 8), whose IDF is
    /// left at ones (the kernels do not read the IDF apart from the drain, which takes it as it comes).
    static let models = ["ngram-v1", "ngram-v2", "ngram-v3", "experiments/ngram-v2-char-1in8"]

    static func model(_ name: String) throws -> EmbeddingModel {
        guard name.hasPrefix("experiments/") else { return try EmbeddingModel.bundled(named: name) }
        let recipe = try ModelRecipe.load(path: FixturePaths.root.appendingPathComponent("scripts/model/\(name).recipe.json").path)
        #expect(recipe.families.map(\.sampleShift) == [3, 0])
        return try recipe.unfittedModel()
    }

    /// Texts dense in stock phrases and near misses, in any case, at every offset of a 64-byte block and at
    /// the very end of the text: what the phrase scan's vector filter must pass or drop exactly as the scalar scan.
    static func phraseHeavy(count: Int) -> [String] {
        let pieces = StyleTokenizer.phrases + ["Sure", "HOWEVER", "the", "th", "i'", "i", "su", "Here's", "feel", "x",
                                               "surely", "firstly", "hope this", " ", "  ", "\n", ",", "0", "é", "Of Course"]
        return generated(count: count, seed: 0xfa5e, lengthShift: 57) { state in // 0..<128 pieces
            let piece = pieces[Int(state >> 33) % pieces.count]
            return ((state >> 32) & 1 == 0 ? piece : piece.uppercased()) + ((state >> 40) & 3 != 0 ? " " : "")
        }
    }

    @Test("the phrase scan finds the same phrases, in the same order, with and without its vector filter")
    func phrases() {
        var mismatches = 0
        for text in Self.phraseHeavy(count: 2000) + Self.answers {
            var view: [UInt8] = []
            TextNormalizer(lowercase: false).normalize(text, into: &view)
            var vector = CollectingSink(), scalar = CollectingSink()
            view.withUnsafeBufferPointer {
                StyleTokenizer.tokens(of: $0, into: &vector, vectorKernels: true)
                StyleTokenizer.tokens(of: $0, into: &scalar, vectorKernels: false)
            }
            if vector.tokens != scalar.tokens { mismatches += 1 }
        }
        #expect(mismatches == 0)
        // The filter is not vacuous: these texts hold phrases at block edges.
        var sink = CollectingSink()
        let text = Array((String(repeating: "x", count: 62) + " Sure, however I hope this helps").utf8)
        text.withUnsafeBufferPointer { StyleTokenizer.tokens(of: $0, into: &sink, vectorKernels: true) }
        #expect(sink.tokens.filter { $0.hasPrefix("phrase:") } == ["phrase:sure", "phrase:however", "phrase:i hope this helps", "phrase:hope this helps"])
    }

    @Test("bundled and sampled models count the same buckets, in the same order, with and without the kernels",
          arguments: models)
    func counts(modelName: String) throws {
        let model = try Self.model(modelName)
        let vector = FeatureCounter(model: model, kernels: .avx512)
        let scalar = FeatureCounter(model: model, kernels: .swift)
        var mismatches = 0
        for text in Self.whiteSpaceHeavy(count: 300) + Self.tokenHeavy(count: 300) + Self.answers
        where !Self.countsAgree(vector, scalar, on: text) {
            mismatches += 1
        }
        #expect(mismatches == 0)
    }

    /// Whether two counters count `text` into the same buckets, in the same order, with the same frequencies
    /// and family segments.
    static func countsAgree(_ x: FeatureCounter, _ y: FeatureCounter, on text: String) -> Bool {
        x.count(text)
        y.count(text)
        return x.distinctCount == y.distinctCount
            && (0..<x.distinctCount).allSatisfy { x.touched[$0] == y.touched[$0] && x.frequencies[$0] == y.frequencies[$0] }
            && x.segments.map(\.range) == y.segments.map(\.range)
    }

    @Test("embeddings are bit-identical with and without the kernels (bundled and sampled models: one non-zero a bucket)",
          arguments: models)
    func embeddings(modelName: String) throws {
        let model = try Self.model(modelName)
        #expect(model.projectionNonzeros == 1)
        #expect(Self.embeddingsAgree(model, .avx512, .swift))
    }

    /// Whether `model` embeds every bundled answer into the same bits on the two paths.
    static func embeddingsAgree(_ model: EmbeddingModel, _ x: FeaturizerKernels, _ y: FeaturizerKernels) -> Bool {
        var embedder = Embedder(model: model, threads: 2)
        embedder.kernels = x
        let first = embedder.embed(answers)
        embedder.kernels = y
        let second = embedder.embed(answers)
        return first.values.count == answers.count * model.dimensions
            && first.values.elementsEqual(second.values) { $0.bitPattern == $1.bitPattern }
    }

    /// The word kernel's ids of `text` (lowercase ASCII) for one buffer size, run as `FeatureCounter` runs it:
    /// called again from where it stopped until the text is done. Also the last token's hash and flag.
    static func wordIDs(_ text: [UInt8], capacity: Int, queued: Int32) -> (ids: [UInt32], previous: UInt64, seen: Int32) {
        let padded = text + [UInt8](repeating: 0, count: 8)
        var ids: [UInt32] = [], buffer = [UInt32](repeating: 0, count: capacity + 16)
        var position = 0, previous: UInt64 = 0, seen: Int32 = 0
        repeat {
            let written = lineage_word_ids_1to2(padded, text.count, &position, 0xcbf2_9ce4_8422_2325, 45, 7, 3,
                                                &previous, &seen, &buffer, capacity, queued)
            ids += buffer.prefix(written)
        } while position < text.count
        return (ids, previous, seen)
    }

    @Test("the word kernel gives the same ids finding a window's tokens at once as one token at a time",
          arguments: [16, 40, 1 << 15])
    func wordTokensQueued(capacity: Int) {
        var mismatches = 0, ids = 0
        for answer in Self.tokenHeavy(count: 300) + Self.answers {
            var text: [UInt8] = []
            TextNormalizer(lowercase: true).normalize(answer, into: &text)
            guard !text.isEmpty, text.allSatisfy({ $0 < 0x80 }) else { continue }
            let queued = Self.wordIDs(text, capacity: capacity, queued: 1)
            let single = Self.wordIDs(text, capacity: capacity, queued: 0)
            if queued.ids != single.ids || queued.previous != single.previous || queued.seen != single.seen { mismatches += 1 }
            ids += queued.ids.count
        }
        #expect(mismatches == 0)
        #expect(ids > 1_000_000) // the texts are there
    }

    @Test("the projection kernel gives SparseProjection's column and sign for every bucket it is given")
    func projection() throws {
        let model = try EmbeddingModel.bundled()
        let projection = SparseProjection(model: model)
        let buckets = (0..<4099).map { UInt32(truncatingIfNeeded: $0 &* 2_654_435_761) >> 12 }
        var columns = [UInt32](repeating: 0, count: buckets.count)
        lineage_project_columns(buckets, buckets.count, projection.seed, 256, &columns)
        for (bucket, entry) in zip(buckets, columns) {
            projection.forEachEntry(bucket: bucket, dims: 256) { column, signBit in
                #expect(entry == UInt32(column) | signBit)
            }
        }
        #expect(Set(columns.map { $0 & 0x7fff_ffff }).count == 256) // every column is reached
    }
}
