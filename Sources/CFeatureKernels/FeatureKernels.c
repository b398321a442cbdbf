// AVX-512 kernels of the featurizer; see include/CFeatureKernels.h. Integer arithmetic, and float steps only
// in the drain, in the Swift loop's order: the results equal the Swift loops' on any machine that runs them.
#include "CFeatureKernels.h"
#include "FoldWriter.h"
#include "StableHashing.h"

#include <immintrin.h>
#include <string.h>

// The drain's float arithmetic must round exactly as the Swift loop it stands in for: no fused multiply-adds.
#pragma clang fp contract(off)

#define LINEAGE_AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,bmi2")))

int lineage_vector_kernels_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("bmi2");
}

// ---- fold -------------------------------------------------------------------------------------------

/// 64 bytes at a time, mapped in registers. With VBMI2 (and `compress`), `foldCompressing` writes every
/// block. Otherwise a block that needs nothing from the state machine (no pending separator, no white space
/// next to white space except a "\n\n" pair, a visible last byte) is stored as it is, and any other goes
/// through the writer byte by byte.
LINEAGE_AVX512 long lineage_fold_ascii(const uint8_t *input, long count, int lowercase, int compress, uint8_t *output) {
    int pendingSpace = 0, pendingNewlines = 0;
    return lineage_fold_ascii_continuing(input, count, lowercase, compress, output, 0, &pendingSpace, &pendingNewlines);
}

/// `foldByte` on 64 bytes.
LINEAGE_AVX512 static inline __m512i foldBlock(__m512i v, int lowercase) {
    __mmask64 digit = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')), _mm512_set1_epi8(10));
    __mmask64 upper = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('A')), _mm512_set1_epi8(26));
    __mmask64 blank = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8(0x09)), _mm512_set1_epi8(5)) &
                      ~_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'));
    v = _mm512_mask_blend_epi8(digit, v, _mm512_set1_epi8('0'));
    if (lowercase) v = _mm512_mask_blend_epi8(upper, v, _mm512_or_si512(v, _mm512_set1_epi8(0x20)));
    return _mm512_mask_blend_epi8(blank, v, _mm512_set1_epi8(' '));
}

/// The 64 bytes at `input` mapped by `foldBlock` into `*v`, with masks of its spaces and line breaks; 0 when one
/// of the bytes is not ASCII.
LINEAGE_AVX512 static inline int foldedBlock(const uint8_t *input, int lowercase, __m512i *v, uint64_t *space,
                                             uint64_t *newline) {
    __m512i bytes = _mm512_loadu_si512((const void *)input);
    if (_mm512_movepi8_mask(bytes)) return 0;
    *v = foldBlock(bytes, lowercase);
    *space = _mm512_cmpeq_epi8_mask(*v, _mm512_set1_epi8(' '));
    *newline = _mm512_cmpeq_epi8_mask(*v, _mm512_set1_epi8('\n'));
    return 1;
}

/// Takes a run of white space into the writer: `space` and `newline` mark its spaces and line breaks, in
/// order from bit 0 (what `put` would do with each byte of the run).
static inline void absorbRun(Writer *w, uint64_t space, uint64_t newline) {
    if (newline) {
        int last = 63 - __builtin_clzll(newline);
        w->pendingNewlines += __builtin_popcountll(newline);
        w->pendingSpace = last < 63 && (space >> (last + 1)) != 0;
    } else if (space) {
        w->pendingSpace = 1;
    }
}

/// Bits of `marks` spread upward through the runs of `runs` they sit in: bit i is set when some bit j <= i of
/// `marks` has every bit j...i in `runs` (a segmented prefix OR, Kogge–Stone).
static inline uint64_t fillUp(uint64_t marks, uint64_t runs) {
    for (int k = 1; k < 64; k <<= 1) {
        marks |= runs & (marks << k);
        runs &= runs << k;
    }
    return marks;
}

/// `fillUp` downward: bit i is set when some bit j >= i of `marks` has every bit i...j in `runs`.
static inline uint64_t fillDown(uint64_t marks, uint64_t runs) {
    for (int k = 1; k < 64; k <<= 1) {
        marks |= runs & (marks >> k);
        runs &= runs >> k;
    }
    return marks;
}

/// The mapped bytes of a 64-byte block that survive the writer, for runs of white space that lie between
/// two visible bytes of the block (`inner`): every visible byte, and of each run its first two line breaks
/// when it has any (the writer's "\n" or "\n\n"), else its first space.
static inline uint64_t keptInside(uint64_t inner, uint64_t space, uint64_t newline) {
    uint64_t white = (space | newline) & inner, breaks = newline & inner;
    uint64_t starts = white & ~(white << 1);
    if (!breaks) return (inner & ~white) | starts;
    uint64_t first = breaks & ~(fillUp(breaks, white) << 1);
    uint64_t rest = breaks & ~first;
    uint64_t second = rest & ~(fillUp(rest, white) << 1);
    return (inner & ~white) | first | second | (starts & ~fillDown(breaks, white));
}

#define LINEAGE_AVX512_VBMI2 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,bmi2,avx512vbmi2")))

/// `lineage_fold_ascii_continuing` with every block in registers: the writer's choices are a subsequence of
/// the mapped bytes (see `keptInside`), so one byte compress (VBMI2) writes the block; only the run the
/// block starts with (which continues the pending state) and the one it ends with go through the writer's
/// state, as counts from the masks.
LINEAGE_AVX512_VBMI2 static long foldCompressing(const uint8_t *input, long count, int lowercase, uint8_t *output,
                                                long written, Writer *w, long *consumed) {
    long o = written, i = 0;
    for (; i + 64 <= count; i += 64) {
        __m512i v;
        uint64_t s, n;
        if (!foldedBlock(input + i, lowercase, &v, &s, &n)) return -1;
        uint64_t white = s | n;
        if (white == ~0ull) { absorbRun(w, s, n); continue; }
        uint64_t leading = white & ~(white + 1);
        int last = 63 - __builtin_clzll(~white); // the last visible byte
        uint64_t inner = ~leading & (last == 63 ? ~0ull : (1ull << (last + 1)) - 1), trailing = white & ~inner & ~leading;
        absorbRun(w, s & leading, n & leading);
        o = putSeparator(w, output, o);
        uint64_t keep = keptInside(inner, s, n);
        _mm512_storeu_si512((void *)(output + o), _mm512_maskz_compress_epi8(keep, v));
        o += __builtin_popcountll(keep);
        absorbRun(w, s & trailing, n & trailing);
    }
    *consumed = i;
    return o;
}

LINEAGE_AVX512 long lineage_fold_ascii_continuing(const uint8_t *input, long count, int lowercase, int compress,
                                                  uint8_t *output, long written, int *pendingSpace, int *pendingNewlines) {
    Writer w = {*pendingSpace, *pendingNewlines};
    long o = written, i = 0;
    if (compress && __builtin_cpu_supports("avx512vbmi2")) {
        o = foldCompressing(input, count, lowercase, output, written, &w, &i);
        if (o < 0) return -1;
    }
    for (; i + 64 <= count; i += 64) {
        __m512i v;
        uint64_t s, n;
        if (!foldedBlock(input + i, lowercase, &v, &s, &n)) return -1;
        if (!lineage_block_needs_writer(s, n, o, &w)) {
            _mm512_storeu_si512((void *)(output + o), v);
            o += 64;
        } else {
            uint8_t mapped[64];
            _mm512_storeu_si512((void *)mapped, v);
            for (int k = 0; k < 64; k++) o = put(&w, mapped[k], output, o);
        }
    }
    return lineage_fold_rest(&w, input + i, count - i, lowercase, output, o, pendingSpace, pendingNewlines);
}

// ---- character n-grams ------------------------------------------------------------------------------

/// SplitMix64's finaliser on 8 lanes (`StableHash.mix`).
LINEAGE_AVX512 static inline __m512i mix8(__m512i x) {
    __m512i z = _mm512_add_epi64(x, _mm512_set1_epi64((long long)0x9e3779b97f4a7c15ull));
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)), _mm512_set1_epi64((long long)0xbf58476d1ce4e5b9ull));
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)), _mm512_set1_epi64((long long)0x94d049bb133111ebull));
    return _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
}

/// One FNV-1a step on 8 lanes: lane j takes the byte at `bytes + j`.
LINEAGE_AVX512 static inline __m512i fnvStep8(__m512i h, const uint8_t *bytes) {
    __m512i b = _mm512_cvtepu8_epi64(_mm_loadl_epi64((const __m128i *)bytes));
    return _mm512_mullo_epi64(_mm512_xor_si512(h, b), _mm512_set1_epi64((long long)0x100000001B3ull));
}

/// Lanes whose finalised hash is kept by sampling (`BucketMap.kept`): its `sampleMask` bits are zero.
LINEAGE_AVX512 static inline __mmask8 kept8(__m512i mixed, __m512i sampleMask) {
    return _mm512_testn_epi64_mask(mixed, sampleMask);
}

/// Lane j of 8 positions holds position i + j; the three n's are computed side by side. A bucket is the high
/// 32 bits of its finalised hash shifted by `shift - 32` (the shift is at least 32: at most 2^32 buckets), so
/// the high halves are picked straight from the three hash vectors into (position, n) order by three permutes,
/// then shifted and offset 16 at a time: four fewer vector operations for 8 positions than narrowing each hash
/// vector first (the kernel is bound by its vector operations), the same ids.
LINEAGE_AVX512 long lineage_char_ngram_ids_3to5(const uint8_t *text, long positions, uint64_t basis, unsigned shift,
                                                uint32_t offset, uint64_t sample_mask, uint32_t *ids, long *written) {
    const __m512i start = _mm512_set1_epi64((long long)basis);
    const __m128i by = _mm_cvtsi32_si128((int)shift - 32);
    const __m512i add = _mm512_set1_epi32((int)offset);
    // The high halves of the 3-gram and 4-gram hashes (dwords 2j + 1 of each).
    const __m512i highs = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    // From those (0-15) and the 5-gram hashes (16 + 2j + 1 for lane j), in (position, n) order.
    const __m512i first = _mm512_setr_epi32(0, 8, 17, 1, 9, 19, 2, 10, 21, 3, 11, 23, 4, 12, 25, 5);
    const __m512i rest = _mm512_setr_epi32(13, 27, 6, 14, 29, 7, 15, 31, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m512i sampled = _mm512_set1_epi64((long long)sample_mask);
    long i = 0, c = 0;
    for (; i + 8 <= positions; i += 8) {
        const uint8_t *t = text + i;
        __m512i h = fnvStep8(fnvStep8(fnvStep8(start, t), t + 1), t + 2);
        __m512i m3 = mix8(h);
        h = fnvStep8(h, t + 3);
        __m512i m4 = mix8(h);
        h = fnvStep8(h, t + 4);
        __m512i m5 = mix8(h);
        __m512i threeFour = _mm512_permutex2var_epi32(m3, highs, m4);
        // The kept lanes in (position, n) order: bit 3j + (n - 3) for position j.
        uint32_t keep = _pdep_u32(kept8(m3, sampled), 0x249249u) | _pdep_u32(kept8(m4, sampled), 0x492492u) |
                        _pdep_u32(kept8(m5, sampled), 0x924924u);
        __m512i low = _mm512_add_epi32(_mm512_srl_epi32(_mm512_permutex2var_epi32(threeFour, first, m5), by), add);
        _mm512_storeu_si512((void *)(ids + c), _mm512_maskz_compress_epi32((__mmask16)keep, low));
        c += __builtin_popcount(keep & 0xffffu);
        __m256i high = _mm512_castsi512_si256(
            _mm512_add_epi32(_mm512_srl_epi32(_mm512_permutex2var_epi32(threeFour, rest, m5), by), add));
        _mm256_storeu_si256((__m256i *)(ids + c), _mm256_maskz_compress_epi32((__mmask8)(keep >> 16), high));
        c += __builtin_popcount(keep >> 16);
    }
    *written = c;
    return i;
}

LINEAGE_AVX512 long lineage_ascii_prefix(const uint8_t *text, long length) {
    for (long p = 0; p < length; p += 64) {
        long left = length - p;
        __mmask64 inside = left >= 64 ? ~0ull : (1ull << left) - 1;
        uint64_t high = _mm512_movepi8_mask(_mm512_maskz_loadu_epi8(inside, (const void *)(text + p))) & inside;
        if (high != 0) return p + (long)__builtin_ctzll(high);
    }
    return length;
}

// ---- projection -------------------------------------------------------------------------------------

LINEAGE_AVX512 void lineage_project_columns(const uint32_t *buckets, long count, uint64_t seed, uint32_t dimensions,
                                            uint32_t *columns) {
    const __m512i golden = _mm512_set1_epi64((long long)0x9e3779b97f4a7c15ull), seeds = _mm512_set1_epi64((long long)seed);
    const __m512i dims = _mm512_set1_epi64(dimensions), low = _mm512_set1_epi64(0xffffffffll), one = _mm512_set1_epi64(1);
    long k = 0;
    for (; k + 8 <= count; k += 8) {
        __m512i b = _mm512_cvtepu32_epi64(_mm256_loadu_si256((const __m256i *)(buckets + k)));
        __m512i part = _mm512_and_si512(mix8(_mm512_xor_si512(seeds, _mm512_mullo_epi64(b, golden))), low);
        __m512i column = _mm512_srli_epi64(_mm512_mul_epu32(_mm512_srli_epi64(part, 1), dims), 31);
        __m512i sign = _mm512_slli_epi64(_mm512_and_si512(part, one), 31);
        _mm256_storeu_si256((__m256i *)(columns + k), _mm512_cvtepi64_epi32(_mm512_or_si512(column, sign)));
    }
    lineage_project_columns_portable(buckets + k, count - k, seed, dimensions, columns + k);
}

// ---- word n-grams -----------------------------------------------------------------------------------

/// Bytes of `v` that belong to a word: ASCII letters, digits and '_'.
LINEAGE_AVX512 static inline uint64_t wordBytes(__m512i v) {
    __m512i lower = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
    return _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')), _mm512_set1_epi8(10)) |
           _mm512_cmplt_epu8_mask(_mm512_sub_epi8(lower, _mm512_set1_epi8('a')), _mm512_set1_epi8(26)) |
           _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('_'));
}

/// The bytes of the window `text[p..<min(p + 64, length)]` that belong to a word, and those that are tokens of
/// their own (neither a word byte nor a space), as bit masks.
LINEAGE_AVX512 static inline void windowClasses(const uint8_t *text, long length, long p, uint64_t *words, uint64_t *others) {
    long left = length - p;
    __mmask64 inside = left >= 64 ? ~0ull : (1ull << left) - 1;
    __m512i v = _mm512_maskz_loadu_epi8(inside, (const void *)(text + p));
    *words = wordBytes(v) & inside;
    *others = ~*words & ~_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(' ')) & inside;
}

/// Up to `max` next tokens from `*at` on (spaces skipped): their starts and lengths; returns how many, 0
/// when the text ends. One 64-byte window gives all the tokens inside it from its masks (a token starts at
/// a word byte after a non-word byte, or at any byte that is neither a word byte nor a space), so a token
/// costs a few bit operations; a word that runs past the window is read again from its start in the next
/// window, or byte by byte when it fills a whole window.
LINEAGE_AVX512 static inline int nextTokens(const uint8_t *text, long length, long *at, long *starts, long *lengths,
                                            int max) {
    long p = *at;
    int n = 0;
    while (n < max && p < length) {
        uint64_t words, others;
        windowClasses(text, length, p, &words, &others);
        uint64_t begins = (words & ~(words << 1)) | others;
        long next = p + 64; // where the next window starts when this one is used up
        while (begins != 0 && n < max) {
            long s = (long)__builtin_ctzll(begins);
            begins &= begins - 1;
            long len = 1;
            if ((words >> s) & 1) {
                uint64_t rest = ~(words >> s);
                len = rest == 0 ? 64 - s : (long)__builtin_ctzll(rest);
                if (s + len == 64 && p + 64 < length) { // the word may go on past this window
                    if (s > 0) { next = p + s; break; } // read it again from its start
                    while (p + len < length && lineage_is_word_byte(text[p + len])) len++;
                    next = p + len;
                    begins = 0;
                }
            }
            starts[n] = p + s;
            lengths[n++] = len;
            if (n == max) next = p + s + len;
        }
        p = next < length ? next : length;
    }
    *at = p;
    return n;
}

/// Eight tokens' unigram and bigram ids (kept ones, in (token, n) order) at `ids + c`, hashed side by side;
/// returns the new count. Writes 16 ids' room.
LINEAGE_AVX512 static inline long hashGroup(const uint8_t *text, const long *starts, const long *lengths, uint64_t basis,
                                            unsigned shift, uint32_t offset, uint64_t sample_mask, uint64_t *prev,
                                            uint32_t *ids, long c) {
    const __m128i by = _mm_cvtsi32_si128((int)shift - 32);
    const __m512i add = _mm512_set1_epi32((int)offset);
    const __m512i pairs = _mm512_setr_epi32(1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31);
    const __m512i prime = _mm512_set1_epi64((long long)0x100000001B3ull), bytes = _mm512_set1_epi64(0xff);
    const __m512i sampled = _mm512_set1_epi64((long long)sample_mask);
    __m512i s = _mm512_loadu_si512((const void *)starts), l = _mm512_loadu_si512((const void *)lengths);
    __m512i h = _mm512_set1_epi64((long long)basis);
    long longest = 0;
    for (int k = 0; k < 8; k++) longest = lengths[k] > longest ? lengths[k] : longest;
    for (long chunk = 0; chunk < longest; chunk += 8) {
        __m512i data = _mm512_i64gather_epi64(_mm512_add_epi64(s, _mm512_set1_epi64(chunk)), (const void *)text, 1);
        long stop = longest - chunk < 8 ? longest - chunk : 8;
        for (long b = 0; b < stop; b++) {
            __mmask8 live = _mm512_cmpgt_epi64_mask(l, _mm512_set1_epi64(chunk + b));
            __m512i byte = _mm512_and_si512(_mm512_srli_epi64(data, (unsigned)(8 * b)), bytes);
            h = _mm512_mask_mullo_epi64(h, live, _mm512_xor_si512(h, byte), prime);
        }
    }
    __m512i token = mix8(h);
    __m512i before = _mm512_alignr_epi64(token, _mm512_set1_epi64((long long)*prev), 7);
    __m512i bigram = mix8(_mm512_xor_si512(_mm512_mullo_epi64(before, _mm512_set1_epi64((long long)0x9e3779b97f4a7c15ull)),
                                           _mm512_add_epi64(token, _mm512_set1_epi64((long long)0x632be59bd9b4e019ull))));
    // The buckets in (token, n) order: the high halves of the hashes (dword 2j + 1 of token j's unigram, 16 + 2j + 1
    // of its bigram; the shift is at least 32) picked by one permute, then shifted and offset, as in the
    // character kernel.
    __m512i both = _mm512_add_epi32(_mm512_srl_epi32(_mm512_permutex2var_epi32(token, pairs, bigram), by), add);
    // The kept lanes in (token, n) order: bit 2j for token j's unigram, 2j + 1 for its bigram.
    uint32_t keep = _pdep_u32(kept8(token, sampled), 0x5555u) | _pdep_u32(kept8(bigram, sampled), 0xaaaau);
    _mm512_storeu_si512((void *)(ids + c), _mm512_maskz_compress_epi32((__mmask16)keep, both));
    *prev = (uint64_t)_mm_extract_epi64(_mm512_extracti64x2_epi64(token, 3), 1);
    return c + __builtin_popcount(keep);
}

/// Appends the tokens of the 64-byte window at `p` (`nextTokens`' rule) to `starts` and `lengths` at `*n`, all
/// at once: their starts and ends are two compresses of the byte positions (VBMI2). Returns where the next
/// window starts. Writes up to 8 entries past the last token.
LINEAGE_AVX512_VBMI2 static inline long windowTokens(const uint8_t *text, long length, long p, long *starts, long *lengths,
                                                     int *n) {
    uint64_t words, others;
    windowClasses(text, length, p, &words, &others);
    uint64_t begins = (words & ~(words << 1)) | others;
    uint64_t ends = (words & ~(words >> 1)) | others;
    long next = p + 64;
    if ((words >> 63) & 1 && p + 64 < length) { // the last word may go on past this window
        long s = 63 - (long)__builtin_clzll(begins);
        if (s == 0) { // one word fills the window: read on byte by byte
            long len = 64;
            while (p + len < length && lineage_is_word_byte(text[p + len])) len++;
            starts[*n] = p;
            lengths[*n] = len;
            *n += 1;
            return p + len;
        }
        begins &= (1ull << s) - 1; // read it again from its start
        ends &= (1ull << s) - 1;
        next = p + s;
    }
    int count = __builtin_popcountll(begins);
    if (count > 0) {
        const __m512i positions = _mm512_set_epi8(63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46,
                                                  45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28,
                                                  27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10,
                                                  9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        uint8_t first[64], last[64];
        _mm512_storeu_si512((void *)first, _mm512_maskz_compress_epi8(begins, positions));
        _mm512_storeu_si512((void *)last, _mm512_maskz_compress_epi8(ends, positions));
        const __m512i base = _mm512_set1_epi64(p), one = _mm512_set1_epi64(1);
        for (int k = 0; k < count; k += 8) {
            __m512i s8 = _mm512_cvtepu8_epi64(_mm_loadl_epi64((const __m128i *)(first + k)));
            __m512i e8 = _mm512_cvtepu8_epi64(_mm_loadl_epi64((const __m128i *)(last + k)));
            _mm512_storeu_si512((void *)(starts + *n + k), _mm512_add_epi64(s8, base));
            _mm512_storeu_si512((void *)(lengths + *n + k), _mm512_add_epi64(_mm512_sub_epi64(e8, s8), one));
        }
        *n += count;
    }
    return next < length ? next : length;
}

/// `lineage_word_ids_1to2` with the tokens of whole windows found at once (`windowTokens`) into a queue that
/// the groups of 8 are hashed from: the same tokens, ids and stopping points.
LINEAGE_AVX512_VBMI2 static long wordIdsQueued(const uint8_t *text, long length, long *position, uint64_t basis,
                                               unsigned shift, uint32_t offset, uint64_t sample_mask, uint64_t *previous,
                                               int *seen, uint32_t *ids, long capacity) {
    long c = 0, at = *position;
    uint64_t prev = *previous;
    int have = *seen;
    // At most 7 left over, a window's 64 and 8 written past them.
    long starts[80], lengths[80];
    int n = 0, head = 0;
    while (c + 16 <= capacity) {
        if (n - head < 8 && at < length) {
            for (int k = head; k < n; k++) { starts[k - head] = starts[k]; lengths[k - head] = lengths[k]; }
            n -= head;
            head = 0;
            while (n < 8 && at < length) at = windowTokens(text, length, at, starts, lengths, &n);
        }
        if (head == n) break;
        if (!have || n - head < 8) { // the very first token (no bigram), or the last few: one at a time
            c = lineage_hash_token(text, starts[head], lengths[head], basis, shift, offset, sample_mask, &prev, &have, ids, c);
            head++;
            continue;
        }
        c = hashGroup(text, starts + head, lengths + head, basis, shift, offset, sample_mask, &prev, ids, c);
        head += 8;
    }
    *position = head < n ? starts[head] : at;
    *previous = prev;
    *seen = have;
    return c;
}

LINEAGE_AVX512 long lineage_word_ids_1to2(const uint8_t *text, long length, long *position, uint64_t basis,
                                          unsigned shift, uint32_t offset, uint64_t sample_mask, uint64_t *previous,
                                          int *seen, uint32_t *ids, long capacity, int queued) {
    if (queued && __builtin_cpu_supports("avx512vbmi2"))
        return wordIdsQueued(text, length, position, basis, shift, offset, sample_mask, previous, seen, ids, capacity);
    long c = 0, at = *position;
    uint64_t prev = *previous;
    int have = *seen;
    long starts[8], lengths[8];
    while (c + 16 <= capacity) {
        // Up to 8 tokens; the first token of the text has no bigram, so it goes alone.
        int n = nextTokens(text, length, &at, starts, lengths, have ? 8 : 1);
        if (n == 0) break;
        if (n < 8) { // the last few (or the very first): one at a time
            for (int k = 0; k < n; k++)
                c = lineage_hash_token(text, starts[k], lengths[k], basis, shift, offset, sample_mask, &prev, &have, ids, c);
            continue;
        }
        c = hashGroup(text, starts, lengths, basis, shift, offset, sample_mask, &prev, ids, c);
    }
    *position = at;
    *previous = prev;
    *seen = have;
    return c;
}

// ---- row finishing ----------------------------------------------------------------------------------

LINEAGE_AVX512 void lineage_scale_row(float *row, long count, float scale) {
    const __m512 s = _mm512_set1_ps(scale);
    long d = 0;
    for (; d + 16 <= count; d += 16) _mm512_storeu_ps(row + d, _mm512_mul_ps(_mm512_loadu_ps(row + d), s));
    for (; d < count; d++) row[d] *= scale;
}

LINEAGE_AVX512 void lineage_scale_snap_row(float *row, long count, float scale, float grid) {
    const float magic = 12582912.0f, inverse = 1 / grid;
    const __m512 s = _mm512_set1_ps(scale), g = _mm512_set1_ps(grid), m = _mm512_set1_ps(magic), i = _mm512_set1_ps(inverse);
    long d = 0;
    for (; d + 16 <= count; d += 16) {
        __m512 v = _mm512_mul_ps(_mm512_mul_ps(_mm512_loadu_ps(row + d), s), g);
        _mm512_storeu_ps(row + d, _mm512_mul_ps(_mm512_sub_ps(_mm512_add_ps(v, m), m), i));
    }
    for (; d < count; d++) row[d] = (((row[d] * scale) * grid + magic) - magic) * inverse;
}

// ---- drain ------------------------------------------------------------------------------------------

long lineage_drain_projected(const uint32_t *touched, long count, uint8_t *cells,
                             const uint32_t *columns, const float *sublinear, float idfBase, float idfStep,
                             float *block) {
    enum { lookahead = 64 };
    for (long k = 0; k < count; k++) {
        if (k + lookahead < count) __builtin_prefetch(cells + 2 * (size_t)touched[k + lookahead], 1);
        uint8_t *cell = cells + 2 * (size_t)touched[k];
        uint8_t tf = cell[0];
        if (tf == 0xff) return k;
        float weight = sublinear[tf] * (idfBase + (float)cell[1] * idfStep);
        uint32_t bits, entry = columns[k];
        memcpy(&bits, &weight, 4);
        bits ^= entry & 0x80000000u;
        memcpy(&weight, &bits, 4);
        block[entry & 0x7fffffffu] += weight;
        cell[0] = 0;
    }
    return count;
}

// ---- counting ---------------------------------------------------------------------------------------

// The count and the drain prefetch each cell 64 ids ahead: at about 1.5 cycles an id, 24 ahead (the Swift
// loop's distance) is shorter than an L3 hit; 64 ran 86.7 -> 90.1 MB/s per core (median of 6 interleaved runs).

long lineage_tally(const uint32_t *ids, long count, uint8_t *cells, uint32_t *touched, long *distinct) {
    enum { lookahead = 64 };
    long d = *distinct;
    for (long k = 0; k < count; k++) {
        if (k + lookahead < count) __builtin_prefetch(cells + 2 * (size_t)ids[k + lookahead], 1);
        uint32_t bucket = ids[k];
        uint8_t old = cells[2 * (size_t)bucket];
        if (old == 0xff) { *distinct = d; return k; }
        cells[2 * (size_t)bucket] = (uint8_t)(old + 1);
        touched[d] = bucket;
        d += old == 0;
    }
    *distinct = d;
    return count;
}
