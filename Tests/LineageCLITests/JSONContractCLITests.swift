import Foundation
import Testing

/// `--json` means exactly one JSON document on stdout, for every command that has the flag, with or
/// without `--out`, and on failure too (issue 20: `matrix --json --out DIR | jq .` failed).
@Suite("CLI: --json prints exactly one JSON document", .serialized)
struct JSONContractCLITests {
    static let corpus: Result<String, Error> = Result {
        let folder = try SyntheticCorpus.temporaryFolder("json-contract")
        let pairs = """
            {"candidates": ["teacher", "other"], "pairs": [
              {"student": "student", "teacher": "teacher", "distilled": true},
              {"student": "student", "teacher": "other", "distilled": false},
              {"student": "other", "teacher": "teacher", "distilled": false},
              {"student": "teacher", "teacher": "other", "distilled": false}]}
            """
        try Data(pairs.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("pairs.json")))
        return folder
    }

    static let fast = SyntheticCorpus.options
    static let matrixOptions = ["--probes", "probes.jsonl", "--model", "model.lnm", "--quiet"]

    /// One run per command path that has `--json`; `commandsWithJSONFlag` fails when a command gains the
    /// flag without an entry here.
    static let invocations: [String: [[String]]] = [
        "compare": [["compare", "--student", "student.jsonl", "--teacher", "teacher.jsonl", "--json"] + fast,
                    ["compare", "--student", "student.jsonl", "--teacher", "teacher.jsonl", "--json", "--out", "c"] + fast],
        "attribute": [["attribute", "--student", "student.jsonl", "--candidate", "teacher.jsonl", "--candidate", "other.jsonl", "--json"] + fast,
                      ["attribute", "--student", "student.jsonl", "--candidate", "teacher.jsonl", "--candidate", "other.jsonl", "--json", "--out", "a"] + fast],
        "calibrate": [["calibrate", "--pairs", "pairs.json", "--recordings", ".", "--json"] + fast],
        "matrix": [["matrix", "student.jsonl", "teacher.jsonl", "other.jsonl", "--json"] + matrixOptions,
                   ["matrix", "student.jsonl", "teacher.jsonl", "other.jsonl", "--json", "--out", "m", "--tree-bootstrap", "5"] + matrixOptions],
        "validate": [["validate", "--probes", "probes.jsonl", "student.jsonl", "teacher.jsonl", "--json"]],
        "claims": [["claims", "--probes", "probes.jsonl", "student.jsonl", "--json"]],
        "probes list": [["probes", "list", "--json"]],
        "probes show": [["probes", "show", "probes.jsonl", "--json"]],
    ]

    /// The names under "SUBCOMMANDS:" in a help text, up to the blank line that ends the list.
    static func subcommands(inHelp help: String) -> [String] {
        guard let range = help.range(of: "SUBCOMMANDS:\n") else { return [] }
        var names: [String] = []
        for line in help[range.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first,
                  name.allSatisfy({ $0.isLowercase || $0 == "-" }), name != "help" else { continue }
            names.append(String(name))
        }
        return names
    }

    static func parse(_ output: CLI.Output, _ arguments: [String]) -> Any? {
        do {
            return try JSONSerialization.jsonObject(with: output.stdoutBytes)
        } catch {
            Issue.record("\(arguments.joined(separator: " ")): stdout is not one JSON document (\(error)); stdout starts \(output.stdout.prefix(200).debugDescription); stderr \(output.stderr.prefix(400))")
            return nil
        }
    }

    @Test("every command path whose --help lists --json has an invocation in this suite")
    func commandsWithJSONFlag() throws {
        var paths: [[String]] = try Self.subcommands(inHelp: CLI.run(["--help"]).stdout).map { [$0] }
        var withJSON: [String] = []
        while let path = paths.popLast(), path.count <= 3 {
            let help = try CLI.run(path + ["--help"]).stdout
            let children = Self.subcommands(inHelp: help)
            paths += children.map { path + [$0] }
            if children.isEmpty, help.contains("--json") { withJSON.append(path.joined(separator: " ")) }
        }
        #expect(withJSON.count >= 8)
        for path in withJSON { #expect(Self.invocations[path] != nil, "\(path) has --json but no test run") }
    }

    @Test("stdout of every --json run, with and without --out, is one JSON document")
    func everyCommand() throws {
        let folder = try Self.corpus.get()
        for (path, runs) in Self.invocations.sorted(by: { $0.key < $1.key }) {
            for arguments in runs {
                let output = try CLI.run(arguments, in: folder)
                #expect(output.status == 0, "\(path): exit \(output.status): \(output.stderr.prefix(400))")
                #expect(Self.parse(output, arguments) != nil)
            }
        }
    }

    @Test("matrix --json --out prints the folder's matrix.json; the tree goes to stderr")
    func matrixOut() throws {
        let folder = try Self.corpus.get()
        let output = try CLI.run(["matrix", "student.jsonl", "teacher.jsonl", "other.jsonl", "--json", "--out", "m2", "--tree-bootstrap", "5"]
                                 + Self.matrixOptions, in: folder)
        #expect(output.status == 0)
        let written = try Data(contentsOf: URL(fileURLWithPath: folder + "/m2/matrix.json"))
        #expect(output.stdoutBytes.prefix(written.count) == written)
        #expect(output.stderr.contains("matrix: 3 models"))
        let json = Self.parse(output, ["matrix --out"]) as? [String: Any]
        #expect(json?["newick"] is String)
    }

    @Test("a failing --json run prints a JSON error document and keeps its exit status")
    func failure() throws {
        let folder = try Self.corpus.get()
        let arguments = ["compare", "--student", "no-such.jsonl", "--teacher", "teacher.jsonl", "--json"] + Self.fast
        let output = try CLI.run(arguments, in: folder)
        #expect(output.status != 0)
        let json = Self.parse(output, arguments) as? [String: Any]
        let error = json?["error"] as? [String: Any]
        #expect((error?["message"] as? String)?.contains("no-such.jsonl") == true)
        #expect(error?["exit_code"] as? Int == Int(output.status))
        #expect(!output.stderr.isEmpty)
    }
}
