import Testing
@testable import LineageKit

@Suite("Embedding: stable hash")
struct EmbeddingHashTests {
    @Test("plain FNV-1a 64 matches the published test vectors")
    func fnvVectors() {
        var a = StableHash(seed: 0)
        a.add("a")
        #expect(a.state == 0xaf63_dc4c_8601_ec8c)
        var foobar = StableHash(seed: 0)
        foobar.add("foobar")
        #expect(foobar.state == 0x8594_4171_f739_67e8)
    }

    @Test("finalised seeded hashes are fixed golden values (independent Python check)")
    func golden() {
        #expect(StableHash.hash("", seed: 0) == 0xc381_7c01_6ba4_ff30)
        #expect(StableHash.hash("hello", seed: 1) == 0xe018_1f88_7343_5984)
        #expect(StableHash.hash("## Title\n", seed: 2) == 0x6d03_0d5a_ff91_7de9)
        #expect(StableHash.hash("naïve", seed: 3) == 0x68c2_127e_1a8e_beed)
    }

    @Test("byte-wise and string hashing agree; seeds separate families")
    func streaming() {
        var h = StableHash(seed: 7)
        for byte in Array("line:##".utf8) { h.add(byte) }
        #expect(h.value == StableHash.hash("line:##", seed: 7))
        #expect(StableHash.hash("line:##", seed: 7) != StableHash.hash("line:##", seed: 8))
    }

    @Test("a power-of-two family's shifted bucket equals the multiply-shift, at both ends of the range")
    func bucketShift() {
        func layout(_ count: Int, offset: Int) -> FamilyLayout {
            FamilyLayout(family: .characters, seed: 1, bucketOffset: offset, bucketCount: count, columnOffset: 0,
                         dimensions: 8, weight: 1, minN: 3, maxN: 5)
        }
        func multiplyShift(_ hash: UInt64, _ l: FamilyLayout) -> UInt32 {
            UInt32(((hash >> 32) * UInt64(l.bucketCount)) >> 32) + UInt32(l.bucketOffset)
        }
        let hashes: [UInt64] = [0, 1, UInt64.max, 1 << 63, (1 << 63) - 1, 0xdead_beef_0000_0000,
                                StableHash.hash("hello", seed: 1), StableHash.hash("naïve", seed: 3)]
        for count in [1, 2, 3, 1000, 1 << 16, 1 << 19, (1 << 19) + 1] {
            let l = layout(count, offset: 1 << 19)
            for hash in hashes {
                #expect(BucketMap(l)(hash) == multiplyShift(hash, l), "count \(count), hash \(hash)")
                #expect(l.buckets.contains(Int(BucketMap(l)(hash))))
            }
        }
        // Golden: the bundled model's 2¹⁹ char buckets.
        #expect(BucketMap(layout(1 << 19, offset: 0))(StableHash.hash("hello", seed: 1)) == 0xe0181f88 >> 13)
    }
}
