import Foundation
import Testing
@testable import LineageKit

/// The recorder against a hostile or broken server (issue 19), run on the loopback fake server
/// (Tests/Support/fake_openai_server.py, 127.0.0.1 only). Every test sends at most a few requests and every
/// bound is a few seconds, so a regression fails by a bound being hit, not by the suite hanging.
@Suite("RecorderHostileServer", .serialized)
struct RecorderHostileServerTests {
    static let key = "sk-lineage-test-SECRET-7f3a9c0123456789"

    func probeSet(_ prompts: [String]) throws -> ProbeSet {
        try ProbeSet(name: "test", probes: prompts.enumerated().map { Probe(id: "p\($0.offset)", prompt: $0.element) },
                     sha256: "x", path: "test.jsonl", directory: nil)
    }

    func record(_ server: FakeChatServer, _ prompts: [String], endpoint: String? = nil, timeout: Double = 5,
                idle: Double? = nil, maxBytes: Int = TransferBounds.defaultMaximumBytes, retries: Int = 0)
        async throws -> (Result<RecordSummary, RecorderError>, String) {
        let client = try ChatCompletionClient(endpoint: endpoint ?? server.endpoint, apiKey: Self.key, timeout: timeout,
                                              idleTimeout: idle, maximumResponseBytes: maxBytes)
        let recorder = try Recorder(client: client, configuration: RecorderConfiguration(
            model: "m", concurrency: 2, retry: RetryPolicy(maxRetries: retries, base: 0.01, cap: 0.02, seed: 1)))
        let out = server.directory + "/out-\(UUID().uuidString).jsonl"
        let file = try recorder.open(path: out)
        let set = try probeSet(prompts)
        do throws(RecorderError) {
            return (.success(try await recorder.record(set, into: file)), out)
        } catch {
            return (.failure(error), out)
        }
    }

    @Test("a redirect to another origin is not followed: the key never reaches it, and the run says why")
    func crossOriginRedirectIsRefused() async throws {
        let server = try FakeChatServer(), elsewhere = try FakeChatServer()
        let (result, _) = try await record(server, ["go @redirect_port=\(elsewhere.port)"])
        guard case let .failure(error) = result else { Issue.record("a redirect to another origin was followed"); return }
        #expect(error.message.contains("redirected to http://127.0.0.1:\(elsewhere.port)/v1/chat/completions, another host; not followed"), "\(error)")
        #expect(elsewhere.log().isEmpty, "nothing reached the other origin: \(elsewhere.log())")
    }

    @Test("a server that drips a byte at a time is stopped by the overall deadline, named")
    func dripIsStoppedByTheDeadline() async throws {
        let server = try FakeChatServer()
        let (result, _) = try await record(server, ["slow @drip=0.2"], timeout: 1.5, idle: 1)
        let summary = try result.get()
        #expect(summary.failures.count == 1)
        #expect(summary.failures.first?.reason.contains("no complete response within 1.5 s (--timeout") == true, "\(summary.failures)")
    }

    @Test("a stalled server is stopped by the idle bound, named")
    func stallIsStoppedByTheIdleBound() async throws {
        let server = try FakeChatServer()
        let (result, _) = try await record(server, ["stall @stall=10"], timeout: 8, idle: 0.5)
        let summary = try result.get()
        #expect(summary.failures.first?.reason.contains("no byte received for 0.5 s (--idle-timeout)") == true, "\(summary.failures)")
    }

    @Test("an answer over the size bound is cut off and named, not buffered")
    func oversizedAnswerIsRefused() async throws {
        let server = try FakeChatServer()
        let (result, out) = try await record(server, ["big @big=5000000"], maxBytes: 1 << 20)
        guard case let .failure(error) = result else { Issue.record("a 5 MB answer was accepted under a 1 MiB bound"); return }
        #expect(error.message.contains("exceeded 1048576 bytes (--max-answer-bytes)"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: out), "a run that recorded nothing leaves no file")
    }

    @Test("a retry after a connection reset goes through at once, not after the timeout")
    func retryAfterResetDoesNotStall() async throws {
        let server = try FakeChatServer()
        let started = Date()
        let (result, _) = try await record(server, ["reset me @reset", "plain"], timeout: 45, retries: 2)
        let summary = try result.get()
        #expect(summary.recorded == 2 && summary.failures.isEmpty, "\(summary)")
        // Alone it takes about half a second; in the parallel suite on two cores the task can wait ~10 s for a
        // thread of the cooperative pool, so the bound is half the timeout rather than a few seconds.
        #expect(Date().timeIntervalSince(started) < 22.5, "the retry waited for the timeout bound")
    }

    @Test("credentials in the endpoint are used for the request but written nowhere; echoed keys are scrubbed in every form")
    func credentialsAreNeverWritten() async throws {
        let server = try FakeChatServer()
        let endpoint = "http://alice:hunter2-password@127.0.0.1:\(server.port)/v1?api-key=QUERYSECRET123456&api-version=2024"
        let (result, out) = try await record(server, ["fine", "echo @echo_key"], endpoint: endpoint)
        guard case let .failure(error) = result else { Issue.record("a 400 did not stop the run"); return }
        #expect(error.message.contains("HTTP 400: got Bearer [redacted] / [redacted] / [redacted] / [redacted] / [redacted]"), "\(error)")
        for secret in [Self.key, "hunter2-password", "QUERYSECRET123456", String(Self.key.dropFirst(4).prefix(20)),
                       Data(Self.key.utf8).base64EncodedString(), Data("Bearer \(Self.key)".utf8).base64EncodedString()] {
            #expect(!error.message.contains(secret), "\(secret) in: \(error.message)")
        }
        let written = try String(contentsOfFile: out, encoding: .utf8)
        #expect(!written.contains("hunter2") && !written.contains("QUERYSECRET") && !written.contains("alice"), "\(written)")
        #expect(written.contains("api-key=[redacted]&api-version=2024"), "\(written)")
    }

    @Test func redactedEndpoints() throws {
        let url = try #require(URL(string: "https://u:p@h.example:8443/v1/chat/completions?key=abc&x=1&access_token=t"))
        #expect(EndpointCredentials.redacted(url) == "https://h.example:8443/v1/chat/completions?key=[redacted]&x=1&access_token=[redacted]")
        #expect(Set(EndpointCredentials.secrets(in: url)) == ["p", Data("u:p".utf8).base64EncodedString(), "abc", "t"])
        #expect(!RedirectPolicy.sameOrigin(url, try #require(URL(string: "https://other.example:8443/v1"))))
        #expect(!RedirectPolicy.sameOrigin(url, try #require(URL(string: "http://h.example:8443/v1"))))
        #expect(RedirectPolicy.sameOrigin(try #require(URL(string: "http://h/v1")), try #require(URL(string: "http://H:80/v2"))))
    }
}
