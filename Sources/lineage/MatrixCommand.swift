import ArgumentParser
import Foundation
import LineageKit

struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Embed recordings and print the N×N matrix of mean per-probe cosine similarity.",
        discussion: """
            Rows are labelled by model name. When several recordings name the same model, each is labelled \
            "NAME (FILE)", FILE being the shortest end of its path that tells it apart, and a warning on \
            stderr says so (also with --quiet, which only silences progress); JSON keeps the recordings' own \
            names in "models" and adds "labels", "duplicate_models" and "identical_files".
            """
    )

    @Argument(help: "Recording files (JSONL, AlpacaEval JSON, OpenAI Batch output, CSV), or folders of them.")
    var files: [String]

    @OptionGroup var input: InputOptions

    @Option(help: "Embedding model file, or a bundled model's name (default: the bundled ngram-v3; ngram-v2 and ngram-v1 replay older reports).")
    var model: String?

    @Option(help: "Worker threads for featurizing \(OptionRanges.threads.help), default: all cores.")
    var threads: Int?

    @Flag(help: "Print one JSON document on stdout (with --out: the folder's matrix.json; the tree and summary go to stderr).")
    var json = false

    @Flag(help: "Print every ordered pair as CSV on stdout (student,candidate,score,mean_cosine,probes_compared,…; RFC 4180; with --out: the folder's pairs.csv).")
    var csv = false

    @OptionGroup var report: MatrixReportOptions

    @OptionGroup var cacheOptions: CacheOptions

    func validate() throws {
        try OptionRanges.threads.check(threads)
        if csv && json { throw ValidationError("give --json or --csv, not both") }
    }

    func run() throws {
        let files = try expandRecordingArguments(self.files)
        let cache = cacheOptions.open()
        if let out = report.out {
            try report.write(files: files, input: input, model: model, into: out, cache: cache, json: json, csv: csv)
            return
        }
        let set = try ProbeSet.resolve(input.probes)
        try requireRegularFile(model, role: "embedding model")
        let embeddingModel = try EmbeddingModel.load(path: model).embeddingOnly()
        let embedder = Embedder(model: embeddingModel, threads: threads)
        let stack = try embedder.embedStack(files: files, probeSet: set, format: input.inputFormat, cache: cache?.cache)
        cache?.printSummary()
        let matrix = SimilarityMatrix.meanProbeCosine(stack)
        let labels = RecordingLabels(models: stack.models, sources: stack.sources, sha256s: stack.sha256s)
        Self.warn(labels)
        let n = matrix.models.count
        // Null where two models share no probe (a model with no answers has no similarity to report).
        let rows = (0..<n).map { i in
            (0..<n).map { j in matrix.probesCompared[i][j] > 0 ? Double(matrix.meanCosine[i, j]) : nil }
        }
        if json {
            print(try JSONOutput.string(MatrixDocument(
                models: matrix.models, labels: labels.labels, sources: matrix.sources,
                duplicateModels: labels.sharedNames, identicalFiles: labels.identicalFiles, meanCosine: rows,
                impostorScore: matrix.impostorScores(), probesCompared: matrix.probesCompared,
                embeddingModel: .init(version: embeddingModel.version, sha256: embeddingModel.sha256))))
        } else if csv {
            print(PairsTable.table(labels: labels.labels, sources: matrix.sources, scores: matrix.impostorScores(),
                                   meanCosine: rows, probesCompared: matrix.probesCompared).text(), terminator: "")
        } else {
            printTable(matrix, labels: labels.labels, model: embeddingModel, probes: set.probes.count)
        }
    }

    /// One stderr line per model name shared by several recordings and per file content given more than once
    /// (warnings about the input, so printed even with --quiet, which silences progress lines only).
    static func warn(_ labels: RecordingLabels) {
        for shared in labels.sharedNames {
            let F = TerminalText.field
            let rows = zip(shared.sources, shared.labels).map { "\(F($0)) as \"\(F($1))\"" }.joined(separator: ", ")
            printError("warning: \(shared.sources.count) recordings name the model \"\(F(shared.model))\"; labelled \(rows)")
        }
        for identical in labels.identicalFiles {
            printError("note: \(identical.sources.map(TerminalText.field).joined(separator: ", ")) have identical content (sha256 \(identical.sha256.prefix(12))); each is compared as a recording of its own")
        }
    }

    private func printTable(_ matrix: SimilarityMatrix, labels: [String], model: EmbeddingModel, probes: Int) {
        let n = matrix.models.count
        say("mean per-probe cosine (\(model.version), sha256 \(model.sha256.prefix(12)); \(probes) probes)")
        let shown = RecordingLabels.shortened(labels.map(TerminalText.field)) { $0.count > 28 ? String($0.prefix(27)) + "…" : $0 }
        let width = shown.map(\.count).max() ?? 4
        func label(_ s: String) -> String {
            s.padding(toLength: width, withPad: " ", startingAt: 0)
        }
        say(label("") + "  " + (0..<n).map { String(format: "%6d", $0 + 1) }.joined())
        for i in 0..<n {
            let cells = (0..<n).map { j in
                matrix.probesCompared[i][j] > 0 ? String(format: "%6.3f", matrix.meanCosine[i, j]) : "     —"
            }.joined()
            say(label(shown[i]) + String(format: "%2d", i + 1) + cells)
        }
    }
}

struct MatrixDocument: Encodable {
    struct ModelReference: Encodable {
        let version: String
        let sha256: String
    }

    /// The recordings' own model names (may repeat); `labels`: unique row labels (`RecordingLabels`).
    let models: [String]
    let labels: [String]
    let sources: [String]
    let duplicateModels: [RecordingLabels.SharedName]
    let identicalFiles: [RecordingLabels.IdenticalFiles]
    /// Null where two models share no probe (a model with no answers has no similarity to report).
    let meanCosine: [[Double?]]
    /// Row as student, column as candidate, the other models as the panel (`SimilarityMatrix.impostorScores`).
    let impostorScore: [[Double?]]
    let probesCompared: [[Int]]
    let embeddingModel: ModelReference

    enum CodingKeys: String, CodingKey {
        case models, labels, sources, duplicateModels = "duplicate_models", identicalFiles = "identical_files"
        case meanCosine = "mean_cosine", impostorScore = "impostor_score",
             probesCompared = "probes_compared", embeddingModel = "embedding_model"
    }
}
