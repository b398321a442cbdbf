// Vector (AVX-512) kernels for the featurizer's hottest loops. Swift has no per-function CPU targets, so
// these live in C with `target` attributes and a run-time CPU check; each gives exactly the bytes of the
// Swift code it stands in for (the tests compare both paths), so results never depend on the CPU.
#ifndef LINEAGE_FEATURE_KERNELS_H
#define LINEAGE_FEATURE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU and OS run the kernels below (AVX-512 F, BW, DQ and VL, and BMI2), else 0; call no kernel
/// without it.
int lineage_vector_kernels_available(void);

/// `TextNormalizer.foldASCII`: folds the ASCII bytes `input[0..<count]` (digits to '0', horizontal white
/// space to ' ', letters lowered when `lowercase`), then the white-space state machine, into `output`.
/// Returns the length written, or -1 at the first byte >= 0x80. `output` must hold `count` bytes (the
/// result is never longer than the input). `compress` 1 uses the byte compress of AVX-512 VBMI2 where the
/// CPU has it, 0 never (the same bytes; tests hold both paths to the Swift loop).
long lineage_fold_ascii(const uint8_t *input, long count, int lowercase, int compress, uint8_t *output);

/// `lineage_fold_ascii` from the middle of a text: `written` bytes are already in `output`, and the writer's
/// pending separator state is read from and left in `*pendingSpace` and `*pendingNewlines`. `output` must
/// hold `written + count + 2` bytes. Returns the new length, or -1 at a byte >= 0x80.
long lineage_fold_ascii_continuing(const uint8_t *input, long count, int lowercase, int compress, uint8_t *output,
                                   long written, int *pendingSpace, int *pendingNewlines);

/// Bucket ids of the character 3-, 4- and 5-grams starting at positions [0, positions) of an ASCII text,
/// in the order (position, then n): FNV-1a 64 from `basis`, SplitMix64 finaliser, `(hash >> shift) + offset`
/// (`shift` in 32...63: `BucketMap` of 2^1 to 2^32 buckets).
/// Keeps an n-gram when its finalised hash has no bit of `sample_mask` set (`BucketMap.kept`; 0 keeps all).
/// Handles whole groups of 8 positions and returns how many positions it did; every byte of each done
/// n-gram must be part of the text (position + 5 <= text length). Writes the kept ids, at most 3 a
/// position, and their number in `*written`; `ids` must hold 3 a position (vectors are stored whole).
long lineage_char_ngram_ids_3to5(const uint8_t *text, long positions, uint64_t basis, unsigned shift,
                                 uint32_t offset, uint64_t sample_mask, uint32_t *ids, long *written);

/// How many bytes from `text` on are ASCII (< 0x80), at most `length`.
long lineage_ascii_prefix(const uint8_t *text, long length);

// AVX2 kernels (AVX2Kernels.c), for x86-64 CPUs without AVX-512: the same bytes again.

/// 1 when this CPU and OS run the AVX2 kernels (AVX2, BMI2, POPCNT), else 0; call none without it.
int lineage_avx2_available(void);

/// `lineage_fold_ascii` (and `_continuing`) 64 bytes a step with AVX2: the same contract and bytes, without
/// the byte compress.
long lineage_fold_ascii_avx2(const uint8_t *input, long count, int lowercase, uint8_t *output);
long lineage_fold_ascii_continuing_avx2(const uint8_t *input, long count, int lowercase, uint8_t *output, long written,
                                        int *pendingSpace, int *pendingNewlines);

/// `lineage_char_ngram_ids_3to5_portable` 4 positions a step with AVX2 (64-bit products from 32-bit ones): the
/// same ids, all `positions` done (returns `positions`), at most 3 ids a position written.
long lineage_char_ngram_ids_3to5_avx2(const uint8_t *text, long positions, uint64_t basis, unsigned shift, uint32_t offset,
                                      uint64_t sample_mask, uint32_t *ids, long *written);

/// `lineage_project_columns` 4 buckets a step with AVX2.
void lineage_project_columns_avx2(const uint32_t *buckets, long count, uint64_t seed, uint32_t dimensions,
                                  uint32_t *columns);

/// `lineage_ascii_prefix` 32 bytes a step with AVX2.
long lineage_ascii_prefix_avx2(const uint8_t *text, long length);

// Plain-C kernels (PortableKernels.c), for any CPU: the contracts of the AVX-512 kernels above, the same bytes.

/// `lineage_char_ngram_ids_3to5` one position at a time, without vector instructions: does all `positions`
/// (returns `positions`) and writes at most 3 ids a position.
long lineage_char_ngram_ids_3to5_portable(const uint8_t *text, long positions, uint64_t basis, unsigned shift,
                                          uint32_t offset, uint64_t sample_mask, uint32_t *ids, long *written);

/// `lineage_ascii_prefix` eight bytes at a time, without vector instructions.
long lineage_ascii_prefix_portable(const uint8_t *text, long length);

/// `lineage_project_columns` one bucket at a time, without vector instructions.
void lineage_project_columns_portable(const uint32_t *buckets, long count, uint64_t seed, uint32_t dimensions,
                                      uint32_t *columns);

/// `EmbeddingGrid.steps`: `steps[d] = values[d] · scale` as a 16-bit integer (0 where out of range); returns 1 when
/// every product is a whole number within ±32767, else 0. A loop without branches, which the compiler vectorises
/// (Swift's Float-to-integer conversion checks each value and kept it scalar).
int lineage_grid_steps(const float *values, long count, float scale, int16_t *steps);

/// `lineage_word_ids_1to2` one token at a time, without vector instructions: the same ids in the same order,
/// the same `*position`, `*previous` and `*seen` protocol and the same stopping rule (room for 16 more ids).
long lineage_word_ids_1to2_portable(const uint8_t *text, long length, long *position, uint64_t basis, unsigned shift,
                                    uint32_t offset, uint64_t sample_mask, uint64_t *previous, int *seen, uint32_t *ids,
                                    long capacity);

/// `SparseProjection` with one non-zero a bucket: for each bucket, `column | signBit` where column is in
/// [0, dimensions) and signBit is 1 << 31 for -1.
void lineage_project_columns(const uint32_t *buckets, long count, uint64_t seed, uint32_t dimensions,
                             uint32_t *columns);

/// Word uni- and bigram ids of an ASCII text with no capital letters (folded by a lowercasing model), as
/// `FeatureCounter.countWords` makes them for n in 1...2, in its order (each token's unigram, then its
/// bigram with the token before), keeping those whose finalised hash has no bit of `sample_mask` set. Reads tokens from `*position` on and stops when the text ends or
/// `capacity` ids could not take another 16; keeps the last token's hash in `*previous` and whether there
/// is one in `*seen`, for the next call. Returns the ids written (`*position == length` when done). The
/// text must be followed by 8 readable bytes. `queued` 1 finds each 64-byte window's tokens at once where the
/// CPU has VBMI2, 0 one token at a time (the same ids, for the tests of both). `shift` in 32...63, as above.
long lineage_word_ids_1to2(const uint8_t *text, long length, long *position, uint64_t basis, unsigned shift,
                           uint32_t offset, uint64_t sample_mask, uint64_t *previous, int *seen, uint32_t *ids,
                           long capacity, int queued);

/// `row[d] *= scale` for d in 0..<count (AVX-512; each product rounded as the Swift loop rounds it).
void lineage_scale_row(float *row, long count, float scale);

/// `Embedder.scaleToUnit` after its norm: `row[d] = (((row[d] · scale) · grid + 1.5·2²³) − 1.5·2²³) / grid`
/// for d in 0..<count, each step rounded as the Swift loops round it (no fused multiply-add, no reassociation):
/// the scaling and `EmbeddingGrid.snap` in one AVX-512 pass.
void lineage_scale_snap_row(float *row, long count, float scale, float grid);

/// `Embedder`'s drain of one segment with one-non-zero projection columns (`lineage_project_columns`): for
/// each touched bucket b, `block[column] ±= sublinear[tf] · (idfBase + code · idfStep)` with the same
/// rounding as the Swift loop (no fused multiply-add), then its count emptied. `cells` pairs each bucket's
/// count with its IDF code (`cells[2b]`, `cells[2b + 1]`: one cache line for both). Stops at the first
/// bucket whose count is saturated (255, its count goes on elsewhere) and returns its index, else `count`.
/// Plain C: no vector instructions, but the same bytes as the Swift loop.
long lineage_drain_projected(const uint32_t *touched, long count, uint8_t *cells,
                             const uint32_t *columns, const float *sublinear, float idfBase, float idfStep,
                             float *block);

/// `FeatureCounter.tallyIDs`: counts `ids[0..<count]` into `cells` (bucket b's count at `cells[2b]`) in order, appending each bucket's first
/// occurrence to `touched` at `*distinct` (advanced). Stops at the first id whose cell is saturated (255)
/// and returns its index, else `count`. Plain C.
long lineage_tally(const uint32_t *ids, long count, uint8_t *cells, uint32_t *touched, long *distinct);

// The structure families' scan of a style view (StyleScan.c): plain C, on every CPU. Swift's per-byte
// loops over the same text ran at 3–4 ns a byte; these run at a fraction of that.

/// Word statistics of a style view, as `StyleTokenizer` reads them: the number of word runs (letters,
/// digits, '_' and bytes >= 0x80), and the first and the last token (a run of word bytes, or a run of ASCII
/// punctuation; space and line breaks separate) as offsets `range[0]..<range[1]` and `range[2]..<range[3]`
/// (all -1 when there is no token). Returns the word count; `vector` 1 lets a CPU with AVX-512 BW count
/// 64 bytes at a time (the same count).
long lineage_style_words(const uint8_t *text, long n, long range[4], int vector);

/// Stock-phrase matches of a style view: at each position p where `text[p]` is an ASCII letter and p == 0
/// or `text[p - 1]` is not an ASCII letter, every phrase (lowercase ASCII, at least 4 bytes,
/// `phrases[offsets[k]..<offsets[k + 1]]`) that `text[p...]` spells, ASCII case-insensitively, and that no
/// ASCII letter follows. `prefixes` is an open-addressed table of 1024 slots holding every phrase's first four
/// bytes as a little-endian key (0 = empty), each at `lineage_style_phrase_slot(key)` or the next free slot
/// after it; the phrases with the key of slot s are `slot_phrases[slot_starts[s]..<slot_starts[s + 1]]`, in
/// increasing index, tried in that order (a phrase can only match where the text's first four bytes, with
/// 0x20 set in each, are its key). `pairs` (from `lineage_style_phrase_pairs`,
/// or NULL) lets a CPU with AVX-512 VBMI test 64 positions at a time before the scalar match (the same
/// matches). Writes (position, phrase index) pairs into `matches`, at most `capacity` pairs; returns the
/// pairs found (more than `capacity` means the output was cut: call again with more room).
long lineage_style_phrases(const uint8_t *text, long n, const uint8_t *phrases, const int32_t *offsets,
                           const uint32_t *prefixes, const int32_t *slot_starts, const int32_t *slot_phrases,
                           const uint8_t *pairs, int32_t *matches, long capacity);

/// The prefilter of `lineage_style_phrases`: for each of the first four byte pairs (x, y) of the `count`
/// phrases, bit `((x | 0x20) & 31) << 5 | ((y | 0x20) & 31)` of the 1024-bit table `pairs[128 j ..< 128 (j + 1)]`
/// (every y after the last byte of a 4-byte phrase).
void lineage_style_phrase_pairs(const uint8_t *phrases, const int32_t *offsets, long count, uint8_t pairs[512]);

/// The home slot of a phrase prefix key in the table of `lineage_style_phrases`.
long lineage_style_phrase_slot(uint32_t key);

/// The first position at or after `from` whose byte is `*`, a backtick or `]` (what `lineage_style_inline`
/// counts), else `n`: lines before it hold no inline markdown. `vector` 1 lets a CPU with AVX-512 BW look at
/// 64 bytes at a time (the same position).
long lineage_style_next_inline(const uint8_t *text, long from, long n, int vector);

/// Inline markdown in one line: `counts` = { `**` runs, single `*` runs, backticks, `](` }, skipping a
/// leading `*` when `skip_first` (a bullet).
void lineage_style_inline(const uint8_t *line, long count, int skip_first, long counts[4]);

#endif
