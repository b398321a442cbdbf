import Foundation

/// The documented inputs a model file is built from (`scripts/model/ngram-v2.recipe.json`): families,
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
        /// Keep about 1 n-gram type in 2^sampleShift (`FamilyLayout.sampleShift`); absent means 0, keep all.
        public var sampleShift: Int

        public init(family: String, seed: UInt64, buckets: Int, dimensions: Int, weight: Float, minN: Int, maxN: Int,
                    sampleShift: Int = 0) {
            self.family = family
            self.seed = seed
            self.buckets = buckets
            self.dimensions = dimensions
            self.weight = weight
            self.minN = minN
            self.maxN = maxN
            self.sampleShift = sampleShift
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(family: try c.decode(String.self, forKey: .family), seed: try c.decode(UInt64.self, forKey: .seed),
                      buckets: try c.decode(Int.self, forKey: .buckets), dimensions: try c.decode(Int.self, forKey: .dimensions),
                      weight: try c.decode(Float.self, forKey: .weight), minN: try c.decode(Int.self, forKey: .minN),
                      maxN: try c.decode(Int.self, forKey: .maxN),
                      sampleShift: try c.decodeIfPresent(Int.self, forKey: .sampleShift) ?? 0)
        }

        enum CodingKeys: String, CodingKey {
            case family, seed, buckets, dimensions, weight, minN = "min_n", maxN = "max_n", sampleShift = "sample_shift"
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
                throw EmbeddingModelError(path: name, "unknown family \"\(f.family)\" (\(FeatureFamily.allCases.map(\.description).joined(separator: ", ")))")
            }
            guard f.buckets > 0, f.dimensions >= 0, f.weight >= 0, f.minN >= 1, f.minN <= f.maxN else {
                throw EmbeddingModelError(path: name, "family \(f.family) has invalid parameters")
            }
            guard FamilyLayout.isValidSampleShift(f.sampleShift, for: family) else {
                throw EmbeddingModelError(path: name, "family \(f.family): sample_shift must be 0...\(FamilyLayout.maximumSampleShift), and 0 for the structure families")
            }
            layouts.append(FamilyLayout(family: family, seed: f.seed, bucketOffset: buckets, bucketCount: f.buckets,
                                        columnOffset: columns, dimensions: f.dimensions, weight: f.weight,
                                        minN: f.minN, maxN: f.maxN, sampleShift: f.sampleShift))
            buckets += f.buckets
            columns += f.dimensions
        }
        return EmbeddingModel(name: name, projectionSeed: projectionSeed, lowercase: lowercase,
                              projectionNonzeros: projectionNonzeros, documents: 0, families: layouts,
                              idf: [Float](repeating: 1, count: buckets))
    }
}
