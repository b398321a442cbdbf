import ArgumentParser
import LineageKit

@main
struct Lineage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Estimate whether one language model was distilled from another, from recorded answers.",
        version: ToolInfo.version,
        subcommands: [CompareCommand.self, AttributeCommand.self, CalibrateCommand.self, ValidateCommand.self, DoctorCommand.self, MatrixCommand.self, ModelCommand.self, BenchCommand.self, RecordCommand.self, BatchInputCommand.self, ProbesCommand.self, VerifyCommand.self, ClaimsCommand.self, CacheCommand.self]
    )

    static func main() async {
        ProcessMemory.returnFreedBuffersPromptly()
        await main(nil)
    }
}
