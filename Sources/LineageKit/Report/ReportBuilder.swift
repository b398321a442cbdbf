import Foundation

/// Runs a compare/attribute invocation and writes its result folder: `report.json`, `report.md`,
/// `report.html`, `ranking.csv`, the plots as `.svg`, and `manifest.json` with the SHA-256 of every input and output.
public enum ReportBuilder {
    public static let jsonFile = "report.json"
    public static let markdownFile = "report.md"
    public static let htmlFile = "report.html"

    /// What a run produced.
    public struct Outcome: Sendable {
        public var result: AttributionResult
        public var analysis: ReportAnalysis
        public var manifest: Manifest
        public var directory: String
        public var htmlPath: String { (directory as NSString).appendingPathComponent(ReportBuilder.htmlFile) }
    }

    /// Hashes the inputs, runs the attribution, computes the exhibits and writes the folder.
    /// Relative paths in `invocation` are read relative to the process's current directory, which the
    /// caller sets to `invocation.workingDirectory`. `cache`: where embeddings may come from (never part
    /// of the invocation: `verify` always recomputes them).
    public static func run(_ invocation: ReportInvocation, into directory: String,
                           progress: (@Sendable (String) -> Void)? = nil,
                           cache: EmbeddingCache? = nil) throws -> Outcome {
        guard invocation.subcommand == "compare" || invocation.subcommand == "attribute",
              let student = invocation.student, !invocation.candidates.isEmpty else {
            throw ReportError("a report needs the compare or attribute subcommand, a student and at least one candidate")
        }
        progress?("hashing \(invocation.inputFiles.count) input files")
        let inputs = try Manifest.inputs(of: invocation)
        let folder = try ResultFolder.reserve(directory, inputs: inputs.map(\.resolved))
        defer { folder.release() }
        var request = try invocation.request(student: student)
        request.cache = cache
        let (set, model, calibration) = (request.probeSet, request.model, request.calibration)
        let run = try Attribution.runKeepingInputs(request, progress: progress)
        let analysis = ReportAnalysis.compute(run: run, model: model, probeSet: set, progress: progress)
        let compare = invocation.subcommand == "compare"
        progress?("writing the report")
        let (document, plots) = AttributionReport.document(result: run.result, analysis: analysis, compare: compare,
                                                            calibrationPairs: calibration.pairs)
        let json: Data = compare
            ? try JSONOutput.data(ReportJSON(comparison: Comparison(run.result), analysis: analysis))
            : try JSONOutput.data(ReportJSON(attribution: run.result, analysis: analysis))
        var files: [(String, Data)] = [(jsonFile, json), (markdownFile, Data(document.markdown().utf8)),
                                       (htmlFile, Data(document.html().utf8)),
                                       (RankingTable.file, Data(RankingTable.table(run.result).text().utf8))]
        files += plots.map { ($0.0, Data($0.1.utf8)) }
        let manifest = try write(files, invocation: invocation, inputs: inputs, into: folder)
        return Outcome(result: run.result, analysis: analysis, manifest: manifest, directory: directory)
    }

    /// Writes output files, then the manifest listing their hashes (shared with the matrix report), as one
    /// result folder put in place whole (`ResultFolder`).
    static func write(_ files: [(String, Data)], invocation: ReportInvocation, inputs: [Manifest.InputFile],
                      into directory: String) throws(ReportError) -> Manifest {
        let folder = try ResultFolder.reserve(directory, inputs: inputs.map(\.resolved))
        defer { folder.release() }
        return try write(files, invocation: invocation, inputs: inputs, into: folder)
    }

    /// `write(_:invocation:inputs:into:)` into a folder reserved when the run began.
    static func write(_ files: [(String, Data)], invocation: ReportInvocation, inputs: [Manifest.InputFile],
                      into folder: ResultFolder) throws(ReportError) -> Manifest {
        var written: Manifest?
        try folder.write(files) { (outputs) throws(ReportError) -> Data in
            let manifest = Manifest(tool: .init(name: ToolInfo.name, version: ToolInfo.version), invocation: invocation,
                                    inputs: inputs, outputs: outputs)
            written = manifest
            do { return try JSONOutput.data(manifest) } catch { throw ReportError("cannot encode the manifest: \(error)") }
        }
        guard let written else { throw ReportError("the manifest of \(folder.shown) was not written") }
        return written
    }
}

/// `report.json`: the `compare --json` or `attribute --json` document, plus the report's exhibits.
struct ReportJSON: Encodable {
    var comparison: Comparison?
    var attribution: AttributionResult?
    var analysis: ReportAnalysis

    init(comparison: Comparison, analysis: ReportAnalysis) {
        self.comparison = comparison
        self.analysis = analysis
    }

    init(attribution: AttributionResult, analysis: ReportAnalysis) {
        self.attribution = attribution
        self.analysis = analysis
    }

    enum CodingKeys: String, CodingKey { case exhibits }

    /// The same keys as the command's `--json` output, with `exhibits` added.
    func encode(to encoder: Encoder) throws {
        if let comparison {
            try comparison.encode(to: encoder)
        } else if let attribution {
            try AttributionDocument(attribution).encode(to: encoder)
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(analysis, forKey: .exhibits)
    }
}
