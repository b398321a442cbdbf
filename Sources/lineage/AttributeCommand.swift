import ArgumentParser
import Foundation
import LineageKit

struct AttributeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attribute",
        abstract: "Rank candidate teachers of a student, each judged against the panel."
    )

    @Option(help: "The student's recording.")
    var student: String

    @Option(name: .customLong("candidate"), help: "A candidate teacher's recording (repeat for several).")
    var candidates: [String]

    @OptionGroup var analysis: AnalysisOptions

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    @OptionGroup var report: ReportOutputOptions

    func validate() throws {
        guard !candidates.isEmpty else { throw ValidationError("give at least one --candidate") }
    }

    func run() throws {
        if let out = report.out {
            let invocation = try analysis.reportInvocation(subcommand: "attribute", student: student, candidates: candidates)
            let outcome = try writeReport(invocation, into: out, analysis: analysis)
            if json { print(try JSONOutput.string(AttributionDocument(outcome.result))) } else { say(TextSummary.attribution(outcome.result)) }
            printError("report: \((out as NSString).appendingPathComponent(ReportBuilder.htmlFile)) (and report.md, report.json, manifest.json)")
            return
        }
        let result = try runAttribution(student: student, candidates: candidates, analysis: analysis)
        if json {
            print(try JSONOutput.string(AttributionDocument(result)))
        } else {
            say(TextSummary.attribution(result))
        }
    }
}

/// Reads everything an attribution needs from the options and runs it.
func runAttribution(student: String, candidates: [String], analysis: AnalysisOptions) throws -> AttributionResult {
    let set = try analysis.probeSet()
    var request = AttributionRequest(
        student: student, candidates: candidates, panel: try analysis.panelFiles(for: set), probeSet: set,
        inputFormat: analysis.input.inputFormat, model: try analysis.embeddingModel(),
        calibration: try analysis.loadCalibration(for: set), options: analysis.attributionOptions)
    let session = analysis.cacheOptions.open()
    request.cache = session?.cache
    let progress = analysis.progress
    let result: AttributionResult
    do {
        defer { ProgressLine.finish(progress) }
        result = try Attribution.run(request, progress: progress)
    }
    session?.printSummary()
    return result
}

/// The `attribute --json` document: `student` and `ranking` first-class, the rest alongside.
struct AttributionDocument: Encodable {
    let result: AttributionResult
    init(_ result: AttributionResult) { self.result = result }

    enum CodingKeys: String, CodingKey { case student, ranking, details }
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(result.student.model, forKey: .student)
        try container.encode(result.ranking, forKey: .ranking)
        try container.encode(result, forKey: .details)
    }
}
