// The per-byte loops of StyleTokenizer, in C (see CFeatureKernels.h).
#include "CFeatureKernels.h"
#if defined(__SSE2__)
#include <emmintrin.h>
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

long lineage_style_words(const uint8_t *text, long n, long range[4]) {
    range[0] = range[1] = range[2] = range[3] = -1;
    // The count: word bytes whose predecessor is not one (a loop the compiler vectorises).
    // Counted in byte lanes over chunks of at most 255 positions, so that the compiler's vectors are 16 wide.
    long words = n > 0 ? is_word_byte(text[0]) : 0;
    for (long chunk = 1; chunk < n; chunk += 255) {
        long end = chunk + 255 < n ? chunk + 255 : n;
        uint8_t count = 0;
        for (long i = chunk; i < end; i++) count += (uint8_t)(is_word_byte(text[i]) & !is_word_byte(text[i - 1]));
        words += count;
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

long lineage_style_phrase_slot(uint32_t key) { return (long)((key * 0x9E3779B1u) >> 22); }

long lineage_style_phrases(const uint8_t *text, long n, const uint8_t *phrases, const int32_t *offsets,
                           const int32_t *by_first, const uint32_t *prefixes, int32_t *matches, long capacity) {
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
        while (mask) {
            long p = block + __builtin_ctzll(mask);
            mask &= mask - 1;
            // The first four bytes, lowercased, must be some phrase's (an open-addressed table of 128).
            uint32_t key = lower4(text + p);
            long slot = lineage_style_phrase_slot(key);
            while (prefixes[slot] != 0 && prefixes[slot] != key) slot = (slot + 1) & 1023;
            if (prefixes[slot] == 0) continue;
            int l = lower(text[p]) - 'a';
            for (int32_t k = by_first[l]; k < by_first[l + 1]; k++) {
                long length = offsets[k + 1] - offsets[k];
                if (p + length > n) continue;
                const uint8_t *phrase = phrases + offsets[k];
                long j = 1;
                while (j < length && lower(text[p + j]) == phrase[j]) j++;
                if (j < length || (p + length < n && is_letter(text[p + length]))) continue;
                if (found < capacity) { matches[2 * found] = (int32_t)p; matches[2 * found + 1] = k; }
                found++;
            }
        }
    }
    return found;
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
