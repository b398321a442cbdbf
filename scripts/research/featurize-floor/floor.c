/* A lower bound on the cost of featurizing with the issue-3 feature set, in plain C.
 *
 * Every stage the engine runs per answer, written as cheaply as a scalar implementation can be:
 * fold (table lookup + white-space state machine), character 3/4/5-grams hashed by ONE multiply-shift of
 * the masked 8-byte load (cheaper than the model's FNV-1a + SplitMix64), word uni/bigrams, counting into
 * a byte-per-bucket table with prefetch and a first-occurrence list, and the drain (sublinear TF times a
 * quantized IDF byte, column and sign from one multiplication, one add into a 256-float block).
 * It leaves out what makes the engine dearer: Unicode (every byte is taken as a character), the model's
 * hash, count overflow past 255, block and row normalisation. So its MB/s is an upper bound on any scalar
 * engine for this feature set on the machine it runs on.
 *
 *   python3 extract_answers.py && cc -O2 floor.c -o /tmp/floor -lm && /tmp/floor 19 && /tmp/floor 16
 * (argument: log2 of the buckets of each family; 19 is the bundled model's). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DIMS 256
static int bits;
static uint8_t *cells, *idf, foldTable[256], text[1 << 22];
static uint32_t *ids, *touched;
static float sublinear[256], row[2 * DIMS];
static const uint64_t K3 = 0x9E3779B97F4A7C15ull, K4 = 0xC2B2AE3D27D4EB4Full, K5 = 0x165667B19E3779F9ull;
static double tFold, tChars, tWords, tCount, tDrain;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static inline uint64_t load64(const uint8_t *p) { uint64_t x; memcpy(&x, p, 8); return x; }

static int fold(const uint8_t *in, int n) {
    int o = 0, space = 0, newlines = 0;
    for (int i = 0; i < n; i++) {
        uint8_t b = foldTable[in[i]];
        if (b == ' ') { space = 1; continue; }
        if (b == '\n') { newlines++; space = 0; continue; }
        if (o) { if (newlines) { text[o++] = '\n'; if (newlines > 1) text[o++] = '\n'; } else if (space) text[o++] = ' '; }
        space = 0; newlines = 0; text[o++] = b;
    }
    memset(text + o, 0, 8);
    return o;
}

static int characters(int n) {
    int c = 0, shift = 64 - bits;
    for (int i = 0; i + 3 <= n; i++) {
        uint64_t u = load64(text + i);
        ids[c++] = (uint32_t)(((u & 0xFFFFFFull) * K3) >> shift);
        if (i + 4 <= n) ids[c++] = (uint32_t)(((u & 0xFFFFFFFFull) * K4) >> shift);
        if (i + 5 <= n) ids[c++] = (uint32_t)(((u & 0xFFFFFFFFFFull) * K5) >> shift);
    }
    return c;
}

static inline int isWord(uint8_t b) { return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_'; }

static int words(int n) {
    uint64_t previous = 0; int c = 0, seen = 0, i = 0, shift = 64 - bits; uint32_t offset = 1u << bits;
    while (i < n) {
        uint8_t b = text[i];
        if (b == ' ') { i++; continue; }
        uint64_t h = 0x12345;
        if (isWord(b)) { while (i < n && isWord(text[i])) { h = (h ^ text[i]) * 0x100000001B3ull; i++; } }
        else { h = (h ^ b) * 0x100000001B3ull; i++; }
        h *= K4; h ^= h >> 29;
        ids[c++] = offset + (uint32_t)(h >> shift);
        if (seen) ids[c++] = offset + (uint32_t)((((previous * K3) ^ h) * K5) >> shift);
        previous = h; seen = 1;
    }
    return c;
}

static int count(int c, int distinct) {
    int k = 0;
    for (; k < c - 24; k++) {
        __builtin_prefetch(cells + ids[k + 24], 1);
        uint32_t b = ids[k]; uint8_t v = cells[b]; cells[b] = v + (v < 255); touched[distinct] = b; distinct += v == 0;
    }
    for (; k < c; k++) { uint32_t b = ids[k]; uint8_t v = cells[b]; cells[b] = v + (v < 255); touched[distinct] = b; distinct += v == 0; }
    return distinct;
}

static void drain(int from, int to, float *block) {
    for (int k = from; k < to; k++) {
        if (k + 24 < to) { __builtin_prefetch(cells + touched[k + 24], 1); __builtin_prefetch(idf + touched[k + 24], 0); }
        uint32_t b = touched[k];
        float w = sublinear[cells[b]] * (0.5f + idf[b] * 0.05f);
        cells[b] = 0;
        uint64_t h = (uint64_t)b * K5;
        union { float f; uint32_t u; } x = { w };
        x.u ^= (uint32_t)(h >> 24) & 0x80000000u;
        block[h >> 56] += x.f;
    }
}

int main(int argc, char **argv) {
    bits = argc > 1 ? atoi(argv[1]) : 19;
    const char *path = argc > 2 ? argv[2] : "/tmp/lineage-answers.bin";
    FILE *f = fopen(path, "rb");
    if (!f || bits < 8 || bits > 24) { fprintf(stderr, "usage: floor BITS [answers.bin] (run extract_answers.py first)\n"); return 1; }
    fseek(f, 0, SEEK_END); long size = ftell(f); fseek(f, 0, SEEK_SET);
    uint8_t *all = malloc(size);
    if (fread(all, 1, size, f) != (size_t)size) return 1;
    size_t buckets = (size_t)2 << bits;
    cells = calloc(buckets, 1); idf = malloc(buckets);
    for (size_t i = 0; i < buckets; i++) idf[i] = (uint8_t)((i * 2654435761u) >> 24);
    ids = malloc(4u << 24); touched = malloc(4u << 24);
    for (int i = 1; i < 256; i++) sublinear[i] = 1 + logf(i);
    for (int i = 0; i < 256; i++) {
        uint8_t b = i;
        if (b >= '0' && b <= '9') b = '0'; else if (b == '\t' || b == 11 || b == 12 || b == '\r') b = ' '; else if (b >= 'A' && b <= 'Z') b |= 0x20;
        foldTable[i] = b;
    }
    const int repeats = 3; double bytes = 0, sink = 0, start = now();
    for (int r = 0; r < repeats; r++) {
        for (long p = 0; p + 4 <= size;) {
            uint32_t length; memcpy(&length, all + p, 4); p += 4;
            if (length > sizeof text - 8) { p += length; continue; }
            bytes += length;
            double t0 = now(); int n = fold(all + p, length); p += length;
            double t1 = now(); int c = characters(n);
            double t2 = now(); int split = count(c, 0);
            double t3 = now(); int w = words(n);
            double t4 = now(); int distinct = count(w, split);
            double t5 = now(); memset(row, 0, sizeof row); drain(0, split, row); drain(split, distinct, row + DIMS); sink += row[3];
            double t6 = now();
            tFold += t1 - t0; tChars += t2 - t1 + 0; tCount += (t3 - t2) + (t5 - t4); tWords += t4 - t3; tDrain += t6 - t5;
        }
    }
    double total = now() - start;
    printf("2^%d buckets a family: %.1f MB/s on one core; ns a byte: fold %.1f, char n-grams %.1f, words %.1f, count %.1f, drain %.1f (checksum %g)\n",
           bits, bytes / total / 1e6, tFold / bytes * 1e9, tChars / bytes * 1e9, tWords / bytes * 1e9, tCount / bytes * 1e9, tDrain / bytes * 1e9, sink);
    return 0;
}
