/// `FamilyLayout.bucket` with its parameters held in registers for the n-gram loops.
///
/// For a bucket count of 2ᵏ the multiply-shift `((x >> 32) · 2ᵏ) >> 32` is exactly `x >> (64 − k)`, so a
/// power-of-two family (every family of the bundled model) takes its bucket with one shift instead of a
/// multiplication: the same bucket, one multiplication fewer per n-gram.
struct BucketMap {
    private let scale: UInt64
    /// The family's first bucket, added to every bucket.
    let offset: UInt32
    /// `64 − k` for 2ᵏ buckets (1 ≤ k ≤ 32), otherwise 0 (multiply-shift).
    let shift: UInt64
    /// The low hash bits that must be zero for an n-gram to be kept (`FamilyLayout.sampleShift`; 0 keeps all).
    let sampleMask: UInt64

    init(_ layout: FamilyLayout) {
        sampleMask = (1 << UInt64(layout.sampleShift)) &- 1
        scale = UInt64(layout.bucketCount)
        offset = UInt32(truncatingIfNeeded: layout.bucketOffset)
        let count = layout.bucketCount
        let isPowerOfTwo = count >= 2 && count <= 1 << 32 && count & (count - 1) == 0
        shift = isPowerOfTwo ? UInt64(64 - count.trailingZeroBitCount) : 0
    }

    @inline(__always)
    func callAsFunction(_ hash: UInt64) -> UInt32 {
        if shift != 0 { return UInt32(truncatingIfNeeded: hash >> shift) &+ offset }
        return UInt32(truncatingIfNeeded: ((hash >> 32) &* scale) >> 32) &+ offset
    }

    /// Writes the bucket of a finalised hash at `out[count]` and advances `count` when sampling keeps the
    /// n-gram: a dropped one is overwritten by the next, so sampling costs no branch.
    @inline(__always)
    func emit(_ hash: UInt64, into out: UnsafeMutablePointer<UInt32>, count: inout Int) {
        out[count] = self(hash)
        count &+= hash & sampleMask == 0 ? 1 : 0
    }
}
