import Foundation

/// How to record: what to ask, how often, and how hard to try.
public struct RecorderConfiguration: Sendable, Equatable {
    /// The model name sent to the server and written to every line.
    public var model: String
    /// Answers per probe (sample indices 0..<samples).
    public var samples: Int
    public var temperature: Double?
    public var maxTokens: Int?
    /// Sent as a system message with probes that carry no `system` of their own.
    public var systemPrompt: String?
    /// Requests in flight at once.
    public var concurrency: Int
    public var retry: RetryPolicy
    /// Record only the first `limit` probes of the set (a trial run; nil: all). A later run without it
    /// resumes into the same file.
    public var limit: Int?

    public init(model: String, samples: Int = 1, temperature: Double? = nil, maxTokens: Int? = nil,
                systemPrompt: String? = nil, concurrency: Int = 4, retry: RetryPolicy = RetryPolicy(), limit: Int? = nil) {
        self.model = model
        self.samples = samples
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.systemPrompt = systemPrompt
        self.concurrency = concurrency
        self.retry = retry
        self.limit = limit
    }

    /// The messages sent for a probe: its own system message, else the run's, then the prompt.
    public func messages(for probe: Probe) -> [ChatMessage] {
        var messages: [ChatMessage] = []
        if let system = probe.system ?? systemPrompt { messages.append(ChatMessage(role: "system", content: system)) }
        messages.append(ChatMessage(role: "user", content: probe.prompt))
        return messages
    }
}

/// A snapshot of a run's progress, for the CLI's status line.
public struct RecordProgress: Sendable, Equatable {
    /// (probe, sample) pairs the run is to end with, including those recorded earlier.
    public var total: Int
    /// Pairs in the file now, including those recorded earlier.
    public var recorded: Int
    /// Requests waiting to be retried.
    public var retrying: Int
    /// Pairs given up on after the retries.
    public var failed: Int
}

/// A pair given up on, and the last reason.
public struct RecordFailure: Sendable, Equatable, Codable {
    public var probe: String
    public var sample: Int
    public var attempts: Int
    public var reason: String
}

/// What a run did.
public struct RecordSummary: Sendable, Equatable {
    public var total: Int
    /// Pairs already in the file and skipped.
    public var skipped: Int
    /// Pairs recorded by this run.
    public var recorded: Int
    /// Retries made (requests beyond the first per pair).
    public var retries: Int
    /// Pairs left unrecorded, in probe-set order; a re-run tries them again.
    public var failures: [RecordFailure]
    /// The token counts of this run's answers summed, where the server reported them (nil: it never did).
    public var usage: TokenUsage? = nil
}

/// Records a probe set's answers from a live model into a `ResumableRecordingFile`.
public struct Recorder: Sendable {
    public let client: ChatCompletionClient
    public let configuration: RecorderConfiguration

    public init(client: ChatCompletionClient, configuration: RecorderConfiguration) throws(RecorderError) {
        guard configuration.samples >= 1 else { throw RecorderError(.invalidOption, "--samples must be at least 1") }
        guard configuration.concurrency >= 1 else { throw RecorderError(.invalidOption, "--concurrency must be at least 1") }
        guard !configuration.model.isEmpty else { throw RecorderError(.invalidOption, "--model must not be empty") }
        if let limit = configuration.limit, limit < 1 { throw RecorderError(.invalidOption, "--limit must be at least 1") }
        self.client = client
        self.configuration = configuration
    }

    /// The request parameters written with every line and compared on resume.
    public var requestParameters: RequestParameters {
        RequestParameters(temperature: configuration.temperature, maxTokens: configuration.maxTokens,
                          systemPrompt: configuration.systemPrompt, endpoint: client.shownEndpoint)
    }

    /// Opens (or creates) the output file for this run's model and parameters.
    public func open(path: String) throws(RecorderError) -> ResumableRecordingFile {
        try ResumableRecordingFile(path: path, model: configuration.model, request: requestParameters)
    }

    /// Records every (probe, sample) not yet in `file` (of the first `configuration.limit` probes when
    /// set), `configuration.concurrency` at a time.
    ///
    /// The first request goes alone: when no connection to the endpoint can be made even after its
    /// retries, the run stops there with one `unreachable` error instead of every probe retrying on its
    /// own. Answers are appended as they complete. A retryable failure that outlasts the retries leaves
    /// its pair unrecorded and listed in the summary; a refusal (401/403/404, other 4xx) stops the run and
    /// throws, naming the endpoint and status. Answers already written stay, so a re-run resumes; a file
    /// this run created and wrote nothing to is removed.
    public func record(_ set: ProbeSet, into file: ResumableRecordingFile,
                       progress: @escaping @Sendable (RecordProgress) -> Void = { _ in }) async throws(RecorderError) -> RecordSummary {
        do {
            let summary = try await recordAll(set, into: file, progress: progress)
            if summary.recorded == 0 { await file.discardIfNothingWritten() }
            return summary
        } catch {
            await file.discardIfNothingWritten()
            throw error
        }
    }

    private func recordAll(_ set: ProbeSet, into file: ResumableRecordingFile,
                           progress: @escaping @Sendable (RecordProgress) -> Void) async throws(RecorderError) -> RecordSummary {
        let probes = configuration.limit.map { Array(set.probes.prefix($0)) } ?? set.probes
        var jobs: [(index: Int, probe: Probe, sample: Int)] = []
        var skipped = 0
        for probe in probes {
            for sample in 0..<configuration.samples {
                if file.existing.contains(RecordKey(probe: probe.id, sample: sample)) { skipped += 1; continue }
                jobs.append((jobs.count, probe, sample))
            }
        }
        let total = probes.count * configuration.samples
        let state = ProgressState(total: total, recorded: skipped, report: progress)
        await state.publish()
        var outcomes: [JobOutcome] = []
        if let first = jobs.first {
            let outcome = await run(probe: first.probe, sample: first.sample, index: first.index, file: file, state: state)
            if case let .failed(failure, last) = outcome, case .connection = last {
                throw RecorderError(.unreachable, "cannot reach \(client.endpoint.absoluteString): \(last) (\(failure.attempts) attempts for probe \(failure.probe)); stopped before sending the other \(jobs.count - 1) requests (check --endpoint and that the server is running)")
            }
            outcomes.append(outcome)
            if case .fatal = outcome { await state.stop() }
        }
        let stoppedEarly = await state.isStopped
        let rest = stoppedEarly ? [] : Array(jobs.dropFirst())
        outcomes += await withTaskGroup(of: JobOutcome.self) { group in
            var next = 0
            var results: [JobOutcome] = []
            var stopped = false
            func submit() {
                let job = rest[next]
                next += 1
                group.addTask { await self.run(probe: job.probe, sample: job.sample, index: job.index, file: file, state: state) }
            }
            while next < rest.count && next < configuration.concurrency { submit() }
            while let outcome = await group.next() {
                results.append(outcome)
                // Not `group.cancelAll()`: cancelling a task inside FoundationNetworking's async
                // `data(for:)` can deadlock on Linux (swift-corelibs-foundation); requests in flight
                // finish (bounded by the timeout) and the rest see the flag and stop.
                if case .fatal = outcome, !stopped {
                    stopped = true
                    await state.stop()
                }
                if !stopped && next < rest.count { submit() }
            }
            return results
        }
        var retries = 0
        var failures: [RecordFailure] = []
        var recorded = 0
        var usage = TokenUsage(promptTokens: nil, completionTokens: nil, totalTokens: nil)
        var fatal: RecorderError?
        for outcome in outcomes {
            switch outcome {
            case let .recorded(attempts, tokens):
                recorded += 1
                retries += attempts - 1
                if let tokens { usage = usage.adding(tokens) }
            case let .failed(failure, _):
                retries += failure.attempts - 1
                failures.append(failure)
            case let .fatal(error): if fatal == nil { fatal = error }
            case .cancelled: break
            }
        }
        if let fatal { throw fatal }
        let order = Dictionary(uniqueKeysWithValues: probes.enumerated().map { ($1.id, $0) })
        failures.sort { (order[$0.probe] ?? 0, $0.sample) < (order[$1.probe] ?? 0, $1.sample) }
        return RecordSummary(total: total, skipped: skipped, recorded: recorded, retries: retries, failures: failures,
                             usage: usage.totalTokens == nil && usage.promptTokens == nil && usage.completionTokens == nil ? nil : usage)
    }

    enum JobOutcome: Sendable {
        case recorded(attempts: Int, usage: TokenUsage?)
        /// With the last failure, whose kind tells an unreachable endpoint from a failing one.
        case failed(RecordFailure, last: ChatFailure)
        case fatal(RecorderError)
        case cancelled
    }

    private func run(probe: Probe, sample: Int, index: Int, file: ResumableRecordingFile, state: ProgressState) async -> JobOutcome {
        var generator = SeededGenerator(seed: configuration.retry.seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let messages = configuration.messages(for: probe)
        var attempt = 0
        while true {
            if await state.isStopped { return .cancelled }
            attempt += 1
            let started = Date()
            let result = await client.complete(model: configuration.model, messages: messages,
                                               temperature: configuration.temperature, maxTokens: configuration.maxTokens)
            switch result {
            case let .success(completion):
                let line = RecordedLine(
                    probe: probe.id, model: configuration.model, output: completion.content, sample: sample,
                    prompt: probe.prompt, system: messages.count > 1 ? messages[0].content : nil,
                    servedModel: completion.servedModel, finishReason: completion.finishReason,
                    request: requestParameters, startedAt: Self.timestamp(started), finishedAt: Self.timestamp(Date()),
                    usage: completion.usage)
                do throws(RecorderError) { try await file.append(line) } catch { return .fatal(error) }
                await state.recordedOne()
                return .recorded(attempts: attempt, usage: completion.usage)
            case let .failure(failure):
                guard failure.isRetryable else {
                    if case .http = failure {
                        return .fatal(RecorderError(.rejected, "\(client.shownEndpoint) refused the request for probe \(probe.id): \(failure)\(Self.hint(failure))"))
                    }
                    return .fatal(RecorderError(.rejected, "\(client.shownEndpoint), probe \(probe.id): \(failure); stopping"))
                }
                if attempt > configuration.retry.maxRetries {
                    await state.failedOne()
                    return .failed(RecordFailure(probe: probe.id, sample: sample, attempts: attempt, reason: failure.description),
                                   last: failure)
                }
                let wait = configuration.retry.delay(beforeRetry: attempt - 1, retryAfter: failure.retryAfter, using: &generator)
                await state.retrying(+1)
                do { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) } catch {
                    await state.retrying(-1)
                    return .cancelled
                }
                await state.retrying(-1)
            }
        }
    }

    static func hint(_ failure: ChatFailure) -> String {
        guard case let .http(status, _, _) = failure else { return "" }
        switch status {
        case 401: return " (check the API key in the --api-key-env variable)"
        case 403: return " (the key is not allowed to use this model or endpoint)"
        case 404: return " (check the endpoint URL and the model name)"
        default: return ""
        }
    }

    /// ISO-8601 UTC with milliseconds, e.g. `2025-01-31T12:00:00.123Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC") ?? .gmt))
    }
}

/// Counts shared by the concurrent requests of a run; every change is reported.
actor ProgressState {
    private var snapshot: RecordProgress
    private let report: @Sendable (RecordProgress) -> Void

    init(total: Int, recorded: Int, report: @escaping @Sendable (RecordProgress) -> Void) {
        snapshot = RecordProgress(total: total, recorded: recorded, retrying: 0, failed: 0)
        self.report = report
    }

    /// Set when a request was refused: jobs not yet sent are not sent.
    private(set) var isStopped = false

    func stop() { isStopped = true }
    func publish() { report(snapshot) }
    func recordedOne() { snapshot.recorded += 1; publish() }
    func failedOne() { snapshot.failed += 1; publish() }
    func retrying(_ change: Int) { snapshot.retrying += change; publish() }
}
