// Plain-C kernels of the featurizer for every CPU (no vector instructions asked for): the same contracts and
// bytes as the AVX-512 kernels, for machines without AVX-512. See include/CFeatureKernels.h.
#include "CFeatureKernels.h"
#include "StableHashing.h"

#include <string.h>

long lineage_char_ngram_ids_3to5_portable(const uint8_t *text, long positions, uint64_t basis, unsigned shift,
                                          uint32_t offset, uint64_t sample_mask, uint32_t *ids, long *written) {
    long c = 0;
    for (long i = 0; i < positions; i++) {
        const uint8_t *t = text + i;
        uint64_t h = (((basis ^ t[0]) * LINEAGE_FNV_PRIME ^ t[1]) * LINEAGE_FNV_PRIME ^ t[2]) * LINEAGE_FNV_PRIME;
        uint64_t m = lineage_mix(h);
        ids[c] = (uint32_t)(m >> shift) + offset;
        c += (m & sample_mask) == 0;
        h = (h ^ t[3]) * LINEAGE_FNV_PRIME;
        m = lineage_mix(h);
        ids[c] = (uint32_t)(m >> shift) + offset;
        c += (m & sample_mask) == 0;
        h = (h ^ t[4]) * LINEAGE_FNV_PRIME;
        m = lineage_mix(h);
        ids[c] = (uint32_t)(m >> shift) + offset;
        c += (m & sample_mask) == 0;
    }
    *written = c;
    return positions;
}

long lineage_ascii_prefix_portable(const uint8_t *text, long length) {
    long p = 0;
    for (; p + 8 <= length; p += 8) {
        uint64_t word;
        memcpy(&word, text + p, 8);
        uint64_t high = word & 0x8080808080808080ull;
        if (high) return p + (long)(__builtin_ctzll(high) >> 3);
    }
    for (; p < length; p++) if (text[p] >= 0x80) return p;
    return length;
}

long lineage_word_ids_1to2_portable(const uint8_t *text, long length, long *position, uint64_t basis, unsigned shift,
                                    uint32_t offset, uint64_t sample_mask, uint64_t *previous, int *seen, uint32_t *ids,
                                    long capacity) {
    long c = 0, i = *position;
    uint64_t prev = *previous;
    int have = *seen;
    while (i < length && c + 16 <= capacity) {
        uint8_t first = text[i++];
        if (first == ' ') continue;
        // A word's bytes are hashed as they are scanned: one loop, one mispredicted exit a token
        // (5.2-6.3 -> 4.6-5.4 ns a byte against scanning first and hashing after).
        uint64_t h = (basis ^ first) * LINEAGE_FNV_PRIME;
        if (lineage_is_word_byte(first))
            while (i < length && lineage_is_word_byte(text[i])) h = (h ^ text[i++]) * LINEAGE_FNV_PRIME;
        c = lineage_emit_token(h, shift, offset, sample_mask, &prev, &have, ids, c);
    }
    *position = i;
    *previous = prev;
    *seen = have;
    return c;
}

void lineage_project_columns_portable(const uint32_t *buckets, long count, uint64_t seed, uint32_t dimensions,
                                      uint32_t *columns) {
    for (long k = 0; k < count; k++) {
        uint64_t part = lineage_mix(seed ^ ((uint64_t)buckets[k] * 0x9e3779b97f4a7c15ull)) & 0xffffffffull;
        columns[k] = (uint32_t)(((part >> 1) * dimensions) >> 31) | (uint32_t)(part & 1) << 31;
    }
}

int lineage_grid_steps(const float *values, long count, float scale, int16_t *steps) {
    uint32_t offGrid = 0;
    for (long d = 0; d < count; d++) {
        float s = values[d] * scale;
        int inRange = s <= 32767.0f && s >= -32767.0f; // false for NaN
        int32_t k = (int32_t)(inRange ? s : 0.0f);
        offGrid |= !(inRange && (float)k == s);
        steps[d] = (int16_t)k;
    }
    return offGrid == 0;
}
