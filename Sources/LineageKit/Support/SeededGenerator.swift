/// A seeded, platform-independent random number generator (SplitMix64; Steele, Lea & Flood 2014).
///
/// Every random choice in Lineage (permutations, bootstrap resamples) comes from one of these, with
/// the seed recorded in the manifest, so a result can be replayed bit for bit on any machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` without modulo bias (Lemire 2019), identical on every platform
    /// (Swift's own `Int.random(in:using:)` is not guaranteed stable across versions).
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0)
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A uniform Double in [0, 1) from the top 53 bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// True or false with equal chance.
    public mutating func coin() -> Bool { next() >> 63 == 1 }
}
