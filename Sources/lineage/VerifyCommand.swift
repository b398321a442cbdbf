import ArgumentParser
import Foundation
import LineageKit

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-run a result folder from its manifest and check that every input and output is byte-identical.",
        discussion: """
        First checks that every input file (recordings, panel, probe set, embedding model, calibration) still has the \
        SHA-256 the manifest recorded; then re-runs the command into a temporary folder and compares every output file. \
        Exits 0 only if all match; otherwise names each file that differs.
        """
    )

    @Argument(help: "A result folder holding manifest.json.")
    var directory: String

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func run() throws {
        let folder = URL(fileURLWithPath: directory).standardizedFileURL.path
        let manifest = try Manifest.load(directory: folder)
        let changed = manifest.changedInputs()
        if !changed.isEmpty {
            for line in changed { printError("verify: \(line)") }
            printError("verify: FAILED: \(changed.count) input file(s) differ from the manifest; not re-running")
            throw ExitCode(1)
        }
        say("inputs: all \(manifest.inputs.count) files match their SHA-256")
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("lineage-verify-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let invocation = manifest.invocation
        guard FileManager.default.changeCurrentDirectoryPath(invocation.workingDirectory) else {
            printError("verify: cannot enter the run's working folder \(invocation.workingDirectory)")
            throw ExitCode(1)
        }
        let progress = ProgressLine.make(quiet: quiet)
        switch invocation.subcommand {
        case "compare", "attribute":
            _ = try ReportBuilder.run(invocation, into: scratch, progress: progress)
        case "matrix":
            _ = try MatrixReportBuilder.run(invocation, into: scratch, progress: progress)
        default:
            ProgressLine.finish(progress)
            printError("verify: the manifest's subcommand \"\(invocation.subcommand)\" cannot be re-run")
            throw ExitCode(1)
        }
        ProgressLine.finish(progress)
        let differences = manifest.differingOutputs(original: folder, rerun: scratch)
        if !differences.isEmpty {
            for line in differences { printError("verify: \(line)") }
            printError("verify: FAILED: \(differences.count) output problem(s)")
            throw ExitCode(1)
        }
        say("outputs: all \(manifest.outputs.count) files reproduce byte for byte")
        say("verified: \(folder)")
    }
}
