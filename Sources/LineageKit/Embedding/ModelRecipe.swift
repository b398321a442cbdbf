import Foundation

/// The documented inputs a model file is built from (`scripts/model/ngram-v1.recipe.json`): families,
/// their buckets, dimensions and weights, the seeds, and the corpus the IDF is fitted on. `lineage model
/// build` turns a recipe into the same bytes every time.
public struct ModelRecipe: Sendable, Codable, Equatable {
    public struct Family: Sendable, Codable, Equatable {
        public var family: String
        public var seed: UInt64
        public var buckets: Int
        public var dimensions: Int
        public var weight: Float
        public var minN: Int
        public var maxN: Int

        enum CodingKeys: String, CodingKey {
            case family, seed, buckets, dimensions, weight, minN = "min_n", maxN = "max_n"
        }
    }

    public var name: String
    public var projectionSeed: UInt64
    public var projectionNonzeros: Int
    public var lowercase: Bool
    public var families: [Family]
    /// Folder of recordings whose answers the IDF is fitted on, relative to the repository root.
    public var idfCorpus: String
    /// Probe set the corpus is aligned to.
    public var probes: String

    enum CodingKeys: String, CodingKey {
        case name, projectionSeed = "projection_seed", projectionNonzeros = "projection_nonzeros", lowercase,
             families, idfCorpus = "idf_corpus", probes
    }

    public static func load(path: String) throws(EmbeddingModelError) -> ModelRecipe {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try JSONDecoder().decode(ModelRecipe.self, from: data)
        } catch {
            throw EmbeddingModelError(path: path, "cannot read the recipe: \(error)")
        }
    }

    /// The model this recipe describes, with an IDF of ones (fit it with `IDFFitter`).
    public func unfittedModel() throws(EmbeddingModelError) -> EmbeddingModel {
        var layouts: [FamilyLayout] = []
        var buckets = 0, columns = 0
        for f in families {
            guard let family = FeatureFamily(name: f.family) else {
                throw EmbeddingModelError(path: name, "unknown family \"\(f.family)\" (char, word, style)")
            }
            guard f.buckets > 0, f.dimensions >= 0, f.weight >= 0, f.minN >= 1, f.minN <= f.maxN else {
                throw EmbeddingModelError(path: name, "family \(f.family) has invalid parameters")
            }
            layouts.append(FamilyLayout(family: family, seed: f.seed, bucketOffset: buckets, bucketCount: f.buckets,
                                        columnOffset: columns, dimensions: f.dimensions, weight: f.weight,
                                        minN: f.minN, maxN: f.maxN))
            buckets += f.buckets
            columns += f.dimensions
        }
        return EmbeddingModel(name: name, projectionSeed: projectionSeed, lowercase: lowercase,
                              projectionNonzeros: projectionNonzeros, documents: 0, families: layouts,
                              idf: [Float](repeating: 1, count: buckets))
    }
}
