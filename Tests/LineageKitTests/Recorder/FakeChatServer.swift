import Foundation

/// Runs Tests/Support/fake_openai_server.py on a free 127.0.0.1 port for the duration of a test.
final class FakeChatServer {
    let process = Process()
    let port: Int
    let logPath: String
    let directory: String

    var endpoint: String { "http://127.0.0.1:\(port)" }

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Support/fake_openai_server.py").path
    }

    init(delay: Double = 0, expectedKey: String? = nil) throws {
        directory = NSTemporaryDirectory() + "lineage-rec-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        logPath = directory + "/server.log"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, "--delay", "\(delay)", "--log", logPath]
        var environment = ProcessInfo.processInfo.environment
        if let expectedKey { environment["FAKE_EXPECTED_KEY"] = expectedKey }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice  // an inherited stderr would keep `swift test` waiting
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown)
        }
        self.port = port
    }

    /// One entry per request the server saw.
    func log() -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// Terminates the server. (Not `waitUntilExit`: on Linux it spins a run loop and can block a
    /// cooperative thread that the client's continuations need.)
    func stop() {
        kill(process.processIdentifier, SIGKILL)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
