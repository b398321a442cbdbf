import ArgumentParser
import Foundation
import LineageKit

/// Options shared by `compare`, `attribute` and `calibrate`: what to judge against and how.
struct AnalysisOptions: ParsableArguments {
    @OptionGroup var input: InputOptions

    @Option(help: "A folder of panel recordings (default: the probe set's bundled panel/). Models that are the student or a candidate are left out.")
    var panel: String?

    @Option(help: "Embedding model file, or a bundled model's name (default: the bundled ngram-v3; ngram-v2 and ngram-v1 replay older reports).")
    var model: String?

    @Option(help: "Calibration file (default: the probe set's calibration.json).")
    var calibration: String?

    @Option(help: "Seed of every resampling.")
    var seed: UInt64 = AttributionOptions().seed

    @Option(help: "Bootstrap resamples over probes for the score's interval \(OptionRanges.bootstrap.help).")
    var bootstrap: Int = AttributionOptions().bootstrapResamples

    @Option(help: "Permutations for the MMD test \(OptionRanges.permutations.help).")
    var permutations: Int = AttributionOptions().permutations

    @Flag(name: .customLong("panel-jackknife"), help: "compare and attribute: also judge every candidate with each panel model left out in turn, and report how far its likelihood ratio and verdict move (about a second more per 10 panel models).")
    var panelJackknife = false

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    @OptionGroup var cacheOptions: CacheOptions

    func validate() throws {
        try OptionRanges.bootstrap.check(bootstrap)
        try OptionRanges.permutations.check(permutations)
    }

    var attributionOptions: AttributionOptions {
        var options = AttributionOptions()
        options.seed = seed
        options.bootstrapResamples = bootstrap
        options.permutations = permutations
        options.panelJackknife = panelJackknife
        return options
    }

    func probeSet() throws -> ProbeSet { try ProbeSet.resolve(input.probes) }

    func embeddingModel() throws -> EmbeddingModel {
        try requireRegularFile(model, role: "embedding model")
        return try EmbeddingModel.load(path: model)
    }

    func loadCalibration(for set: ProbeSet) throws -> Calibration {
        if let calibration {
            try requireRegularFile(calibration, role: "calibration")
            return try Calibration.load(path: calibration)
        }
        if let directory = set.directory {
            let path = (directory as NSString).appendingPathComponent("calibration.json")
            if FileManager.default.fileExists(atPath: path) { return try Calibration.load(path: path) }
        }
        printError("warning: probe set \(set.name) has no calibration.json: likelihood ratios are 1 and verdicts inconclusive (run `lineage calibrate`)")
        return .uncalibrated
    }

    func panelFiles(for set: ProbeSet) throws -> [String] {
        let folder: String
        if let panel { folder = panel } else if let directory = set.directory {
            folder = (directory as NSString).appendingPathComponent("panel")
        } else {
            throw ValidationError("probe set \(set.name) has no panel folder; give --panel DIR")
        }
        let (recordings, others) = try recordingFolder(folder)
        if !others.isEmpty {
            printError("note: \(folder): not recordings, left out of the panel: \(others.joined(separator: ", "))")
        }
        return recordings
    }

    var progress: (@Sendable (String) -> Void)? {
        ProgressLine.make(quiet: quiet)
    }
}
