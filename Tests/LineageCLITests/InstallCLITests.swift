import Foundation
import Testing

/// Installing and finding one's way: `make install`, `make help`, `make report`'s checks, the version
/// spellings, and subcommand usage on errors (issue 20).
@Suite("CLI: install, make help, version", .serialized)
struct InstallCLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func make(_ arguments: [String]) throws -> CLI.Output {
        try CLI.run(executable: "/usr/bin/env", ["make", "--no-print-directory"] + arguments, in: repository)
    }

    @Test("make install PREFIX=… puts binary, models and probe sets where the binary finds them, run through PATH from anywhere")
    func install() throws {
        let prefix = try CLI.temporaryFolder("install") + "/prefix"
        let binary = try ProcessInfo.processInfo.environment["LINEAGE_RELEASE_BIN"] ?? CLI.executable()
        // What `make install` runs after building (the test must not start a second build).
        let installed = try CLI.run(executable: Self.repository + "/scripts/install.sh", [prefix, binary])
        #expect(installed.status == 0, "\(installed.stderr)")
        let elsewhere = try CLI.temporaryFolder("install-cwd")
        let path = "\(prefix)/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        func lineage(_ arguments: [String]) throws -> CLI.Output {
            try CLI.run(executable: "/usr/bin/env", ["PATH=\(path)", "lineage"] + arguments, in: elsewhere)
        }
        let sets = try lineage(["probes", "list", "--json"])
        #expect(sets.status == 0)
        #expect(sets.stdout.contains("\(prefix)/lib/lineage/Probes/alpaca-eval"), "\(sets.stdout.prefix(300))")
        let model = try lineage(["model", "info"])
        #expect(model.stdout.contains("\(prefix)/lib/lineage/Lineage_LineageKit.resources/ngram-v3.lnm"), "\(model.stdout)\(model.stderr)")
        let recording = Self.repository + "/Probes/alpaca-eval/recordings/claude.jsonl"
        let validated = try lineage(["validate", "--probes", "alpaca-eval", recording, "--json"])
        #expect(validated.status == 0, "\(validated.stderr)")
        let unknown = try lineage(["validate", "--probes", "no-such-set", recording])
        #expect(unknown.status != 0 && unknown.stderr.contains("LINEAGE_PROBES"), "\(unknown.stderr)")
        let makefile = try String(contentsOfFile: Self.repository + "/Makefile", encoding: .utf8)
        #expect(makefile.contains("scripts/install.sh \"$(PREFIX)\" $(RELEASE_BIN)"))
    }

    @Test("make help lists the targets from their ## comments")
    func makeHelp() throws {
        let help = try Self.make(["help"])
        #expect(help.status == 0)
        for target in ["test", "demo", "report", "install", "bench", "help"] {
            #expect(help.stdout.contains("  \(target)"), "make help lacks \(target)")
        }
    }

    @Test("make report prints its usage before building, and names the valid recordings for an unknown one")
    func makeReport() throws {
        let bare = try Self.make(["report"])
        #expect(bare.status != 0)
        #expect(bare.stdout.hasPrefix("usage: make report STUDENT="), "\(bare.stdout.prefix(200))")
        #expect(!bare.stdout.contains("swift build"))
        let unknown = try Self.make(["report", "STUDENT=vicuna-13b", "TEACHER=nosuchmodel"])
        #expect(unknown.status != 0)
        #expect(unknown.stdout.contains("no recording \"nosuchmodel\"") && unknown.stdout.contains("gpt-3.5-turbo-0301"))
        #expect(!unknown.stdout.contains("swift build"))
    }

    @Test("-V, --version and version print the version; cache info without a folder shows its own usage")
    func versionAndUsage() throws {
        let expected = try CLI.run(["--version"]).stdout
        #expect(!expected.isEmpty)
        #expect(try CLI.run(["-V"]).stdout == expected)
        #expect(try CLI.run(["version"]).stdout == expected)
        let cache = try CLI.run(executable: CLI.executable(), ["cache", "info"], environment: ["LINEAGE_CACHE": ""])
        #expect(cache.status == 64)
        #expect(cache.stderr.contains("Usage: lineage cache info"), "\(cache.stderr)")
    }
}
