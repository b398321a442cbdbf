/// One number the verdict weighs for a (student, candidate) pair, named as calibration files name it.
///
/// - `ngram`: the impostor score (`ImpostorScore`) of the content families (character and word n-grams):
///   how many panel standard deviations the student is closer to the candidate, in what it says, than to
///   a typical panel model.
/// - `<family>` for a structure family (`markdown`, `lines`, `edges`, `phrases`, `shape`, `style`): the
///   mean over probes of the cosine of the two models' *prompt-centred* family vectors (`PromptCentring`):
///   how far they share a habit of shaping answers beyond what each prompt asks for.
/// - `<family>.z`: that mean, standardised against the panel as the impostor score is.
public struct EvidenceFeature: Sendable, Hashable, CustomStringConvertible {
    public enum Statistic: Sendable, Hashable { case meanCosine, impostorScore }

    /// nil for `ngram` (the content families together).
    public var family: FeatureFamily?
    public var statistic: Statistic

    public static let ngram = EvidenceFeature(family: nil, statistic: .impostorScore)

    /// The features the shipped calibration weighs, chosen by nested leave-one-student-out selection on the
    /// AlpacaEval pairs among seven candidate sets (docs/METHOD.md, "How the verdict was chosen").
    public static let standard: [EvidenceFeature] = [
        .ngram, .init(family: .edges, statistic: .meanCosine), .init(family: .phrases, statistic: .impostorScore),
        .init(family: .lineStarts, statistic: .meanCosine), .init(family: .markdown, statistic: .meanCosine),
        .init(family: .shape, statistic: .meanCosine),
    ]

    /// The standard features an embedding model can compute: all of them for ngram-v3 and later; for a
    /// model without structure families (ngram-v2, ngram-v1, a test model) the n-gram score alone.
    public static func standard(for model: EmbeddingModel) -> [EvidenceFeature] {
        standard.filter { feature in feature.family.map { model.layout($0) != nil } ?? true }
    }

    /// The family whose cosines the feature reads, as `LengthShift.family` names it: "ngram" for the content
    /// families together.
    var familyName: String { family?.description ?? Self.ngram.description }

    public var description: String {
        guard let family else { return "ngram" }
        return family.description + (statistic == .impostorScore ? ".z" : "")
    }

    public init(family: FeatureFamily?, statistic: Statistic) {
        self.family = family
        self.statistic = statistic
    }

    /// Parses a name as `description` writes it.
    public init?(name: String) {
        if name == "ngram" { self = .ngram; return }
        let z = name.hasSuffix(".z")
        guard let family = FeatureFamily(name: z ? String(name.dropLast(2)) : name), family.isStructure else { return nil }
        self.init(family: family, statistic: z ? .impostorScore : .meanCosine)
    }

    /// Parses names, or says which one is not a feature (and which are).
    public static func parse(_ names: [String]) throws(AttributionError) -> [EvidenceFeature] {
        try names.map { name throws(AttributionError) -> EvidenceFeature in
            guard let feature = EvidenceFeature(name: name) else {
                let known = ["ngram"] + FeatureFamily.allCases.filter(\.isStructure).flatMap { [$0.description, $0.description + ".z"] }
                throw AttributionError(description: "unknown evidence feature \"\(name)\" (known: \(known.joined(separator: ", ")))")
            }
            return feature
        }
    }
}
