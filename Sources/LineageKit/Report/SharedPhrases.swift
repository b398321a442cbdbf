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
        let utf8 = lower.utf8
        var result: [Substring] = []
        var start: String.Index? = nil
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            guard byte < 0x80 else { return nil }
            let isWord = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || (byte == 0x27 && start != nil)
            if isWord {
                if start == nil { start = index }
            } else if let s = start {
                result.append(lower[s..<index])
                start = nil
            }
            index = utf8.index(after: index)
        }
        if let s = start { result.append(lower[s..<lower.endIndex]) }
        return result
    }

    /// `words` for any text, one `Character` at a time.
    static func unicodeWords(_ lower: String) -> [Substring] {
        var result: [Substring] = []
        var start: String.Index? = nil
        var index = lower.startIndex
        while index < lower.endIndex {
            let c = lower[index]
            let isWord = c.isLetter || c.isNumber || (c == "'" && start != nil)
            if isWord {
                if start == nil { start = index }
            } else if let s = start {
                result.append(lower[s..<index])
                start = nil
            }
            index = lower.index(after: index)
        }
        if let s = start { result.append(lower[s..<lower.endIndex]) }
        return result
    }

    /// The n-gram keys (hashes of word-id sequences) present in one answer; a phrase's text is kept
    /// the first time it is seen when `texts` is given.
    static func keys(_ text: String, maxN: Int, vocabulary: inout [Substring: UInt64],
                     texts: inout [UInt64: (String, Int)], keepTexts: Bool) -> Set<UInt64> {
        let tokens = words(text)
        var ids: [UInt64] = []
        ids.reserveCapacity(tokens.count)
        for token in tokens {
            if let id = vocabulary[token] { ids.append(id) } else {
                let id = UInt64(vocabulary.count + 1)
                vocabulary[token] = id
                ids.append(id)
            }
        }
        var keys = Set<UInt64>()
        for i in ids.indices {
            var key: UInt64 = 0x243F_6A88_85A3_08D3
            for n in 1...maxN where i + n <= ids.count {
                key = mix(key ^ ids[i + n - 1] &* 0x9E37_79B9_7F4A_7C15)
                let inserted = keys.insert(key &+ UInt64(n)).inserted
                if inserted, keepTexts, texts[key &+ UInt64(n)] == nil {
                    texts[key &+ UInt64(n)] = (tokens[i..<(i + n)].joined(separator: " "), n)
                }
            }
        }
        return keys
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
        var vocabulary: [Substring: UInt64] = [:]
        var texts: [UInt64: (String, Int)] = [:]
        func frequencies(_ recording: AlignedRecording, keepTexts: Bool, within: Set<UInt64>?) -> [UInt64: Int] {
            var df: [UInt64: Int] = [:]
            for p in 0..<min(probes, recording.answers.count) {
                guard let answer = recording.answer(p) else { continue }
                let present = keys(answer, maxN: maxN, vocabulary: &vocabulary, texts: &texts, keepTexts: keepTexts)
                for key in present where within?.contains(key) ?? true { df[key, default: 0] += 1 }
            }
            return df
        }
        let studentDF = frequencies(student, keepTexts: true, within: nil).filter { $0.value >= minimumProbes }
        let candidateDF = frequencies(candidate, keepTexts: false, within: Set(studentDF.keys))
            .filter { $0.value >= minimumProbes }
        let shared = Set(candidateDF.keys)
        var panelTotal: [UInt64: Int] = [:]
        var panelUsing: [UInt64: Int] = [:]
        for model in panel {
            for (key, count) in frequencies(model, keepTexts: false, within: shared) {
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
