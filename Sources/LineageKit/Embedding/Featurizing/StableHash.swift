/// The one hash every n-gram, word and style token goes through: FNV-1a 64 over UTF-8 bytes, started
/// from a family seed, with the SplitMix64 finaliser applied before a bucket is taken.
///
/// FNV-1a (Fowler, Noll & Vo; IETF draft-eastlake-fnv) is written out here rather than taken from
/// Swift's `Hasher`, which is randomly seeded per process: the model file's IDF table is indexed by
/// these buckets, so the hash must give the same value on every platform, run and Swift version.
/// FNV's low bits mix poorly, so buckets are cut from the finalised value (Steele, Lea & Flood,
/// "Fast splittable pseudorandom number generators", OOPSLA 2014).
public struct StableHash: Sendable, Equatable {
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01B3

    public private(set) var state: UInt64

    /// A hash started from `seed` (the FNV offset basis mixed with the seed, so seed 0 is plain FNV-1a).
    @inline(__always)
    public init(seed: UInt64) { state = Self.offsetBasis ^ seed }

    @inline(__always)
    public mutating func add(_ byte: UInt8) {
        state = (state ^ UInt64(byte)) &* Self.prime
    }

    @inline(__always)
    public mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        var h = state
        for byte in bytes { h = (h ^ UInt64(byte)) &* Self.prime }
        state = h
    }

    public mutating func add(_ text: String) {
        var h = state
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* Self.prime }
        state = h
    }

    /// The finalised 64-bit value.
    @inline(__always)
    public var value: UInt64 { Self.mix(state) }

    /// SplitMix64's finaliser: a bijection that spreads every input bit over every output bit.
    @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// FNV-1a 64 of a string's UTF-8 bytes from `seed`, finalised.
    public static func hash(_ text: String, seed: UInt64) -> UInt64 {
        var h = StableHash(seed: seed)
        h.add(text)
        return h.value
    }

    /// Combines two finalised hashes into one (order matters): how word bigrams are hashed from their
    /// unigram hashes without building the bigram's text.
    @inline(__always)
    public static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        mix(a &* 0x9e37_79b9_7f4a_7c15 ^ (b &+ 0x632b_e59b_d9b4_e019))
    }
}
