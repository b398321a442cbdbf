import ArgumentParser
import Foundation
import LineageKit

/// `matrix --out DIR`: matrices as CSV and JSON, heatmap, lineage tree (Newick, SVG) and a manifest.
struct MatrixReportOptions: ParsableArguments {
    @Option(help: "Write a result folder here (matrices as CSV/JSON, heatmap.svg, tree.nwk, tree.svg, matrix.html to browse it, manifest.json).")
    var out: String?

    @Option(name: .customLong("tree-bootstrap"), help: "Bootstrap resamples over probes for the tree's branch support \(OptionRanges.treeBootstrap.help), with --out.")
    var treeBootstrap: Int = MatrixReportBuilder.defaultResamples

    @Option(help: "Seed of the tree bootstrap (with --out).")
    var seed: UInt64 = AttributionOptions().seed

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func validate() throws {
        try OptionRanges.treeBootstrap.check(treeBootstrap)
    }

    /// The re-runnable description of this command line; `verify` derives it again from a manifest's
    /// recorded `arguments`.
    func invocation(files: [String], input: InputOptions, model: String?,
                    arguments: [String] = ["lineage"] + CommandLine.arguments.dropFirst()) throws -> ReportInvocation {
        let set = try ProbeSet.resolve(input.probes)
        guard let modelPath = model ?? EmbeddingModel.bundledPath() else {
            throw ValidationError("the bundled embedding model was not found; pass --model PATH")
        }
        var options = AttributionOptions()
        options.seed = seed
        return ReportInvocation(
            subcommand: "matrix", arguments: arguments,
            workingDirectory: FileManager.default.currentDirectoryPath, files: files, probeSet: input.probes,
            probeSetPath: set.directory ?? set.path, inputFormat: input.inputFormat?.rawValue, model: model,
            modelPath: modelPath, options: options, treeResamples: treeBootstrap)
    }

    /// - Parameters: `json`: stdout gets the folder's `matrix.json` and nothing else; `csv`: stdout gets its
    ///   `pairs.csv`. Either way the tree and the summary line go to stderr, so that
    ///   `matrix --json --out DIR | jq .` works.
    func write(files: [String], input: InputOptions, model: String?, into out: String, cache: CacheSession? = nil,
               json: Bool = false, csv: Bool = false) throws {
        let invocation = try self.invocation(files: files, input: input, model: model)
        let progress = ProgressLine.make(quiet: quiet)
        let report = try MatrixReportBuilder.run(invocation, into: out, progress: progress, cache: cache?.cache)
        ProgressLine.finish(progress)
        cache?.printSummary()
        MatrixCommand.warn(report.labels)
        let summary = "matrix: \(report.models.count) models; results in \(out)/ (matrix.json, pairs.csv, mean-cosine.csv, impostor-score.csv, heatmap.svg, tree.nwk, tree.svg, matrix.html, manifest.json)"
        if json {
            let path = (out as NSString).appendingPathComponent(MatrixReport.jsonFile)
            guard let document = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read back \(path)")
            }
            FileHandle.standardOutput.write(document)
            if document.last != UInt8(ascii: "\n") { print() }
            printError(summary)
        } else if csv {
            print(report.pairsTable().text(), terminator: "")
            printError(summary)
        } else {
            say(report.tree.newick())
            say(summary)
        }
    }
}
