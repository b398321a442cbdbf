import ArgumentParser
import Foundation
import LineageKit

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Judge whether a student was distilled from one teacher, against the panel."
    )

    @Option(help: "The student's recording.")
    var student: String

    @Option(help: "The candidate teacher's recording.")
    var teacher: String

    @OptionGroup var analysis: AnalysisOptions

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    @OptionGroup var report: ReportOutputOptions

    @OptionGroup var verdictOutput: VerdictOutputOptions

    func validate() throws { try verdictOutput.validate(json: json) }

    func run() throws {
        if let out = report.out {
            let invocation = try analysis.reportInvocation(subcommand: "compare", student: student, candidates: [teacher])
            let outcome = try writeReport(invocation, into: out, analysis: analysis)
            printError("report: \((out as NSString).appendingPathComponent(ReportBuilder.htmlFile)) (and report.md, report.json, ranking.csv, manifest.json)")
            try verdictOutput.emit(outcome.result, json: json) { try JSONOutput.string(Comparison(outcome.result)) }
            return
        }
        let result = try runAttribution(student: student, candidates: [teacher], analysis: analysis)
        try verdictOutput.emit(result, json: json) { try JSONOutput.string(Comparison(result)) }
    }
}
