/// The kinds of feature an answer is described by, each hashed into its own bucket range and projected
/// into its own block of embedding columns.
///
/// Two kinds: *content* families (character and word n-grams: what an answer says) and *structure*
/// families (how it is laid out: markdown, line openers, first and last words, stock phrases, length and
/// shape). The structure families each take one class of `StyleTokenizer`'s tokens; `style` takes them
/// all, as ngram-v1 defined it. The verdict compares the two kinds differently (`PairEvidence`).
public enum FeatureFamily: UInt32, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// Character n-grams (the model says which n; v1: 3–5) of the normalised text, line breaks included.
    case characters = 1
    /// Word unigrams and bigrams; a word is a run of letters, digits or `_`, every other visible
    /// character is a token of its own, and a line break is a token.
    case words = 2
    /// Habit tokens: first and last word, how each line opens, markdown use, stock phrases, length and
    /// shape buckets (see `StyleTokenizer`).
    case style = 3
    /// Markdown constructs, once per occurrence: headers by level, bullet, numbered and lettered items,
    /// bold and italic spans, inline code, code fences, tables, block quotes, links (`StyleTokenizer`'s
    /// `md:` tokens and the structural `line:` openers).
    case markdown = 4
    /// How each non-empty line opens (`line:` tokens: a markdown marker, a number, or the first word).
    case lineStarts = 5
    /// The form of the opening and the closing: the first and last word of the answer (`first:`, `last:`).
    case edges = 6
    /// Stock assistant phrases: openers, hedges, refusals, closers (`phrase:`).
    case phrases = 7
    /// Length and shape buckets: words, lines, share of list lines (`len:`, `lines:`, `listfrac:`).
    case shape = 8

    public var description: String {
        switch self {
        case .characters: "char"
        case .words: "word"
        case .style: "style"
        case .markdown: "markdown"
        case .lineStarts: "lines"
        case .edges: "edges"
        case .phrases: "phrases"
        case .shape: "shape"
        }
    }

    /// Whether the family is fed by `StyleTokenizer` (every family but the two n-gram ones).
    public var isStructure: Bool { self != .characters && self != .words }

    /// The structure families that take one token class each (all but `style`, which takes every class).
    public static let structureClasses: [FeatureFamily] = [.markdown, .lineStarts, .edges, .phrases, .shape]

    public init?(name: String) {
        guard let family = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = family
    }
}

/// Where one family lives in the model: its buckets (IDF rows), its embedding columns, its weight.
public struct FamilyLayout: Sendable, Equatable {
    public var family: FeatureFamily
    /// Seed of the family's hash, so the same string in two families lands in unrelated buckets.
    public var seed: UInt64
    public var bucketOffset: Int
    public var bucketCount: Int
    public var columnOffset: Int
    public var dimensions: Int
    /// Share of the combined cosine: with every block unit length, `cos = Σ w_b cos_b / Σ w_b`.
    public var weight: Float
    /// Smallest and largest n (characters for `.characters`, words for `.words`; unused for the structure families).
    public var minN: Int
    public var maxN: Int
    /// Hash sampling of the family's n-grams: one is kept when the low `sampleShift` bits of its finalised
    /// hash are zero, so about 1 in 2^sampleShift n-gram *types* is kept, the same ones in every answer
    /// (mod-m sampling of hashed shingles: Manber 1994, Broder 1997). Character and word families only;
    /// 0 keeps every n-gram. The bucket takes the hash's top bits, so which n-grams are kept and where
    /// they land are independent.
    public var sampleShift: Int

    public init(family: FeatureFamily, seed: UInt64, bucketOffset: Int, bucketCount: Int, columnOffset: Int,
                dimensions: Int, weight: Float, minN: Int, maxN: Int, sampleShift: Int = 0) {
        self.family = family
        self.seed = seed
        self.bucketOffset = bucketOffset
        self.bucketCount = bucketCount
        self.columnOffset = columnOffset
        self.dimensions = dimensions
        self.weight = weight
        self.minN = minN
        self.maxN = maxN
        self.sampleShift = sampleShift
    }

    /// The largest `sampleShift` a model may use: the bucket takes at most the top 32 hash bits.
    public static let maximumSampleShift = 16

    /// Whether `shift` is a sample shift `family` may have (recipes and model files are checked alike).
    static func isValidSampleShift(_ shift: Int, for family: FeatureFamily) -> Bool {
        (0...maximumSampleShift).contains(shift) && (shift == 0 || !family.isStructure)
    }

    public var columns: Range<Int> { columnOffset..<(columnOffset + dimensions) }
    public var buckets: Range<Int> { bucketOffset..<(bucketOffset + bucketCount) }

    /// The bucket of a finalised hash: multiply-shift on the top 32 bits (Lemire 2019), no modulo bias
    /// worth naming and no power-of-two restriction (`BucketMap`, which the n-gram loops hold).
    @inline(__always)
    func bucket(_ hash: UInt64) -> UInt32 { BucketMap(self)(hash) }
}
