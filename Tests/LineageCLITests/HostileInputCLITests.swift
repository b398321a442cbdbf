import Foundation
import LineageKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 19's bad inputs run through the `lineage` binary: non-regular files, other encodings, symbolic
/// link loops. Every refusal names the path and what is wrong, and none hangs or grows without bound.
@Suite("CLI: hostile inputs", .serialized)
struct HostileInputCLITests {
    static let fixtures = FixturePathsCLI.fixtures

    @Test("a FIFO, /dev/zero (with a forced format) and a symbolic link loop are refused at once, each named")
    func nonRegularInputs() throws {
        let folder = try CLI.temporaryFolder("non-regular")
        #expect(mkfifo(folder + "/fifo.jsonl", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: folder + "/a.jsonl", withDestinationPath: folder + "/b.jsonl")
        try FileManager.default.createSymbolicLink(atPath: folder + "/b.jsonl", withDestinationPath: folder + "/a.jsonl")
        let probes = ["--probes", Self.fixtures + "/probes.jsonl"]
        let validate = try CLI.run(["validate"] + probes + [folder + "/fifo.jsonl", folder + "/a.jsonl"])
        #expect(validate.status == 1)
        #expect(validate.stderr.contains("error: \(folder)/fifo.jsonl: is a pipe (FIFO), not a regular file"), "\(validate.stderr)")
        #expect(validate.stderr.contains("error: \(folder)/a.jsonl: a symbolic link loop"), "\(validate.stderr)")
        for format in ["jsonl", "alpaca-eval", "openai-batch", "csv"] {
            let zero = try CLI.run(["validate", "--input-format", format] + probes + ["/dev/zero"])
            #expect(zero.status == 1 && zero.stderr.contains("/dev/zero: is a character device"), "\(format): \(zero.stderr)")
        }
        let corpus = try SyntheticCorpus.temporaryFolder("non-regular-calibration")
        let calibration = try CLI.run(["compare", "--student", "student.jsonl", "--teacher", "teacher.jsonl",
                                       "--calibration", "/dev/zero"] + SyntheticCorpus.options, in: corpus)
        #expect(calibration.status == 1)
        #expect(calibration.stderr.contains("the calibration /dev/zero: is a character device"), "\(calibration.stderr)")
        #expect(!calibration.stderr.contains("Usage:"))
    }

    @Test("UTF-16 and UTF-32 files are refused naming the encoding")
    func otherEncodings() throws {
        let result = try CLI.run(["validate", "--probes", Self.fixtures + "/probes.jsonl",
                                  Self.fixtures + "/recordings/utf16-bom.jsonl", Self.fixtures + "/recordings/utf32-bom.jsonl"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("utf16-bom.jsonl: the file is in UTF-16 little-endian (byte-order mark FF FE)"), "\(result.stderr)")
        #expect(result.stderr.contains("utf32-bom.jsonl: the file is in UTF-32 little-endian"), "\(result.stderr)")
    }

    @Test("verify refuses to hash a manifest-named /dev/zero instead of hashing it forever")
    func verifyRefusesDevices() throws {
        let folder = try SyntheticCorpus.temporaryFolder("verify-dev-zero")
        let made = try CLI.run(["compare", "--student", "student.jsonl", "--teacher", "teacher.jsonl", "--out", "out"]
                               + SyntheticCorpus.options, in: folder)
        try #require(made.status == 0, "\(made.stderr)")
        let path = folder + "/out/manifest.json"
        var manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        var inputs = try #require(manifest["inputs"] as? [[String: Any]])
        inputs[0]["resolved"] = "/dev/zero"
        manifest["inputs"] = inputs
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: path))
        let verify = try CLI.run(["verify", folder + "/out", "--quiet"])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("/dev/zero: is a character device"), "\(verify.stderr)")
    }
}

/// The repository's fixtures, found from this file's path.
enum FixturePathsCLI {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/Fixtures").path
}
