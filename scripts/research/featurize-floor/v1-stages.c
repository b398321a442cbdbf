/* Session 6 (issue 3): ngram-v1's featurizing of ASCII answers written out in C, stage by stage, to find which
 * stages vector kernels can take. Mode 0 checks that the fast stages give the reference's bytes (fold, character
 * ids, whole rows); 1 times the scalar reference (the engine's design); 2 times fast fold + ids with a count-only
 * pass and a drain over all ids (a zeroed cell adds +-0: same rows, no first-occurrence list); 3 times fast fold +
 * ids with the engine's first-occurrence list and projection columns computed 8 buckets a vector.
 *   python3 extract_answers.py && cc -O2 -ffp-contract=off v1-stages.c -o /tmp/v1-stages -lm && /tmp/v1-stages 0 && /tmp/v1-stages 3
 * Needs AVX-512 (F, BW, DQ, VL); reads the bundled model from Sources/. Findings: FINDINGS.md, "Session 6". */
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

#define DIMS 256
#define AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,bmi2,popcnt")))
static const uint64_t OFFSET = 0xcbf29ce484222325ull, PRIME = 0x100000001B3ull;
static uint64_t projSeed, charSeed, wordSeed;
static uint8_t *codes;
static float idfBase, idfStep, sublinear[256];
static uint8_t foldTable[256];

static inline uint64_t mix(uint64_t x) {
    uint64_t z = x + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static inline uint64_t combine(uint64_t a, uint64_t b) { return mix((a * 0x9e3779b97f4a7c15ull) ^ (b + 0x632be59bd9b4e019ull)); }

static void loadModel(const char *path) {
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END); long n = ftell(f); fseek(f, 0, SEEK_SET);
    uint8_t *d = malloc(n); fread(d, 1, n, f); fclose(f);
    size_t p = 8 + 4; uint32_t nl; memcpy(&nl, d + p, 4); p += 4 + nl;
    memcpy(&projSeed, d + p, 8); p += 8; p += 4 + 4 + 4;
    uint32_t buckets; memcpy(&buckets, d + p, 4); p += 4; p += 4; uint32_t fams; memcpy(&fams, d + p, 4); p += 4;
    for (uint32_t k = 0; k < fams; k++) {
        uint32_t id; uint64_t seed; memcpy(&id, d + p, 4); memcpy(&seed, d + p + 4, 8);
        if (id == 1) charSeed = seed; else wordSeed = seed;
        p += 4 + 8 + 4 * 4 + 4 + 8;
    }
    float *idf = (float *)(d + p), lo = 1e30f, hi = -1e30f;
    for (uint32_t i = 0; i < buckets; i++) { if (idf[i] < lo) lo = idf[i]; if (idf[i] > hi) hi = idf[i]; }
    idfBase = lo; idfStep = (hi - lo) / 255; codes = malloc(buckets + 64);
    for (uint32_t i = 0; i < buckets; i++) { float q = rintf((idf[i] - lo) / idfStep); codes[i] = (uint8_t)(q < 0 ? 0 : q > 255 ? 255 : q); }
    for (int i = 1; i < 256; i++) sublinear[i] = (float)(1 + log((double)i));
    for (int i = 0; i < 256; i++) {
        uint8_t b = i;
        if (b >= '0' && b <= '9') b = '0'; else if (b == 9 || b == 11 || b == 12 || b == 13) b = ' '; else if (b >= 'A' && b <= 'Z') b |= 0x20;
        foldTable[i] = b;
    }
}

// ---------- fold ----------
typedef struct { int space, newlines; } Writer;
static inline int put(Writer *w, uint8_t b, uint8_t *out, int o) {
    if (b == ' ') { w->space = 1; return o; }
    if (b == '\n') { w->newlines++; w->space = 0; return o; }
    if (o) { if (w->newlines) { out[o++] = '\n'; if (w->newlines > 1) out[o++] = '\n'; } else if (w->space) out[o++] = ' '; }
    w->space = 0; w->newlines = 0; out[o++] = b; return o;
}
static int foldRef(const uint8_t *in, int n, uint8_t *out) {
    Writer w = {0, 0}; int o = 0;
    for (int i = 0; i < n; i++) { if (in[i] >= 0x80) return -1; o = put(&w, foldTable[in[i]], out, o); }
    return o;
}
long fastBlocks, slowBlocks;
AVX512 static int foldFast(const uint8_t *in, int n, uint8_t *out) {
    Writer w = {0, 0}; int o = 0, i = 0;
    const __m512i zero9 = _mm512_set1_epi8(9), four = _mm512_set1_epi8(4), ten = _mm512_set1_epi8(10);
    for (; i + 64 <= n; i += 64) {
        __m512i v = _mm512_loadu_si512(in + i);
        if (_mm512_movepi8_mask(v)) return -1;
        __mmask64 digit = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')), _mm512_set1_epi8(10));
        __mmask64 upper = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('A')), _mm512_set1_epi8(26));
        __mmask64 ws = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, zero9), _mm512_set1_epi8(5)) & ~_mm512_cmpeq_epi8_mask(v, ten);
        v = _mm512_mask_blend_epi8(digit, v, _mm512_set1_epi8('0'));
        v = _mm512_mask_blend_epi8(upper, v, _mm512_or_si512(v, _mm512_set1_epi8(0x20)));
        v = _mm512_mask_blend_epi8(ws, v, _mm512_set1_epi8(' '));
        uint64_t S = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(' ')), N = _mm512_cmpeq_epi8_mask(v, ten), W = S | N;
        uint64_t bad = (S & (W << 1)) | (N & (S << 1)) | (N & (N << 1) & (N << 2)) | (W >> 63) | (o == 0 ? (W & 1) : 0);
        if (!bad && !w.space && !w.newlines) {
            _mm512_storeu_si512(out + o, v); o += 64; fastBlocks++;
        } else {
            uint8_t tmp[64]; _mm512_storeu_si512(tmp, v); slowBlocks++;
            for (int k = 0; k < 64; k++) o = put(&w, tmp[k], out, o);
        }
    }
    for (; i < n; i++) { if (in[i] >= 0x80) return -1; o = put(&w, foldTable[in[i]], out, o); }
    return o;
}

// ---------- char ids ----------
static int charsRef(const uint8_t *t, int n, uint32_t *ids) {
    int c = 0; uint64_t basis = OFFSET ^ charSeed;
    for (int i = 0; i + 3 <= n; i++) {
        uint64_t h = basis;
        for (int k = 1; k <= 5 && i + k <= n; k++) { h = (h ^ t[i + k - 1]) * PRIME; if (k >= 3) ids[c++] = (uint32_t)(mix(h) >> 45); }
    }
    return c;
}
AVX512 static inline __m512i vmixTop(__m512i x) {
    __m512i z = _mm512_add_epi64(x, _mm512_set1_epi64(0x9e3779b97f4a7c15ull));
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)), _mm512_set1_epi64(0xbf58476d1ce4e5b9ull));
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)), _mm512_set1_epi64(0x94d049bb133111ebull));
    return _mm512_srli_epi64(z, 45);
}
AVX512 static int charsFast(const uint8_t *t, int n, uint32_t *ids) {
    int c = 0, i = 0; const __m512i basis = _mm512_set1_epi64(OFFSET ^ charSeed), prime = _mm512_set1_epi64(PRIME);
    for (; i + 12 <= n; i += 8) {
        __m512i h = basis;
        h = _mm512_mullo_epi64(_mm512_xor_si512(h, _mm512_cvtepu8_epi64(_mm_loadl_epi64((const void *)(t + i)))), prime);
        h = _mm512_mullo_epi64(_mm512_xor_si512(h, _mm512_cvtepu8_epi64(_mm_loadl_epi64((const void *)(t + i + 1)))), prime);
        h = _mm512_mullo_epi64(_mm512_xor_si512(h, _mm512_cvtepu8_epi64(_mm_loadl_epi64((const void *)(t + i + 2)))), prime);
        __m256i a = _mm512_cvtepi64_epi32(vmixTop(h));
        h = _mm512_mullo_epi64(_mm512_xor_si512(h, _mm512_cvtepu8_epi64(_mm_loadl_epi64((const void *)(t + i + 3)))), prime);
        __m256i b = _mm512_cvtepi64_epi32(vmixTop(h));
        h = _mm512_mullo_epi64(_mm512_xor_si512(h, _mm512_cvtepu8_epi64(_mm_loadl_epi64((const void *)(t + i + 4)))), prime);
        __m512i cc = _mm512_castsi256_si512(_mm512_cvtepi64_epi32(vmixTop(h)));
        __m512i ab = _mm512_inserti64x4(_mm512_castsi256_si512(a), b, 1);
        // ab holds a0..a7 b0..b7; cc holds c0..c7 at 16..23 in the two-source index space
        __m512i idxlo = _mm512_setr_epi32(0, 8, 16, 1, 9, 17, 2, 10, 18, 3, 11, 19, 4, 12, 20, 5);
        __m512i idxhi = _mm512_setr_epi32(13, 21, 6, 14, 22, 7, 15, 23, 0, 0, 0, 0, 0, 0, 0, 0);
        _mm512_storeu_si512(ids + c, _mm512_permutex2var_epi32(ab, idxlo, cc));
        _mm256_storeu_si256((void *)(ids + c + 16), _mm512_castsi512_si256(_mm512_permutex2var_epi32(ab, idxhi, cc)));
        c += 24;
    }
    uint64_t basisS = OFFSET ^ charSeed;
    for (; i + 3 <= n; i++) {
        uint64_t h = basisS;
        for (int k = 1; k <= 5 && i + k <= n; k++) { h = (h ^ t[i + k - 1]) * PRIME; if (k >= 3) ids[c++] = (uint32_t)(mix(h) >> 45); }
    }
    return c;
}

// ---------- words ----------
static inline int isWord(uint8_t b) { return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_'; }
static int wordsRef(const uint8_t *t, int n, uint32_t *ids) {
    int c = 0, seen = 0, i = 0; uint64_t prev = 0, basis = OFFSET ^ wordSeed; const uint32_t off = 1u << 19;
    while (i < n) {
        uint8_t b = t[i];
        if (b == ' ') { i++; continue; }
        uint64_t h = basis;
        if (isWord(b)) { while (i < n && isWord(t[i])) { h = (h ^ t[i]) * PRIME; i++; } }
        else { h = (h ^ b) * PRIME; i++; }
        uint64_t tok = mix(h);
        ids[c++] = off + (uint32_t)(tok >> 45);
        if (seen) ids[c++] = off + (uint32_t)(combine(prev, tok) >> 45);
        prev = tok; seen = 1;
    }
    return c;
}

// ---------- count + drain (reference: touched list) ----------
static uint8_t *cells; static uint32_t *touched; static int distinctN;
static void countRef(const uint32_t *ids, int c) {
    int d = distinctN;
    for (int k = 0; k < c; k++) {
        if (k + 24 < c) __builtin_prefetch(cells + ids[k + 24], 1);
        uint32_t b = ids[k]; uint8_t v = cells[b]; cells[b] = v + (v < 255); touched[d] = b; d += v == 0;
    }
    distinctN = d;
}
static inline void project(uint32_t bucket, float value, float *block) {
    uint64_t h = mix(projSeed ^ ((uint64_t)bucket * 0x9e3779b97f4a7c15ull));
    uint64_t part = h & 0xffffffffull; int col = (int)(((part >> 1) * DIMS) >> 31);
    union { float f; uint32_t u; } x = { value }; x.u ^= (uint32_t)(part & 1) << 31; block[col] += x.f;
}
static void drainRef(int from, int to, float *block) {
    for (int k = from; k < to; k++) {
        uint32_t b = touched[k]; uint8_t tf = cells[b]; cells[b] = 0;
        project(b, sublinear[tf] * (idfBase + (float)codes[b] * idfStep), block);
    }
}
static void finishBlock(float *block) {
    float norm = 0; for (int d = 0; d < DIMS; d++) norm += block[d] * block[d];
    if (norm <= 0) return;
    float scale = sqrtf(0.5f) / sqrtf(norm); for (int d = 0; d < DIMS; d++) block[d] *= scale;
}
static void finishRow(float *row) {
    float norm = 0; for (int d = 0; d < 2 * DIMS; d++) norm += row[d] * row[d];
    if (norm <= 0) return;
    float s = 1 / sqrtf(norm); for (int d = 0; d < 2 * DIMS; d++) row[d] = ((row[d] * s * 1024 + 12582912.f) - 12582912.f) / 1024;
}

// ---------- fast count + drain: count only, drain over all ids (zeroed cells add +-0) ----------
static void countOnly(const uint32_t *ids, int c) {
    int k = 0;
    for (; k + 24 < c; k++) { __builtin_prefetch(cells + ids[k + 24], 1); uint32_t b = ids[k]; uint8_t v = cells[b]; cells[b] = v + (v < 255); }
    for (; k < c; k++) { uint32_t b = ids[k]; uint8_t v = cells[b]; cells[b] = v + (v < 255); }
}
static void drainAll(const uint32_t *ids, int c, float *block) {
    for (int k = 0; k < c; k++) {
        uint32_t b = ids[k]; uint8_t tf = cells[b]; cells[b] = 0;
        project(b, sublinear[tf] * (idfBase + (float)codes[b] * idfStep), block);
    }
}


static uint32_t *colsign;
AVX512 static void projectFast(const uint32_t *b, int n, uint32_t *out, uint64_t seed, uint64_t dims) {
    int k = 0; const __m512i K = _mm512_set1_epi64(0x9e3779b97f4a7c15ull), S = _mm512_set1_epi64(seed), D = _mm512_set1_epi64(dims);
    for (; k + 8 <= n; k += 8) {
        __m512i x = _mm512_cvtepu32_epi64(_mm256_loadu_si256((const void *)(b + k)));
        x = _mm512_xor_si512(S, _mm512_mullo_epi64(x, K));
        __m512i z = _mm512_add_epi64(x, K);
        z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)), _mm512_set1_epi64(0xbf58476d1ce4e5b9ull));
        z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)), _mm512_set1_epi64(0x94d049bb133111ebull));
        z = _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
        __m512i part = _mm512_and_si512(z, _mm512_set1_epi64(0xffffffffull));
        __m512i col = _mm512_srli_epi64(_mm512_mul_epu32(_mm512_srli_epi64(part, 1), D), 31);
        __m512i sign = _mm512_slli_epi64(_mm512_and_si512(part, _mm512_set1_epi64(1)), 31);
        _mm256_storeu_si256((void *)(out + k), _mm512_cvtepi64_epi32(_mm512_or_si512(col, sign)));
    }
    for (; k < n; k++) {
        uint64_t h = mix(seed ^ ((uint64_t)b[k] * 0x9e3779b97f4a7c15ull)); uint64_t part = h & 0xffffffffull;
        out[k] = (uint32_t)(((part >> 1) * dims) >> 31) | ((uint32_t)(part & 1) << 31);
    }
}
static void drainCS(int from, int to, float *block) {
    for (int k = from; k < to; k++) {
        if (k + 16 < to) { __builtin_prefetch(cells + touched[k + 16], 1); __builtin_prefetch(codes + touched[k + 16], 0); }
        uint32_t b = touched[k]; uint8_t tf = cells[b]; cells[b] = 0; uint32_t cs = colsign[k];
        union { float f; uint32_t u; } x = { sublinear[tf] * (idfBase + (float)codes[b] * idfStep) }; x.u ^= cs & 0x80000000u;
        block[cs & 0x7fffffff] += x.f;
    }
}
static double tsc() { return (double)__rdtsc(); }

int main(int argc, char **argv) {
    loadModel("Sources/LineageKit/Embedding/Resources/ngram-v1.lnm");
    FILE *f = fopen("/tmp/lineage-answers.bin", "rb"); fseek(f, 0, SEEK_END); long size = ftell(f); fseek(f, 0, SEEK_SET);
    uint8_t *all = malloc(size + 64); fread(all, 1, size, f);
    cells = calloc(1 << 20, 1); touched = malloc(4 << 24); colsign = malloc(4 << 24);
    uint8_t *text = malloc(1 << 25); uint32_t *ids = malloc(4 << 25), *ids2 = malloc(4 << 25);
    float row[2 * DIMS], row2[2 * DIMS];
    int mode = argc > 1 ? atoi(argv[1]) : 0; // 0 = verify, 1 = time ref, 2 = time fast
    double t[6] = {0}, bytes = 0; long mismatches = 0, answers = 0;
    struct timespec w0, w1; clock_gettime(CLOCK_MONOTONIC, &w0); double c0 = tsc();
    for (int rep = 0; rep < (mode ? 3 : 1); rep++)
    for (long p = 0; p + 4 <= size;) {
        uint32_t len; memcpy(&len, all + p, 4); p += 4; const uint8_t *in = all + p; p += len;
        int ascii = 1; for (uint32_t k = 0; k < len; k++) if (in[k] >= 0x80) { ascii = 0; break; }
        if (!ascii || len == 0) continue;
        answers++; bytes += len;
        if (mode == 0) {
            int n1 = foldRef(in, len, text); int n2 = foldFast(in, len, text + (1 << 24));
            if (n1 != n2 || memcmp(text, text + (1 << 24), n1)) { mismatches++; continue; }
            int c1 = charsRef(text, n1, ids), c2 = charsFast(text, n1, ids2);
            if (c1 != c2 || memcmp(ids, ids2, 4 * c1)) { mismatches++; continue; }
            memset(row, 0, sizeof row); memset(row2, 0, sizeof row2);
            distinctN = 0; countRef(ids, c1); int split = distinctN; int w = wordsRef(text, n1, ids + c1); countRef(ids + c1, w);
            drainRef(0, split, row); drainRef(split, distinctN, row + DIMS); finishBlock(row); finishBlock(row + DIMS); finishRow(row);
            countOnly(ids, c1); drainAll(ids, c1, row2); countOnly(ids + c1, w); drainAll(ids + c1, w, row2 + DIMS);
            finishBlock(row2); finishBlock(row2 + DIMS); finishRow(row2);
            if (memcmp(row, row2, sizeof row)) mismatches++;
            memset(row2, 0, sizeof row2); distinctN = 0; countRef(ids, c1); split = distinctN; countRef(ids + c1, w);
            projectFast(touched, distinctN, colsign, projSeed, DIMS); drainCS(0, split, row2); drainCS(split, distinctN, row2 + DIMS);
            finishBlock(row2); finishBlock(row2 + DIMS); finishRow(row2);
            if (memcmp(row, row2, sizeof row)) mismatches++;
            continue;
        }
        double a = tsc(); int n = mode == 1 ? foldRef(in, len, text) : foldFast(in, len, text);
        double b = tsc(); int c = mode == 1 ? charsRef(text, n, ids) : charsFast(text, n, ids);
        double cc = tsc(); int w = wordsRef(text, n, ids + c);
        double d = tsc(); memset(row, 0, sizeof row);
        if (mode == 3) { distinctN = 0; countRef(ids, c); int split = distinctN; countRef(ids + c, w); double e = tsc(); t[3] += e - d; d = e;
                         projectFast(touched, distinctN, colsign, projSeed, DIMS); drainCS(0, split, row); drainCS(split, distinctN, row + DIMS); }
        else if (mode == 1) { distinctN = 0; countRef(ids, c); int split = distinctN; countRef(ids + c, w); double e = tsc(); t[3] += e - d; d = e;
                         drainRef(0, split, row); drainRef(split, distinctN, row + DIMS); }
        else { countOnly(ids, c); countOnly(ids + c, w); double e = tsc(); t[3] += e - d; d = e; drainAll(ids, c, row); drainAll(ids + c, w, row + DIMS); }
        double e = tsc(); finishBlock(row); finishBlock(row + DIMS); finishRow(row); double g = tsc();
        t[0] += b - a; t[1] += cc - b; t[2] += d - cc; t[4] += e - d; t[5] += g - e;
    }
    clock_gettime(CLOCK_MONOTONIC, &w1); double wall = (w1.tv_sec - w0.tv_sec) + (w1.tv_nsec - w0.tv_nsec) * 1e-9;
    double ghz = (tsc() - c0) / wall / 1e9;
    if (mode == 0) { printf("verify: %ld ASCII answers, %ld mismatches; fold blocks fast %ld slow %ld\n", answers, mismatches, fastBlocks, slowBlocks); return 0; }
    printf("%s: %.1f MB/s (%.2f GHz tsc); ns/byte fold %.2f chars %.2f words %.2f count %.2f drain %.2f finish %.2f\n", mode == 1 ? "ref " : mode == 2 ? "fast" : "fast+touched+simdproj",
           bytes / wall / 1e6, ghz, t[0] / ghz / bytes, t[1] / ghz / bytes, t[2] / ghz / bytes, t[3] / ghz / bytes, t[4] / ghz / bytes, t[5] / ghz / bytes);
    return 0;
}
