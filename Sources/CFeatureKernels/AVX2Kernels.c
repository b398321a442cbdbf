// AVX2 kernels of the featurizer, for x86-64 CPUs without AVX-512 (see include/CFeatureKernels.h): the same
// bytes as the Swift loops and the AVX-512 kernels, 32 bytes a step.
#include "CFeatureKernels.h"
#include "FoldWriter.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define LINEAGE_AVX2 __attribute__((target("avx2,bmi,bmi2,popcnt")))

int lineage_avx2_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
}

/// Lanes of `v` in [low, low + span) as unsigned bytes (all ones), else zero.
LINEAGE_AVX2 static inline __m256i inRange(__m256i v, char low, char span) {
    __m256i d = _mm256_sub_epi8(v, _mm256_set1_epi8(low));
    return _mm256_cmpeq_epi8(_mm256_min_epu8(d, _mm256_set1_epi8((char)(span - 1))), d);
}

/// `foldByte` on 32 bytes.
LINEAGE_AVX2 static inline __m256i foldBlock32(__m256i v, int lowercase) {
    __m256i digit = inRange(v, '0', 10);
    __m256i blank = _mm256_andnot_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n')), inRange(v, 0x09, 5));
    if (lowercase) v = _mm256_or_si256(v, _mm256_and_si256(inRange(v, 'A', 26), _mm256_set1_epi8(0x20)));
    v = _mm256_blendv_epi8(v, _mm256_set1_epi8('0'), digit);
    return _mm256_blendv_epi8(v, _mm256_set1_epi8(' '), blank);
}

/// The bytes of `v` equal to `byte`, as a bit mask.
LINEAGE_AVX2 static inline uint32_t equal32(__m256i v, char byte) {
    return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(byte)));
}

LINEAGE_AVX2 long lineage_fold_ascii_continuing_avx2(const uint8_t *input, long count, int lowercase, uint8_t *output,
                                                     long written, int *pendingSpace, int *pendingNewlines) {
    Writer w = {*pendingSpace, *pendingNewlines};
    long o = written, i = 0;
    for (; i + 64 <= count; i += 64) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(input + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(input + i + 32));
        if (_mm256_movemask_epi8(_mm256_or_si256(a, b))) return -1;
        a = foldBlock32(a, lowercase);
        b = foldBlock32(b, lowercase);
        uint64_t s = equal32(a, ' ') | (uint64_t)equal32(b, ' ') << 32;
        uint64_t n = equal32(a, '\n') | (uint64_t)equal32(b, '\n') << 32;
        if (!lineage_block_needs_writer(s, n, o, &w)) {
            _mm256_storeu_si256((__m256i *)(output + o), a);
            _mm256_storeu_si256((__m256i *)(output + o + 32), b);
            o += 64;
        } else {
            uint8_t mapped[64];
            _mm256_storeu_si256((__m256i *)mapped, a);
            _mm256_storeu_si256((__m256i *)(mapped + 32), b);
            for (int k = 0; k < 64; k++) o = put(&w, mapped[k], output, o);
        }
    }
    return lineage_fold_rest(&w, input + i, count - i, lowercase, output, o, pendingSpace, pendingNewlines);
}

/// `z · k` modulo 2⁶⁴ on 4 lanes from 32-bit products (AVX2 has no 64-bit multiply).
LINEAGE_AVX2 static inline __m256i mulConst(__m256i z, uint64_t k) {
    const __m256i lo = _mm256_set1_epi64x((long long)(k & 0xffffffffull)), hi = _mm256_set1_epi64x((long long)(k >> 32));
    __m256i a = _mm256_mul_epu32(z, lo);
    __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(z, 32), lo), _mm256_mul_epu32(z, hi));
    return _mm256_add_epi64(a, _mm256_slli_epi64(cross, 32));
}
/// SplitMix64's finaliser on 4 lanes (`StableHash.mix`).
LINEAGE_AVX2 static inline __m256i mix4(__m256i x) {
    __m256i z = _mm256_add_epi64(x, _mm256_set1_epi64x((long long)0x9e3779b97f4a7c15ull));
    z = mulConst(_mm256_xor_si256(z, _mm256_srli_epi64(z, 30)), 0xbf58476d1ce4e5b9ull);
    z = mulConst(_mm256_xor_si256(z, _mm256_srli_epi64(z, 27)), 0x94d049bb133111ebull);
    return _mm256_xor_si256(z, _mm256_srli_epi64(z, 31));
}
/// One FNV-1a step on 4 lanes, lane j taking the byte at `bytes + j`: the prime is 2⁴⁰ + 0x1B3, so the product
/// is two 32-bit products and a shift.
LINEAGE_AVX2 static inline __m256i fnv4(__m256i h, const uint8_t *bytes) {
    uint32_t w; __builtin_memcpy(&w, bytes, 4);
    __m256i b = _mm256_cvtepu8_epi64(_mm_cvtsi32_si128((int)w));
    __m256i t = _mm256_xor_si256(h, b);
    const __m256i p = _mm256_set1_epi64x(0x1B3);
    __m256i r = _mm256_add_epi64(_mm256_mul_epu32(t, p), _mm256_slli_epi64(_mm256_mul_epu32(_mm256_srli_epi64(t, 32), p), 32));
    return _mm256_add_epi64(r, _mm256_slli_epi64(t, 40));
}
LINEAGE_AVX2 long lineage_char_ngram_ids_3to5_avx2(const uint8_t *text, long positions, uint64_t basis, unsigned shift,
                                                   uint32_t offset, uint64_t sample_mask, uint32_t *ids, long *written) {
    const __m256i start = _mm256_set1_epi64x((long long)basis), mask = _mm256_set1_epi64x((long long)sample_mask);
    const __m128i by = _mm_cvtsi32_si128((int)shift);
    const __m256i add = _mm256_set1_epi64x(offset), zero = _mm256_setzero_si256();
    long i = 0, c = 0;
    for (; i + 4 <= positions; i += 4) {
        const uint8_t *t = text + i;
        __m256i h = fnv4(fnv4(fnv4(start, t), t + 1), t + 2);
        __m256i m3 = mix4(h);
        h = fnv4(h, t + 3);
        __m256i m4 = mix4(h);
        h = fnv4(h, t + 4);
        __m256i m5 = mix4(h);
        unsigned k3 = (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpeq_epi64(_mm256_and_si256(m3, mask), zero)));
        unsigned k4 = (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpeq_epi64(_mm256_and_si256(m4, mask), zero)));
        unsigned k5 = (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpeq_epi64(_mm256_and_si256(m5, mask), zero)));
        uint64_t b3[4], b4[4], b5[4];
        _mm256_storeu_si256((__m256i *)b3, _mm256_add_epi64(_mm256_srl_epi64(m3, by), add));
        _mm256_storeu_si256((__m256i *)b4, _mm256_add_epi64(_mm256_srl_epi64(m4, by), add));
        _mm256_storeu_si256((__m256i *)b5, _mm256_add_epi64(_mm256_srl_epi64(m5, by), add));
        // The kept ids in (position, n) order; a dropped one is overwritten by the next.
        for (int j = 0; j < 4; j++) {
            ids[c] = (uint32_t)b3[j]; c += (k3 >> j) & 1;
            ids[c] = (uint32_t)b4[j]; c += (k4 >> j) & 1;
            ids[c] = (uint32_t)b5[j]; c += (k5 >> j) & 1;
        }
    }
    long rest = 0;
    lineage_char_ngram_ids_3to5_portable(text + i, positions - i, basis, shift, offset, sample_mask, ids + c, &rest);
    *written = c + rest;
    return positions;
}

LINEAGE_AVX2 void lineage_project_columns_avx2(const uint32_t *buckets, long count, uint64_t seed, uint32_t dimensions,
                                               uint32_t *columns) {
    const __m256i seeds = _mm256_set1_epi64x((long long)seed), low = _mm256_set1_epi64x(0xffffffffll);
    const __m256i one = _mm256_set1_epi64x(1), dims = _mm256_set1_epi64x(dimensions);
    const __m256i lowDwords = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    long k = 0;
    for (; k + 4 <= count; k += 4) {
        __m256i b = _mm256_cvtepu32_epi64(_mm_loadu_si128((const __m128i *)(buckets + k)));
        __m256i part = _mm256_and_si256(mix4(_mm256_xor_si256(seeds, mulConst(b, 0x9e3779b97f4a7c15ull))), low);
        __m256i column = _mm256_srli_epi64(_mm256_mul_epu32(_mm256_srli_epi64(part, 1), dims), 31);
        __m256i sign = _mm256_slli_epi64(_mm256_and_si256(part, one), 31);
        __m256i entries = _mm256_permutevar8x32_epi32(_mm256_or_si256(column, sign), lowDwords);
        _mm_storeu_si128((__m128i *)(columns + k), _mm256_castsi256_si128(entries));
    }
    lineage_project_columns_portable(buckets + k, count - k, seed, dimensions, columns + k);
}

LINEAGE_AVX2 long lineage_ascii_prefix_avx2(const uint8_t *text, long length) {
    long p = 0;
    for (; p + 32 <= length; p += 32) {
        uint32_t high = (uint32_t)_mm256_movemask_epi8(_mm256_loadu_si256((const __m256i *)(text + p)));
        if (high) return p + (long)__builtin_ctz(high);
    }
    for (; p < length; p++) if (text[p] >= 0x80) return p;
    return length;
}

#else

int lineage_avx2_available(void) { return 0; }

long lineage_fold_ascii_continuing_avx2(const uint8_t *input, long count, int lowercase, uint8_t *output, long written,
                                        int *pendingSpace, int *pendingNewlines) {
    (void)input; (void)count; (void)lowercase; (void)output; (void)written; (void)pendingSpace; (void)pendingNewlines;
    return -2;
}

long lineage_ascii_prefix_avx2(const uint8_t *text, long length) { return lineage_ascii_prefix_portable(text, length); }

void lineage_project_columns_avx2(const uint32_t *buckets, long count, uint64_t seed, uint32_t dimensions,
                                  uint32_t *columns) {
    lineage_project_columns_portable(buckets, count, seed, dimensions, columns);
}

long lineage_char_ngram_ids_3to5_avx2(const uint8_t *text, long positions, uint64_t basis, unsigned shift, uint32_t offset,
                                      uint64_t sample_mask, uint32_t *ids, long *written) {
    return lineage_char_ngram_ids_3to5_portable(text, positions, basis, shift, offset, sample_mask, ids, written);
}

#endif

long lineage_fold_ascii_avx2(const uint8_t *input, long count, int lowercase, uint8_t *output) {
    int pendingSpace = 0, pendingNewlines = 0;
    return lineage_fold_ascii_continuing_avx2(input, count, lowercase, output, 0, &pendingSpace, &pendingNewlines);
}
