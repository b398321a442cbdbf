import Foundation

/// Which model families a recording's answers name, and in how many of them the model seems to speak
/// of itself ("I am ChatGPT", "as an AI developed by OpenAI").
///
/// A stop-gap for the report until the shared `IdentityClaims` detector lands: it uses the same family
/// table (`ModelFamily.table`) and its word-boundary rule, and a deliberately narrow first-person
/// pattern, so it undercounts rather than overcounts self-claims.
public struct IdentityMentions: Sendable, Codable, Equatable {
    public struct Family: Sendable, Codable, Equatable {
        public var family: String
        public var label: String
        /// Answers naming the family at all.
        public var mentions: Int
        /// Answers where the name follows a first-person identity phrase in the same sentence.
        public var selfClaims: Int
        /// Up to three such sentences, quoted.
        public var examples: [String]

        enum CodingKeys: String, CodingKey { case family, label, mentions, selfClaims = "self_claims", examples }
    }

    public var model: String
    public var answers: Int
    public var families: [Family]

    /// First-person openings only: "developed by Google" alone is usually about a product, not the speaker.
    static let firstPerson = ["i am ", "i'm ", "my name is ", "i was created by", "i was trained by",
                              "i was developed by", "i was made by", "as an ai", "as a language model"]

    static func scan(_ recording: AlignedRecording) -> IdentityMentions {
        var families: [Family] = []
        let answers = recording.answers.compactMap(\.first)
        for family in ModelFamily.table {
            var mentions = 0, claims = 0
            var examples: [String] = []
            for answer in answers {
                let hits = family.names.flatMap { matches(of: $0, in: answer) }
                guard !hits.isEmpty else { continue }
                mentions += 1
                if let sentence = hits.lazy.compactMap({ selfClaimSentence(around: $0, in: answer) }).first {
                    claims += 1
                    if examples.count < 3 { examples.append(sentence) }
                }
            }
            if mentions > 0 {
                families.append(Family(family: family.id, label: family.label, mentions: mentions,
                                       selfClaims: claims, examples: examples))
            }
        }
        return IdentityMentions(model: recording.model, answers: answers.count, families: families)
    }

    /// Ranges where a name occurs at word boundaries (a Latin letter or digit before it, or a Latin
    /// letter after it, rules a match out), as `ModelFamily` documents.
    static func matches(of name: ModelFamily.Name, in text: String) -> [Range<String.Index>] {
        var found: [Range<String.Index>] = []
        var searchStart = text.startIndex
        let options: String.CompareOptions = name.caseSensitive ? [] : [.caseInsensitive]
        while searchStart < text.endIndex,
              let range = text.range(of: name.text, options: options, range: searchStart..<text.endIndex) {
            let before = range.lowerBound > text.startIndex ? text[text.index(before: range.lowerBound)] : nil
            let after = range.upperBound < text.endIndex ? text[range.upperBound] : nil
            let latin: (Character) -> Bool = { $0.isASCII && $0.isLetter }
            let cjk = name.text.unicodeScalars.contains { $0.value >= 0x2E80 }
            if cjk || (!(before.map { latin($0) || $0.isNumber } ?? false) && !(after.map(latin) ?? false)) {
                found.append(range)
            }
            searchStart = range.upperBound
        }
        return found
    }

    /// The sentence holding `range` when a first-person identity phrase precedes the name in it.
    static func selfClaimSentence(around range: Range<String.Index>, in text: String) -> String? {
        let terminators: Set<Character> = [".", "!", "?", "\n", "。"]
        var start = range.lowerBound
        while start > text.startIndex, !terminators.contains(text[text.index(before: start)]) {
            start = text.index(before: start)
        }
        var end = range.upperBound
        while end < text.endIndex, !terminators.contains(text[end]) { end = text.index(after: end) }
        let before = text[start..<range.lowerBound].lowercased()
        guard firstPerson.contains(where: { before.contains($0) }) else { return nil }
        let sentence = text[start..<end].trimmingCharacters(in: .whitespacesAndNewlines)
        return Markup.excerpt(sentence, limit: 200)
    }
}
