import ArgumentParser
import Foundation
import LineageKit

struct AttributeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attribute",
        abstract: "Rank candidate teachers of a student, each judged against the panel."
    )

    @Option(help: "The student's recording.")
    var student: String?

    @Option(parsing: .upToNextOption,
            help: "Several students' recordings or folders of them: each is ranked against the same candidates and panel, every file embedded once (a batch; give --student or --students).")
    var students: [String] = []

    @Option(name: .customLong("candidate"), help: "A candidate teacher's recording (repeat for several).")
    var candidates: [String]

    @OptionGroup var analysis: AnalysisOptions

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    @OptionGroup var report: ReportOutputOptions

    @OptionGroup var verdictOutput: VerdictOutputOptions

    func validate() throws {
        guard !candidates.isEmpty else { throw ValidationError("give at least one --candidate") }
        guard (student == nil) != students.isEmpty else { throw ValidationError("give either --student or --students") }
        try verdictOutput.validate(json: json)
    }

    func run() throws {
        ProcessMemory.keepFreedMemoryForReuse()
        guard let student else { return try runBatch() }
        if let out = report.out {
            let invocation = try analysis.reportInvocation(subcommand: "attribute", student: student, candidates: candidates)
            let outcome = try writeReport(invocation, into: out, analysis: analysis)
            printError("report: \((out as NSString).appendingPathComponent(ReportBuilder.htmlFile)) (and report.md, report.json, ranking.csv, manifest.json)")
            try verdictOutput.emit(outcome.result, json: json) { try JSONOutput.string(AttributionDocument(outcome.result)) }
            return
        }
        let result = try runAttribution(student: student, candidates: candidates, analysis: analysis)
        try verdictOutput.emit(result, json: json) { try JSONOutput.string(AttributionDocument(result)) }
    }
}

extension AttributeCommand {
    /// `--students`: one table of every student's ranking (text), or one JSON document whose `results` hold,
    /// per student, exactly the `attribute --json` document of a single run; with `--out`, a folder with that
    /// document as batch.json, the rankings as ranking.csv, and a manifest `lineage verify` re-runs.
    func runBatch() throws {
        let files = try expandRecordingArguments(students)
        let session = analysis.cacheOptions.open()
        let progress = analysis.progress
        let results: [AttributionResult]
        do {
            defer { ProgressLine.finish(progress) }
            if let out = report.out {
                let invocation = try analysis.reportInvocation(subcommand: "attribute", student: nil, students: files,
                                                               candidates: candidates)
                results = try BatchReportBuilder.run(invocation, into: out, progress: progress, cache: session?.cache)
                printError("batch: \((out as NSString).appendingPathComponent(BatchReportBuilder.jsonFile)) (and ranking.csv, manifest.json)")
            } else {
                let request = try analysis.attributionRequest(student: "", candidates: candidates, cache: session?.cache)
                results = try BatchAttribution.run(students: files, request, progress: progress)
            }
        }
        session?.printSummary()
        for result in results where result.candidates.count < candidates.count {
            printError("note: \(result.student.model) is itself a candidate; it is ranked among the other \(result.candidates.count)")
        }
        if json {
            // A student at a time: the whole document of a large batch is more than the batch's inputs.
            try BatchDocument(results).write { print(String(decoding: $0, as: UTF8.self), terminator: "") }
            print()
        } else if verdictOutput.csv {
            // One long table: each student's ranking rows, as its own run's ranking.csv has them.
            print(RankingTable.table(results).text(), terminator: "")
        } else {
            say(TextSummary.pad("student", 32) + TextSummary.pad("top candidate", 26) + TextSummary.pad("score", 8)
                + TextSummary.pad("log10 LR", 10) + TextSummary.pad("first, length corrected", 26) + "verdict")
            for result in results {
                guard let top = result.ranking.first else { continue }
                // The length check's first candidate: "same" where it is the verdict's, "–" without a check.
                let check = result.lengthCheck.map { $0.agrees ? "same" : TerminalText.field($0.first) } ?? "–"
                say(TextSummary.pad(TerminalText.field(result.student.model), 32) + TextSummary.pad(TerminalText.field(top.model), 26)
                    + TextSummary.pad(TextSummary.fmt(top.score), 8) + TextSummary.pad(TextSummary.fmt(top.log10LikelihoodRatio), 10)
                    + TextSummary.pad(check, 26)
                    + VerdictWording.label(top) + (top.inconclusiveReasons == nil ? "" : " (evidence outside the calibration)"))
            }
        }
        // --fail-on: exit 3 when any student's top verdict is one of those named.
        if results.contains(where: { result in result.ranking.first.map { verdictOutput.failOn.map(\.rawValue).contains($0.verdict.rawValue) } ?? false }) {
            throw ExitCode(VerdictOutputOptions.verdictExitCode)
        }
    }
}

/// Reads everything an attribution needs from the options and runs it.
func runAttribution(student: String, candidates: [String], analysis: AnalysisOptions) throws -> AttributionResult {
    let session = analysis.cacheOptions.open()
    let request = try analysis.attributionRequest(student: student, candidates: candidates, cache: session?.cache)
    let progress = analysis.progress
    let result: AttributionResult
    do {
        defer { ProgressLine.finish(progress) }
        result = try Attribution.run(request, progress: progress)
    }
    session?.printSummary()
    return result
}

extension AnalysisOptions {
    /// The request these options mean for a student (empty for a batch) and its candidates: the probe set,
    /// its panel, the embedding model and the calibration, loaded once.
    func attributionRequest(student: String, candidates: [String], cache: EmbeddingCache?) throws -> AttributionRequest {
        let set = try probeSet()
        return AttributionRequest(
            student: student, candidates: candidates, panel: try panelFiles(for: set), probeSet: set,
            inputFormat: input.inputFormat, model: try embeddingModel().embeddingOnly(), calibration: try loadCalibration(for: set),
            options: attributionOptions, cache: cache)
    }
}
