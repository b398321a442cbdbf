#!/usr/bin/env bash
# make bench: featurize throughput, the similarity step against the measured sgemm peak, end-to-end
# `lineage matrix` time and peak memory, and the sklearn peer on the same files in the same run.
# The machine may be shared: every timing is given as wall time and as CPU time (user + sys), with the
# load average before and after.
set -euo pipefail
BIN=${BIN:-.build/release/lineage}
DATA=../shared/data/alpaca-eval/outputs
if [ -d "$DATA" ]; then FILES=("$DATA"/*.json); else
  echo "(../shared absent: using Probes/alpaca-eval/{panel,recordings})"
  FILES=(Probes/alpaca-eval/panel/*.jsonl Probes/alpaca-eval/recordings/*.jsonl); DATA=""
fi
INPUT_BYTES=$(du -cbL "${FILES[@]}" | tail -1 | cut -f1)
INPUT_MB=$(awk -v b="$INPUT_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "== lineage bench: ${#FILES[@]} files, ${INPUT_MB} MB; load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
SET=$(mktemp -d)
TIMELOG=$(mktemp)
BENCHLOG=$(mktemp)
FLOOR_DIR=$(mktemp -d)
trap 'rm -rf "$SET" "$TIMELOG" "$BENCHLOG" "$FLOOR_DIR"' EXIT
"$BIN" bench "${FILES[@]}" | tee "$BENCHLOG"

# The peer (../shared/peers/sklearn_ngram.py) takes row model × 805 + probe to be probe `probe` of every
# model, i.e. it assumes every file holds all 805 AlpacaEval records in one order. Ours aligns records by
# instruction and runs on the original files. The peer runs on the same 52 models through a temporary
# directory: a symlink to each file already in the reference order (the first file with 805 records), and
# for any other file a copy in the reference order in which each instruction the file lacks is a record
# with an empty "output" (the peer embeds it as an empty text, as ours treats a missing answer).
PEER_OK=""
if [ -n "$DATA" ] && [ -f ../shared/peers/sklearn_ngram.py ] && python3 -c "import sklearn" 2>/dev/null; then PEER_OK=1; fi
if [ -n "$DATA" ]; then
  python3 - "$DATA" "$SET" <<'PY'
import json, os, sys
data, out = sys.argv[1], sys.argv[2]
names = sorted(n for n in os.listdir(data) if n.endswith('.json'))
records = {n: json.load(open(os.path.join(data, n))) for n in names}
ref_name = next(n for n in names if len(records[n]) == 805)
reference = [r['instruction'] for r in records[ref_name]]
linked, rewritten = 0, []
for name in names:
    recs = records[name]
    order = [r['instruction'] for r in recs]
    if order == reference:
        os.symlink(os.path.abspath(os.path.join(data, name)), os.path.join(out, name))
        linked += 1
        continue
    by_instruction = {r['instruction']: r for r in recs}
    unknown = [i for i in by_instruction if i not in set(reference)]
    if unknown or len(by_instruction) != len(recs):
        sys.exit(f"{name}: {len(unknown)} instructions outside {ref_name}, or repeated instructions; cannot align for the peer")
    generator = recs[0].get('generator', name[:-5]) if recs else name[:-5]
    padded, missing = [], []
    for p, instruction in enumerate(reference):
        if instruction in by_instruction:
            padded.append(by_instruction[instruction])
        else:
            padded.append({'dataset': records[ref_name][p].get('dataset'), 'instruction': instruction,
                           'output': '', 'generator': generator})
            missing.append(p)
    moved = sum(1 for p, i in enumerate(order) if p >= len(reference) or reference[p] != i)
    with open(os.path.join(out, name), 'w') as f:
        json.dump(padded, f)
    how = []
    if missing:
        how.append(f"{len(recs)} records, padded with empty outputs at 0-based probe position{'s' if len(missing) > 1 else ''} "
                   + ", ".join(str(p) for p in missing))
    if order != [i for i in reference if i in by_instruction]:
        how.append(f"reordered to {ref_name}'s order ({moved} of {len(recs)} records were at another position)")
    rewritten.append(f"{name} ({'; '.join(how)})")
print(f"peer set: {linked + len(rewritten)} files, reference order {ref_name}; {linked} symlinked as they are; "
      f"{len(rewritten)} rewritten for the peer:")
for line in rewritten:
    print(f"  {line}")
PY
fi

# Ours: reading, featurizing and the matrix, as one `lineage matrix` process on the original files;
# three runs, median reported.
WALLS=(); CPUS=(); RSS=()
for run in 1 2 3; do
  /usr/bin/time -f "%e %U %S %M" -o "$TIMELOG" "$BIN" matrix --json "${FILES[@]}" > /dev/null
  read -r wall user sys rss < "$TIMELOG"
  WALLS+=("$wall"); CPUS+=("$(echo "$user + $sys" | bc -l)"); RSS+=("$rss")
done
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
OURS=$(median "${WALLS[@]}"); OURS_CPU=$(median "${CPUS[@]}")
RSS_MB=$(printf '%s\n' "${RSS[@]}" | sort -g | tail -1 | awk '{printf "%.1f", $1 * 1024 / 1e6}')
RSS_RATIO=$(echo "$RSS_MB / $INPUT_MB" | bc -l)
printf "end to end: lineage matrix on %d files (%s MB): median of 3 = %.2f s wall, %.2f s CPU (runs: %s s wall; %s s CPU); peak RSS %s MB = %.2f× input (largest of the 3 runs)\n" \
  "${#FILES[@]}" "$INPUT_MB" "$OURS" "$OURS_CPU" "${WALLS[*]}" "$(printf '%.2f ' "${CPUS[@]}")" "$RSS_MB" "$RSS_RATIO"

RATIO=""
if [ -n "$PEER_OK" ]; then
  PEER=$(/usr/bin/time -f "%e %U %S" -o "$TIMELOG" python3 ../shared/peers/sklearn_ngram.py "$SET")
  read -r pwall puser psys < "$TIMELOG"
  PEER_CPU=$(echo "$puser + $psys" | bc -l)
  echo "peer (sklearn) on the same $(ls "$SET" | wc -l) models: $PEER"
  PEER_TOTAL=$(echo "$PEER" | sed -n 's/.*total=\([0-9.]*\)s.*/\1/p')
  printf "peer process: %.2f s wall, %.2f s CPU\n" "$pwall" "$PEER_CPU"
  RATIO=$(echo "$PEER_TOTAL / $OURS" | bc -l)
  printf "end-to-end ratio (peer total / ours, wall): %.2f s / %.2f s = %.1f×; process wall: %.2f s / %.2f s = %.1f×; CPU time (peer process / ours): %.2f s / %.2f s = %.1f×\n" \
    "$PEER_TOTAL" "$OURS" "$RATIO" "$pwall" "$OURS" "$(echo "$pwall / $OURS" | bc -l)" \
    "$PEER_CPU" "$OURS_CPU" "$(echo "$PEER_CPU / $OURS_CPU" | bc -l)"
else
  if [ ! -f ../shared/peers/sklearn_ngram.py ] || [ -z "$DATA" ]; then
    echo "peer skipped: ../shared (the AlpacaEval outputs and ../shared/peers/sklearn_ngram.py) is absent; the ratio to the peer needs it"
  else
    echo "peer skipped: scikit-learn is not importable (pip install scikit-learn)"
  fi
fi

# attribute against matrix --json over the same files in the same run (issue 20's targets): one student
# with the demo's 10 candidates and the 32-model panel (43 files); then every file of the data folder as a
# student in one batch (`attribute --students`) against matrix --json over all the files the batch reads.
REC=Probes/alpaca-eval/recordings
CANDIDATES=(gpt-3.5-turbo-0301 gpt4_0314 gpt4_0613 claude claude-2 text_davinci_003 llama-2-70b-chat-hf cohere gemini-pro mistral-medium)
CANDIDATE_ARGS=(); CANDIDATE_FILES=()
for c in "${CANDIDATES[@]}"; do CANDIDATE_ARGS+=(--candidate "$REC/$c.jsonl"); CANDIDATE_FILES+=("$REC/$c.jsonl"); done
timed() { /usr/bin/time -f "%e %U %S %M" -o "$TIMELOG" "$@" > /dev/null 2>&1; read -r wall user sys rss < "$TIMELOG"; }
# One run of each lasts about a second, where a shared host's noise is a good part of it: three interleaved
# runs of each, and the ratio of the medians.
median3() { printf "%s\n" "$@" | sort -g | sed -n 2p; }
M=(); A=(); ARSS=()
for _ in 1 2 3; do
  timed "$BIN" matrix --json "$REC/vicuna-13b.jsonl" "${CANDIDATE_FILES[@]}" Probes/alpaca-eval/panel/*.jsonl
  M+=("$wall")
  timed "$BIN" attribute --json --quiet --student "$REC/vicuna-13b.jsonl" "${CANDIDATE_ARGS[@]}"
  A+=("$wall"); ARSS+=("$rss")
done
MATRIX43=$(median3 "${M[@]}"); ATTRIBUTE1=$(median3 "${A[@]}"); ATTRIBUTE1_RSS=$(median3 "${ARSS[@]}")
printf "attribute, 1 student × 10 candidates × 32 panel: median of 3 %.2f s wall (%s), peak RSS %.0f MB; matrix --json on the same 43 files %.2f s (%s): %.2f× (target ≤ 2.5×)\n" \
  "$ATTRIBUTE1" "${A[*]}" "$(echo "$ATTRIBUTE1_RSS / 1000" | bc -l)" "$MATRIX43" "${M[*]}" "$(echo "$ATTRIBUTE1 / $MATRIX43" | bc -l)"
BATCH_FILES=("${FILES[@]}" Probes/alpaca-eval/panel/*.jsonl "${CANDIDATE_FILES[@]}")
BATCH_BYTES=$(du -cbL "${BATCH_FILES[@]}" | tail -1 | cut -f1)
timed "$BIN" matrix --json "${BATCH_FILES[@]}"
MATRIX_ALL=$wall
timed "$BIN" attribute --json --quiet --students "${FILES[@]}" "${CANDIDATE_ARGS[@]}"
printf "attribute --students, %d students × 10 candidates × 32 panel: %.2f s wall, %.2f s CPU, peak RSS %.0f MB = %.2f× the %.0f MB read (target ≤ 2×); matrix --json on those %d files %.2f s: %.1f× (target ≤ 20×)\n" \
  "${#FILES[@]}" "$wall" "$(echo "$user + $sys" | bc -l)" "$(echo "$rss / 1000" | bc -l)" "$(echo "$rss * 1024 / $BATCH_BYTES" | bc -l)" \
  "$(echo "$BATCH_BYTES / 1000000" | bc -l)" "${#BATCH_FILES[@]}" "$MATRIX_ALL" "$(echo "$wall / $MATRIX_ALL" | bc -l)"

# The same featurizing on the portable Swift path (no AVX-512 kernels; the same bytes), for the ratio.
LINEAGE_VECTOR_KERNELS=off "$BIN" bench "${FILES[@]}" --featurize-only --repeats 2 |
  sed 's/^featurize  1 thread :/featurize  1 thread, LINEAGE_VECTOR_KERNELS=off:/'

# What the fastest scalar code for the same feature set reaches on this machine, as a yardstick for
# target (d): scripts/research/featurize-floor (docs/FINDINGS.md, "Speed study step 5"), with the bundled model's 2^19 buckets.
FLOOR=""
if [ -n "$DATA" ] && command -v cc >/dev/null && \
   cc -O2 scripts/research/featurize-floor/floor.c -o "$FLOOR_DIR/floor" -lm 2>/dev/null && \
   python3 scripts/research/featurize-floor/extract_answers.py "$DATA" "$FLOOR_DIR/answers.bin" >/dev/null; then
  FLOOR_LINE=$("$FLOOR_DIR/floor" 19 "$FLOOR_DIR/answers.bin")
  echo "scalar floor (C, same features, cheapest hash, no Unicode path): $FLOOR_LINE"
  FLOOR=$(echo "$FLOOR_LINE" | sed -n 's/.*: *\([0-9.]*\) MB\/s on one core.*/\1/p')
else
  echo "scalar floor skipped (needs ../shared and a C compiler)"
fi

# The targets of issue 3, from the figures above.
ENGINE=$(grep -m1 '^similarity engine' "$BENCHLOG" || true)
ENGINE_PCT=$(echo "$ENGINE" | sed -n 's/.*= *\([0-9.]*\) % of peak.*/\1/p')
ENGINE_USEFUL=$(echo "$ENGINE" | sed -n 's/.*N(N+1)K useful: *\([0-9.]*\) %).*/\1/p')
ENGINE_WHAT=$(echo "$ENGINE" | sed -n 's/^similarity engine[^:]*: \([^,]*\),.*: *\([0-9.]*\) ms =.*/\1, \2 ms/p')
BEST_SGEMM=$(grep '^similarity sgemm.*\[2N²K\]' "$BENCHLOG" | sed -n 's/.*= *\([0-9.]*\) % of peak.*/\1/p' | sort -g | tail -1)
# The engine's kernel and block on Float32 read in place: the same products without the 16-bit staging.
ENGINE_KIND=$(echo "$ENGINE" | sed -n 's/^similarity engine[^:]*: \([^,]*\),.*/\1/p')
ENGINE_BLOCK=$(echo "$ENGINE" | sed -n 's/.*, \([0-9]*\)-probe blocks,.*/\1/p')
KERNEL=$(grep -m1 -F "similarity $ENGINE_KIND, $ENGINE_BLOCK-probe blocks, in place, $(nproc) threads" "$BENCHLOG" || true)
KERNEL_PCT=$(echo "$KERNEL" | sed -n 's/.*= *\([0-9.]*\) % of peak.*/\1/p')
KERNEL_MS=$(echo "$KERNEL" | sed -n 's/.*threads: *\([0-9.]*\) ms =.*/\1/p')
FEATURIZE=$(grep -m1 '^featurize  1 thread' "$BENCHLOG" | sed -n 's/.*= *\([0-9.]*\) MB\/s per core.*/\1/p')
RATIO_TEXT=n/a; [ -n "$RATIO" ] && RATIO_TEXT=$(printf '%.1f×' "$RATIO")
echo "targets: (a) end to end ≥ 50× the peer (wall): $RATIO_TEXT;" \
  "(b) similarity ≥ 80 % of the sgemm peak: engine (${ENGINE_WHAT:-n/a}, with its 16-bit staging) ${ENGINE_PCT:-n/a} % counting the flops it performs, ${ENGINE_USEFUL:-n/a} % counting N(N+1)K useful; its kernel on Float32 in place ${KERNEL_MS:-n/a} ms = ${KERNEL_PCT:-n/a} %; best full sgemm (2N²K) ${BEST_SGEMM:-n/a} %;" \
  "(c) peak RSS ≤ 2× input: $(printf '%.2f×' "$RSS_RATIO");" \
  "(d) featurize ≥ 100 MB/s per core: ${FEATURIZE:-n/a} MB/s (1 thread, per CPU-second; the scalar floor here: ${FLOOR:-n/a} MB/s)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
