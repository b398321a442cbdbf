import ArgumentParser
import Foundation
import LineageKit

/// What `--json` prints on stdout when a command fails: `--json` promises exactly one JSON document on
/// stdout, so a pipeline (`lineage … --json | jq .`) gets a parseable error instead of nothing. The
/// message also goes to stderr as usual, and the exit status is the command's.
struct JSONErrorDocument: Encodable {
    struct Failure: Encodable {
        let message: String
        let exitCode: Int32
        enum CodingKeys: String, CodingKey { case message, exitCode = "exit_code" }
    }

    let error: Failure

    /// Whether the command line asked for JSON (before `--`, which ends the options).
    static func requested(by arguments: [String]) -> Bool {
        arguments.prefix { $0 != "--" }.contains("--json")
    }
}
