import Foundation

/// What a file that answers one (probe, sample) twice, with different texts, means.
///
/// The `lineage` command refuses such a file by default: it has no single reading (which answer counts
/// depends on the tool and on the order of the lines, and reordering the file flipped a verdict), so a
/// reviewer's tools and Lineage could judge different answers. `first` keeps the first answer and counts the
/// rest as conflicting duplicates (`AlignmentSummary.conflicting`), as a rule chosen explicitly
/// (`--duplicates first`). Identical repeats are never refused: they change nothing.
public enum DuplicateRule: String, Sendable, CaseIterable, Codable {
    case refuse, first
}

/// The rule the readers apply, set once by the command line before anything is read (a process-wide
/// setting, because the readers are reached from every stage; `verify` re-parses the recorded command
/// line, which sets it again to what the run used). The library's own default is `first`, what it always
/// did, for callers that choose for themselves; the command line's default is `refuse`.
public enum ReadingPolicy {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var rule = DuplicateRule.first

    public static var duplicates: DuplicateRule {
        get { lock.withLock { rule } }
        set { lock.withLock { rule = newValue } }
    }
}

/// Finds a second, different answer to a (probe, sample) as a file streams past, keeping per answer only
/// its key and a fingerprint (`StreamingAligner.Fingerprint`).
struct DuplicateAnswerCheck {
    private struct Key: Hashable {
        var probe: String
        var sample: Int
    }

    private var seen: [Key: (StreamingAligner.Fingerprint, Int)] = [:]
    let rule: DuplicateRule

    init(rule: DuplicateRule = ReadingPolicy.duplicates) { self.rule = rule }

    mutating func check(_ answer: RecordedAnswer, file: InputFile) throws(InputError) {
        guard rule == .refuse else { return }
        let probe = answer.probeID ?? "\u{0}" + PromptKey.fold(answer.prompt ?? "")
        let key = Key(probe: probe, sample: answer.sample)
        let print = StreamingAligner.Fingerprint(answer.output)
        guard let (earlier, line) = seen[key] else {
            seen[key] = (print, answer.line)
            return
        }
        guard earlier != print else { return }
        let name = answer.probeID.map { "probe \"\($0)\"" } ?? "the prompt \"\(String((answer.prompt ?? "").prefix(60)))\""
        throw InputError(.duplicateProbe, at: file.location(line: answer.line),
                         "\(name) (sample \(answer.sample)) has a second, different answer (the first is at line \(line)): which one counts would depend on the tool and on the order of the lines; keep one answer per probe and sample, number them with \"sample\", or choose --duplicates first")
    }
}
