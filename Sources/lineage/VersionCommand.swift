import ArgumentParser
import LineageKit

/// `lineage version` (and `-V`, rewritten to `--version` before parsing): the version, as `--version`
/// prints it, for the spellings people try first.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version (also -V, --version).")

    func run() {
        print(ToolInfo.version)
    }

    /// `-V` alone means `--version` (ArgumentParser only knows the long flag).
    static func normalised(_ arguments: [String]) -> [String] {
        arguments == ["-V"] ? ["--version"] : arguments
    }
}
