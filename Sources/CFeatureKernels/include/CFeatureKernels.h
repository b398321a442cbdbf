// Vector (AVX-512) kernels for the featurizer's hottest loops. Swift has no per-function CPU targets, so
// these live in C with `target` attributes and a run-time CPU check; each gives exactly the bytes of the
// Swift code it stands in for (the tests compare both paths), so results never depend on the CPU.
#ifndef LINEAGE_FEATURE_KERNELS_H
#define LINEAGE_FEATURE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU and OS run the kernels below (AVX-512 F, BW, DQ and VL), else 0; call no kernel
/// without it.
int lineage_vector_kernels_available(void);

/// `TextNormalizer.foldASCII`: folds the ASCII bytes `input[0..<count]` (digits to '0', horizontal white
/// space to ' ', letters lowered when `lowercase`), then the white-space state machine, into `output`.
/// Returns the length written, or -1 at the first byte >= 0x80. `output` must hold `count` bytes (the
/// result is never longer than the input).
long lineage_fold_ascii(const uint8_t *input, long count, int lowercase, uint8_t *output);

/// Bucket ids of the character 3-, 4- and 5-grams starting at positions [0, positions) of an ASCII text,
/// in the order (position, then n): FNV-1a 64 from `basis`, SplitMix64 finaliser, `(hash >> shift) + offset`.
/// Handles whole groups of 8 positions and returns how many positions it did; every byte of each done
/// n-gram must be part of the text (position + 5 <= text length). Writes 3 ids a position.
long lineage_char_ngram_ids_3to5(const uint8_t *text, long positions, uint64_t basis, unsigned shift,
                                 uint32_t offset, uint32_t *ids);

/// `SparseProjection` with one non-zero a bucket: for each bucket, `column | signBit` where column is in
/// [0, dimensions) and signBit is 1 << 31 for -1.
void lineage_project_columns(const uint32_t *buckets, long count, uint64_t seed, uint32_t dimensions,
                             uint32_t *columns);

/// Word uni- and bigram ids of an ASCII text with no capital letters (folded by a lowercasing model), as
/// `FeatureCounter.countWords` makes them for n in 1...2, in its order (each token's unigram, then its
/// bigram with the token before). Reads tokens from `*position` on and stops when the text ends or
/// `capacity` ids could not take another 16; keeps the last token's hash in `*previous` and whether there
/// is one in `*seen`, for the next call. Returns the ids written (`*position == length` when done). The
/// text must be followed by 8 readable bytes.
long lineage_word_ids_1to2(const uint8_t *text, long length, long *position, uint64_t basis, unsigned shift,
                           uint32_t offset, uint64_t *previous, int *seen, uint32_t *ids, long capacity);

#endif
