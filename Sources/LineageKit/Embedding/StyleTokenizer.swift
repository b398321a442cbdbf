/// Receives style tokens as a tag and the bytes that follow it (e.g. `line:` + `#`).
protocol StyleSink {
    mutating func token(_ tag: StaticString, _ bytes: UnsafeBufferPointer<UInt8>, lowercased: Bool)
}

/// The habit tokens of one answer: how a model tends to open, lay out and close an answer, independent of
/// what the answer is about. Read from the style view of the text (`TextNormalizer(lowercase: false)`:
/// case kept, digits folded to `0`, spaces folded, lines kept). Tokens (tag + value):
/// - `first:` / `last:` the first and last word of the answer, case kept (a word is a run of letters,
///   digits, `_` and non-ASCII bytes, or a run of ASCII punctuation);
/// - `line:` once per non-empty line, how it opens: a code fence ```` ``` ````, a header `#`…`######` by
///   level, a numbered item `0.` / `0)`, a lettered item `a.` / `a)` (case kept), a bullet `-` `*` `+` `•`,
///   a quote `>`, bold `**`, a table row `|`, a number `0`, else `w:` and the first word lowercased;
/// - `md:` markdown use, once per occurrence: `bold` (a `**` pair), `italic` (a lone `*` pair), `header`,
///   `table` (row), `fence` (a code block), `code` (an inline backtick pair), `link` (`](`);
/// - `phrase:` each occurrence of a stock assistant phrase of `StyleTokenizer.phrases` (ASCII
///   case-insensitive, at word boundaries);
/// - `len:` ⌊log2(words + 1)⌋, `lines:` ⌊log2(non-empty lines)⌋, `listfrac:` 0 for no list items, else
///   1 + ⌊4 · share of lines that are list items⌋ capped at 4.
public enum StyleTokenizer {
    /// Stock assistant phrases (openers, hedges, refusals, closers, connectives), lowercase.
    public static let phrases: [String] = [
        "sure", "certainly", "of course", "absolutely", "great question", "good question",
        "i hope this helps", "hope this helps", "let me know", "feel free", "happy to help",
        "as an ai", "as a language model", "i'm sorry", "i am sorry", "i apologize", "i cannot", "i can't",
        "here is", "here are", "here's", "below is", "the following",
        "in conclusion", "in summary", "to summarize", "overall", "ultimately", "in short",
        "it is important to", "it's important to", "keep in mind", "note that", "please note",
        "however", "additionally", "furthermore", "moreover", "for example", "such as",
        "first", "finally", "i think", "you can", "thank you", "good luck",
    ]

    private static let phraseBytes: [[UInt8]] = phrases.map { Array($0.utf8) }

    /// The structure families a token of `tag` (with `value` after it) feeds, beside `style`, which takes
    /// every token: `md:` → markdown; `line:` → line starts, and markdown too when the opener is a
    /// markdown marker (a header, list item, fence, quote, table row or bold lead; not a word or a number);
    /// `first:`/`last:` → edges; `phrase:` → phrases; `len:`/`lines:`/`listfrac:` → shape.
    static func classes(_ tag: StaticString, valueCount: Int) -> (primary: FeatureFamily, alsoMarkdown: Bool) {
        let bytes = UnsafeBufferPointer(start: tag.utf8Start, count: tag.utf8CodeUnitCount)
        func at(_ k: Int) -> UInt8 { k < bytes.count ? bytes[k] : 0 }
        switch at(0) {
        case 0x6D: return (.markdown, false) // md:
        case 0x66: return (.edges, false) // first:
        case 0x70: return (.phrases, false) // phrase:
        default: break
        }
        // l…: line:, line:0, line:w:, last:, len:, lines:, listfrac:
        switch (at(1), at(2), at(4)) {
        case (0x61, _, _): return (.edges, false) // last:
        case (0x69, 0x6E, 0x3A): // line:…
            let structural = bytes.count == 5 || (bytes.count == 6 && at(5) == 0x30 && valueCount > 0)
            return (.lineStarts, structural)
        default: return (.shape, false) // len:, lines:, listfrac:
        }
    }

    /// The readable style tokens of `answer` (tag and value), in the order the featurizer hashes them.
    public static func tokens(of answer: String) -> [String] {
        var view: [UInt8] = []
        TextNormalizer(lowercase: false).normalize(answer, into: &view)
        var sink = CollectingSink()
        view.withUnsafeBufferPointer { tokens(of: $0, into: &sink) }
        return sink.tokens
    }

    static func tokens<Sink: StyleSink>(of text: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        guard !text.isEmpty else { return }
        let n = text.count
        // Words: first, last, and how many.
        var words = 0
        var firstWord: Range<Int>? = nil
        var lastWord: Range<Int>? = nil
        var i = 0
        while i < n {
            let kind = byteKind(text[i])
            if kind == 0 { i += 1; continue }
            let start = i
            while i < n && byteKind(text[i]) == kind { i += 1 }
            if kind == 1 { words += 1 }
            if firstWord == nil { firstWord = start..<i }
            lastWord = start..<i
        }
        if let firstWord { sink.token("first:", slice(text, firstWord), lowercased: false) }
        if let lastWord { sink.token("last:", slice(text, lastWord), lowercased: false) }

        // Lines: opener, markdown, list share.
        var lines = 0
        var listLines = 0
        var inFence = false
        var lineStart = 0
        while lineStart < n {
            var lineEnd = lineStart
            while lineEnd < n && text[lineEnd] != 0x0A { lineEnd += 1 }
            if lineEnd > lineStart {
                lines += 1
                let line = slice(text, lineStart..<lineEnd)
                let (isList, isFence) = opener(line, into: &sink)
                if isList { listLines += 1 }
                if isFence {
                    if !inFence { sink.token("md:fence", empty, lowercased: false) }
                    inFence.toggle()
                } else {
                    inlineMarkdown(line, skipBullet: isList, into: &sink)
                }
            }
            lineStart = lineEnd + 1
        }

        // Stock phrases at word boundaries.
        for start in 0..<n where start == 0 || !isLetter(text[start - 1]) {
            let first = lower(text[start])
            guard first >= 0x61 && first <= 0x7A else { continue }
            for phrase in phraseBytes where phrase[0] == first && start + phrase.count <= n {
                var matches = true
                for k in 1..<phrase.count where lower(text[start + k]) != phrase[k] { matches = false; break }
                guard matches else { continue }
                let end = start + phrase.count
                guard end == n || !isLetter(text[end]) else { continue }
                phrase.withUnsafeBufferPointer { sink.token("phrase:", $0, lowercased: false) }
            }
        }

        number("len:", log2Floor(words + 1), into: &sink)
        number("lines:", log2Floor(max(1, lines)), into: &sink)
        let share = lines > 0 ? Double(listLines) / Double(lines) : 0
        number("listfrac:", listLines == 0 ? 0 : 1 + min(3, Int(share * 4)), into: &sink)
    }

    /// Emits the `line:` token of a non-empty line (and `md:header` / `md:table`); says whether the line
    /// is a list item and whether it is a code fence.
    private static func opener<Sink: StyleSink>(_ line: UnsafeBufferPointer<UInt8>, into sink: inout Sink) -> (Bool, Bool) {
        let c = line.count
        func at(_ k: Int) -> UInt8 { k < c ? line[k] : 0 }
        func emit(_ range: Range<Int>) { sink.token("line:", slice(line, range), lowercased: false) }
        if at(0) == 0x60 && at(1) == 0x60 && at(2) == 0x60 { emit(0..<3); return (false, true) }
        if at(0) == 0x23 {
            var level = 0
            while at(level) == 0x23 { level += 1 }
            if level <= 6 && at(level) == 0x20 {
                emit(0..<level)
                sink.token("md:header", empty, lowercased: false)
                return (false, false)
            }
        }
        if at(0) == 0x30 {
            var k = 0
            while at(k) == 0x30 { k += 1 }
            if (at(k) == 0x2E || at(k) == 0x29) && (at(k + 1) == 0x20 || k + 1 == c) {
                sink.token("line:0", slice(line, k..<(k + 1)), lowercased: false)
                return (true, false)
            }
        }
        if isLetter(at(0)) && (at(1) == 0x2E || at(1) == 0x29) && at(2) == 0x20 {
            emit(0..<2)
            return (true, false)
        }
        if at(0) == 0x2A && at(1) == 0x2A { emit(0..<2); return (false, false) }
        if (at(0) == 0x2D || at(0) == 0x2A || at(0) == 0x2B) && (at(1) == 0x20 || c == 1) {
            emit(0..<1)
            return (true, false)
        }
        if at(0) == 0xE2 && at(1) == 0x80 && at(2) == 0xA2 { emit(0..<3); return (true, false) }
        if at(0) == 0x3E { emit(0..<1); return (false, false) }
        if at(0) == 0x7C {
            emit(0..<1)
            sink.token("md:table", empty, lowercased: false)
            return (false, false)
        }
        var end = 0
        let kind = byteKind(at(0))
        while end < c && byteKind(line[end]) == kind { end += 1 }
        if kind == 1 && at(0) == 0x30 {
            sink.token("line:0", empty, lowercased: false)
        } else {
            sink.token("line:w:", slice(line, 0..<max(1, end)), lowercased: true)
        }
        return (false, false)
    }

    /// Bold, italic, inline code and links inside one line.
    private static func inlineMarkdown<Sink: StyleSink>(_ line: UnsafeBufferPointer<UInt8>, skipBullet: Bool,
                                                        into sink: inout Sink) {
        var stars = 0, singleStars = 0, backticks = 0, links = 0
        var k = skipBullet && line.first == 0x2A ? 1 : 0
        let c = line.count
        while k < c {
            let b = line[k]
            if b == 0x2A {
                var run = 0
                while k < c && line[k] == 0x2A { run += 1; k += 1 }
                if run == 1 { singleStars += 1 } else if run == 2 { stars += 1 }
                continue
            }
            if b == 0x60 { backticks += 1 }
            if b == 0x5D && k + 1 < c && line[k + 1] == 0x28 { links += 1 }
            k += 1
        }
        for _ in 0..<(stars / 2) { sink.token("md:bold", empty, lowercased: false) }
        for _ in 0..<(singleStars / 2) { sink.token("md:italic", empty, lowercased: false) }
        for _ in 0..<(backticks / 2) { sink.token("md:code", empty, lowercased: false) }
        for _ in 0..<links { sink.token("md:link", empty, lowercased: false) }
    }

    private static func number<Sink: StyleSink>(_ tag: StaticString, _ value: Int, into sink: inout Sink) {
        var digits: [UInt8] = Array(String(value).utf8)
        digits.withUnsafeMutableBufferPointer { sink.token(tag, UnsafeBufferPointer($0), lowercased: false) }
    }

    private static var empty: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: nil, count: 0) }

    @inline(__always)
    private static func slice(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: text[range])
    }

    /// 0: space or line break; 1: word byte (letter, digit, `_`, any non-ASCII byte); 2: ASCII punctuation.
    @inline(__always)
    private static func byteKind(_ b: UInt8) -> Int {
        if b == 0x20 || b == 0x0A || b == 0 { return 0 }
        if b >= 0x80 || FeatureCounter.isWordByte(b) { return 1 }
        return 2
    }

    @inline(__always) private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) private static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    private static func log2Floor(_ v: Int) -> Int { v <= 1 ? 0 : (Int.bitWidth - 1 - v.leadingZeroBitCount) }
}

/// Collects readable tokens, for tests and `StyleTokenizer.tokens(of:)`.
struct CollectingSink: StyleSink {
    var tokens: [String] = []

    mutating func token(_ tag: StaticString, _ bytes: UnsafeBufferPointer<UInt8>, lowercased: Bool) {
        var value = Array(bytes)
        if lowercased { value = value.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } }
        tokens.append(tag.description + String(decoding: value, as: UTF8.self))
    }
}
