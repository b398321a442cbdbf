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

    func run() throws {
        if let out = report.out {
            let invocation = try analysis.reportInvocation(subcommand: "compare", student: student, candidates: [teacher])
            let outcome = try writeReport(invocation, into: out, analysis: analysis)
            if json { print(try JSONOutput.string(Comparison(outcome.result))) } else { say(TextSummary.attribution(outcome.result)) }
            printError("report: \((out as NSString).appendingPathComponent(ReportBuilder.htmlFile)) (and report.md, report.json, manifest.json)")
            return
        }
        let result = try runAttribution(student: student, candidates: [teacher], analysis: analysis)
        if json {
            print(try JSONOutput.string(Comparison(result)))
        } else {
            say(TextSummary.attribution(result))
        }
    }
}
