import Testing
@testable import LineageKit

@Suite("Embedding: featurizer")
struct EmbeddingFeaturizerTests {
    static func model(_ families: [ModelRecipe.Family], lowercase: Bool = true) throws -> EmbeddingModel {
        try ModelRecipe(name: "test", projectionSeed: 99, projectionNonzeros: 4, lowercase: lowercase,
                        families: families, idfCorpus: "", probes: "").unfittedModel()
    }

    static let char = ModelRecipe.Family(family: "char", seed: 1, buckets: 1 << 16, dimensions: 64, weight: 1, minN: 3, maxN: 5)
    static let word = ModelRecipe.Family(family: "word", seed: 2, buckets: 1 << 16, dimensions: 64, weight: 1, minN: 1, maxN: 2)
    static let style = ModelRecipe.Family(family: "style", seed: 3, buckets: 1 << 12, dimensions: 32, weight: 1, minN: 1, maxN: 1)

    func frequencies(_ text: String, _ model: EmbeddingModel) -> [UInt32] {
        let counter = FeatureCounter(model: model)
        counter.count(text)
        return (0..<counter.distinctCount).map { counter.frequencies[$0] }.sorted()
    }

    @Test("character 3–5-grams of \"abcd\": abc, bcd, abcd")
    func characterGrams() throws {
        #expect(frequencies("abcd", try Self.model([Self.char])) == [1, 1, 1])
        // "aaaa": aaa ×2, aaaa ×1.
        #expect(frequencies("AAAA", try Self.model([Self.char])) == [1, 2])
        // Two scalars of two bytes each are still only two characters: no 3-gram.
        #expect(frequencies("éé", try Self.model([Self.char])) == [])
    }

    @Test("counts past a count cell's 255 are exact, and the next answer starts from zero")
    func longRuns() throws {
        let model = try Self.model([Self.char])
        let counter = FeatureCounter(model: model)
        counter.count(String(repeating: "a", count: 1000))
        #expect((0..<counter.distinctCount).map { counter.frequencies[$0] }.sorted() == [996, 997, 998])
        counter.count("aaaa")
        #expect((0..<counter.distinctCount).map { counter.frequencies[$0] }.sorted() == [1, 2])
        // An answer tallied but never drained is cleared before the next one.
        counter.tally(String(repeating: "b", count: 300))
        counter.count("bbbb")
        #expect((0..<counter.distinctCount).map { counter.frequencies[$0] }.sorted() == [1, 2])
    }

    @Test("word 1–2-grams of \"The cat the cat\": the ×2, cat ×2, the cat ×2, cat the ×1")
    func wordGrams() throws {
        #expect(frequencies("The cat the cat", try Self.model([Self.word])) == [1, 2, 2, 2])
        // Punctuation and a line break are tokens: "hi", "!", "\n", "yo" + 3 bigrams.
        #expect(frequencies("hi!\nyo", try Self.model([Self.word])).count == 7)
    }

    @Test("style tokens of a short markdown answer, worked by hand")
    func styleTokens() {
        let answer = "Sure! Here are 3 tips:\n\n1. **Sleep** well\n- Drink water\n## Summary\nI hope this helps."
        #expect(StyleTokenizer.tokens(of: answer) == [
            "first:Sure", "last:.",
            "line:w:sure", "line:0.", "md:bold", "line:-", "line:##", "md:header", "line:w:i",
            "phrase:sure", "phrase:here are", "phrase:i hope this helps", "phrase:hope this helps",
            "len:4", "lines:2", "listfrac:2",
        ])
    }

    @Test("style tokens see tables, code fences, links and italics")
    func styleMarkdown() {
        let answer = "| a | b |\n```swift\nlet x = 1\n```\nSee [docs](http://x) and *this*."
        let tokens = StyleTokenizer.tokens(of: answer)
        #expect(tokens.contains("line:|") && tokens.contains("md:table"))
        #expect(tokens.contains("line:```") && tokens.filter { $0 == "md:fence" }.count == 1)
        #expect(tokens.contains("md:link") && tokens.contains("md:italic"))
        #expect(!tokens.contains("phrase:first"))
    }

    /// The features of `text` the slow, obvious way — normalise, split into Unicode scalars and word tokens,
    /// hash each n-gram's UTF-8 bytes — as (bucket, count) in order of first occurrence, per family.
    static func referenceFeatures(_ text: String, _ model: EmbeddingModel) -> [[(UInt32, UInt32)]] {
        let normalized = TextNormalizer(lowercase: model.lowercase).normalized(text)
        let scalars = normalized.unicodeScalars.map { Array(String($0).utf8) }
        return model.families.map { layout -> [(UInt32, UInt32)] in
            var ids: [UInt32] = []
            switch layout.family {
            case .characters:
                for start in scalars.indices {
                    var hash = StableHash(seed: layout.seed)
                    for n in 1...layout.maxN where start + n <= scalars.count {
                        for byte in scalars[start + n - 1] { hash.add(byte) }
                        if n >= layout.minN { ids.append(layout.bucket(hash.value)) }
                    }
                }
            case .words:
                var tokens: [UInt64] = []
                var word: [UInt8] = []
                func endWord() {
                    guard !word.isEmpty else { return }
                    tokens.append(StableHash.hash(String(decoding: word, as: UTF8.self), seed: layout.seed))
                    word = []
                }
                for scalar in normalized.unicodeScalars {
                    if scalar == "_" || (scalar.isASCII ? scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                                                        : FeatureCounter.isWordScalar(scalar)) {
                        word += Array(String(scalar).utf8)
                        continue
                    }
                    endWord()
                    if scalar != " " { tokens.append(StableHash.hash(String(scalar), seed: layout.seed)) }
                }
                endWord()
                for (k, token) in tokens.enumerated() {
                    ids.append(layout.bucket(token))
                    if k > 0 { ids.append(layout.bucket(StableHash.combine(tokens[k - 1], token))) }
                }
            default:
                break
            }
            var order: [UInt32] = [], counts: [UInt32: UInt32] = [:]
            for id in ids {
                if counts[id] == nil { order.append(id) }
                counts[id, default: 0] += 1
            }
            return order.map { ($0, counts[$0] ?? 0) }
        }
    }

    @Test("long answers, ASCII and not, are counted exactly as a plain reference does, across id batches")
    func longAnswersMatchReference() throws {
        let model = try Self.model([Self.char, Self.word])
        let ascii = String(repeating: "Step 12: Mix\tthe FLOUR,  then   bake!\n\n- item_one (see `x`)\n", count: 900)
        let unicode = String(repeating: "Café naïve ２０２４ — 数据模型很好。\n👍🏽 Ünïcödé  text\u{00A0}here!\n", count: 900)
        for text in [ascii, unicode] {
            let counter = FeatureCounter(model: model)
            counter.count(text)
            let reference = Self.referenceFeatures(text, model)
            // Several batches of ids per family, so batch boundaries are crossed many times.
            #expect(reference[0].reduce(0) { $0 + Int($1.1) } > 3 * FeatureCounter.idBatch)
            for (family, (_, range)) in counter.segments.enumerated() {
                let counted = range.map { (counter.touched[$0], counter.frequencies[$0]) }
                #expect(counted.count == reference[family].count)
                #expect(counted.elementsEqual(reference[family]) { $0.0 == $1.0 && $0.1 == $1.1 })
            }
        }
    }
}
