#!/bin/bash
# Session 8 (issue 3): leave-one-student-out of ngram-v1's recipe with its character n-grams hash-sampled
# 1 in 2^s (s = 0..3), over 13 seed sets (the shipped seeds, then char/word/projection seeds k, k+100, k+1000
# for k = 11..22). Prints one line per (seed set, shift) with the calibrate summary; docs/FINDINGS.md, "Speed study step 8".
#   BIN=.build/release/lineage scripts/research/sampling-seeds/study.sh > /tmp/sampling.tsv   (~2 minutes)
set -euo pipefail
BIN=${BIN:-.build/release/lineage}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for k in shipped 11 12 13 14 15 16 17 18 19 20 21 22; do
  for s in 0 1 2 3; do
    if [ "$k" = shipped ]; then cs=1; ws=2; ps=20240601; else cs=$k; ws=$((k + 100)); ps=$((k + 1000)); fi
    python3 - "$s" "$cs" "$ws" "$ps" > "$work/recipe.json" <<'PY'
import json, sys
s, cs, ws, ps = map(int, sys.argv[1:])
r = json.load(open("scripts/model/ngram-v1.recipe.json"))
r["name"] = f"study-s{s}"; r["projection_seed"] = ps
r["families"][0]["seed"] = cs; r["families"][1]["seed"] = ws
if s: r["families"][0]["sample_shift"] = s
print(json.dumps(r))
PY
    "$BIN" model build --recipe "$work/recipe.json" --out "$work/model.lnm" > /dev/null
    summary=$("$BIN" calibrate --pairs Probes/alpaca-eval/recordings/pairs.json --recordings Probes/alpaca-eval/recordings \
      --model "$work/model.lnm" --quiet 2>&1 | sed -n '2,4p' | tr '\n' ' ')
    printf '%s\t%s\t%s\n' "$k" "$s" "$summary"
  done
done
