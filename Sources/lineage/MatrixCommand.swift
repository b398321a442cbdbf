import ArgumentParser
import Foundation
import LineageKit

struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Embed recordings and print the N×N matrix of mean per-probe cosine similarity."
    )

    @Argument(help: "Recording files (JSONL, AlpacaEval JSON, OpenAI Batch output, CSV).")
    var files: [String]

    @OptionGroup var input: InputOptions

    @Option(help: "Embedding model file (default: the bundled ngram-v1).")
    var model: String?

    @Option(help: "Worker threads for featurizing (default: all cores).")
    var threads: Int?

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    @OptionGroup var report: MatrixReportOptions

    @OptionGroup var cacheOptions: CacheOptions

    func run() throws {
        let cache = cacheOptions.open()
        if let out = report.out {
            try report.write(files: files, input: input, model: model, into: out, cache: cache)
            return
        }
        let set = try ProbeSet.resolve(input.probes)
        let embeddingModel = try EmbeddingModel.load(path: model).embeddingOnly()
        let embedder = Embedder(model: embeddingModel, threads: threads)
        let stack = try embedder.embedStack(files: files, probeSet: set, format: input.inputFormat, cache: cache?.cache)
        cache?.printSummary()
        let matrix = SimilarityMatrix.meanProbeCosine(stack)
        if json {
            let n = matrix.models.count
            let rows = (0..<n).map { i in
                (0..<n).map { j in matrix.probesCompared[i][j] > 0 ? Double(matrix.meanCosine[i, j]) : nil }
            }
            print(try JSONOutput.string(MatrixDocument(
                models: matrix.models, sources: matrix.sources, meanCosine: rows,
                impostorScore: matrix.impostorScores(), probesCompared: matrix.probesCompared,
                embeddingModel: .init(version: embeddingModel.version, sha256: embeddingModel.sha256))))
        } else {
            printTable(matrix, model: embeddingModel, probes: set.probes.count)
        }
    }

    private func printTable(_ matrix: SimilarityMatrix, model: EmbeddingModel, probes: Int) {
        let n = matrix.models.count
        print("mean per-probe cosine (\(model.version), sha256 \(model.sha256.prefix(12)); \(probes) probes)")
        let width = min(28, matrix.models.map(\.count).max() ?? 4)
        func label(_ s: String) -> String {
            let cut = s.count > width ? String(s.prefix(width - 1)) + "…" : s
            return cut.padding(toLength: width, withPad: " ", startingAt: 0)
        }
        print(label("") + "  " + (0..<n).map { String(format: "%6d", $0 + 1) }.joined())
        for i in 0..<n {
            let cells = (0..<n).map { j in
                matrix.probesCompared[i][j] > 0 ? String(format: "%6.3f", matrix.meanCosine[i, j]) : "     —"
            }.joined()
            print(label(matrix.models[i]) + String(format: "%2d", i + 1) + cells)
        }
    }
}

struct MatrixDocument: Encodable {
    struct ModelReference: Encodable {
        let version: String
        let sha256: String
    }

    let models: [String]
    let sources: [String]
    /// Null where two models share no probe (a model with no answers has no similarity to report).
    let meanCosine: [[Double?]]
    /// Row as student, column as candidate, the other models as the panel (`SimilarityMatrix.impostorScores`).
    let impostorScore: [[Double?]]
    let probesCompared: [[Int]]
    let embeddingModel: ModelReference

    enum CodingKeys: String, CodingKey {
        case models, sources, meanCosine = "mean_cosine", impostorScore = "impostor_score",
             probesCompared = "probes_compared", embeddingModel = "embedding_model"
    }
}
