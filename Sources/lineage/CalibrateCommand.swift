import ArgumentParser
import Foundation
import LineageKit

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit the score → likelihood-ratio map on labelled pairs and measure its error rates leave-one-student-out."
    )

    @Option(help: "Labelled pairs (the format of AlpacaEval's pairs.json).")
    var pairs: String

    @Option(help: "A folder with a recording <model>.jsonl (or .json, .csv) for every model the pairs name.")
    var recordings: String

    @Option(name: .customLong("write"), help: "Where to write the calibration file (default: print only).")
    var output: String?

    @Option(name: .customLong("probe-sample"), help: "Use only this many probes, drawn at random with --seed (probe-count study) \(OptionRanges.probeSample.help).")
    var probeSample: Int?

    @OptionGroup var analysis: AnalysisOptions

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    func validate() throws {
        try OptionRanges.probeSample.check(probeSample)
    }

    func run() throws {
        try requireRegularFile(pairs, role: "pairs file")
        let set = try analysis.probeSet()
        let progress = analysis.progress
        let session = analysis.cacheOptions.open()
        let calibration = try Calibration.fit(pairs: try LabelledPairs.load(path: pairs), recordings: recordings,
                                              panel: try analysis.panelFiles(for: set), probeSet: set,
                                              model: try analysis.embeddingModel(), options: analysis.attributionOptions,
                                              probeSample: probeSample, cache: session?.cache, progress: progress)
        ProgressLine.finish(progress)
        session?.printSummary()
        let data = try JSONOutput.data(calibration)
        if let output { try OutputWriter.write(data, to: output) }
        if json {
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let m = calibration.metrics
        say("labelled pairs: \(m.pairs) (\(m.distilledPairs) distilled, \(m.independentPairs) independent); panel \(calibration.panel.count) models")
        say("leave-one-student-out: AUC \(TextSummary.fmt(m.auc)), Cllr \(TextSummary.fmt(m.cllr)), Cllr_min \(TextSummary.fmt(m.cllrMin)), EER \(TextSummary.fmt(m.equalErrorRate))")
        say("right teacher first: \(m.rightTeacherFirst)/\(m.distilledStudents) distilled students")
        say("verdicts: false 'distilled' \(m.falseDistilled)/\(m.independentPairs), missed \(m.missedDistilled)/\(m.distilledPairs), inconclusive \(m.inconclusive)")
        say("map: log10 LR = \(String(format: "%.4f", calibration.map.intercept)) + \(String(format: "%.4f", calibration.map.slope)) × score, bounded to [\(TextSummary.fmt(calibration.map.lowerBound)), \(TextSummary.fmt(calibration.map.upperBound))]")
        for pair in calibration.pairs.sorted(by: { ($0.student, -$0.score) < ($1.student, -$1.score) }) {
            say("  \(TextSummary.pad(TerminalText.field(pair.student), 22))\(TextSummary.pad(TerminalText.field(pair.teacher), 22))\(pair.distilled ? "distilled  " : "independent")  score \(TextSummary.fmt(pair.score))  log10 LR \(TextSummary.fmt(pair.log10LikelihoodRatio))  \(pair.verdict.rawValue)")
        }
        if let output { say("calibration written to \(output)") }
    }
}
