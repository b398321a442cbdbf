// The fold's white-space writer in C (`TextNormalizer.Writer`), shared by the AVX-512 and AVX2 folds.
#ifndef LINEAGE_FOLD_WRITER_H
#define LINEAGE_FOLD_WRITER_H

#include <stdint.h>

/// `TextNormalizer.Writer`: a space or line breaks wait until a visible byte follows.
typedef struct { int pendingSpace, pendingNewlines; } Writer;

/// What the writer puts before a visible byte: the pending separator (none at the start of the output).
static inline long putSeparator(Writer *w, uint8_t *out, long o) {
    if (o > 0) {
        if (w->pendingNewlines > 0) {
            out[o++] = '\n';
            if (w->pendingNewlines > 1) out[o++] = '\n';
        } else if (w->pendingSpace) {
            out[o++] = ' ';
        }
    }
    w->pendingSpace = 0;
    w->pendingNewlines = 0;
    return o;
}

static inline long put(Writer *w, uint8_t byte, uint8_t *out, long o) {
    if (byte == ' ') { w->pendingSpace = 1; return o; }
    if (byte == '\n') { w->pendingNewlines++; w->pendingSpace = 0; return o; }
    o = putSeparator(w, out, o);
    out[o++] = byte;
    return o;
}

static inline uint8_t foldByte(uint8_t b, int lowercase) {
    if (b >= '0' && b <= '9') return '0';
    if (b == 0x09 || b == 0x0B || b == 0x0C || b == 0x0D) return ' ';
    if (lowercase && b >= 'A' && b <= 'Z') return b | 0x20;
    return b;
}

/// The last bytes of a vector fold (fewer than a block), byte by byte through the writer, and the writer's
/// pending state handed back: the new output length, or -1 at a byte >= 0x80.
static inline long lineage_fold_rest(Writer *w, const uint8_t *input, long count, int lowercase, uint8_t *output, long o,
                                     int *pendingSpace, int *pendingNewlines) {
    for (long i = 0; i < count; i++) {
        if (input[i] >= 0x80) return -1;
        o = put(w, foldByte(input[i], lowercase), output, o);
    }
    *pendingSpace = w->pendingSpace;
    *pendingNewlines = w->pendingNewlines;
    return o;
}

/// Whether a 64-byte block with spaces `space` and line breaks `newline` (bit masks) needs the writer byte by byte,
/// written at output length `o`: a pending separator, white space next to white space other than a "\n\n"
/// pair, white space at its end, or at the very start of the output. Otherwise it is stored as it is.
static inline int lineage_block_needs_writer(uint64_t space, uint64_t newline, long o, const Writer *w) {
    uint64_t white = space | newline;
    return ((space & (white << 1)) | (newline & (space << 1)) | (newline & (newline << 1) & (newline << 2)) |
            (white >> 63) | (o == 0 ? (white & 1) : 0) | (uint64_t)(w->pendingSpace | w->pendingNewlines)) != 0;
}

#endif
