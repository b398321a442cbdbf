import ArgumentParser
import Foundation
import LineageKit

struct BatchInputCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch-input",
        abstract: "Write an OpenAI Batch API input file for a probe set on stdout.",
        discussion: """
        One {"custom_id", "method", "url", "body"} line per probe (custom_id = probe id; with --samples K > 1,
        <probe>#<sample>). The Batch output file reads back with `lineage validate` and every other command.
        """
    )

    @Option(help: "Probe set: a name under Probes/ or a path to a probes.jsonl or its folder.")
    var probes: String

    @Option(help: "Model name to request.")
    var model: String

    @Option(help: "Answers per probe \(OptionRanges.samples.help).")
    var samples: Int = 1

    @Option(help: "Sampling temperature \(OptionRanges.temperature.help), omitted: the server's default.")
    var temperature: Double?

    @Option(name: .customLong("max-tokens"), help: "Maximum tokens per answer \(OptionRanges.maxTokens.help).")
    var maxTokens: Int?

    @Option(name: .customLong("system-prompt"), help: "System message for probes that carry none of their own.")
    var systemPrompt: String?

    func validate() throws {
        try OptionRanges.samples.check(samples)
        try OptionRanges.temperature.check(temperature)
        try OptionRanges.maxTokens.check(maxTokens)
    }

    func run() throws {
        let set = try ProbeSet.resolve(probes)
        let text = try BatchInputBuilder.lines(for: set, configuration: RecorderConfiguration(
            model: model, samples: samples, temperature: temperature, maxTokens: maxTokens, systemPrompt: systemPrompt))
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
