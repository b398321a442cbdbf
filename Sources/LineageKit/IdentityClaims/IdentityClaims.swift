import Foundation

/// Which model families a recording's answers claim to *be*, and which they merely *mention*.
///
/// A student that calls itself by its teacher's name ("As an AI language model trained by OpenAI…")
/// is the classic trace of distillation on a teacher's outputs; a model that only talks *about* a
/// family ("ChatGPT is a chatbot by OpenAI") shows nothing. For each family of `ModelFamily.table`
/// this counts, over a recording's answers (the first sample of each probe):
/// - `selfClaims`: answers in which some match of the family is bound to a first-person identity
///   phrase in the same sentence (below);
/// - `mentions`: answers that name the family but hold no such claim (the two are disjoint: an
///   answer counts once per family, as a claim if any of its matches is one);
/// - up to three `examples` (claims first, then mentions, each in probe order): the sentence around
///   the match, at most 200 characters, with its probe id.
/// Families come in table order and only when named at least once, so the output is deterministic.
///
/// ## What counts as a self-claim
/// A *trigger* (a first-person phrase, matched case-insensitively, at word boundaries for Latin
/// scripts) must stand before the name in the same sentence (sentences end at `.`, `!`, `?`
/// followed by a space or the end, at a line break, and at `。！？`, so `01.AI` and `Qwen1.5` stay
/// whole), and the text between them, the *gap*, must bind the two:
/// - *copula* triggers ("I am", "I'm", "my name is", "je suis", "ich bin", "soy", "我是", "私は", …):
///   the gap is empty or only an article or quote ("I am ChatGPT", "je suis « Claude »"), or ends with
///   "called"/"named" and its translations, or contains an *agent marker* (next item);
/// - *subject* triggers ("I was", "as an AI", "as a language model", "j'ai été", "en tant qu'IA",
///   "ich wurde", "fui", "como IA", …): the gap must contain an agent marker;
/// - an *agent marker* is a participle with its "by" ("trained by", "développé par", "entrenado por",
///   "entwickelt von") followed by at most six words without a comma before the name ("developed by
///   researchers at LMSYS"), or a bare "von"/"由" right before the name with the participle after it
///   ("ich wurde von OpenAI entwickelt", "我是由OpenAI开发的");
/// - `私は` needs the name followed by `です`, `と申します`, `によって`/`により` or `が開発`/`が訓練`/`が作`
///   (so "私はChatGPTが好きです", "I like ChatGPT", is a mention);
/// - a gap holding a negation ("not", "n't", "pas", "nicht", "no", "不", "ない") or a clause break
///   or comparison (";", ", but", "however", "which", "similar to", "like", "than", "mais", "aber", "pero",
///   "但") is never a claim: "As an AI
///   language model, I don't have opinions, but ChatGPT is…" and "I am not ChatGPT" are mentions;
/// - a copula directly followed by a possessive ("I am ChatGPT's fan") is not a claim.
///
/// ## Extending
/// - Families and names: `ModelFamily.table` (Verdict/IdentityFamilies.swift), with its word-boundary
///   and case rules; nothing here needs changing.
/// - A language: add its triggers to `Trigger.all` (lower-case; `.copula` when "<trigger> <name>"
///   is itself a claim, `.subject` when it needs an agent marker), its participles to
///   `agentMarkers` (with the "by" word), post-name participles to `postNameVerbs` when the language
///   puts the verb after the agent ("von X entwickelt"), and its negations and clause breaks to
///   `negations` / `clauseBreaks`. Add a claim and a mention for it to IdentityClaimsTests.
///
/// ## Known limits
/// False positives in *mentions* come from the table's common words (`Gemini` the zodiac sign,
/// `Falcon`/`Llama`/`Alpaca` the animals, `Mistral` the wind, `Stanford` the university, `Phi` the
/// letter; see `ModelFamily`). Claims are rarer but possible when a persona is asked for ("Pretend
/// you are ChatGPT" answered with "I am ChatGPT…"), or with a copula and a name in role play
/// ("I am Claude, your travel agent"). Reported speech ("he said: I am …") is not told apart.
/// Claims split over two sentences ("I am an AI. OpenAI trained me.") are missed, by design.
public struct IdentityClaims: Sendable, Codable, Equatable {
    public struct Example: Sendable, Codable, Equatable {
        public var probe: String
        /// The sentence around the match, at most `IdentityClaims.excerptLimit` characters.
        public var excerpt: String
        public var selfClaim: Bool

        enum CodingKeys: String, CodingKey { case probe, excerpt, selfClaim = "self_claim" }
    }

    public struct Family: Sendable, Codable, Equatable {
        public var family: String
        public var label: String
        /// Answers where the model names the family as itself or its maker.
        public var selfClaims: Int
        /// Answers naming the family without such a claim.
        public var mentions: Int
        public var examples: [Example]

        /// Answers naming the family at all.
        public var naming: Int { selfClaims + mentions }

        enum CodingKeys: String, CodingKey { case family, label, selfClaims = "self_claims", mentions, examples }
    }

    public var model: String
    /// Probes with an answer (the first sample of each is scanned).
    public var answers: Int
    /// Named families, in table order.
    public var families: [Family]

    public static let excerptLimit = 200
    public static let exampleLimit = 3

    /// The families claimed at least once, most claims first (table order breaks ties).
    public var claimed: [Family] {
        families.enumerated().filter { $0.element.selfClaims > 0 }
            .sorted { ($0.element.selfClaims, $1.offset) > ($1.element.selfClaims, $0.offset) }.map(\.element)
    }

    /// Scans a recording's answers. `probes` supplies the ids for the examples; it must be the set the
    /// recording was aligned to (answers beyond its probes are ignored).
    public static func detect(_ recording: AlignedRecording, probes: ProbeSet,
                              table: [ModelFamily] = ModelFamily.table) -> IdentityClaims {
        detect(recording, probes: probes, table: table, prefilter: true)
    }

    /// `prefilter: false` searches every name in every answer the slow way (the tests' reference).
    static func detect(_ recording: AlignedRecording, probes: ProbeSet, table: [ModelFamily],
                       prefilter: Bool) -> IdentityClaims {
        var answers: [(probe: String, text: String)] = []
        for (p, samples) in recording.answers.enumerated() where p < probes.probes.count {
            if let first = samples.first { answers.append((probes.probes[p].id, first)) }
        }
        let folded = answers.map { prefilter ? ASCIIFoldedText($0.text) : nil }
        let needles = table.map { family in family.names.map { Array($0.text.lowercased().utf8) } }
        var families: [Family] = []
        for (f, family) in table.enumerated() {
            var claims = 0, mentions = 0
            var claimExamples: [Example] = [], mentionExamples: [Example] = []
            for (a, answer) in answers.enumerated() {
                let hits = family.names.enumerated().flatMap { n, name in
                    folded[a]?.contains(needles[f][n]) == false ? [] : name.ranges(in: answer.text)
                }.sorted { $0.lowerBound < $1.lowerBound }
                guard let firstHit = hits.first else { continue }
                if let claim = hits.first(where: { isSelfClaim(at: $0, in: answer.text) }) {
                    claims += 1
                    if claimExamples.count < exampleLimit {
                        claimExamples.append(Example(probe: answer.probe, excerpt: excerpt(around: claim, in: answer.text), selfClaim: true))
                    }
                } else {
                    mentions += 1
                    if mentionExamples.count < exampleLimit {
                        mentionExamples.append(Example(probe: answer.probe, excerpt: excerpt(around: firstHit, in: answer.text), selfClaim: false))
                    }
                }
            }
            if claims + mentions > 0 {
                families.append(Family(family: family.id, label: family.label, selfClaims: claims, mentions: mentions,
                                       examples: Array((claimExamples + mentionExamples).prefix(exampleLimit))))
            }
        }
        return IdentityClaims(model: recording.model, answers: answers.count, families: families)
    }

    // MARK: - Patterns

    struct Trigger: Sendable {
        enum Kind: Sendable { case copula, subject }
        var text: String
        var kind: Kind
        /// When set, the name must be followed by one of these (`私は` + name + `です`).
        var requiredAfterName: [String]? = nil

        static func c(_ text: String) -> Trigger { Trigger(text: text, kind: .copula) }
        static func s(_ text: String) -> Trigger { Trigger(text: text, kind: .subject) }

        static let all: [Trigger] = [
            // English
            c("i am"), c("i'm"), c("i’m"), c("my name is"), c("call me"),
            s("i was"), s("i have been"), s("i've been"), s("i’ve been"), s("as an ai"),
            s("as a language model"), s("as a large language model"), s("as an assistant"),
            // French
            c("je suis"), c("je m'appelle"), c("je m’appelle"), c("mon nom est"),
            s("j'ai été"), s("j’ai été"), s("en tant qu'ia"), s("en tant qu’ia"), s("en tant qu'assistant"),
            s("en tant qu’assistant"), s("en tant que modèle"), s("en tant qu'intelligence artificielle"),
            // German
            c("ich bin"), c("ich heiße"), c("ich heisse"), c("mein name ist"),
            s("ich wurde"), s("als ki"), s("als sprachmodell"), s("als ki-assistent"),
            // Spanish
            c("soy"), c("me llamo"), c("mi nombre es"),
            s("fui"), s("he sido"), s("como ia"), s("como modelo de lenguaje"), s("como asistente"),
            // Chinese
            c("我是"), c("我叫"), c("我的名字是"), c("我由"), c("我被"),
            // Japanese
            Trigger(text: "私は", kind: .copula,
                    requiredAfterName: ["です", "と申します", "によって", "により", "が開発", "が訓練", "が作"]),
        ]
    }

    /// Participles with their "by": a match anywhere in the gap, at most six words (no comma) before the name.
    static let agentMarkers: [String] = [
        // English
        "created by", "trained by", "developed by", "made by", "built by", "designed by", "fine-tuned by",
        "finetuned by", "powered by", "released by", "provided by", "programmed by", "owned by",
        "model from", "assistant from", "ai from", "chatbot from",
        // French
        "créé par", "créée par", "entraîné par", "entraînée par", "développé par", "développée par",
        "conçu par", "conçue par", "formé par", "formée par",
        // German
        "entwickelt von", "trainiert von", "erstellt von", "geschaffen von",
        // Spanish
        "creado por", "creada por", "entrenado por", "entrenada por", "desarrollado por", "desarrollada por",
        "diseñado por", "diseñada por", "hecho por", "hecha por",
        // Chinese
        "来自",
    ]

    /// Agents that take the participle after the name: the gap ends with the marker and one of
    /// `postNameVerbs` follows the name within 30 characters.
    static let postNameMarkers: [String] = ["von", "由", "被"]
    static let postNameVerbs: [String] = ["entwickelt", "trainiert", "erstellt", "geschaffen", "gebaut", "programmiert",
                                          "开发", "训练", "创建", "研发", "打造", "创造", "构建"]

    static let namingWords: [String] = ["called", "named", "known as", "appelé", "appelée", "nommé", "nommée",
                                        "genannt", "namens", "llamado", "llamada", "叫", "名为", "叫做"]
    static let articles: Set<String> = ["a", "an", "the", "un", "une", "le", "la", "l'", "ein", "eine", "der", "die",
                                        "das", "el", "una", "一个", "一款"]
    /// Whole Latin words (and any word ending in "n't"), or CJK substrings.
    static let negations: [String] = ["not", "never", "no", "pas", "jamais", "nicht", "kein", "keine",
                                      "nunca", "不", "没", "ない", "ではありません"]
    /// Clause breaks and comparisons: past one of these the name belongs to another subject
    /// ("I'm a model trained by Mistral AI, similar to ChatGPT, which is a model from OpenAI").
    static let clauseBreaks: [String] = [";", ", but", " but ", "however", " mais ", " aber ", " pero ", " sino ",
                                         " which ", " similar to ", " such as ", " like ", " unlike ", " than ",
                                         " whereas ", " while ", " compared to ", " comme ", " wie ", " como el ",
                                         "但", "但是", "，而", "けど", "が、", "类似", "像"]

    // MARK: - Matching

    /// Whether the name at `range` is bound to a first-person trigger earlier in its sentence.
    static func isSelfClaim(at range: Range<String.Index>, in text: String) -> Bool {
        let sentence = sentenceBounds(around: range, in: text)
        let head = text[sentence.lowerBound..<range.lowerBound]
        let tail = text[range.upperBound..<sentence.upperBound]
        for trigger in Trigger.all {
            for hit in phraseRanges(of: trigger.text, in: head) {
                let gap = String(head[hit.upperBound...])
                if binds(trigger: trigger, gap: gap, tail: tail) { return true }
            }
        }
        return false
    }

    static func binds(trigger: Trigger, gap: String, tail: Substring) -> Bool {
        guard gap.count <= 100 else { return false }
        let lower = " " + gap.lowercased() + " "
        let words = wordsOf(lower)
        let negated = words.contains { word in
            negations.contains(word) || word.hasSuffix("n't") || word.hasSuffix("n’t")
        } || negations.contains { isCJK($0) && lower.contains($0) }
        if negated { return false }
        if clauseBreaks.contains(where: { lower.contains($0) }) { return false }
        if let required = trigger.requiredAfterName, !required.contains(where: { tail.hasPrefix($0) }) { return false }

        // Agent marker, with at most six words and no comma between it and the name.
        for marker in agentMarkers {
            if let found = lower.range(of: marker, options: .backwards) {
                let rest = lower[found.upperBound...]
                if !rest.contains(",") && !rest.contains("，") && wordsOf(String(rest)).count <= 6 { return true }
            }
        }
        // Post-name participle ("von OpenAI entwickelt", "由OpenAI开发").
        let trimmed = lower.trimmingCharacters(in: .whitespaces)
        if postNameMarkers.contains(where: { marker in
            trimmed == marker || trimmed.hasSuffix(" " + marker) || (isCJK(marker) && trimmed.hasSuffix(marker))
        }) {
            let after = tail.prefix(30).lowercased()
            if postNameVerbs.contains(where: { after.contains($0) }) { return true }
        }
        guard trigger.kind == .copula else { return false }
        if tail.hasPrefix("'s") || tail.hasPrefix("’s") { return false }
        // Direct ("I am ChatGPT", "I'm an assistant called Claude").
        let content = words.filter { !articles.contains($0) }
        if content.isEmpty && !trimmed.contains(",") { return true }
        return namingWords.contains { word in
            isCJK(word) ? trimmed.hasSuffix(word) : (trimmed.hasSuffix(" " + word) || trimmed == word)
        }
    }

    /// Lower-case words of `text` (letters, digits and apostrophes), quotes and punctuation dropped;
    /// CJK runs count as one word each.
    static func wordsOf(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "’" || $0 == "-") }.map(String.init)
    }

    static func isCJK(_ text: String) -> Bool { text.unicodeScalars.contains { $0.value >= 0x2E80 } }

    static func isLatinWordCharacter(_ c: Character) -> Bool { c.isLetter && !isCJK(String(c)) || c.isNumber }

    /// Case-insensitive occurrences of a trigger, at word boundaries unless it is CJK.
    static func phraseRanges(of phrase: String, in text: Substring) -> [Range<String.Index>] {
        var found: [Range<String.Index>] = []
        var start = text.startIndex
        let bounded = !isCJK(phrase)
        while start < text.endIndex,
              let range = text.range(of: phrase, options: [.caseInsensitive], range: start..<text.endIndex) {
            let before = range.lowerBound > text.startIndex ? text[text.index(before: range.lowerBound)] : nil
            let after = range.upperBound < text.endIndex ? text[range.upperBound] : nil
            if !bounded || (!(before.map(isLatinWordCharacter) ?? false) && !(after.map(isLatinWordCharacter) ?? false)) {
                found.append(range)
            }
            start = range.upperBound
        }
        return found
    }

    /// The sentence holding `range`: up to `.`/`!`/`?` followed by white space or the end, a line
    /// break, or `。！？`.
    static func sentenceBounds(around range: Range<String.Index>, in text: String) -> Range<String.Index> {
        func ends(at i: String.Index) -> Bool {
            let c = text[i]
            if c == "\n" || c == "。" || c == "！" || c == "？" { return true }
            guard c == "." || c == "!" || c == "?" else { return false }
            let next = text.index(after: i)
            return next == text.endIndex || text[next].isWhitespace
        }
        var start = range.lowerBound
        while start > text.startIndex, !ends(at: text.index(before: start)) { start = text.index(before: start) }
        var end = range.upperBound
        while end < text.endIndex, !ends(at: end) { end = text.index(after: end) }
        if end < text.endIndex, text[end] != "\n" { end = text.index(after: end) }
        return start..<end
    }

    /// The sentence around the match, trimmed; when longer than the limit, a window centred on the match.
    static func excerpt(around range: Range<String.Index>, in text: String) -> String {
        let bounds = sentenceBounds(around: range, in: text)
        let sentence = text[bounds].trimmingCharacters(in: .whitespacesAndNewlines)
        guard sentence.count > excerptLimit else { return sentence }
        let budget = excerptLimit - 2 // room for the two ellipses
        let before = text.distance(from: bounds.lowerBound, to: range.lowerBound)
        let length = text.distance(from: range.lowerBound, to: range.upperBound)
        let lead = max(0, min(before - max(0, (budget - length) / 2), text.distance(from: bounds.lowerBound, to: bounds.upperBound) - budget))
        let from = text.index(bounds.lowerBound, offsetBy: lead)
        let to = text.index(from, offsetBy: budget, limitedBy: bounds.upperBound) ?? bounds.upperBound
        let window = text[from..<to].trimmingCharacters(in: .whitespacesAndNewlines)
        return (lead > 0 ? "…" : "") + window + (to < bounds.upperBound ? "…" : "")
    }
}

/// An all-ASCII answer with A–Z lowered, for ruling names out before Foundation's case-insensitive search
/// (which found nothing in nearly every answer, at 15 % of a report's time). On ASCII text that search
/// matches exactly where the lowered bytes match, so a name whose lowered bytes do not occur cannot match,
/// case-sensitive or not. Nil for any other text (non-ASCII text may fold to a name in other ways, e.g. the
/// Kelvin sign to "k"): such answers are searched as before.
struct ASCIIFoldedText {
    private let bytes: [UInt8]
    /// Which pairs of adjacent bytes occur, hashed into 4096 bits: a name with a pair that does not
    /// occur is ruled out without a scan (most are).
    private var pairs = [UInt64](repeating: 0, count: 64)

    init?(_ text: String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            bytes.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        self.bytes = bytes
        for k in bytes.indices.dropFirst() {
            let bit = Self.pair(bytes[k - 1], bytes[k])
            pairs[bit >> 6] |= 1 << UInt64(bit & 63)
        }
    }

    @inline(__always)
    private static func pair(_ a: UInt8, _ b: UInt8) -> Int { (Int(a) &* 37 &+ Int(b)) & 4095 }

    /// Whether `needle` (lowered UTF-8) occurs; a non-ASCII needle never does.
    func contains(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard needle.count <= bytes.count else { return false }
        for k in needle.indices.dropFirst() {
            let bit = Self.pair(needle[k - 1], needle[k])
            if pairs[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return false }
        }
        return bytes.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { needle in
                for start in 0...(haystack.count - needle.count) where haystack[start] == first {
                    var k = 1
                    while k < needle.count && haystack[start + k] == needle[k] { k += 1 }
                    if k == needle.count { return true }
                }
                return false
            }
        }
    }
}

extension ModelFamily.Name {
    /// Where the name occurs at word boundaries: a Latin letter or digit before it, or a Latin letter
    /// after it, rules a match out (digits after are allowed: `Llama2`, `Qwen1.5`); CJK names have no
    /// boundary rule. Case-sensitive names (`Yi`, `Phi`, `Meta`) match only as written.
    func ranges(in text: String) -> [Range<String.Index>] {
        var found: [Range<String.Index>] = []
        var searchStart = text.startIndex
        let options: String.CompareOptions = caseSensitive ? [] : [.caseInsensitive]
        let cjk = IdentityClaims.isCJK(self.text)
        let latin: (Character) -> Bool = { $0.isASCII && $0.isLetter }
        while searchStart < text.endIndex,
              let range = text.range(of: self.text, options: options, range: searchStart..<text.endIndex) {
            let before = range.lowerBound > text.startIndex ? text[text.index(before: range.lowerBound)] : nil
            let after = range.upperBound < text.endIndex ? text[range.upperBound] : nil
            if cjk || (!(before.map { latin($0) || $0.isNumber } ?? false) && !(after.map(latin) ?? false)) {
                found.append(range)
            }
            searchStart = range.upperBound
        }
        return found
    }
}
