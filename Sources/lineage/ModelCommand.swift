import ArgumentParser
import Foundation
import LineageKit

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect or rebuild the n-gram embedding model.",
        subcommands: [Info.self, Build.self]
    )

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the model's version, dimensions, families and SHA-256.")

        @Option(help: "Model file, or a bundled model's name (default: the bundled ngram-v2).")
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
        var recipe: String = "scripts/model/ngram-v2.recipe.json"

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
}
