import ArgumentParser
import Foundation
import LineageKit

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-run a result folder from its manifest and check that every input and output is byte-identical.",
        discussion: """
        Checks that the folder holds exactly manifest.json and the outputs it lists; that the manifest was made \
        by this version of lineage; that every input file (recordings, panel, probe set, embedding model, \
        calibration) still has the SHA-256 the manifest recorded; and that the manifest's invocation and input \
        list are what its recorded command line means. Then re-runs the command into a temporary folder and \
        compares every output file and the manifest itself, byte for byte. Exits 0 only if all match; otherwise \
        names each thing that differs.
        """
    )

    @Argument(help: "A result folder holding manifest.json.")
    var directory: String

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func run() throws {
        let folder = URL(fileURLWithPath: directory).standardizedFileURL.path
        let manifest = try Manifest.load(directory: folder)
        try Self.fail(manifest.unlistedEntries(in: folder), "the folder is not exactly what its manifest lists")
        if manifest.tool.name != ToolInfo.name || manifest.tool.version != ToolInfo.version {
            try Self.fail(["manifest.json: made by \(manifest.tool.name) \(manifest.tool.version); this is \(ToolInfo.name) \(ToolInfo.version) (verify with the version that made it)"],
                          "another tool version")
        }
        let changed = manifest.changedInputs()
        try Self.fail(changed, "\(changed.count) input file(s) differ from the manifest; not re-running")
        say("inputs: all \(manifest.inputs.count) files match their SHA-256")
        let invocation = manifest.invocation
        guard FileManager.default.changeCurrentDirectoryPath(invocation.workingDirectory) else {
            printError("verify: cannot enter the run's working folder \(invocation.workingDirectory)")
            throw ExitCode(1)
        }
        try Self.fail(try Self.invocationDifferences(invocation), "the manifest's invocation is not what its command line means; not re-running")
        try Self.fail(manifest.inputListDifferences(try Manifest.inputs(of: invocation)), "the manifest's input list was edited; not re-running")

        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("lineage-verify-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let progress = ProgressLine.make(quiet: quiet)
        switch invocation.subcommand {
        case "attribute" where invocation.student == nil:
            _ = try BatchReportBuilder.run(invocation, into: scratch, progress: progress)
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
        var differences = manifest.differingOutputs(original: folder, rerun: scratch)
        let stored = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(Manifest.fileName)) ?? Data()
        let rerun = FileManager.default.contents(atPath: (scratch as NSString).appendingPathComponent(Manifest.fileName)) ?? Data()
        differences += Manifest.differences(stored: stored, rerun: rerun)
        try Self.fail(differences, "\(differences.count) output problem(s)")
        say("outputs: all \(manifest.outputs.count) files and the manifest itself reproduce byte for byte")
        say("verified: \(folder)")
    }

    /// Prints each problem and `FAILED: summary`, and exits 1, when there are any.
    static func fail(_ problems: [String], _ summary: String) throws {
        guard !problems.isEmpty else { return }
        for line in problems { printError("verify: \(line)") }
        printError("verify: FAILED: \(summary)")
        throw ExitCode(1)
    }

    /// The fields in which `recorded` differs from the invocation its own `arguments` mean, derived as the
    /// command would derive it (in the run's working folder): the command line cannot be edited apart from
    /// what is re-run, and options outside their ranges are refused before anything runs.
    static func invocationDifferences(_ recorded: ReportInvocation) throws -> [String] {
        let derived: ReportInvocation
        do {
            derived = try derivedInvocation(recorded.arguments)
        } catch {
            return ["the recorded command line \(recorded.arguments.joined(separator: " ")) is not a valid report command: \(Lineage.message(for: error))"]
        }
        guard derived != recorded else { return [] }
        let old = try fields(recorded), new = try fields(derived)
        return Set(old.keys).union(new.keys).sorted().compactMap { key in
            old[key] == new[key] ? nil : "invocation field \"\(key)\" is \(old[key] ?? "absent") but the command line means \(new[key] ?? "absent")"
        }
    }

    static func derivedInvocation(_ arguments: [String]) throws -> ReportInvocation {
        let parsed = try Lineage.parseAsRoot(Array(arguments.dropFirst()))
        switch parsed {
        case let command as CompareCommand where command.report.out != nil:
            return try command.analysis.reportInvocation(subcommand: "compare", student: command.student,
                                                         candidates: [command.teacher], arguments: arguments)
        case let command as AttributeCommand where command.report.out != nil && command.student != nil:
            return try command.analysis.reportInvocation(subcommand: "attribute", student: command.student ?? "",
                                                         candidates: command.candidates, arguments: arguments)
        case let command as AttributeCommand where command.report.out != nil:
            return try command.analysis.reportInvocation(subcommand: "attribute", student: nil,
                                                         students: expandRecordingArguments(command.students, report: false),
                                                         candidates: command.candidates, arguments: arguments)
        case let command as MatrixCommand where command.report.out != nil:
            return try command.report.invocation(files: expandRecordingArguments(command.files, report: false),
                                                 input: command.input, model: command.model, arguments: arguments)
        default:
            throw CommandFailure("not compare, attribute or matrix with --out")
        }
    }

    /// Each top-level field of an invocation as its JSON text.
    private static func fields(_ invocation: ReportInvocation) throws -> [String: String] {
        let object = try JSONSerialization.jsonObject(with: JSONOutput.data(invocation)) as? [String: Any] ?? [:]
        var out: [String: String] = [:]
        for (key, value) in object {
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])) ?? Data()
            out[key] = String(decoding: data, as: UTF8.self)
        }
        return out
    }
}
