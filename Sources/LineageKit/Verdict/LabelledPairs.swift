import Foundation

/// Labelled pairs, in the format of AlpacaEval's `pairs.json`.
public struct LabelledPairs: Sendable, Codable {
    public var candidates: [String]
    public var pairs: [LabelledPair]
    /// SHA-256 of the file's bytes (nil when not read from a file; not part of the format).
    public var sha256: String? = nil

    enum CodingKeys: String, CodingKey { case candidates, pairs }

    public static func load(path: String) throws -> LabelledPairs {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError(.unreadable, at: SourceLocation(path: path), "cannot read: \(error.localizedDescription)")
        }
        var labelled: LabelledPairs
        do { labelled = try JSONDecoder().decode(LabelledPairs.self, from: data) } catch {
            throw InputError(.malformedJSON, at: SourceLocation(path: path),
                             "not a pairs file ({\"candidates\": [...], \"pairs\": [{\"student\", \"teacher\", \"distilled\"}]}): \(error)")
        }
        labelled.sha256 = SHA256Digest.hex(of: data)
        var seen: Set<String> = []
        for (k, pair) in labelled.pairs.enumerated() {
            guard seen.insert("\(pair.student)\u{0}\(pair.teacher)").inserted else {
                throw InputError(.malformedJSON, at: SourceLocation(path: path),
                                 "pair \(k + 1) (\(pair.student) → \(pair.teacher)) is listed twice")
            }
            if let tier = pair.confidence, !LabelledPair.tiers.contains(tier) {
                throw InputError(.malformedJSON, at: SourceLocation(path: path),
                                 "pair \(k + 1) (\(pair.student) → \(pair.teacher)): confidence \"\(tier)\" is not one of \(LabelledPair.tiers.joined(separator: ", "))")
            }
        }
        return labelled
    }
}

public struct LabelledPair: Sendable, Codable, Equatable {
    public var student: String
    public var teacher: String
    public var distilled: Bool
    /// `high` (documented in a model card or paper) or `medium` (the family's data is documented, this
    /// variant's is not); nil in older pair files, counted as neither tier.
    public var confidence: String?
    public var evidence: String?

    /// The confidence tiers results are reported for, besides all pairs together.
    public static let tiers = ["high", "medium"]
}
