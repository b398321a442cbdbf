// The per-byte loops of StyleTokenizer, in C (see CFeatureKernels.h).
#include "CFeatureKernels.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// 0: space, line break or NUL; 1: word byte (letter, digit, '_', any byte >= 0x80); 2: ASCII punctuation.
static inline int byte_kind(uint8_t b) {
    if (b == 0x20 || b == 0x0A || b == 0) return 0;
    if (b >= 0x80 || (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '_') return 1;
    return 2;
}

static inline int is_letter(uint8_t b) { uint8_t l = b | 0x20; return l >= 'a' && l <= 'z'; }
static inline uint8_t lower(uint8_t b) { return (b >= 'A' && b <= 'Z') ? (uint8_t)(b | 0x20) : b; }

// Branch-free classes, so that the loops below run without a misprediction per word boundary.
static inline int is_word_byte(uint8_t b) {
    return (b >= 0x80) | ((uint8_t)(b - '0') < 10) | ((uint8_t)((b | 0x20) - 'a') < 26) | (b == '_');
}

#if defined(__x86_64__)
#define LINEAGE_AVX512_BW __attribute__((target("avx512f,avx512bw,popcnt")))

/// The word count of `lineage_style_words` 64 bytes at a time: the word-byte mask from three compares, its
/// run starts, one popcount.
LINEAGE_AVX512_BW static long word_count_vector(const uint8_t *text, long n) {
    const __m512i digit0 = _mm512_set1_epi8('0'), ten = _mm512_set1_epi8(10), a = _mm512_set1_epi8('a');
    const __m512i span = _mm512_set1_epi8(26), case_bit = _mm512_set1_epi8(0x20), underscore = _mm512_set1_epi8('_');
    long words = 0;
    uint64_t previous = 0;
    for (long block = 0; block < n; block += 64) {
        long inside = n - block;
        __mmask64 m = inside >= 64 ? ~0ull : ((1ull << inside) - 1);
        __m512i b = _mm512_maskz_loadu_epi8(m, text + block);
        uint64_t word = _mm512_movepi8_mask(b)  // >= 0x80
            | _mm512_cmplt_epu8_mask(_mm512_sub_epi8(b, digit0), ten)
            | _mm512_cmplt_epu8_mask(_mm512_sub_epi8(_mm512_or_si512(b, case_bit), a), span)
            | _mm512_cmpeq_epi8_mask(b, underscore);
        word &= m;
        words += __builtin_popcountll(word & ~((word << 1) | previous));
        previous = word >> 63;
    }
    return words;
}

static int word_count_vector_supported(void) {
    static int supported = -1;
    if (supported < 0) {
        __builtin_cpu_init();
        supported = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("popcnt");
    }
    return supported;
}
#endif

long lineage_style_words(const uint8_t *text, long n, long range[4], int vector) {
    range[0] = range[1] = range[2] = range[3] = -1;
    long words = 0;
#if defined(__x86_64__)
    if (vector && word_count_vector_supported()) {
        words = word_count_vector(text, n);
    } else
#endif
    {
    // The count: word bytes whose predecessor is not one (a loop the compiler vectorises).
    // Counted in byte lanes over chunks of at most 255 positions, so that the compiler's vectors are 16 wide.
    words = n > 0 ? is_word_byte(text[0]) : 0;
    for (long chunk = 1; chunk < n; chunk += 255) {
        long end = chunk + 255 < n ? chunk + 255 : n;
        uint8_t count = 0;
        for (long i = chunk; i < end; i++) count += (uint8_t)(is_word_byte(text[i]) & !is_word_byte(text[i - 1]));
        words += count;
    }
    }
    // The first and the last token, from either end.
    long i = 0;
    while (i < n && byte_kind(text[i]) == 0) i++;
    if (i == n) return words;
    int kind = byte_kind(text[i]);
    range[0] = i;
    while (i < n && byte_kind(text[i]) == kind) i++;
    range[1] = i;
    long j = n;
    while (j > 0 && byte_kind(text[j - 1]) == 0) j--;
    kind = byte_kind(text[j - 1]);
    range[3] = j;
    while (j > 0 && byte_kind(text[j - 1]) == kind) j--;
    range[2] = j;
    return words;
}

// Four bytes with bit 5 set in each: letters lowercased, and space, apostrophe and lowercase letters (all a
// phrase prefix holds) unchanged. Other bytes may collide with them; the full comparison settles those.
static inline uint32_t lower4(const uint8_t *p) {
    uint32_t key;
    __builtin_memcpy(&key, p, 4);
    return key | 0x20202020u;
}

/// The phrase tables of `lineage_style_phrases`, passed on together.
typedef struct {
    const uint8_t *phrases;
    const int32_t *offsets;
    const uint32_t *prefixes;
    const int32_t *slot_starts, *slot_phrases;
} PhraseTables;

/// The matches at the word starts `block + (set bits of mask)`, in position order and, at one position, in
/// list order, appended after `found` of them.
static inline long phrases_at(const uint8_t *text, long n, long block, uint64_t mask, PhraseTables t,
                              int32_t *matches, long capacity, long found) {
    while (mask) {
        long p = block + __builtin_ctzll(mask);
        mask &= mask - 1;
        // The first four bytes, lowercased, must be some phrase's (an open-addressed table of 128).
        uint32_t key = lower4(text + p);
        long slot = lineage_style_phrase_slot(key);
        while (t.prefixes[slot] != 0 && t.prefixes[slot] != key) slot = (slot + 1) & 1023;
        if (t.prefixes[slot] == 0) continue;
        for (int32_t m = t.slot_starts[slot]; m < t.slot_starts[slot + 1]; m++) {
            int32_t k = t.slot_phrases[m];
            long length = t.offsets[k + 1] - t.offsets[k];
            if (p + length > n) continue;
            const uint8_t *phrase = t.phrases + t.offsets[k];
            long j = 1;
            while (j < length && lower(text[p + j]) == phrase[j]) j++;
            if (j < length || (p + length < n && is_letter(text[p + length]))) continue;
            if (found < capacity) { matches[2 * found] = (int32_t)p; matches[2 * found + 1] = k; }
            found++;
        }
    }
    return found;
}

#if defined(__x86_64__)
#define LINEAGE_AVX512_VBMI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi,bmi2")))

/// For each of 64 positions, whether the byte pair (a, b) there is in a 1024-bit pair table of
/// `(x | 0x20) & 31` codes (`lo`, `hi`: its two 64-byte halves): one two-table byte permute and a bit test.
LINEAGE_AVX512_VBMI static inline __mmask64 pair_in(__m512i a, __m512i b, __m512i lo, __m512i hi) {
    const __m512i low5 = _mm512_set1_epi8(31), case_bit = _mm512_set1_epi8(0x20);
    __m512i a5 = _mm512_and_si512(_mm512_or_si512(a, case_bit), low5);
    __m512i b5 = _mm512_and_si512(_mm512_or_si512(b, case_bit), low5);
    // Byte (a5 << 2) | (b5 >> 3) of the table, bit b5 & 7 of that byte. The 16-bit shifts are exact per
    // byte here: a5 << 2 stays below 128, and the bits b5 >> 3 takes from the next byte are masked away.
    __m512i index = _mm512_or_si512(_mm512_slli_epi16(a5, 2), _mm512_and_si512(_mm512_srli_epi16(b5, 3), _mm512_set1_epi8(3)));
    __m512i bits = _mm512_permutex2var_epi8(lo, index, hi);
    const __m512i powers = _mm512_broadcast_i32x4(_mm_setr_epi8(1, 2, 4, 8, 16, 32, 64, (char)128, 1, 2, 4, 8, 16, 32, 64, (char)128));
    __m512i bit = _mm512_shuffle_epi8(powers, _mm512_and_si512(b5, _mm512_set1_epi8(7)));
    return _mm512_test_epi8_mask(bits, bit);
}

/// The loads of `text[from..<from + 64]` that lie inside the text (bytes past its end read as zero).
LINEAGE_AVX512_VBMI static inline __m512i load_inside(const uint8_t *text, long n, long from) {
    long inside = n - from;
    __mmask64 m = inside >= 64 ? ~0ull : inside <= 0 ? 0 : ((1ull << inside) - 1);
    return _mm512_maskz_loadu_epi8(m, text + from);
}

/// `lineage_style_phrases` 64 positions at a time: the word starts from one compare, and only those whose
/// first four byte pairs occur at that place in some phrase (`pairs`: four 128-byte pair tables, see
/// `pair_in`; a 4-byte phrase allows any byte after it) go on to the scalar match. The filter never drops a
/// match: a byte equal to a phrase byte up to case has the phrase byte's pair code.
LINEAGE_AVX512_VBMI static long phrases_vector(const uint8_t *text, long n, PhraseTables t, const uint8_t *pairs,
                                               int32_t *matches, long capacity) {
    long found = 0;
    const __m512i p0lo = _mm512_loadu_si512(pairs), p0hi = _mm512_loadu_si512(pairs + 64);
    const __m512i p1lo = _mm512_loadu_si512(pairs + 128), p1hi = _mm512_loadu_si512(pairs + 192);
    const __m512i p2lo = _mm512_loadu_si512(pairs + 256), p2hi = _mm512_loadu_si512(pairs + 320);
    const __m512i p3lo = _mm512_loadu_si512(pairs + 384), p3hi = _mm512_loadu_si512(pairs + 448);
    const __m512i a = _mm512_set1_epi8('a'), span = _mm512_set1_epi8(26), case_bit = _mm512_set1_epi8(0x20);
    uint64_t previous_letter = 0;
    for (long block = 0; block + 4 <= n; block += 64) {
        long end = block + 64 < n - 3 ? block + 64 : n - 3;  // a phrase is at least 4 bytes long
        __m512i b0 = load_inside(text, n, block), b1 = load_inside(text, n, block + 1);
        __m512i b2 = load_inside(text, n, block + 2), b3 = load_inside(text, n, block + 3);
        __m512i b4 = load_inside(text, n, block + 4);
        uint64_t letters = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(_mm512_or_si512(b0, case_bit), a), span);
        uint64_t starts = letters & ~((letters << 1) | previous_letter);
        previous_letter = letters >> 63;
        if (end - block < 64) starts &= (1ull << (end - block)) - 1;
        if (!starts) continue;
        starts &= pair_in(b0, b1, p0lo, p0hi) & pair_in(b1, b2, p1lo, p1hi) & pair_in(b2, b3, p2lo, p2hi)
                & pair_in(b3, b4, p3lo, p3hi);
        found = phrases_at(text, n, block, starts, t, matches, capacity, found);
    }
    return found;
}

static int phrases_vector_supported(void) {
    static int supported = -1;
    if (supported < 0) {
        __builtin_cpu_init();
        supported = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                    __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("bmi2");
    }
    return supported;
}
#endif

void lineage_style_phrase_pairs(const uint8_t *phrases, const int32_t *offsets, long count, uint8_t pairs[512]) {
    for (long q = 0; q < 512; q++) pairs[q] = 0;
    for (long k = 0; k < count; k++) {
        const uint8_t *phrase = phrases + offsets[k];
        long length = offsets[k + 1] - offsets[k];
        for (int j = 0; j < 4; j++) {
            unsigned first = ((unsigned)(phrase[j] | 0x20) & 31) << 5;
            // After a phrase's last byte any byte may follow (what follows is checked by the match).
            for (unsigned next = 0; next < 32; next++) {
                if (j + 1 < length && next != ((unsigned)(phrase[j + 1] | 0x20) & 31)) continue;
                unsigned code = first | next;
                pairs[128 * j + (code >> 3)] |= (uint8_t)(1u << (code & 7));
            }
        }
    }
}

long lineage_style_phrase_slot(uint32_t key) { return (long)((key * 0x9E3779B1u) >> 22); }

long lineage_style_phrases(const uint8_t *text, long n, const uint8_t *phrases, const int32_t *offsets,
                           const uint32_t *prefixes, const int32_t *slot_starts, const int32_t *slot_phrases,
                           const uint8_t *pairs, int32_t *matches, long capacity) {
    PhraseTables table = { phrases, offsets, prefixes, slot_starts, slot_phrases };
#if defined(__x86_64__)
    if (pairs && phrases_vector_supported()) return phrases_vector(text, n, table, pairs, matches, capacity);
#endif
    long found = 0;
    uint8_t starts[64];
    for (long block = 0; block + 4 <= n; block += 64) {
        long end = block + 64 < n - 3 ? block + 64 : n - 3;  // a phrase is at least 4 bytes long
        // Word starts of the block as a bit mask (a vectorised loop, then one bit a byte).
        starts[0] = (uint8_t)(is_letter(text[block]) & (block == 0 || !is_letter(text[block - 1])));
        for (long p = block + 1; p < end; p++) starts[p - block] = (uint8_t)(is_letter(text[p]) & !is_letter(text[p - 1]));
        for (long q = end - block; q < 64; q++) starts[q] = 0;
        uint64_t mask = 0;
#if defined(__SSE2__)
        for (int q = 0; q < 4; q++) {
            __m128i flags = _mm_loadu_si128((const __m128i *)(starts + 16 * q));
            mask |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpgt_epi8(flags, _mm_setzero_si128())) << (16 * q);
        }
#else
        for (long q = 0; q < 64; q++) mask |= (uint64_t)starts[q] << q;
#endif
        found = phrases_at(text, n, block, mask, table, matches, capacity, found);
    }
    return found;
}

#if defined(__x86_64__)
/// `lineage_style_next_inline` 64 bytes at a time: three compares and a trailing-zero count.
LINEAGE_AVX512_BW static long next_inline_vector(const uint8_t *text, long from, long n) {
    const __m512i star = _mm512_set1_epi8('*'), tick = _mm512_set1_epi8('`'), bracket = _mm512_set1_epi8(']');
    for (long block = from; block < n; block += 64) {
        long inside = n - block;
        __mmask64 m = inside >= 64 ? ~0ull : ((1ull << inside) - 1);
        __m512i b = _mm512_maskz_loadu_epi8(m, text + block);
        uint64_t hit = (_mm512_cmpeq_epi8_mask(b, star) | _mm512_cmpeq_epi8_mask(b, tick) | _mm512_cmpeq_epi8_mask(b, bracket)) & m;
        if (hit) return block + __builtin_ctzll(hit);
    }
    return n;
}
#endif

long lineage_style_next_inline(const uint8_t *text, long from, long n, int vector) {
#if defined(__x86_64__)
    if (vector && word_count_vector_supported()) return next_inline_vector(text, from, n);
#endif
    for (long p = from; p < n; p++) if (text[p] == '*' || text[p] == '`' || text[p] == ']') return p;
    return n;
}

void lineage_style_inline(const uint8_t *line, long count, int skip_first, long counts[4]) {
    long stars = 0, singles = 0, backticks = 0, links = 0;
    counts[0] = counts[1] = counts[2] = counts[3] = 0;
    // Most lines hold none of the three bytes: one branch-free (vectorised) pass says so.
    uint8_t any = 0;
    for (long i = 0; i < count; i++) any |= (line[i] == '*') | (line[i] == '`') | (line[i] == ']');
    if (!any) return;
    long k = (skip_first && count > 0 && line[0] == '*') ? 1 : 0;
    while (k < count) {
        uint8_t b = line[k];
        if (b == '*') {
            long run = 0;
            while (k < count && line[k] == '*') { run++; k++; }
            if (run == 1) singles++; else if (run == 2) stars++;
            continue;
        }
        if (b == '`') backticks++;
        if (b == ']' && k + 1 < count && line[k + 1] == '(') links++;
        k++;
    }
    counts[0] = stars; counts[1] = singles; counts[2] = backticks; counts[3] = links;
}
