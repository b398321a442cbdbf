import Foundation
import Testing
@testable import LineageKit

@Suite("Recorder", .serialized)
struct RecorderTests {
    static let fastRetry = RetryPolicy(maxRetries: 3, base: 0.01, cap: 0.05, seed: 7)

    func probeSet(_ prompts: [String], system: [Int: String] = [:]) throws -> ProbeSet {
        let probes = prompts.enumerated().map { Probe(id: "p\($0.offset)", prompt: $0.element, system: system[$0.offset]) }
        return try ProbeSet(name: "test", probes: probes, sha256: "x", path: "test.jsonl", directory: nil)
    }

    func recorder(_ server: FakeChatServer, key: String? = nil, timeout: Double = 10, retry: RetryPolicy = fastRetry,
                  systemPrompt: String? = nil, samples: Int = 1) throws -> Recorder {
        try Recorder(client: ChatCompletionClient(endpoint: server.endpoint, apiKey: key, timeout: timeout),
                     configuration: RecorderConfiguration(model: "student-1", samples: samples, temperature: 0.7, maxTokens: 64,
                                                          systemPrompt: systemPrompt, concurrency: 3, retry: retry))
    }

    func lines(_ path: String) throws -> [RecordedLine] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(RecordedLine.self, from: Data($0.utf8))
        }
    }

    @Test func recordsEveryProbeWithMetadata() async throws {
        let server = try FakeChatServer()
        let set = try probeSet(["one", "two", "three", "four", "five"], system: [1: "Be terse."])
        let rec = try recorder(server, systemPrompt: "You are helpful.")
        let out = server.directory + "/out.jsonl"
        let summary = try await rec.record(set, into: rec.open(path: out))
        #expect(summary.recorded == 5 && summary.failures.isEmpty && summary.skipped == 0)
        let written = try lines(out)
        #expect(Set(written.map(\.probe)) == ["p0", "p1", "p2", "p3", "p4"])
        let first = try #require(written.first(where: { $0.probe == "p1" }))
        #expect(first.model == "student-1" && first.servedModel == "fake-student-1" && first.finishReason == "stop")
        #expect(first.request == RequestParameters(temperature: 0.7, maxTokens: 64, systemPrompt: "You are helpful.",
                                                   endpoint: server.endpoint + "/v1/chat/completions"))
        #expect(first.system == "Be terse." && first.prompt == "two" && first.output.contains("two"))
        #expect(first.startedAt.hasSuffix("Z") && first.startedAt <= first.finishedAt)
        let log = server.log()
        // One request a probe, and one more for each retry: on a loaded machine (the whole suite runs in
        // parallel) a request can outlast the client's timeout and be sent again (seen once, 2026-12-07).
        #expect(log.count == 5 + summary.retries)
        #expect(log.first(where: { $0["prompt"] as? String == "two" })?["system"] as? String == "Be terse.")
        #expect(log.first(where: { $0["prompt"] as? String == "one" })?["system"] as? String == "You are helpful.")
        #expect(log.allSatisfy { $0["auth"] as? String == "missing" && $0["temperature"] as? Double == 0.7 })
        // The file reads back as a canonical recording aligned to the set.
        let aligned = Aligner.align(try RecordingReader.read(path: out), to: set)
        #expect(aligned.summary.aligned == 5 && aligned.model == "student-1")
    }

    @Test func honoursRetryAfterOn429() async throws {
        let server = try FakeChatServer()
        let set = try probeSet(["limited @status=429 @times=1 @retry_after=1", "fine"])
        let rec = try recorder(server)
        let out = server.directory + "/out.jsonl"
        let summary = try await rec.record(set, into: rec.open(path: out))
        #expect(summary.recorded == 2 && summary.retries == 1)
        let attempts = server.log().filter { ($0["prompt"] as? String)?.hasPrefix("limited") == true }
        #expect(attempts.map { $0["status"] as? Int } == [429, 200])
        let gap = (attempts[1]["t"] as? Double ?? 0) - (attempts[0]["t"] as? Double ?? 0)
        #expect(gap >= 0.9, "waited \(gap) s; Retry-After said 1 s, the jittered backoff at most 0.05 s")
    }

    @Test func retries500ThenSucceeds() async throws {
        let server = try FakeChatServer()
        let set = try probeSet(["flaky @status=500 @times=2", "fine"])
        let rec = try recorder(server)
        let out = server.directory + "/out.jsonl"
        let summary = try await rec.record(set, into: rec.open(path: out))
        #expect(summary.recorded == 2 && summary.retries == 2 && summary.failures.isEmpty)
        #expect(try lines(out).count == 2)
    }

    @Test func malformedBodyIsRetriedThenLeftUnrecorded() async throws {
        let server = try FakeChatServer()
        let set = try probeSet(["fine", "broken @malformed @times=99", "also fine"])
        let rec = try recorder(server, retry: RetryPolicy(maxRetries: 2, base: 0.01, cap: 0.02))
        let out = server.directory + "/out.jsonl"
        let summary = try await rec.record(set, into: rec.open(path: out))
        #expect(summary.recorded == 2)
        #expect(summary.failures.map(\.probe) == ["p1"])
        #expect(summary.failures.first?.attempts == 3)
        #expect(summary.failures.first?.reason.contains("malformed") == true)
        #expect(try lines(out).map(\.probe).sorted() == ["p0", "p2"])
        // A re-run skips what is recorded and tries only the failed probe again.
        let again = try await rec.record(set, into: rec.open(path: out))
        #expect(again.skipped == 2 && again.failures.count == 1)
    }

    @Test func timeoutIsRetried() async throws {
        let server = try FakeChatServer()
        let set = try probeSet(["slow @sleep=2 @times=1"])
        let rec = try recorder(server, timeout: 0.5, retry: RetryPolicy(maxRetries: 6, base: 0.05, cap: 0.2))
        let out = server.directory + "/out.jsonl"
        let summary = try await rec.record(set, into: rec.open(path: out))
        #expect(summary.recorded == 1 && summary.retries >= 1, "\(summary.failures)")
    }

    @Test func unauthorizedIsAClearImmediateError() async throws {
        let key = "sk-lineage-test-SECRET-7f3a9c"
        let server = try FakeChatServer(expectedKey: "sk-the-right-one")
        let set = try probeSet(["a", "b"])
        let rec = try recorder(server, key: key)
        let out = server.directory + "/out.jsonl"
        let error = await #expect(throws: RecorderError.self) { try await rec.record(set, into: rec.open(path: out)) }
        #expect(error?.kind == .rejected)
        #expect(error?.message.contains("401") == true)
        #expect(error?.message.contains(server.endpoint) == true)
        #expect(error?.message.contains(key) == false)
        #expect(server.log().count <= 2, "no retries on 401")
        #expect(!((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").contains(key))
    }

    @Test func keepsTheTokenUsageTheServerReports() async throws {
        let server = try FakeChatServer()
        let set = try probeSet(["one two three", "quiet @nousage"])
        let rec = try recorder(server)
        let out = server.directory + "/out.jsonl"
        let summary = try await rec.record(set, into: rec.open(path: out))
        let written = try lines(out)
        let counted = try #require(written.first { $0.probe == "p0" }?.usage)
        #expect(counted.promptTokens == 3 && counted.completionTokens ?? 0 > 0
                && counted.totalTokens == 3 + (counted.completionTokens ?? 0))
        #expect(written.first { $0.probe == "p1" }?.usage == nil)
        #expect(!(try String(contentsOfFile: out, encoding: .utf8)).contains("\"usage\":null"))
        #expect(summary.usage == counted)
    }

    @Test func limitRecordsOnlyTheFirstProbesAndALaterRunResumes() async throws {
        let server = try FakeChatServer()
        let set = try probeSet(["a", "b", "c", "d", "e"])
        let out = server.directory + "/out.jsonl"
        let trial = try Recorder(client: ChatCompletionClient(endpoint: server.endpoint, apiKey: nil),
                                 configuration: RecorderConfiguration(model: "student-1", temperature: 0.7, maxTokens: 64,
                                                                      concurrency: 3, retry: Self.fastRetry, limit: 2))
        let first = try await trial.record(set, into: trial.open(path: out))
        #expect(first.total == 2 && first.recorded == 2)
        #expect(try lines(out).map(\.probe).sorted() == ["p0", "p1"])
        let rest = try recorder(server)
        let all = try await rest.record(set, into: rest.open(path: out))
        #expect(all.skipped == 2 && all.recorded == 3)
        #expect(throws: RecorderError.self) {
            try Recorder(client: ChatCompletionClient(endpoint: server.endpoint, apiKey: nil),
                         configuration: RecorderConfiguration(model: "m", limit: 0))
        }
    }

    @Test func unreachableEndpointStopsAfterTheFirstRequestAndLeavesNoFile() async throws {
        // A port nothing listens on: bind one, note it, close it.
        let server = try FakeChatServer()
        let endpoint = server.endpoint
        server.stop()
        try await Task.sleep(nanoseconds: 200_000_000)
        let set = try probeSet((0..<40).map { "probe \($0)" })
        let rec = try Recorder(client: ChatCompletionClient(endpoint: endpoint, apiKey: nil, timeout: 5),
                               configuration: RecorderConfiguration(model: "m", concurrency: 4,
                                                                    retry: RetryPolicy(maxRetries: 2, base: 0.01, cap: 0.02)))
        let out = server.directory + "/unreachable.jsonl"
        let started = Date()
        let error = await #expect(throws: RecorderError.self) { try await rec.record(set, into: rec.open(path: out)) }
        #expect(error?.kind == .unreachable)
        #expect(error?.message.contains("cannot reach") == true && error?.message.contains("39") == true, "\(error?.message ?? "")")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(!FileManager.default.fileExists(atPath: out), "no 0-byte recording left behind")
    }

    @Test func everyAnswerFailingLeavesNoFileButAnExistingFileStays() async throws {
        let server = try FakeChatServer()
        let set = try probeSet(["broken @malformed @times=99", "also @malformed @times=99"])
        let rec = try recorder(server, retry: RetryPolicy(maxRetries: 1, base: 0.01, cap: 0.02))
        let out = server.directory + "/failed.jsonl"
        let summary = try await rec.record(set, into: rec.open(path: out))
        #expect(summary.recorded == 0 && summary.failures.count == 2)
        #expect(!FileManager.default.fileExists(atPath: out))
        let existing = server.directory + "/existing.jsonl"
        #expect(FileManager.default.createFile(atPath: existing, contents: Data()))
        _ = try await rec.record(set, into: rec.open(path: existing))
        #expect(FileManager.default.fileExists(atPath: existing))
    }

    @Test func sendsTheKeyAsBearer() async throws {
        let key = "sk-lineage-test-SECRET-7f3a9c"
        let server = try FakeChatServer(expectedKey: key)
        let set = try probeSet(["a"])
        let rec = try recorder(server, key: key)
        let out = server.directory + "/out.jsonl"
        _ = try await rec.record(set, into: rec.open(path: out))
        #expect(server.log().map { $0["auth"] as? String } == ["ok"])
        #expect(!(try String(contentsOfFile: out, encoding: .utf8)).contains(key))
    }

    @Test func resumeTruncatesAPartialLastLineAndRecordsEachProbeOnce() async throws {
        let server = try FakeChatServer()
        let set = try probeSet(["a", "b", "c"])
        let rec = try recorder(server, samples: 2)
        let out = server.directory + "/out.jsonl"
        _ = try await rec.record(try probeSet(["a"]), into: rec.open(path: out))
        let whole = try String(contentsOfFile: out, encoding: .utf8)
        let partial = String(whole.split(separator: "\n")[0].prefix(40))
        try (whole + partial).write(toFile: out, atomically: true, encoding: .utf8)
        let file = try rec.open(path: out)
        #expect(file.truncatedBytes == partial.utf8.count)
        #expect(file.existing == [RecordKey(probe: "p0", sample: 0), RecordKey(probe: "p0", sample: 1)])
        let summary = try await rec.record(set, into: file)
        #expect(summary.skipped == 2 && summary.recorded == 4)
        let keys = try lines(out).map { "\($0.probe)#\($0.sample)" }
        #expect(keys.sorted() == ["p0#0", "p0#1", "p1#0", "p1#1", "p2#0", "p2#1"])
    }

    @Test func refusesToResumeWithOtherModelOrParameters() async throws {
        let server = try FakeChatServer()
        let set = try probeSet(["a"])
        let out = server.directory + "/out.jsonl"
        let rec = try recorder(server)
        _ = try await rec.record(set, into: rec.open(path: out))
        let otherModel = try Recorder(client: rec.client, configuration: RecorderConfiguration(
            model: "someone-else", temperature: 0.7, maxTokens: 64, retry: Self.fastRetry))
        #expect(throws: RecorderError.self) { try otherModel.open(path: out) }
        let otherTemperature = try Recorder(client: rec.client, configuration: RecorderConfiguration(
            model: "student-1", temperature: 1.0, maxTokens: 64, retry: Self.fastRetry))
        do {
            _ = try otherTemperature.open(path: out)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.kind == .resumeMismatch && error.message.contains("temperature"))
        }
    }

    @Test func damagedMiddleLineIsRefused() throws {
        let dir = NSTemporaryDirectory() + "lineage-rec-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/out.jsonl"
        try "not json\n{}\n".write(toFile: out, atomically: true, encoding: .utf8)
        let request = RequestParameters(temperature: nil, maxTokens: nil, systemPrompt: nil, endpoint: "http://x/v1/chat/completions")
        #expect(throws: RecorderError.self) { try ResumableRecordingFile(path: out, model: "m", request: request) }
    }
}

@Suite("RetryPolicy")
struct RetryPolicyTests {
    @Test func fullJitterStaysUnderTheExponentialCeiling() {
        let policy = RetryPolicy(maxRetries: 10, base: 0.5, cap: 30)
        var generator = SeededGenerator(seed: 1)
        for retry in 0..<10 {
            let ceiling = min(30, 0.5 * pow(2, Double(retry)))
            for _ in 0..<50 {
                let wait = policy.delay(beforeRetry: retry, retryAfter: nil, using: &generator)
                #expect(wait >= 0 && wait <= ceiling)
            }
        }
        #expect(policy.delay(beforeRetry: 0, retryAfter: 7, using: &generator) == 7)
        #expect(policy.delay(beforeRetry: 0, retryAfter: 10_000, using: &generator) == policy.maximumRetryAfter)
    }

    @Test func seededJitterIsReproducible() {
        let policy = RetryPolicy()
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        #expect((0..<5).map { policy.delay(beforeRetry: $0, retryAfter: nil, using: &a) }
                == (0..<5).map { policy.delay(beforeRetry: $0, retryAfter: nil, using: &b) })
    }

    @Test func parsesRetryAfterSecondsAndHTTPDates() {
        #expect(RetryPolicy.parseRetryAfter("3") == 3)
        #expect(RetryPolicy.parseRetryAfter(" 1.5 ") == 1.5)
        let now = Date(timeIntervalSince1970: 784_111_767)  // Sun, 06 Nov 1994 08:49:27 GMT
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == 10)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:17 GMT", now: now) == 0)
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
    }

    @Test func classifiesFailures() {
        #expect(ChatFailure.http(status: 429, retryAfter: nil, detail: "").isRetryable)
        #expect(ChatFailure.http(status: 503, retryAfter: nil, detail: "").isRetryable)
        #expect(!ChatFailure.http(status: 401, retryAfter: nil, detail: "").isRetryable)
        #expect(!ChatFailure.http(status: 404, retryAfter: nil, detail: "").isRetryable)
        #expect(ChatFailure.timeout.isRetryable && ChatFailure.malformed("x").isRetryable)
    }

    @Test func derivesTheChatCompletionsURL() throws {
        #expect(try ChatCompletionClient.chatCompletionsURL("http://h:8000").absoluteString == "http://h:8000/v1/chat/completions")
        #expect(try ChatCompletionClient.chatCompletionsURL("http://h:8000/v1/").absoluteString == "http://h:8000/v1/chat/completions")
        #expect(try ChatCompletionClient.chatCompletionsURL("https://api.x.com/v1/chat/completions").absoluteString
                == "https://api.x.com/v1/chat/completions")
        #expect(throws: RecorderError.self) { try ChatCompletionClient.chatCompletionsURL("ftp://h") }
    }
}

/// Two `record` runs into one `--out` interleaved their lines into an unparsable file (issue 19): the
/// output file is locked while open, and a FIFO or device as output is refused before it is read.
@Suite("RecorderOutputFile")
struct RecorderOutputFileTests {
    static let request = RequestParameters(temperature: nil, maxTokens: nil, systemPrompt: nil, endpoint: "http://127.0.0.1:1/v1/chat/completions")

    @Test func aSecondWriterIsRefusedWhileTheFirstHoldsTheFile() throws {
        let path = try FixturePaths.temporaryDirectory().path + "/out.jsonl"
        let first = try ResumableRecordingFile(path: path, model: "m", request: Self.request)
        do {
            _ = try ResumableRecordingFile(path: path, model: "m", request: Self.request)
            Issue.record("a second writer opened the file")
        } catch {
            #expect(error.kind == .busy && error.message.contains("another lineage record is writing this file"), "\(error)")
        }
        _ = first
    }

    @Test func aFIFOOrDeviceIsNoOutputFile() throws {
        let folder = try FixturePaths.temporaryDirectory().path
        #expect(mkfifo(folder + "/fifo.jsonl", 0o600) == 0)
        for path in [folder + "/fifo.jsonl", "/dev/zero"] {
            do {
                _ = try ResumableRecordingFile(path: path, model: "m", request: Self.request)
                Issue.record("\(path) was opened as an output file")
            } catch {
                #expect(error.kind == .io && error.message.contains("not a regular file"), "\(error)")
            }
        }
    }
}
