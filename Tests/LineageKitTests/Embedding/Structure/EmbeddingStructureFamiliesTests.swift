import Testing
@testable import LineageKit

/// The structure families each take one class of style tokens, in the same single pass.
@Suite("Structure families")
struct EmbeddingStructureFamiliesTests {
    @Test("each style token class goes to its family; markdown openers go to markdown and line starts")
    func tokenClasses() {
        #expect(StyleTokenizer.classes(.bold, valueCount: 0) == (.markdown, false))
        #expect(StyleTokenizer.classes(.first, valueCount: 3) == (.edges, false))
        #expect(StyleTokenizer.classes(.last, valueCount: 3) == (.edges, false))
        #expect(StyleTokenizer.classes(.phrase, valueCount: 4) == (.phrases, false))
        #expect(StyleTokenizer.classes(.length, valueCount: 1) == (.shape, false))
        #expect(StyleTokenizer.classes(.lines, valueCount: 1) == (.shape, false))
        #expect(StyleTokenizer.classes(.listShare, valueCount: 1) == (.shape, false))
        #expect(StyleTokenizer.classes(.line, valueCount: 2) == (.lineStarts, true))      // "##", "-", "|"
        #expect(StyleTokenizer.classes(.lineNumber, valueCount: 1) == (.lineStarts, true))     // "1." numbered item
        #expect(StyleTokenizer.classes(.lineNumber, valueCount: 0) == (.lineStarts, false))    // a number opens the line
        #expect(StyleTokenizer.classes(.lineWord, valueCount: 4) == (.lineStarts, false))   // a word opens the line
    }

    static func family(_ name: String, _ seed: UInt64, dimensions: Int = 32) -> ModelRecipe.Family {
        ModelRecipe.Family(family: name, seed: seed, buckets: 1 << 12, dimensions: dimensions, weight: 1, minN: 1, maxN: 1)
    }

    @Test("the style family is unchanged by the others beside it, and the classes partition its tokens")
    func familiesPartitionStyle() throws {
        let text = "Sure! Here are **three** tips:\n\n1. Sleep well.\n2. Eat `well`.\n- Walk.\n\n# Summary\nI hope this helps."
        let alone = try EmbeddingFeaturizerTests.model([EmbeddingFeaturizerTests.style])
        let all = try EmbeddingFeaturizerTests.model([EmbeddingFeaturizerTests.style] + [
            Self.family("markdown", 4), Self.family("lines", 5), Self.family("edges", 6), Self.family("phrases", 7),
            Self.family("shape", 8)])
        func counts(_ model: EmbeddingModel) -> [(FeatureFamily, [UInt32: UInt32])] {
            let counter = FeatureCounter(model: model)
            counter.count(text)
            return counter.segments.map { segment in
                var table: [UInt32: UInt32] = [:]
                for k in segment.range { table[counter.touched[k], default: 0] += counter.frequencies[k] }
                return (segment.layout.family, table)
            }
        }
        let single = counts(alone), several = counts(all)
        #expect(single[0].1 == several[0].1)
        let total = { (table: [UInt32: UInt32]) in table.values.reduce(0, +) }
        let style = total(several[0].1)
        let markdown = total(several[1].1), lines = total(several[2].1)
        let classes = several.dropFirst().map { total($0.1) }.reduce(0, +)
        // Every token is in exactly one class, and markdown openers are counted twice (lines and markdown).
        #expect(classes - style == 4)  // "1.", "2.", "-", "#" open lines and are markdown
        #expect(markdown == 7 && lines == 6)  // bold, code, header + 4 openers; 6 non-empty lines
        #expect(total(several[3].1) == 2)  // first and last word
    }
}
