import Foundation
import Testing
@testable import LineageKit

/// The byte-level prompt key gives, byte for byte, the key of its `Character` definition.
@Suite struct PromptKeyTests {
    /// The definition the key had before it was built on bytes.
    static func reference(_ prompt: String) -> String {
        prompt.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Compared as UTF-8 bytes: `String ==` would call canonically equivalent keys equal.
    static func expectSameKey(_ prompt: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let key = PromptKey.fold(prompt)
        #expect(Array(key.utf8) == Array(reference(prompt).utf8),
                "\(prompt.unicodeScalars.map { String($0.value, radix: 16) })", sourceLocation: sourceLocation)
    }

    @Test func asciiWhitespaceIsUnicodeWhiteSpace() throws {
        for value in 0..<128 {
            let scalar = try #require(Unicode.Scalar(value))
            #expect(PromptKey.isASCIIWhitespace(UInt8(value)) == scalar.properties.isWhitespace, "U+\(value)")
        }
    }

    @Test func everyASCIIByteAloneAndBetweenWords() throws {
        for value in 0..<128 {
            let c = String(try #require(Unicode.Scalar(value)))
            for prompt in [c, c + c, "a" + c + "b", " " + c + " ", c + "x" + c, "\r" + c + "\n", c + "\r\n" + c] {
                Self.expectSameKey(prompt)
            }
        }
    }

    @Test(arguments: [
        "", " ", "  \t\n ", "\r\n", "a\r\nb", "\r\r\n\n", "  Name a\n colour. ", "one  two\tthree\u{0B}four\u{0C}five",
        "\u{1C}\u{1D}\u{1E}\u{1F}", "a\u{1F}b",                              // separators Python folds, Unicode does not
        "a\u{85}b", "a\u{A0}b", "\u{A0}", "a\u{1680}b", "a\u{2000}\u{200A}b", "a\u{2028}b\u{2029}c",
        "a\u{202F}b\u{205F}c\u{3000}d", "a\u{200B}b", "a\u{FEFF}b", "a\u{180E}b",  // zero width: not White_Space
        " \u{301}a", "a \u{301}b", "a \u{301}", "\u{301} a", "\t\u{301}b", "\n\u{301}", "a\u{A0}\u{301}b",  // marks after space
        "a \u{200D}b", " \u{903}x",                                           // ZWJ, spacing mark after space
        "\u{600} x", "x \u{600} y", "\u{600}\u{A0}y", "\u{600}\ny",            // prepend before space
        "e\u{301} e\u{301}", "\u{E9}  \u{E9}", "K\u{212A} \u{212A}",          // composed, decomposed, Kelvin sign
        "👨‍👩‍👧 family", "🇫🇷 🇩🇪", "日本語の 質問 です", "\u{1F600}\u{3000}\u{1F600}",
        "“Quoted” — dash…   end ", "Translate «bonjour»\u{A0}:\n\nhello",
    ])
    func trickyPrompts(_ prompt: String) {
        Self.expectSameKey(prompt)
    }

    /// Random prompts over an alphabet of letters, ASCII and Unicode white space, marks and other
    /// cluster-forming scalars.
    @Test func randomPrompts() {
        let alphabet: [String] = ["a", "Z", ".", " ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{1F}", "\u{85}",
                                  "\u{A0}", "\u{2003}", "\u{2028}", "\u{3000}", "\u{301}", "\u{200D}", "\u{903}",
                                  "\u{600}", "\u{E9}", "\u{1F600}", "\u{1F1EB}", "語", "\u{1100}", "\u{1161}"]
        var generator = SeededGenerator(seed: 20_250_611)
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...12, using: &generator)
            var prompt = ""
            for _ in 0..<length {
                prompt += alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
            }
            Self.expectSameKey(prompt)
        }
    }

    @Test func asciiPromptsOfEveryLengthAroundTheWordSize() {
        var generator = SeededGenerator(seed: 7)
        let bytes: [UInt8] = Array("ab \t\n\r\u{0B}\u{0C}".utf8)
        for length in 0..<40 {
            for _ in 0..<50 {
                let prompt = String(decoding: (0..<length).map { _ in bytes[Int.random(in: 0..<bytes.count, using: &generator)] },
                                    as: UTF8.self)
                Self.expectSameKey(prompt)
            }
        }
        // A non-ASCII byte in any position of a word-sized block leaves the ASCII path.
        for position in 0..<17 {
            var scalars = Array(repeating: "a", count: 17)
            scalars[position] = "\u{A0}"
            var prompt = scalars.joined()
            Self.expectSameKey(prompt)
            #expect(prompt.withUTF8 { !PromptKey.isASCII($0) }, "position \(position)")
        }
    }

    @Test func bundledProbePromptsKeepTheirKeys() throws {
        let set = try ProbeSet.load(path: FixturePaths.alpacaEval.path)
        for probe in set.probes { Self.expectSameKey(probe.prompt) }
    }
}
