// The model's hash steps in C (`StableHash`), shared by the kernel files: FNV-1a 64 and the SplitMix64 finaliser.
#ifndef LINEAGE_STABLE_HASHING_H
#define LINEAGE_STABLE_HASHING_H

#include <stdint.h>

#define LINEAGE_FNV_PRIME 0x100000001B3ull

/// `StableHash.mix`: SplitMix64's finaliser.
static inline uint64_t lineage_mix(uint64_t x) {
    uint64_t z = x + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/// `StableHash.combine`: a word bigram's hash from its two unigram hashes.
static inline uint64_t lineage_combine(uint64_t a, uint64_t b) {
    return lineage_mix((a * 0x9e3779b97f4a7c15ull) ^ (b + 0x632be59bd9b4e019ull));
}

/// Whether one byte belongs to a word: an ASCII letter, digit or '_' (`FeatureCounter.isWordByte`).
static inline int lineage_is_word_byte(uint8_t b) {
    return ((uint8_t)(b - '0') < 10) | ((uint8_t)((b | 0x20) - 'a') < 26) | (b == '_');
}

/// A token's unigram and bigram ids (the kept ones) at `ids + c` from its FNV-1a state `h`: finalised, and its
/// bigram with the token before (`*prev`, when `*have`). Returns the new count.
static inline long lineage_emit_token(uint64_t h, unsigned shift, uint32_t offset, uint64_t sample_mask, uint64_t *prev,
                                      int *have, uint32_t *ids, long c) {
    uint64_t token = lineage_mix(h);
    ids[c] = (uint32_t)(token >> shift) + offset;
    c += (token & sample_mask) == 0;
    if (*have) {
        uint64_t bigram = lineage_combine(*prev, token);
        ids[c] = (uint32_t)(bigram >> shift) + offset;
        c += (bigram & sample_mask) == 0;
    }
    *prev = token;
    *have = 1;
    return c;
}

/// One token's unigram and bigram ids (the kept ones) at `ids + c`, the scalar way: FNV-1a over its bytes
/// from `basis`, finalised; its bigram with the token before (`*prev`, when `*have`). Returns the new count.
static inline long lineage_hash_token(const uint8_t *text, long start, long length, uint64_t basis, unsigned shift,
                                      uint32_t offset, uint64_t sample_mask, uint64_t *prev, int *have, uint32_t *ids,
                                      long c) {
    uint64_t h = basis;
    for (long b = 0; b < length; b++) h = (h ^ text[start + b]) * LINEAGE_FNV_PRIME;
    return lineage_emit_token(h, shift, offset, sample_mask, prev, have, ids, c);
}

#endif
