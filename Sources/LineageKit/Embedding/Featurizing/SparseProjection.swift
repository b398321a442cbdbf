/// The random projection from hashed buckets to embedding columns, regenerated from the model's seed.
///
/// Each bucket is sent to `nonzeros` columns of its family's block with random signs — a sparse
/// Johnson–Lindenstrauss transform (Kane & Nelson, "Sparser Johnson–Lindenstrauss transforms", JACM 2014;
/// in the line of Achlioptas 2003 and Li, Hastie & Church 2006's very sparse projections). Inner products,
/// hence cosines, are preserved in expectation with error ~1/√dims per answer pair, which averages down over
/// probes. Nothing is stored: column and sign come from SplitMix64 of (seed, bucket).
struct SparseProjection: Sendable {
    let seed: UInt64
    let nonzeros: Int

    /// The projection of `model` (its seed and non-zeros per bucket).
    init(model: EmbeddingModel) {
        seed = model.projectionSeed
        nonzeros = model.projectionNonzeros
    }

    /// Calls `body(column, signBit)` for each of the bucket's `nonzeros` entries, columns in `0..<dims`;
    /// `signBit` is 0 for +1 and `1 << 31` for −1, to be XORed into a Float's bits (a sign taken by a
    /// branch was mispredicted on half the features).
    @inline(__always)
    func forEachEntry(bucket: UInt32, dims: Int, _ body: (Int, UInt32) -> Void) {
        var h = StableHash.mix(seed ^ (UInt64(bucket) &* 0x9e37_79b9_7f4a_7c15))
        for j in 0..<nonzeros {
            if j > 0 && j % 2 == 0 { h = StableHash.mix(h) }
            let part = j % 2 == 0 ? (h & 0xffff_ffff) : (h >> 32)
            let column = Int(((part >> 1) &* UInt64(dims)) >> 31)
            body(column, UInt32(truncatingIfNeeded: part & 1) << 31)
        }
    }

    /// `value` with its sign flipped when `signBit` is set.
    @inline(__always)
    static func signed(_ value: Float, _ signBit: UInt32) -> Float {
        Float(bitPattern: value.bitPattern ^ signBit)
    }
}
