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
    /// `answers[p]` holds probe `p`'s non-empty answers, one per sample, in sample order.
    public var answers: [[String]]
    public var summary: AlignmentSummary

    /// The first answer to probe `p`, or nil where the probe is missing or empty.
    public func answer(_ p: Int) -> String? { answers[p].first }
}

public enum Aligner {
    /// Aligns by probe id, falling back to the prompt text (white space folded) when the record has
    /// no id or an id the set does not know. The first record for a (probe, sample) wins; later ones
    /// are counted as duplicates and listed, never silently merged.
    public static func align(_ recording: Recording, to set: ProbeSet) -> AlignedRecording {
        var samples = [[Int: String]](repeating: [:], count: set.probes.count)
        var seen = [Bool](repeating: false, count: set.probes.count)
        var duplicate = 0, conflicting = 0
        var duplicateIDs: [String] = []
        var unknown: [String] = []
        for answer in recording.answers {
            var index: Int? = nil
            if let id = answer.probeID { index = set.index(ofID: id) }
            if index == nil, let prompt = answer.prompt { index = set.index(ofPrompt: prompt) }
            guard let p = index else {
                let label = answer.probeID ?? String((answer.prompt ?? "").prefix(80))
                unknown.append("line \(answer.line): \(label)")
                continue
            }
            seen[p] = true
            if let existing = samples[p][answer.sample] {
                duplicate += 1
                if existing != answer.output { conflicting += 1 }
                duplicateIDs.append(set.probes[p].id)
                continue
            }
            samples[p][answer.sample] = answer.output
        }
        var answers = [[String]](repeating: [], count: set.probes.count)
        var missingIDs: [String] = []
        var emptyIDs: [String] = []
        for p in set.probes.indices {
            guard seen[p] else { missingIDs.append(set.probes[p].id); continue }
            answers[p] = samples[p].sorted(by: { $0.key < $1.key }).map(\.value)
                .filter { !$0.allSatisfy(\.isWhitespace) }
            if answers[p].isEmpty { emptyIDs.append(set.probes[p].id) }
        }
        let summary = AlignmentSummary(
            probes: set.probes.count,
            aligned: set.probes.count - missingIDs.count - emptyIDs.count,
            missing: missingIDs.count, empty: emptyIDs.count,
            duplicate: duplicate, conflicting: conflicting, unknown: unknown.count,
            missingIDs: missingIDs, emptyIDs: emptyIDs, duplicateIDs: duplicateIDs, unknownRecords: unknown)
        return AlignedRecording(model: recording.model, source: recording.source, sha256: recording.sha256,
                                format: recording.format, notes: recording.notes, answers: answers, summary: summary)
    }
}
