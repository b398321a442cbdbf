import ArgumentParser
import Foundation
import LineageKit

/// How `compare` and `attribute` hand their answer to a script: the ranking as CSV on stdout, and an
/// exit status a pipeline can act on without parsing anything.
struct VerdictOutputOptions: ParsableArguments {
    /// The verdicts `--fail-on` accepts (the CLI's own list of `Verdict`'s values, for help and completion).
    enum VerdictName: String, ExpressibleByArgument, CaseIterable {
        case distilled, notDistilled = "not-distilled", inconclusive
    }

    /// The exit status when `--fail-on` matches: distinct from 1 (an error) and 64 (a usage error).
    static let verdictExitCode: Int32 = 3

    @Flag(help: "Print the ranking as CSV on stdout (RFC 4180, one row per candidate; the columns of ranking.csv) instead of the text summary.")
    var csv = false

    @Option(name: .customLong("fail-on"),
            help: ArgumentHelp("Exit with status 3 when the top-ranked candidate's verdict (compare: the teacher's) is this one; repeat for several. The output is printed as usual first.",
                               valueName: "distilled|not-distilled|inconclusive"))
    var failOn: [VerdictName] = []

    func validate(json: Bool) throws {
        if csv && json { throw ValidationError("give --json or --csv, not both") }
    }

    /// Prints the result as JSON (`document`), CSV or text, then throws `ExitCode(3)` when `--fail-on` matches.
    func emit(_ result: AttributionResult, json: Bool, document: () throws -> String) throws {
        if json {
            print(try document())
        } else if csv {
            print(RankingTable.table(result).text(), terminator: "")
        } else {
            say(TextSummary.attribution(result))
        }
        if let top = result.ranking.first, failOn.contains(where: { $0.rawValue == top.verdict.rawValue }) {
            throw ExitCode(Self.verdictExitCode)
        }
    }
}
