import Foundation

/// Runs an `attribute --students … --out DIR` invocation and writes its folder: `batch.json` (the
/// `--json` document), `ranking.csv` (every student's ranking rows) and the manifest that `lineage verify`
/// re-runs. Per-student HTML reports are what single `attribute --out` runs are for.
public enum BatchReportBuilder {
    public static let jsonFile = "batch.json"

    public static func run(_ invocation: ReportInvocation, into directory: String,
                           progress: (@Sendable (String) -> Void)? = nil,
                           cache: EmbeddingCache? = nil) throws -> [AttributionResult] {
        guard invocation.subcommand == "attribute", invocation.student == nil, !invocation.files.isEmpty,
              !invocation.candidates.isEmpty else {
            throw ReportError("a batch report needs the attribute subcommand, students and at least one candidate")
        }
        progress?("hashing \(invocation.inputFiles.count) input files")
        let inputs = try Manifest.inputs(of: invocation)
        let folder = try ResultFolder.reserve(directory, inputs: inputs.map(\.resolved))
        defer { folder.release() }
        var request = try invocation.request(student: "")
        request.cache = cache
        let results = try BatchAttribution.run(students: invocation.files, request, progress: progress)
        _ = try ReportBuilder.write([(jsonFile, try BatchDocument(results).data()),
                                     (RankingTable.file, Data(RankingTable.table(results).text().utf8))],
                                    invocation: invocation, inputs: inputs, into: folder)
        return results
    }
}
