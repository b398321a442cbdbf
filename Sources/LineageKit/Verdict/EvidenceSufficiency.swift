import Foundation

/// What one model's recording looks like as evidence: how much of the probe set it answered, how long its
/// answers are, and how often an answer only repeats its prompt.
public struct AnswerProfile: Sendable, Codable, Equatable {
    public var answered: Int
    /// Median length in characters (Unicode scalars) of the non-empty answers (0 when there are none).
    public var medianCharacters: Double
    /// Share of the non-empty answers that repeat their prompt (`AnswerProfile.echoes`).
    public var echoShare: Double
    /// `medianCharacters` as the report, the ranking table and the text summary show it: rounded to whole characters.
    public var wholeMedianCharacters: Int { Int(medianCharacters.rounded()) }

    enum CodingKeys: String, CodingKey {
        case answered, medianCharacters = "median_characters", echoShare = "echo_share"
    }

    /// A model with no answers.
    static let empty = AnswerProfile(answered: 0, medianCharacters: 0, echoShare: 0)

    init(answered: Int, medianCharacters: Double, echoShare: Double) {
        self.answered = answered
        self.medianCharacters = medianCharacters
        self.echoShare = echoShare
    }

    public init(_ recording: AlignedRecording, probeSet: ProbeSet) {
        var lengths: [Double] = []
        var echoes = 0
        for (k, samples) in recording.answers.enumerated() {
            guard let answer = samples.first(where: { !$0.isEmpty }) else { continue }
            lengths.append(Double(answer.scalarCount))
            if k < probeSet.probes.count, Self.echoes(answer, prompt: probeSet.probes[k].prompt) { echoes += 1 }
        }
        answered = lengths.count
        lengths.sort()
        medianCharacters = lengths.isEmpty ? 0 : Descriptive.quantile(sorted: lengths, 0.5)
        echoShare = lengths.isEmpty ? 0 : Double(echoes) / Double(lengths.count)
    }

    /// Whether an answer is its prompt again: equal after trimming and case folding, or the prompt
    /// followed by at most 20 more characters.
    static func echoes(_ answer: String, prompt: String) -> Bool {
        // An answer much longer than its prompt is not an echo (most answers: decided without copying).
        guard answer.utf8.count <= 4 * prompt.utf8.count + 80 else { return false }
        if let ascii = asciiEchoes(Array(answer.utf8), prompt: Array(prompt.utf8)) { return ascii }
        let a = answer.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let p = prompt.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !p.isEmpty else { return false }
        return a == p || (a.hasPrefix(p) && a.count <= p.count + 20)
    }

    /// `echoes` on bytes when both texts are ASCII (nil otherwise), without Foundation's trimming and case
    /// mapping: for ASCII those are the bytes 9–13 and 32 and A–Z → a–z, `==` and `hasPrefix` compare bytes
    /// (a trimmed prompt ends in a byte that starts no grapheme cluster with the next), and a character
    /// count is the byte count less each CR LF pair, which is one character.
    static func asciiEchoes(_ answer: [UInt8], prompt: [UInt8]) -> Bool? {
        guard answer.allSatisfy({ $0 < 0x80 }), prompt.allSatisfy({ $0 < 0x80 }) else { return nil }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
        func trimmed(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
            guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return [] }
            return bytes[first...last]
        }
        func lower(_ b: UInt8) -> UInt8 { (0x41...0x5A).contains(b) ? b | 0x20 : b }
        func characters(_ bytes: ArraySlice<UInt8>) -> Int {
            zip(bytes, bytes.dropFirst()).reduce(bytes.count) { $0 - ($1.0 == 0x0D && $1.1 == 0x0A ? 1 : 0) }
        }
        let a = trimmed(answer), p = trimmed(prompt)
        guard !p.isEmpty, a.count >= p.count, zip(a, p).allSatisfy({ lower($0) == lower($1) }) else { return false }
        return a.count == p.count || characters(a) <= characters(p) + 20
    }
}

/// The evidence a calibration's error rates speak for: below its probe count, or for answers unlike
/// those of the models it was fitted on, a verdict would claim an error rate nobody measured, so the
/// answer is `inconclusive` with the reason.
public struct EvidenceSufficiency: Sendable, Codable, Equatable {
    /// Fewest probes a pair must be compared on: half the calibration's probe set. The probe-count study
    /// (docs/FINDINGS.md) found the AUC level from about 400 of AlpacaEval's 805 probes and
    /// falling below 200.
    public var minimumProbes: Int
    /// The range of median answer lengths that is supported: half the shortest to twice the longest median
    /// among the labelled models.
    public var medianCharactersLow: Double
    public var medianCharactersHigh: Double
    /// Highest share of answers that repeat their prompt: a model that mostly echoes is not answering.
    public var maximumEchoShare: Double
    /// Fewest panel models a run must be judged against: three quarters of the calibration's panel (absent
    /// in files of before 2026-12-07). The structure families are centred on the panel's mean answer, and a
    /// mean of fewer models is noisier, which makes every pair's centred likeness larger by about 1/k: with
    /// the shipped map, false `distilled` grew from 2 of 225 with its 32 models to 3.2 with 24, 5.4 with 16
    /// and 47 with 5 (docs/METHOD.md §7, `scripts/research/panel-size/`).
    public var minimumPanel: Int? = nil

    enum CodingKeys: String, CodingKey {
        case minimumProbes = "minimum_probes", medianCharactersLow = "median_characters_low"
        case medianCharactersHigh = "median_characters_high", maximumEchoShare = "maximum_echo_share"
        case minimumPanel = "minimum_panel"
    }

    public static let defaultMaximumEchoShare = 0.25

    /// Supports nothing (an uncalibrated run: every verdict is inconclusive anyway).
    public static let none = EvidenceSufficiency(minimumProbes: 0, medianCharactersLow: 0,
                                                 medianCharactersHigh: .greatestFiniteMagnitude,
                                                 maximumEchoShare: 1)

    /// The range a calibration on `profiles` (its labelled models) over a probe set of `probes`, against a
    /// panel of `panel` models, supports.
    static func fitted(probes: Int, profiles: [AnswerProfile], panel: Int) -> EvidenceSufficiency {
        let medians = profiles.map(\.medianCharacters).filter { $0 > 0 }
        return EvidenceSufficiency(minimumProbes: (probes + 1) / 2, medianCharactersLow: (medians.min() ?? 0) / 2,
                                   medianCharactersHigh: (medians.max() ?? .greatestFiniteMagnitude) * 2,
                                   maximumEchoShare: defaultMaximumEchoShare, minimumPanel: (3 * panel + 3) / 4)
    }

    /// Why a pair's evidence falls outside what is supported (empty when it does not).
    /// - Parameter panelSize: the panel models the pair was judged against.
    func reasons(comparedProbes: Int, panelSize: Int, student: AnswerProfile, candidate: AnswerProfile,
                 studentName: String, candidateName: String) -> [String] {
        var reasons: [String] = []
        if comparedProbes < minimumProbes {
            reasons.append("only \(comparedProbes) probes could be compared; the calibration's error rates hold from \(minimumProbes)")
        }
        if let minimumPanel, panelSize < minimumPanel {
            reasons.append("the panel has \(panelSize) models; the calibration's error rates hold for a panel of \(minimumPanel) or more (a smaller panel makes every pair look more alike)")
        }
        for (name, profile) in [(studentName, student), (candidateName, candidate)] {
            if profile.answered > 0, profile.medianCharacters < medianCharactersLow || profile.medianCharacters > medianCharactersHigh {
                reasons.append("\(name)'s answers have a median length of \(profile.wholeMedianCharacters) characters, outside the \(Int(medianCharactersLow.rounded()))–\(Int(medianCharactersHigh.rounded())) the calibration covers")
            }
            if profile.echoShare > maximumEchoShare {
                reasons.append("\(Int((profile.echoShare * 100).rounded())) % of \(name)'s answers only repeat the prompt")
            }
        }
        return reasons
    }
}
