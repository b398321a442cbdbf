import Foundation
import Testing

/// Every numeric option is checked against its stated range at parse time: exit 64, the option and the
/// range named, before any file is read or any request sent (issue 19: `--permutations=-5` trapped in the
/// MMD, `--timeout=inf` inside FoundationNetworking, `--temperature=nan` was retried as a server fault).
@Suite("OptionRangeCLI")
struct OptionRangeCLITests {
    static let analysis = ["compare", "--student", "s.jsonl", "--teacher", "t.jsonl"]
    static let record = ["record", "--endpoint", "http://127.0.0.1:9", "--model", "m", "--probes", "alpaca-eval",
                         "--out", "/nonexistent/never-written.jsonl"]
    static let batch = ["batch-input", "--probes", "alpaca-eval", "--model", "m"]

    @Test(arguments: [
        (analysis, "--bootstrap=0", "--bootstrap must be between 10 and 100000 (got 0)"),
        (analysis, "--bootstrap=-3", "--bootstrap must be between 10 and 100000 (got -3)"),
        (analysis, "--permutations=-5", "--permutations must be between 10 and 100000 (got -5)"),
        (["attribute", "--student", "s", "--candidate", "c"], "--permutations=0", "--permutations must be between"),
        (["calibrate", "--pairs", "p", "--recordings", "r"], "--bootstrap=1000001", "--bootstrap must be between"),
        (["calibrate", "--pairs", "p", "--recordings", "r"], "--probe-sample=1", "--probe-sample must be between 2"),
        (["matrix", "a.jsonl", "b.jsonl"], "--threads=0", "--threads must be between 1 and 256 (got 0)"),
        (["matrix", "a.jsonl", "b.jsonl"], "--threads=-2", "--threads must be between 1 and 256 (got -2)"),
        (["matrix", "a.jsonl", "b.jsonl", "--out", "/nonexistent/o"], "--tree-bootstrap=-1", "--tree-bootstrap must be between 1"),
        (["model", "build", "--out", "/nonexistent/m.lnm"], "--threads=0", "--threads must be between"),
        (record, "--timeout=inf", "--timeout must be between 0.1 and 86400.0 (got inf, not a finite number)"),
        (record, "--timeout=nan", "(got nan, not a finite number)"),
        (record, "--timeout=0", "--timeout must be between"),
        (record, "--temperature=nan", "--temperature must be between 0.0 and 2.0 (got nan, not a finite number)"),
        (record, "--temperature=-1", "--temperature must be between"),
        (record, "--max-retries=-1", "--max-retries must be between 0 and 100 (got -1)"),
        (record, "--concurrency=0", "--concurrency must be between 1 and 64"),
        (record, "--samples=0", "--samples must be between 1 and 1000"),
        (record, "--max-tokens=0", "--max-tokens must be between"),
        (record, "--backoff-base=inf", "--backoff-base must be between"),
        (record, "--backoff-cap=-1", "--backoff-cap must be between"),
        (batch, "--temperature=inf", "--temperature must be between"),
        (batch, "--samples=-1", "--samples must be between"),
    ])
    func outOfRangeIsRefusedAtParseTime(_ command: [String], _ option: String, _ message: String) throws {
        let result = try CLI.run(command + [option])
        #expect(result.status == 64, "\(command) \(option): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(option): \(result.stderr)")
    }

    @Test("a cap below the base is refused, naming both")
    func backoffCapBelowBase() throws {
        let result = try CLI.run(Self.record + ["--backoff-base", "5", "--backoff-cap", "1"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--backoff-cap (1.0) must not be below --backoff-base (5.0)"), "\(result.stderr)")
    }

    @Test("help states each range")
    func helpStatesRanges() throws {
        let help = try CLI.run(["compare", "--help"]).stdout
        #expect(help.contains("(10–100000)"), "\(help)")
    }
}
