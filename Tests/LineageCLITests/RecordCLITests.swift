import Foundation
import Testing

/// End-to-end tests of `lineage record` run as a subprocess against the fake server.
@Suite("RecordCLI", .serialized)
struct RecordCLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `lineage` binary beside the test bundle (found by `CLI.executable()`); a missing one makes
    /// every run fail with the launch error.
    static var binary: URL { URL(fileURLWithPath: (try? CLI.executable()) ?? "lineage-not-found") }

    struct Server {
        let process = Process()
        let port: Int
        init(delay: Double, expectedKey: String?) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", repository.appendingPathComponent("Tests/Support/fake_openai_server.py").path,
                                 "--delay", "\(delay)"]
            var environment = ProcessInfo.processInfo.environment
            if let expectedKey { environment["FAKE_EXPECTED_KEY"] = expectedKey }
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            var line = Data()
            while true {
                let byte = pipe.fileHandleForReading.readData(ofLength: 1)
                if byte.isEmpty || byte == Data([0x0A]) { break }
                line.append(byte)
            }
            port = Int(String(decoding: line, as: UTF8.self)) ?? 0
        }
        func stop() { kill(process.processIdentifier, SIGKILL) }
    }

    func makeProbes(_ count: Int, in dir: String) throws -> String {
        let text = (0..<count).map { #"{"id": "q\#($0)", "prompt": "question number \#($0)", "category": "t", "purpose": "t"}"# }
            .joined(separator: "\n") + "\n"
        let path = dir + "/probes.jsonl"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Polls rather than `waitUntilExit`, which spins a run loop on Linux.
    func wait(_ process: Process) {
        while process.isRunning { Thread.sleep(forTimeInterval: 0.02) }
    }

    func launch(_ arguments: [String], environment: [String: String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, stderr)
    }

    @Test func killedRunResumesWithEveryProbeOnceAndNoKeyInAnyFile() throws {
        let key = "sk-lineage-cli-DISTINCTIVE-91b2e4"
        let server = try Server(delay: 0.15, expectedKey: key)
        defer { server.stop() }
        let dir = NSTemporaryDirectory() + "lineage-reccli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let probes = try makeProbes(24, in: dir)
        let out = dir + "/out.jsonl"
        let arguments = ["record", "--endpoint", "http://127.0.0.1:\(server.port)", "--model", "m1", "--probes", probes,
                         "--out", out, "--concurrency", "2", "--api-key-env", "LINEAGE_TEST_KEY",
                         "--backoff-base", "0.01", "--backoff-cap", "0.05"]
        let environment = ["LINEAGE_TEST_KEY": key]
        let (first, _) = try launch(arguments, environment: environment)
        // Kill it once a few answers are in.
        var written = 0
        for _ in 0..<200 where written < 5 {
            Thread.sleep(forTimeInterval: 0.05)
            written = ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").filter { $0 == "\n" }.count
        }
        kill(first.processIdentifier, SIGKILL)
        wait(first)
        #expect(written >= 5 && written < 24, "killed after \(written) answers")
        // Leave a partly written line, as a kill during a write would.
        let handle = try #require(FileHandle(forWritingAtPath: out))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"probe":"q23","model":"m1","out"#.utf8))
        try handle.close()

        let (second, stderrPipe) = try launch(arguments, environment: environment)
        let stderr = String(decoding: stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        wait(second)
        #expect(second.terminationStatus == 0, "\(stderr)")
        #expect(stderr.contains("partly written last line"))
        #expect(stderr.contains("resuming"))
        #expect(stderr.contains("recorded 24/24, 0 retrying, 0 failed"))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        let ids = lines.compactMap { line -> String? in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["probe"] as? String
        }
        #expect(ids.count == lines.count)
        #expect(ids.sorted() == (0..<24).map { "q\($0)" }.sorted())
        #expect(!stderr.contains(key))
        for file in try FileManager.default.contentsOfDirectory(atPath: dir) {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))
            #expect(data.range(of: Data(key.utf8)) == nil, "\(file) contains the key")
        }
    }

    @Test func unauthorizedExitsWithAClearError() throws {
        let server = try Server(delay: 0, expectedKey: "sk-right")
        defer { server.stop() }
        let dir = NSTemporaryDirectory() + "lineage-reccli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let probes = try makeProbes(3, in: dir)
        let (process, pipe) = try launch(["record", "--endpoint", "http://127.0.0.1:\(server.port)", "--model", "m", "--probes", probes,
                                          "--out", dir + "/out.jsonl", "--api-key-env", "LINEAGE_TEST_WRONG_KEY"],
                                         environment: ["LINEAGE_TEST_WRONG_KEY": "sk-wrong-SECRET-55"])
        let stderr = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        wait(process)
        #expect(process.terminationStatus != 0)
        #expect(stderr.contains("HTTP 401") && stderr.contains("127.0.0.1:\(server.port)"), "\(stderr)")
        #expect(!stderr.contains("sk-wrong-SECRET-55"))
    }

    @Test func unreachableEndpointFailsFastWithOneLineAndNoOutputFile() throws {
        let dir = try CLI.temporaryFolder("record-unreachable")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let probes = try makeProbes(30, in: dir)
        let out = dir + "/out.jsonl"
        let result = try CLI.run(["record", "--endpoint", "http://127.0.0.1:9", "--model", "m", "--probes", probes, "--out", out,
                                  "--max-retries", "1", "--backoff-base", "0.01", "--backoff-cap", "0.02", "--limit", "5", "--quiet"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot reach http://127.0.0.1:9"), "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "connection failed").count - 1 == 1, "one line, not one per probe: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let help = try CLI.run(["record", "--help"]).stdout
        #expect(help.contains("--limit"))
    }
}
