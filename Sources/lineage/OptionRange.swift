import ArgumentParser

/// The stated valid range of a numeric option, checked in `validate()` so that a value outside it stops the
/// command at parse time (exit 64) with the option, the range and the value named, instead of trapping deep in
/// a statistic (`--permutations=-5`), inside FoundationNetworking (`--timeout=inf`) or being retried as a server
/// fault (`--temperature=nan`). Every numeric option of every subcommand has one; its help text states it.
struct OptionRange<Value: Comparable & CustomStringConvertible & Sendable>: Sendable {
    let name: String
    let range: ClosedRange<Value>
    /// Why the bounds are where they are, appended to the refusal.
    let reason: String

    init(_ name: String, _ range: ClosedRange<Value>, _ reason: String = "") {
        self.name = name
        self.range = range
        self.reason = reason
    }

    /// Throws a `ValidationError` naming the option when `value` is given and outside the range.
    func check(_ value: Value?) throws {
        guard let value, !range.contains(value) else { return }
        throw ValidationError(refusal(value))
    }

    func refusal(_ value: Value) -> String {
        let finite = (value as? Double).map(\.isFinite) ?? true
        let what = finite ? "\(value)" : "\(value), not a finite number"
        return "\(name) must be between \(range.lowerBound) and \(range.upperBound) (got \(what))"
            + (reason.isEmpty ? "" : "; \(reason)")
    }

    /// `(from … to …)` for help texts, so the stated range and the checked one are the same numbers.
    var help: String { "(\(range.lowerBound)–\(range.upperBound))" }
}

/// The ranges themselves, one per option meaning, shared by every subcommand that has the option.
enum OptionRanges {
    static let bootstrap = OptionRange("--bootstrap", 10...100_000,
                                       "the score's 95% interval needs resamples on both sides of it")
    static let permutations = OptionRange("--permutations", 10...100_000,
                                          "the MMD test's p-value is at least 1/(permutations + 1)")
    static let treeBootstrap = OptionRange("--tree-bootstrap", 1...10_000,
                                           "branch support is the share of resampled trees with the clade")
    static let threads = OptionRange("--threads", 1...256)
    static let ridge = OptionRange("--ridge", 1e-9...1e3, "a positive penalty on the standardised weights")
    static let probeSample = OptionRange("--probe-sample", 2...1_000_000, "a score needs at least two probes")
    static let repeats = OptionRange("--repeats", 1...100)
    static let samples = OptionRange("--samples", 1...1_000)
    static let limit = OptionRange("--limit", 1...10_000_000)
    static let temperature = OptionRange("--temperature", 0.0...2.0, "the range of the OpenAI chat API")
    static let maxTokens = OptionRange("--max-tokens", 1...10_000_000)
    static let concurrency = OptionRange("--concurrency", 1...64)
    static let timeout = OptionRange("--timeout", 0.1...86_400.0, "seconds, a finite number")
    static let idleTimeout = OptionRange("--idle-timeout", 0.1...86_400.0, "seconds, a finite number")
    static let maxRetries = OptionRange("--max-retries", 0...100)
    static let backoffBase = OptionRange("--backoff-base", 0.0...3_600.0, "seconds, a finite number")
    static let backoffCap = OptionRange("--backoff-cap", 0.0...86_400.0, "seconds, a finite number")
    static let maxAnswerBytes = OptionRange("--max-answer-bytes", 1_024...1_073_741_824,
                                            "bytes of one response body")
}
