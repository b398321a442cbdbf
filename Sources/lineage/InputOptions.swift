import ArgumentParser
import Foundation
import LineageKit

/// Options every command that reads recordings shares.
struct InputOptions: ParsableArguments {
    @Option(help: "Probe set: a name under Probes/ or a path to a probes.jsonl or its folder.")
    var probes: String = "alpaca-eval"

    @Option(name: .customLong("input-format"), help: "Force the recording format: jsonl, alpaca-eval, openai-batch, csv.")
    var inputFormat: RecordingFormat?
}

extension RecordingFormat: ExpressibleByArgument {}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
