/// How one recording lined up with a probe set: the counts every run reports, and the ids behind them.
public struct AlignmentSummary: Sendable, Equatable, Codable {
    /// Probes in the set.
    public var probes: Int
    /// Probes with at least one non-empty answer.
    public var aligned: Int
    /// Probes with no answer at all in the file.
    public var missing: Int
    /// Probes whose only answers are empty or white space.
    public var empty: Int
    /// Extra records for a (probe, sample) already answered; `conflicting` of them differ in text.
    public var duplicate: Int
    public var conflicting: Int
    /// Records that match no probe of the set, by id or by prompt.
    public var unknown: Int
    public var missingIDs: [String]
    public var emptyIDs: [String]
    public var duplicateIDs: [String]
    /// The id, or the first 80 characters of the prompt, of each unknown record, with its line.
    /// `duplicateIDs` and `unknownRecords` list at most `StreamingAligner.listLimit` entries each, so that
    /// a huge file of strays cannot exhaust memory; `duplicate` and `unknown` always count them all.
    public var unknownRecords: [String]

    enum CodingKeys: String, CodingKey {
        case probes, aligned, missing, empty, duplicate, conflicting, unknown
        case missingIDs = "missing_ids", emptyIDs = "empty_ids", duplicateIDs = "duplicate_ids"
        case unknownRecords = "unknown_records"
    }
}

/// A recording aligned to a probe set: for each probe, in set order, its non-empty answers.
public struct AlignedRecording: Sendable {
    public var model: String
    public var source: String
    public var sha256: String
    public var format: RecordingFormat
    public var notes: ReadingNotes
    /// `answers[p]` holds probe `p`'s non-empty answers, one per sample, in sample order (all empty
    /// when aligned from a stream without keeping texts).
    public var answers: [[String]]
    public var summary: AlignmentSummary
    /// Every kept answer's fingerprint, by probe and sample, combined (nil when there is none):
    /// two recordings with the same value gave the same answers, whatever their files and names, so a panel
    /// keeps one of them (`PanelSelection`). Kept when the texts are dropped; comparable within one run only.
    var answersFingerprint: Int? = nil
    /// `firstAnswerLengths` as they were before the texts were let go (`withoutTexts()`; nil while texts are held).
    var keptLengths: [Int]? = nil

    /// The first answer to probe `p`, or nil where the probe is missing or empty.
    public func answer(_ p: Int) -> String? { answers[p].first }

    /// Each probe's first answer's length in Unicode scalars (0 where there is none).
    var firstAnswerLengths: [Int] { keptLengths ?? answers.map { $0.first?.scalarCount ?? 0 } }

    /// The recording with no answer texts, its `firstAnswerLengths` kept: what a batch holds of its candidates
    /// and panel once they are embedded (the length check still needs their lengths).
    func withoutTexts() -> AlignedRecording {
        var lean = self
        lean.keptLengths = firstAnswerLengths
        lean.answers = Array(repeating: [], count: answers.count)
        return lean
    }

    /// The file and its bytes: how a batch finds a recording's shared work again (`BatchAttribution`).
    var identity: String { source + "\u{0}" + sha256 }
}

public enum Aligner {
    /// Aligns by probe id, falling back to the prompt text (white space folded) when the record has
    /// no id or an id the set does not know. The first record for a (probe, sample) wins; later ones
    /// are counted as duplicates and listed, never silently merged.
    public static func align(_ recording: Recording, to set: ProbeSet) -> AlignedRecording {
        var aligner = StreamingAligner(set: set, keepTexts: true)
        for answer in recording.answers { aligner.add(answer) }
        return aligner.finish(model: recording.model, source: recording.source, sha256: recording.sha256,
                              format: recording.format, notes: recording.notes)
    }

    /// Reads and aligns a file in one streamed pass. With `keepTexts: false` no answer text is held
    /// (the result's `answers` are all empty): memory is then one fingerprint per (probe, sample) plus
    /// the longest line, whatever the file's size — what `lineage validate` needs.
    public static func align(path: String, format: RecordingFormat? = nil, to set: ProbeSet,
                             keepTexts: Bool = true) throws(InputError) -> AlignedRecording {
        var aligner = StreamingAligner(set: set, keepTexts: keepTexts)
        let header = try RecordingReader.forEachAnswer(path: path, format: format) { aligner.add($0) }
        return aligner.finish(model: header.model, source: header.source, sha256: header.sha256,
                              format: header.format, notes: header.notes)
    }
}

/// Aligns answers one at a time as they stream from a reader, keeping per (probe, sample) only a
/// fingerprint of the output (its length, a 64-bit hash and whether it is blank) for duplicate and
/// conflict detection, and the text itself only when asked to.
public struct StreamingAligner {
    /// The most duplicate ids and unknown records listed (all are counted).
    public static let listLimit = 10_000

    /// What is kept of one answer. Two outputs are taken to be equal when length and hash agree:
    /// a false "equal" needs a 64-bit collision between texts of the same length.
    struct Fingerprint: Equatable {
        var length: Int
        var hash: UInt64
        var blank: Bool

        init(_ text: String) {
            // `Hasher` is seeded per process, which is enough: fingerprints are only compared within a run.
            var hasher = Hasher()
            var copy = text
            copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            length = copy.utf8.count
            hash = UInt64(bitPattern: Int64(hasher.finalize()))
            blank = text.allSatisfy(\.isWhitespace)
        }
    }

    public let set: ProbeSet
    public let keepTexts: Bool
    private var samples: [[Int: Fingerprint]]
    private var texts: [[Int: String]]
    private var duplicate = 0, conflicting = 0
    private var duplicateIDs: [String] = []
    private var unknown: [String] = []
    private var unknownCount = 0

    public init(set: ProbeSet, keepTexts: Bool) {
        self.set = set
        self.keepTexts = keepTexts
        samples = [[Int: Fingerprint]](repeating: [:], count: set.probes.count)
        texts = [[Int: String]](repeating: [:], count: keepTexts ? set.probes.count : 0)
    }

    public mutating func add(_ answer: RecordedAnswer) {
        _ = place(answer)
    }

    /// Adds `answer` as `add` does and returns its probe index when its text is one the result keeps: the
    /// first record for its (probe, sample) and not blank. A consumer that embeds answers as they stream
    /// (`Embedder.embedStreaming`) embeds exactly these, so it needs no texts from the aligner.
    mutating func place(_ answer: RecordedAnswer) -> Int? {
        var index: Int? = nil
        if let id = answer.probeID { index = set.index(ofID: id) }
        if index == nil, let prompt = answer.prompt { index = set.index(ofPrompt: prompt) }
        guard let p = index else {
            let label = answer.probeID ?? String((answer.prompt ?? "").prefix(80))
            unknownCount += 1
            if unknown.count < Self.listLimit { unknown.append("line \(answer.line): \(label)") }
            return nil
        }
        // An id that names a probe but a prompt that is not that probe's: the record answers another
        // question (a recording made against another probe set that reuses the ids). It is not aligned,
        // and listed as unknown with the reason, so that "805/805 answered" cannot hide it.
        if answer.probeID != nil, let prompt = answer.prompt,
           ProbeSet.promptKey(prompt) != ProbeSet.promptKey(set.probes[p].prompt) {
            unknownCount += 1
            if unknown.count < Self.listLimit {
                unknown.append("line \(answer.line): \(set.probes[p].id) (its prompt is not the probe set's prompt for this id)")
            }
            return nil
        }
        let print = Fingerprint(answer.output)
        if let existing = samples[p][answer.sample] {
            duplicate += 1
            if existing != print { conflicting += 1 }
            if duplicateIDs.count < Self.listLimit { duplicateIDs.append(set.probes[p].id) }
            return nil
        }
        samples[p][answer.sample] = print
        guard !print.blank else { return nil }
        if keepTexts { texts[p][answer.sample] = answer.output }
        return p
    }

    public func finish(model: String, source: String, sha256: String, format: RecordingFormat,
                       notes: ReadingNotes) -> AlignedRecording {
        var answers = [[String]](repeating: [], count: set.probes.count)
        var missingIDs: [String] = []
        var emptyIDs: [String] = []
        var combined = Hasher(), kept = 0
        for p in set.probes.indices {
            guard !samples[p].isEmpty else { missingIDs.append(set.probes[p].id); continue }
            if !samples[p].values.contains(where: { !$0.blank }) { emptyIDs.append(set.probes[p].id); continue }
            if keepTexts { answers[p] = texts[p].sorted(by: { $0.key < $1.key }).map(\.value) }
            for (sample, print) in samples[p].sorted(by: { $0.key < $1.key }) where !print.blank {
                combined.combine(p)
                combined.combine(sample)
                combined.combine(print.length)
                combined.combine(print.hash)
                kept += 1
            }
        }
        let summary = AlignmentSummary(
            probes: set.probes.count,
            aligned: set.probes.count - missingIDs.count - emptyIDs.count,
            missing: missingIDs.count, empty: emptyIDs.count,
            duplicate: duplicate, conflicting: conflicting, unknown: unknownCount,
            missingIDs: missingIDs, emptyIDs: emptyIDs, duplicateIDs: duplicateIDs, unknownRecords: unknown)
        return AlignedRecording(model: model, source: source, sha256: sha256,
                                format: format, notes: notes, answers: answers, summary: summary,
                                answersFingerprint: kept > 0 ? combined.finalize() : nil)
    }
}
