import Foundation

/// Word n-grams (1–4 words) that both the student and the candidate use on unusually many probes
/// compared with the panel: the phrases a reader can check by eye.
///
/// Counts are document frequencies over probes (an n-gram counts once per answer), so one long answer
/// cannot dominate. For a model with `df` of `P` probes the rate is `(df + ½) / (P + 1)` (a Jeffreys-style
/// floor, so that a phrase no panel model uses gets a large but finite ratio); the panel's rate pools all
/// its models. A phrase's strength is the smaller of the two log₂ ratios student/panel and
/// candidate/panel — it must be over-represented in *both* (cf. the log-odds-ratio with an informative
/// prior of Monroe, Colaresi & Quinn 2008, used here in its simplest smoothed form).
public struct SharedPhrase: Sendable, Codable, Equatable {
    public var phrase: String
    public var words: Int
    /// Probes whose answer contains the phrase.
    public var studentProbes: Int
    public var candidateProbes: Int
    /// Mean over panel models of the probes whose answer contains it.
    public var panelProbesMean: Double
    /// Panel models that use it at least once.
    public var panelModelsUsing: Int
    /// min(log₂ student/panel, log₂ candidate/panel).
    public var log2Ratio: Double

    enum CodingKeys: String, CodingKey {
        case phrase, words, studentProbes = "student_probes", candidateProbes = "candidate_probes"
        case panelProbesMean = "panel_probes_mean", panelModelsUsing = "panel_models_using", log2Ratio = "log2_ratio"
    }
}

enum SharedPhraseFinder {
    /// Lowercased word tokens: runs of letters, digits and apostrophes inside words.
    static func words(_ text: String) -> [Substring] {
        let lower = text.lowercased()
        return asciiWords(lower) ?? unicodeWords(lower)
    }

    /// `words` of an all-ASCII lowercased text, read byte by byte: for ASCII, `isLetter` is a–z and
    /// `isNumber` 0–9, and no grapheme cluster joins a word byte to another (CR LF is one `Character`, but
    /// neither is a word byte). The `Character` path's Unicode property lookups were the largest single
    /// cost of a report (perf: 14 % of `lineage compare`). Nil when a byte is not ASCII.
    static func asciiWords(_ lower: String) -> [Substring]? {
        runs(of: lower.utf8, in: lower) { byte, insideWord in
            guard byte < 0x80 else { return nil }
            return (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || (byte == 0x27 && insideWord)
        }
    }

    /// `words` for any text, one `Character` at a time.
    static func unicodeWords(_ lower: String) -> [Substring] {
        runs(of: lower, in: lower) { c, insideWord in c.isLetter || c.isNumber || (c == "'" && insideWord) } ?? []
    }

    /// The maximal runs of `view`'s elements (a view of `lower`) for which `isWord(element, insideWord)`
    /// holds, as substrings of `lower`; nil as soon as `isWord` gives up (returns nil).
    @inline(__always)
    private static func runs<View: BidirectionalCollection>(of view: View, in lower: String,
                                                            _ isWord: (View.Element, Bool) -> Bool?) -> [Substring]?
    where View.Index == String.Index {
        var result: [Substring] = []
        var start: String.Index? = nil
        var index = view.startIndex
        while index < view.endIndex {
            guard let word = isWord(view[index], start != nil) else { return nil }
            if word {
                if start == nil { start = index }
            } else if let s = start {
                result.append(lower[s..<index])
                start = nil
            }
            index = view.index(after: index)
        }
        if let s = start { result.append(lower[s..<lower.endIndex]) }
        return result
    }

    /// The distinct n-gram keys (hashes of word-id sequences) of one answer, ascending; only those in
    /// `within` when it is given. A phrase's text is kept the first time its key is seen when `keepTexts`.
    /// A word's id is the stable hash of its bytes (`StableHash`): no shared vocabulary to look words up in,
    /// and keys only ever meet keys (phrases are ordered by their text, never by key).
    static func keys(_ text: String, maxN: Int, texts: inout [UInt64: (String, Int)], keepTexts: Bool,
                     within: MixedKeySet? = nil) -> [UInt64] {
        let tokens = words(text)
        let ids = tokens.map { token in
            var hash = StableHash(seed: 0)
            for byte in token.utf8 { hash.add(byte) }
            return hash.value
        }
        var keys: [UInt64] = []
        keys.reserveCapacity(within == nil ? ids.count * maxN : 16)
        for i in ids.indices {
            var key: UInt64 = 0x243F_6A88_85A3_08D3
            for n in 1...maxN where i + n <= ids.count {
                key = mix(key ^ ids[i + n - 1] &* 0x9E37_79B9_7F4A_7C15)
                let phrase = key &+ UInt64(n)
                if let within, !within.contains(phrase) { continue }
                keys.append(phrase)
                if keepTexts, texts[phrase] == nil {
                    texts[phrase] = (tokens[i..<(i + n)].joined(separator: " "), n)
                }
            }
        }
        keys.sort()
        var distinct = 0
        for key in keys where distinct == 0 || keys[distinct - 1] != key {
            keys[distinct] = key
            distinct += 1
        }
        keys.removeLast(keys.count - distinct)
        return keys
    }

    /// For each key, the number of the first `probes` answers of `recording` that hold it.
    static func documentFrequencies(_ recording: AlignedRecording, probes: Int, maxN: Int, keepTexts: Bool,
                                    within: MixedKeySet?, texts: inout [UInt64: (String, Int)]) -> [UInt64: Int] {
        var df: [UInt64: Int] = [:]
        for p in 0..<min(probes, recording.answers.count) {
            guard let answer = recording.answer(p) else { continue }
            for key in keys(answer, maxN: maxN, texts: &texts, keepTexts: keepTexts, within: within) {
                df[key, default: 0] += 1
            }
        }
        return df
    }

    /// SplitMix64's finaliser.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// - Parameters:
    ///   - minimumProbes: a phrase must appear in at least this many answers of the student and of the
    ///     candidate (nil: 3, or 1% of the probes when that is more, so that a phrase is a habit, not a coincidence).
    static func find(student: AlignedRecording, candidate: AlignedRecording, panel: [AlignedRecording],
                     maxN: Int = 4, minimumProbes: Int? = nil, limit: Int = 20) -> [SharedPhrase] {
        let probes = student.answers.count
        let minimumProbes = minimumProbes ?? max(3, probes / 100)
        guard probes > 0, !panel.isEmpty else { return [] }
        var texts: [UInt64: (String, Int)] = [:]
        @Sendable func frequencies(_ recording: AlignedRecording, keepTexts: Bool, within: MixedKeySet?,
                                   texts: inout [UInt64: (String, Int)]) -> [UInt64: Int] {
            documentFrequencies(recording, probes: probes, maxN: maxN, keepTexts: keepTexts, within: within, texts: &texts)
        }
        let studentDF = frequencies(student, keepTexts: true, within: nil, texts: &texts).filter { $0.value >= minimumProbes }
        let candidateDF = frequencies(candidate, keepTexts: false, within: MixedKeySet(studentDF.keys), texts: &texts)
            .filter { $0.value >= minimumProbes }
        let shared = Set(candidateDF.keys)
        // The panel's counts, model by model on all cores; integer sums, so the order of merging is immaterial.
        let within = MixedKeySet(shared)
        let perModel = ParallelWork.map(jobs: panel.count, threads: ProcessInfo.processInfo.activeProcessorCount) { m in
            var unused: [UInt64: (String, Int)] = [:]
            return frequencies(panel[m], keepTexts: false, within: within, texts: &unused)
        }
        var panelTotal: [UInt64: Int] = [:]
        var panelUsing: [UInt64: Int] = [:]
        for counts in perModel {
            for (key, count) in counts {
                panelTotal[key, default: 0] += count
                panelUsing[key, default: 0] += 1
            }
        }
        let p = Double(probes)
        let k = Double(panel.count)
        var phrases: [(SharedPhrase, UInt64)] = []
        for key in shared {
            guard let s = studentDF[key], let c = candidateDF[key], let (text, n) = texts[key] else { continue }
            let panelRate = (Double(panelTotal[key] ?? 0) + 0.5) / (k * p + 1)
            let studentRate = (Double(s) + 0.5) / (p + 1)
            let candidateRate = (Double(c) + 0.5) / (p + 1)
            let ratio = min(log2(studentRate / panelRate), log2(candidateRate / panelRate))
            guard ratio > 1 else { continue }  // at least twice the panel's rate in both
            phrases.append((SharedPhrase(phrase: text, words: n, studentProbes: s, candidateProbes: c,
                                         panelProbesMean: Double(panelTotal[key] ?? 0) / k,
                                         panelModelsUsing: panelUsing[key] ?? 0, log2Ratio: ratio), key))
        }
        // Strongest first (to a tenth of a bit); among equally strong ones the longer phrase, which says
        // more than its parts; then more support, then text, so that the order is deterministic.
        func key(_ p: SharedPhrase) -> (Double, Int, Int) { ((p.log2Ratio * 10).rounded(), p.words, p.studentProbes + p.candidateProbes) }
        phrases.sort { a, b in
            let ka = key(a.0), kb = key(b.0)
            return (ka.0, ka.1, ka.2, b.0.phrase) > (kb.0, kb.1, kb.2, a.0.phrase)
        }
        // Keep one of a family of overlapping phrases ("as an ai", "an ai language", …): skip a phrase
        // that contains or is contained in one already chosen.
        var chosen: [SharedPhrase] = []
        for (phrase, _) in phrases where chosen.count < limit {
            let padded = " \(phrase.phrase) "
            if chosen.contains(where: { padded.contains(" \($0.phrase) ") || " \($0.phrase) ".contains(padded) }) { continue }
            chosen.append(phrase)
        }
        return chosen
    }
}

/// A read-only set of keys that are already SplitMix64 outputs, so their low bits index an open-addressing
/// table directly (linear probing): a membership test per n-gram of every panel answer, without `Hasher`.
struct MixedKeySet: Sendable {
    private let slots: [UInt64]
    private let mask: Int
    /// Slot value 0 means empty; a key 0 is remembered here.
    private let holdsZero: Bool

    init<S: Sequence>(_ keys: S) where S.Element == UInt64 {
        let all = Array(keys)
        var capacity = 16
        while capacity < 2 * all.count { capacity *= 2 }
        var slots = [UInt64](repeating: 0, count: capacity)
        var zero = false
        for key in all {
            if key == 0 { zero = true; continue }
            var i = Int(truncatingIfNeeded: key) & (capacity - 1)
            while slots[i] != 0 && slots[i] != key { i = (i + 1) & (capacity - 1) }
            slots[i] = key
        }
        self.slots = slots
        mask = capacity - 1
        holdsZero = zero
    }

    func contains(_ key: UInt64) -> Bool {
        if key == 0 { return holdsZero }
        var i = Int(truncatingIfNeeded: key) & mask
        while true {
            let slot = slots[i]
            if slot == key { return true }
            if slot == 0 { return false }
            i = (i + 1) & mask
        }
    }
}
