import ArgumentParser
import Foundation
import LineageKit

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect or rebuild the n-gram embedding model.",
        subcommands: [Info.self, Build.self, Embed.self]
    )

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the model's version, dimensions, families and SHA-256.")

        @Option(help: "Model file, or a bundled model's name (default: the bundled ngram-v3).")
        var model: String?

        func run() throws {
            let m = try EmbeddingModel.load(path: model)
            print("model:      \(m.version)")
            print("path:       \(EmbeddingModel.file(for: model) ?? "?")")
            print("sha256:     \(m.sha256)")
            print("dimensions: \(m.dimensions)")
            print("buckets:    \(m.bucketCount)")
            print("idf:        fitted on \(m.documents) answers")
            print("lowercase:  \(m.lowercase)   projection: sparse, \(m.projectionNonzeros) non-zeros a bucket, seed \(m.projectionSeed)")
            for f in m.families {
                print("family \(f.family.description.padding(toLength: 5, withPad: " ", startingAt: 0)) n \(f.minN)–\(f.maxN)  buckets \(f.bucketCount)  columns \(f.columnOffset)..<\(f.columnOffset + f.dimensions)  weight \(f.weight)\(f.sampleShift > 0 ? "  sampled 1 in \(1 << f.sampleShift)" : "")")
            }
        }
    }

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Build a model file from a recipe (reproducibly).")

        @Option(help: "Recipe JSON (families, seeds, IDF corpus).")
        var recipe: String = "scripts/model/ngram-v3.recipe.json"

        @Option(help: "Where to write the model file.")
        var out: String

        @Option(help: "Worker threads \(OptionRanges.threads.help).")
        var threads: Int?

        func validate() throws {
            try OptionRanges.threads.check(threads)
        }

        func run() throws {
            let r = try ModelRecipe.load(path: recipe)
            let set = try ProbeSet.resolve(r.probes)
            var fitter = IDFFitter(model: try r.unfittedModel(), threads: threads)
            let corpus = try FileManager.default.contentsOfDirectory(atPath: r.idfCorpus)
                .filter { $0.hasSuffix(".jsonl") || $0.hasSuffix(".json") }.sorted()
            for name in corpus {
                let recording = try RecordingReader.read(path: (r.idfCorpus as NSString).appendingPathComponent(name))
                fitter.add(Aligner.align(recording, to: set).answers.flatMap { $0 })
            }
            let model = fitter.fittedModel()
            try model.serialized().write(to: URL(fileURLWithPath: out))
            print("wrote \(out): \(model.version), \(model.dimensions) dims, IDF on \(model.documents) answers of \(corpus.count) files, sha256 \(model.sha256)")
        }
    }

    /// Writes each recording's embedding matrix as raw Float32, for research scripts that study the
    /// model's families outside the engine (scripts/research/).
    struct Embed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write recordings' embeddings as raw little-endian Float32 (probes × dimensions) for research.")

        @Option(help: "Model file, or a bundled model's name (default: the bundled model).")
        var model: String?

        @OptionGroup var input: InputOptions

        @Option(help: "Folder to write <model>.f32 files and index.json into.")
        var out: String

        @Argument(help: "Recording files.")
        var files: [String]

        func run() throws {
            let m = try EmbeddingModel.load(path: model)
            let set = try ProbeSet.resolve(input.probes)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let embedded = try Embedder(model: m).embed(files: files, probeSet: set, format: input.inputFormat)
            var index: [[String: Any]] = []
            for recording in embedded {
                let bytes = recording.embeddings.values.withUnsafeBufferPointer { Data(buffer: $0) }
                try bytes.write(to: URL(fileURLWithPath: "\(out)/\(recording.model).f32"))
                index.append(["model": recording.model, "answered": recording.answered])
            }
            let families = Dictionary(uniqueKeysWithValues: m.families.map {
                ($0.family.description, [$0.columnOffset, $0.columnOffset + $0.dimensions]) })
            let document: [String: Any] = ["model": m.version, "sha256": m.sha256, "probes": set.probes.count,
                                           "dimensions": m.dimensions, "families": families, "recordings": index]
            try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
                .write(to: URL(fileURLWithPath: "\(out)/index.json"))
            print("wrote \(embedded.count) embeddings (\(set.probes.count) × \(m.dimensions)) to \(out)")
        }
    }
}
