import ArgumentParser
import Foundation
import LineageKit

@main
struct Lineage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Estimate whether one language model was distilled from another, from recorded answers.",
        version: ToolInfo.version,
        subcommands: [CompareCommand.self, AttributeCommand.self, CalibrateCommand.self, ValidateCommand.self, DoctorCommand.self, MatrixCommand.self, ModelCommand.self, BenchCommand.self, RecordCommand.self, BatchInputCommand.self, ProbesCommand.self, VerifyCommand.self, ClaimsCommand.self, CacheCommand.self, VersionCommand.self]
    )

    /// `AsyncParsableCommand.main` with the error text sent through `TerminalText.message`: an error quotes
    /// model names, probe ids and server replies, which must not reach the terminal raw.
    static func main() async {
        ProcessMemory.returnFreedBuffersPromptly()
        let arguments = VersionCommand.normalised(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let text = fullMessage(for: error)
            if code == .success {
                if !text.isEmpty { print(text) }
            } else {
                // With --json, stdout still carries one document: the error, as JSON.
                if !(error is ExitCode), JSONErrorDocument.requested(by: arguments),
                   let document = try? JSONOutput.string(JSONErrorDocument(error: .init(message: message(for: error), exitCode: code.rawValue))) {
                    print(document)
                }
                printError(text)
            }
            fflush(nil)
            Foundation.exit(code.rawValue)
        }
    }
}
