import ArgumentParser
import Foundation
import LineageKit

/// `--out DIR` for `compare` and `attribute`: the result folder with report, plots and manifest.
struct ReportOutputOptions: ParsableArguments {
    @Option(help: "Write a report folder here (report.json, report.md, report.html, plots, manifest.json); convention Results/<name>/.")
    var out: String?
}

extension AnalysisOptions {
    /// The re-runnable description of this command line (paths as given and as opened). `verify` derives
    /// it again from a manifest's recorded `arguments`, so that the two must agree.
    /// - Parameter students: a batch's students (`attribute --students`; then `student` is nil).
    func reportInvocation(subcommand: String, student: String?, students: [String] = [], candidates: [String],
                          arguments: [String] = ["lineage"] + CommandLine.arguments.dropFirst()) throws -> ReportInvocation {
        let set = try probeSet()
        guard let modelPath = model ?? EmbeddingModel.bundledPath() else {
            throw ValidationError("the bundled embedding model was not found; pass --model PATH")
        }
        var calibrationPath = calibration
        if calibrationPath == nil, let directory = set.directory {
            let path = (directory as NSString).appendingPathComponent("calibration.json")
            if FileManager.default.fileExists(atPath: path) { calibrationPath = path }
        }
        if calibrationPath == nil {
            printError("warning: probe set \(set.name) has no calibration.json: likelihood ratios are 1 and verdicts inconclusive (run `lineage calibrate`)")
        }
        return ReportInvocation(
            subcommand: subcommand, arguments: arguments,
            workingDirectory: FileManager.default.currentDirectoryPath, student: student, candidates: candidates,
            files: students, panel: panel, panelFiles: try panelFiles(for: set), probeSet: input.probes,
            probeSetPath: set.directory ?? set.path, inputFormat: input.inputFormat?.rawValue, model: model,
            modelPath: modelPath, calibration: calibration, calibrationPath: calibrationPath,
            options: attributionOptions)
    }
}

/// Runs a report invocation into `directory` with progress on stderr.
func writeReport(_ invocation: ReportInvocation, into directory: String, analysis: AnalysisOptions) throws -> ReportBuilder.Outcome {
    let progress = ProgressLine.make(quiet: analysis.quiet)
    let cache = analysis.cacheOptions.open()
    let outcome: ReportBuilder.Outcome
    do {
        defer { ProgressLine.finish(progress) }
        outcome = try ReportBuilder.run(invocation, into: directory, progress: progress, cache: cache?.cache)
    }
    cache?.printSummary()
    return outcome
}
