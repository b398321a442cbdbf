import ArgumentParser
import Foundation
import LineageKit

/// Options every command that reads recordings shares.
struct InputOptions: ParsableArguments {
    @Option(help: "Probe set: a name under Probes/ or a path to a probes.jsonl or its folder.")
    var probes: String = "alpaca-eval"

    @Option(name: .customLong("input-format"), help: "Force the recording format: jsonl, alpaca-eval, openai-batch, csv.")
    var inputFormat: RecordingFormat?

    @Option(help: "Two different answers to one probe (and sample) in a file: refuse the file (default), or keep the first and count the rest as conflicting.")
    var duplicates: DuplicateRule = .refuse

    /// Sets the readers' rule here, at parse time, so that every file of the run is read under it — also when
    /// `verify` re-parses a recorded command line.
    func validate() throws {
        ReadingPolicy.duplicates = duplicates
    }
}

extension RecordingFormat: ExpressibleByArgument {}
extension DuplicateRule: ExpressibleByArgument {}

/// Refuses `path` up front when it names something that is not a regular file (a FIFO, `/dev/zero`, a
/// symbolic link loop): the loaders of models and calibrations would block or read without end.
/// A name that is not a path at all (a bundled model's name) is left to its loader.
func requireRegularFile(_ path: String?, role: String) throws {
    guard let path else { return }
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if let refusal = RegularFile.check(path) { throw CommandFailure("the \(role) \(refusal)") }
}

/// A run-time refusal of the command (exit 1, no usage text: the command line itself was well formed).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Writes a line on stderr through `TerminalText.message`: errors quote model names, ids and server text.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((TerminalText.message(text) + "\n").utf8))
}
