import CFeatureKernels
import Foundation

/// Receives style tokens as a tag and the bytes that follow it (e.g. `line:` + `#`).
protocol StyleSink {
    mutating func token(_ tag: StyleTag, _ bytes: UnsafeBufferPointer<UInt8>, lowercased: Bool)
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

    /// `phrases` as one flat byte table for `lineage_style_phrases`: phrase k is
    /// `bytes[offsets[k]..<offsets[k + 1]]`, the phrases grouped by first letter, in list order within a letter.
    struct PhraseTable {
        var bytes: [UInt8] = []
        var offsets: [Int32] = [0]
        /// Every phrase's first four bytes as a little-endian key, open-addressed in 1024 slots (4 % full, so a miss is one predictable load).
        var prefixes = [UInt32](repeating: 0, count: 1024)
        /// The phrases of slot s's key, `slotPhrases[slotStarts[s]..<slotStarts[s + 1]]` in increasing k: only
        /// these can match where the text has that key ("the " tries "the following", not every phrase in t).
        var slotStarts: [Int32] = [0]
        var slotPhrases: [Int32] = []
        /// The first four byte pairs of every phrase, as four 1024-bit tables (`lineage_style_phrase_pairs`):
        /// the vector scan's filter.
        var pairs = [UInt8](repeating: 0, count: 512)

        init(_ phrases: [String]) {
            var slotOfKey: [UInt32: Int] = [:]
            for phrase in phrases {
                let bytes = Array(phrase.utf8)
                precondition(bytes.count >= 4, "a stock phrase is at least 4 bytes long")
                let key = Self.key(bytes)
                var slot = lineage_style_phrase_slot(key)
                while prefixes[slot] != 0 && prefixes[slot] != key { slot = (slot + 1) & 1023 }
                prefixes[slot] = key
                slotOfKey[key] = slot
            }
            var slots: [Int] = []
            for letter in 0..<26 {
                for phrase in phrases where phrase.utf8.first == UInt8(0x61 + letter) {
                    bytes.append(contentsOf: phrase.utf8)
                    offsets.append(Int32(bytes.count))
                    slots.append(slotOfKey[Self.key(Array(phrase.utf8))]!)
                }
            }
            precondition(slots.count == phrases.count, "every stock phrase starts with a lowercase ASCII letter")
            for slot in 0..<1024 {
                slotPhrases.append(contentsOf: slots.indices.filter { slots[$0] == slot }.map(Int32.init))
                slotStarts.append(Int32(slotPhrases.count))
            }
            bytes.withUnsafeBufferPointer { b in
                offsets.withUnsafeBufferPointer { lineage_style_phrase_pairs(b.baseAddress, $0.baseAddress, $0.count - 1, &pairs) }
            }
        }

        /// A phrase's first four bytes as a little-endian key.
        static func key(_ bytes: [UInt8]) -> UInt32 {
            bytes.prefix(4).enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
        }
    }

    private static let phraseTable = PhraseTable(phrases)

    /// The structure families a token of `tag` (with `value` after it) feeds, beside `style`, which takes
    /// every token: `md:` → markdown; `line:` → line starts, and markdown too when the opener is a
    /// markdown marker (a header, list item, fence, quote, table row or bold lead; not a word or a number);
    /// `first:`/`last:` → edges; `phrase:` → phrases; `len:`/`lines:`/`listfrac:` → shape.
    static func classes(_ tag: StyleTag, valueCount: Int) -> (primary: FeatureFamily, alsoMarkdown: Bool) {
        switch tag {
        case .fence, .header, .table, .bold, .italic, .code, .link: (.markdown, false)
        case .first, .last: (.edges, false)
        case .phrase: (.phrases, false)
        case .line: (.lineStarts, true)
        case .lineNumber: (.lineStarts, valueCount > 0) // `0.` a numbered item; a bare number is no markdown
        case .lineWord: (.lineStarts, false)
        case .length, .lines, .listShare: (.shape, false)
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

    /// - Parameter vectorKernels: whether the phrase scan may use the AVX-512 filter (the same tokens).
    static func tokens<Sink: StyleSink>(of text: UnsafeBufferPointer<UInt8>, into sink: inout Sink,
                                        vectorKernels: Bool = VectorKernels.available) {
        guard !text.isEmpty else { return }
        let n = text.count
        // Words: first, last, and how many (one C pass, `lineage_style_words`).
        var range = (-1, -1, -1, -1)
        let words = withUnsafeMutableBytes(of: &range) { raw in
            lineage_style_words(text.baseAddress, n, raw.baseAddress?.assumingMemoryBound(to: Int.self), vectorKernels ? 1 : 0)
        }
        if range.0 >= 0 { sink.token(.first, slice(text, range.0..<range.1), lowercased: false) }
        if range.2 >= 0 { sink.token(.last, slice(text, range.2..<range.3), lowercased: false) }

        // Lines: opener, markdown, list share.
        var lines = 0
        var listLines = 0
        var inFence = false
        var lineStart = 0
        // Where the next byte of inline markdown is: a line before it has none, so it is not scanned.
        let vector: Int32 = vectorKernels ? 1 : 0
        var nextInline = lineage_style_next_inline(text.baseAddress, 0, n, vector)
        while lineStart < n {
            let rest = text.baseAddress.unsafelyUnwrapped + lineStart
            let lineEnd = memchr(rest, 0x0A, n - lineStart).map { lineStart + (UnsafeRawPointer($0) - UnsafeRawPointer(rest)) } ?? n
            if lineEnd > lineStart {
                lines += 1
                let line = slice(text, lineStart..<lineEnd)
                let (isList, isFence) = opener(line, into: &sink)
                if isList { listLines += 1 }
                if isFence {
                    if !inFence { sink.token(.fence, empty, lowercased: false) }
                    inFence.toggle()
                } else if nextInline < lineEnd {
                    inlineMarkdown(line, skipBullet: isList, into: &sink)
                }
            }
            lineStart = lineEnd + 1
            if nextInline < lineStart { nextInline = lineage_style_next_inline(text.baseAddress, lineStart, n, vector) }
        }

        // Stock phrases at word boundaries (`lineage_style_phrases`), in text order and, at one position,
        // in list order. Matches go to a small stack buffer, or a heap one for a text with very many.
        let table = phraseTable
        table.bytes.withUnsafeBufferPointer { bytes in
            table.offsets.withUnsafeBufferPointer { offsets in
                table.slotStarts.withUnsafeBufferPointer { slotStarts in
                  table.slotPhrases.withUnsafeBufferPointer { slotPhrases in
                  table.prefixes.withUnsafeBufferPointer { prefixes in
                  table.pairs.withUnsafeBufferPointer { pairs in
                    func scan(_ capacity: Int, _ matches: UnsafeMutablePointer<Int32>) -> Int {
                        let found = lineage_style_phrases(text.baseAddress, n, bytes.baseAddress, offsets.baseAddress,
                                                          prefixes.baseAddress, slotStarts.baseAddress, slotPhrases.baseAddress,
                                                          vectorKernels ? pairs.baseAddress : nil, matches, capacity)
                        guard found <= capacity else { return found }
                        for k in 0..<found {
                            let phrase = Int(matches[2 * k + 1])
                            let start = Int(offsets[phrase]), end = Int(offsets[phrase + 1])
                            sink.token(.phrase, UnsafeBufferPointer(rebasing: bytes[start..<end]), lowercased: false)
                        }
                        return found
                    }
                    let found = withUnsafeTemporaryAllocation(of: Int32.self, capacity: 512) { scan(256, $0.baseAddress!) }
                    if found > 256 {
                        let heap = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * found)
                        defer { heap.deallocate() }
                        _ = scan(found, heap)
                    }
                  }
                  }
                  }
                }
            }
        }

        number(.length, log2Floor(words + 1), into: &sink)
        number(.lines, log2Floor(max(1, lines)), into: &sink)
        let share = lines > 0 ? Double(listLines) / Double(lines) : 0
        number(.listShare, listLines == 0 ? 0 : 1 + min(3, Int(share * 4)), into: &sink)
    }

    /// Emits the `line:` token of a non-empty line (and `md:header` / `md:table`); says whether the line
    /// is a list item and whether it is a code fence.
    private static func opener<Sink: StyleSink>(_ line: UnsafeBufferPointer<UInt8>, into sink: inout Sink) -> (Bool, Bool) {
        let c = line.count
        func at(_ k: Int) -> UInt8 { k < c ? line[k] : 0 }
        func emit(_ range: Range<Int>) { sink.token(.line, slice(line, range), lowercased: false) }
        if at(0) == 0x60 && at(1) == 0x60 && at(2) == 0x60 { emit(0..<3); return (false, true) }
        if at(0) == 0x23 {
            var level = 0
            while at(level) == 0x23 { level += 1 }
            if level <= 6 && at(level) == 0x20 {
                emit(0..<level)
                sink.token(.header, empty, lowercased: false)
                return (false, false)
            }
        }
        if at(0) == 0x30 {
            var k = 0
            while at(k) == 0x30 { k += 1 }
            if (at(k) == 0x2E || at(k) == 0x29) && (at(k + 1) == 0x20 || k + 1 == c) {
                sink.token(.lineNumber, slice(line, k..<(k + 1)), lowercased: false)
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
            sink.token(.table, empty, lowercased: false)
            return (false, false)
        }
        var end = 0
        let kind = byteKind(at(0))
        while end < c && byteKind(line[end]) == kind { end += 1 }
        if kind == 1 && at(0) == 0x30 {
            sink.token(.lineNumber, empty, lowercased: false)
        } else {
            sink.token(.lineWord, slice(line, 0..<max(1, end)), lowercased: true)
        }
        return (false, false)
    }

    /// Bold, italic, inline code and links inside one line.
    private static func inlineMarkdown<Sink: StyleSink>(_ line: UnsafeBufferPointer<UInt8>, skipBullet: Bool,
                                                        into sink: inout Sink) {
        var counts = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &counts) { raw in
            lineage_style_inline(line.baseAddress, line.count, skipBullet ? 1 : 0, raw.baseAddress?.assumingMemoryBound(to: Int.self))
        }
        let (stars, singleStars, backticks, links) = counts
        for _ in 0..<(stars / 2) { sink.token(.bold, empty, lowercased: false) }
        for _ in 0..<(singleStars / 2) { sink.token(.italic, empty, lowercased: false) }
        for _ in 0..<(backticks / 2) { sink.token(.code, empty, lowercased: false) }
        for _ in 0..<links { sink.token(.link, empty, lowercased: false) }
    }

    /// `value` (≥ 0) in decimal after `tag`, its digits written on the stack.
    private static func number<Sink: StyleSink>(_ tag: StyleTag, _ value: Int, into sink: inout Sink) {
        precondition(value >= 0, "a style number is a count or a log of one")
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            let out = raw.bindMemory(to: UInt8.self)
            var v = value, start = out.count
            repeat {
                start -= 1
                out[start] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                v /= 10
            } while v > 0
            sink.token(tag, UnsafeBufferPointer(rebasing: out[start...]), lowercased: false)
        }
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

    mutating func token(_ tag: StyleTag, _ bytes: UnsafeBufferPointer<UInt8>, lowercased: Bool) {
        var value = Array(bytes)
        if lowercased { value = value.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } }
        tokens.append(tag.text.description + String(decoding: value, as: UTF8.self))
    }
}
