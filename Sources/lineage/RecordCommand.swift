import ArgumentParser
import Foundation
import LineageKit

struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a model's answers to a probe set from an OpenAI-compatible /v1/chat/completions server.",
        discussion: """
        Answers are appended to --out as canonical JSONL, one line each, as they complete. Re-running the same
        command resumes: answers already recorded are skipped and a partly written last line is cut away.
        The API key is read from the environment variable named by --api-key-env and is never written anywhere.
        """
    )

    @Option(help: "Server URL: the chat-completions URL, or its base (http://host:port or http://host:port/v1).")
    var endpoint: String

    @Option(help: "Model name sent to the server and written to every line.")
    var model: String

    @Option(help: "Probe set: a name under Probes/ or a path to a probes.jsonl or its folder.")
    var probes: String

    @Option(help: "Output file (canonical JSONL); an existing one is resumed.")
    var out: String

    @Option(help: "Answers per probe \(OptionRanges.samples.help).")
    var samples: Int = 1

    @Option(help: "Record only the first N probes of the set \(OptionRanges.limit.help): a trial run of the endpoint, model and settings. Re-run without it (same --out) to record the rest.")
    var limit: Int?

    @Option(help: "Sampling temperature \(OptionRanges.temperature.help), omitted: the server's default.")
    var temperature: Double?

    @Option(name: .customLong("max-tokens"), help: "Maximum tokens per answer \(OptionRanges.maxTokens.help), omitted: the server's default.")
    var maxTokens: Int?

    @Option(help: "Requests in flight at once \(OptionRanges.concurrency.help).")
    var concurrency: Int = 4

    @Option(name: .customLong("system-prompt"), help: "System message for probes that carry none of their own.")
    var systemPrompt: String?

    @Option(name: .customLong("api-key-env"), help: "Environment variable holding the API key (sent as Authorization: Bearer).")
    var apiKeyEnv: String = "OPENAI_API_KEY"

    @Option(help: "Seconds for one whole request, first byte to last \(OptionRanges.timeout.help); a server that drips bytes is stopped by it.")
    var timeout: Double = 120

    @Option(name: .customLong("idle-timeout"), help: "Seconds without a single byte from the server before a request is given up \(OptionRanges.idleTimeout.help); default 60, at most --timeout.")
    var idleTimeout: Double?

    @Option(name: .customLong("max-answer-bytes"), help: "The largest response body read \(OptionRanges.maxAnswerBytes.help); default \(TransferBounds.defaultMaximumBytes) (16 MiB). A larger one is cut off and the run stops, naming it.")
    var maxAnswerBytes: Int = TransferBounds.defaultMaximumBytes

    @Option(name: .customLong("max-retries"), help: "Retries per answer on 429, 5xx, timeouts, connection errors and malformed bodies \(OptionRanges.maxRetries.help).")
    var maxRetries: Int = 5

    @Option(name: .customLong("backoff-base"), help: "Seconds: upper bound of the first backoff wait (full jitter, doubling) \(OptionRanges.backoffBase.help).")
    var backoffBase: Double = 0.5

    @Option(name: .customLong("backoff-cap"), help: "Seconds: the longest backoff wait \(OptionRanges.backoffCap.help).")
    var backoffCap: Double = 30

    @Option(help: "Seed of the backoff jitter.")
    var seed: UInt64 = 0x5EED

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        try OptionRanges.samples.check(samples)
        try OptionRanges.limit.check(limit)
        try OptionRanges.temperature.check(temperature)
        try OptionRanges.maxTokens.check(maxTokens)
        try OptionRanges.concurrency.check(concurrency)
        try OptionRanges.timeout.check(timeout)
        try OptionRanges.idleTimeout.check(idleTimeout)
        try OptionRanges.maxAnswerBytes.check(maxAnswerBytes)
        try OptionRanges.maxRetries.check(maxRetries)
        try OptionRanges.backoffBase.check(backoffBase)
        try OptionRanges.backoffCap.check(backoffCap)
        if backoffCap < backoffBase {
            throw ValidationError("--backoff-cap (\(backoffCap)) must not be below --backoff-base (\(backoffBase))")
        }
    }

    func run() async throws {
        let set = try ProbeSet.resolve(probes)
        let key = ProcessInfo.processInfo.environment[apiKeyEnv].flatMap { $0.isEmpty ? nil : $0 }
        if key == nil { printError("note: $\(apiKeyEnv) is not set; sending no Authorization header (fine for a local server)") }
        let client = try ChatCompletionClient(endpoint: endpoint, apiKey: key, timeout: timeout, idleTimeout: idleTimeout,
                                              maximumResponseBytes: maxAnswerBytes)
        let recorder = try Recorder(client: client, configuration: RecorderConfiguration(
            model: model, samples: samples, temperature: temperature, maxTokens: maxTokens, systemPrompt: systemPrompt,
            concurrency: concurrency,
            retry: RetryPolicy(maxRetries: maxRetries, base: backoffBase, cap: backoffCap, seed: seed), limit: limit))
        let file = try recorder.open(path: out)
        if file.truncatedBytes > 0 {
            printError("note: \(out): removed a partly written last line (\(file.truncatedBytes) bytes) left by an interrupted run")
        }
        if !file.existing.isEmpty {
            printError("resuming \(out): \(file.existing.count) answers already recorded")
        }
        let printer = ProgressPrinter(quiet: quiet)
        let summary: RecordSummary
        do {
            summary = try await recorder.record(set, into: file) { printer.show($0) }
        } catch {
            printer.finish()
            throw error
        }
        printer.finish()
        let done = summary.skipped + summary.recorded
        var message = "\(out): \(done)/\(summary.total) answers of \(model) to probe set \(set.name) (sha256 \(set.sha256.prefix(12)))"
            + (limit.map { " (--limit \($0): the first \($0) of \(set.probes.count) probes)" } ?? "")
            + "; recorded \(summary.recorded) now, \(summary.skipped) earlier, \(summary.retries) retries"
        if let usage = summary.usage {
            message += "; tokens: \(usage.promptTokens.map(String.init) ?? "?") prompt, \(usage.completionTokens.map(String.init) ?? "?") completion (per answer in each line's \"usage\")"
        }
        if done == 0 && !FileManager.default.fileExists(atPath: out) {
            message += "; no answer was recorded, so \(out) was not written"
        }
        if summary.failures.isEmpty {
            if !quiet { printError(message) }
            return
        }
        printError(message)
        printError("failed: \(summary.failures.count) answers left unrecorded after the retries (re-run the same command to try them again):")
        for failure in summary.failures.prefix(20) {
            printError("  \(failure.probe)#\(failure.sample) after \(failure.attempts) attempts: \(failure.reason)")
        }
        if summary.failures.count > 20 { printError("  … and \(summary.failures.count - 20) more") }
        throw ExitCode(1)
    }
}

/// Prints `recorded 120/805, 2 retrying, 0 failed` on stderr, at most a few times a second.
final class ProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private let quiet: Bool
    private var last: RecordProgress?
    private var lastPrinted: RecordProgress?
    private var lastTime = Date.distantPast

    init(quiet: Bool) { self.quiet = quiet }

    func show(_ progress: RecordProgress) {
        guard !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        last = progress
        let now = Date()
        if now.timeIntervalSince(lastTime) >= 0.5 || progress.recorded + progress.failed == progress.total {
            emit(progress)
            lastTime = now
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if !quiet, let last, last != lastPrinted { emit(last) }
    }

    private func emit(_ progress: RecordProgress) {
        guard progress != lastPrinted else { return }
        lastPrinted = progress
        printError("recorded \(progress.recorded)/\(progress.total), \(progress.retrying) retrying, \(progress.failed) failed")
    }
}
