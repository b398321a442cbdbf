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
    for (; i < count; i++) {
        if (input[i] >= 0x80) return -1;
        o = put(&w, foldByte(input[i], lowercase), output, o);
    }
    *pendingSpace = w.pendingSpace;
    *pendingNewlines = w.pendingNewlines;
    return o;
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

#endif

long lineage_fold_ascii_avx2(const uint8_t *input, long count, int lowercase, uint8_t *output) {
    int pendingSpace = 0, pendingNewlines = 0;
    return lineage_fold_ascii_continuing_avx2(input, count, lowercase, output, 0, &pendingSpace, &pendingNewlines);
}
