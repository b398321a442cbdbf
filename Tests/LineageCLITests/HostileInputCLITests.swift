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
        let loopedProbes = try CLI.run(["validate", "--probes", folder + "/a.jsonl", Self.fixtures + "/recordings/good.jsonl"])
        #expect(loopedProbes.status == 1 && loopedProbes.stderr.contains("\(folder)/a.jsonl: a symbolic link loop"), "\(loopedProbes.stderr)")
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

extension HostileInputCLITests {
    /// A teacher whose model name carries an ANSI erase-line, a carriage return, a newline with a forged
    /// verdict and a spreadsheet formula (JSON-escaped as it stands in the file).
    static let hostileName = #"=HYPERLINK(\"http://x\")\u001b[2K\r\nstudent: distilled (LR 1e9:1)\u202e"#

    @Test("a hostile model name reaches the terminal, the CSV and report.md neutralised")
    func modelTextIsNeutralised() throws {
        let folder = try SyntheticCorpus.temporaryFolder("hostile-names")
        let teacher = (0..<SyntheticCorpus.probes).map {
            SyntheticCorpus.answer(probe: $0, style: SyntheticCorpus.phrases(1), seed: 11)
        }
        try Data(SyntheticCorpus.jsonl(model: Self.hostileName, answers: teacher).utf8)
            .write(to: URL(fileURLWithPath: folder + "/teacher.jsonl"))
        let compare = try CLI.run(["compare", "--student", "student.jsonl", "--teacher", "teacher.jsonl", "--out", "out"]
                                  + SyntheticCorpus.options, in: folder)
        try #require(compare.status == 0, "\(compare.stderr)")
        for text in [compare.stdout, compare.stderr] {
            #expect(!text.contains("\u{1B}") && !text.contains("\r") && !text.contains("\u{202E}"), "\(text)")
            #expect(!text.contains("\nstudent: distilled"), "no forged line: \(text)")
        }
        #expect(compare.stdout.contains(#"\u{1B}[2K\u{D}\u{A}student: distilled"#), "\(compare.stdout)")
        let markdown = try String(contentsOfFile: folder + "/out/report.md", encoding: .utf8)
        #expect(!markdown.contains("\nstudent: distilled"), "no Markdown block from the name")
        #expect(!markdown.contains("\u{1B}"))

        let matrix = try CLI.run(["matrix", "student.jsonl", "teacher.jsonl", "other.jsonl", "--out", "m",
                                  "--probes", "probes.jsonl", "--model", "model.lnm", "--tree-bootstrap", "10", "--quiet"], in: folder)
        try #require(matrix.status == 0, "\(matrix.stderr)")
        #expect(!matrix.stdout.contains("\u{1B}"), "\(matrix.stdout)")
        let csv = try String(contentsOfFile: folder + "/m/mean-cosine.csv", encoding: .utf8)
        let cells = csv.components(separatedBy: "\r\n").map { $0.split(separator: ",").first.map(String.init) ?? "" }
        #expect(!csv.contains(",=") && !csv.contains("\n="), "no cell starts a formula: \(csv)")
        #expect(cells.contains { $0.hasPrefix("\"'=HYPERLINK") }, "\(csv)")
        let validate = try CLI.run(["validate", "--probes", "probes.jsonl", "teacher.jsonl"], in: folder)
        #expect(!validate.stdout.contains("\u{1B}") && validate.stdout.split(separator: "\n").count == 2, "\(validate.stdout)")
    }
}

extension HostileInputCLITests {
    @Test("ambiguous files are refused by default: conflicting duplicates, duplicate JSON keys, two output columns")
    func ambiguityIsRefused() throws {
        let probes = ["--probes", Self.fixtures + "/probes.jsonl"]
        let r = Self.fixtures + "/recordings/"
        let refused = try CLI.run(["validate"] + probes + [r + "duplicate-conflicting.jsonl", r + "duplicate-key.jsonl",
                                                          r + "csv-two-output-columns.csv"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("duplicate-conflicting.jsonl:4: probe \"p1\" (sample 0) has a second, different answer (the first is at line 1)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("duplicate-key.jsonl:1:49: duplicate key \"output\""), "\(refused.stderr)")
        #expect(refused.stderr.contains("csv-two-output-columns.csv:1: the header names 2 columns of one meaning"), "\(refused.stderr)")
        let chosen = try CLI.run(["validate", "--duplicates", "first"] + probes + [r + "duplicate-conflicting.jsonl"])
        #expect(chosen.status == 0 && chosen.stdout.contains("(1 conflicting)"), "\(chosen.stdout) \(chosen.stderr)")
        let identical = try CLI.run(["validate"] + probes + [r + "duplicate-identical.jsonl"])
        #expect(identical.status == 0 && identical.stdout.contains("duplicate 1, unknown 0"), "\(identical.stdout)")
    }

    @Test("a record whose prompt contradicts the probe set's for its id is not aligned, and says why")
    func contradictingPromptIsCountedVisibly() throws {
        let result = try CLI.run(["validate", "--probes", Self.fixtures + "/probes.jsonl", Self.fixtures + "/recordings/prompt-contradicts.jsonl"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("aligned 2/3, missing 1, empty 0, duplicate 0, unknown 1"), "\(result.stdout)")
        #expect(result.stdout.contains("line 1: p1 (its prompt is not the probe set's prompt for this id)"), "\(result.stdout)")
    }
}

extension HostileInputCLITests {
    @Test("a cache folder others can write is not used; the run goes on uncached and says why")
    func untrustedCacheIsNotUsed() throws {
        let folder = try CLI.temporaryFolder("untrusted-cache")
        let cache = folder + "/cache"
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        #expect(chmod(cache, 0o777) == 0)
        let r = Self.fixtures + "/recordings/"
        let result = try CLI.run(["matrix", "--json", "--probes", Self.fixtures + "/probes.jsonl", "--cache", cache,
                                  r + "good.jsonl", r + "alpaca.json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: not using the embedding cache: \(cache) is writable by others (mode 777)"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache).isEmpty, "nothing was written into it")
    }
}

/// The repository's fixtures, found from this file's path.
enum FixturePathsCLI {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/Fixtures").path
}
