#!/bin/bash
# ngram-v4's question (docs/FINDINGS.md, "Speed study step 11"): does counting the character and word n-grams
# into 2^16 buckets a family instead of ngram-v3's 2^19 (a cell table that fits the 1 MiB L2) lose anything?
# ngram-v3's recipe with both bucket counts over 9 seed sets (the shipped seeds, then char/word/projection seeds
# k, k+100, k+1000 for k = 11..18); leave-one-student-out on the 250 shared AlpacaEval pairs. One line per
# (seed set, bucket bits): AUC all/high/medium, Cllr, right teacher first all/high/medium, false 'distilled',
# distilled found, false 'not-distilled', then the AUC within each teacher (alphabetical).
#   BIN=.build/release/lineage scripts/research/bucket-seeds/study.sh > /tmp/buckets.tsv   (~6 minutes)
set -euo pipefail
BIN=${BIN:-.build/release/lineage}
DATA=${DATA:-../shared/data/alpaca-eval}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for k in shipped 11 12 13 14 15 16 17 18; do
  for bits in ${BITS:-19 17 16}; do  # b (both families at 2^b) or cXwY (characters 2^X, words 2^Y)
    if [ "$k" = shipped ]; then cs=1; ws=2; ps=20240601; else cs=$k; ws=$((k + 100)); ps=$((k + 1000)); fi
    python3 - "$bits" "$cs" "$ws" "$ps" > "$work/recipe.json" <<'PY'
import json, sys
bits = sys.argv[1]
cs, ws, ps = map(int, sys.argv[2:])
cb, wb = map(int, bits[1:].split("w")) if bits.startswith("c") else (int(bits), int(bits))
r = json.load(open("scripts/model/ngram-v3.recipe.json"))
r["name"] = f"study-{bits}"; r["projection_seed"] = ps
for f in r["families"]:
    if f["family"] == "char": f["seed"] = cs; f["buckets"] = 1 << cb
    if f["family"] == "word": f["seed"] = ws; f["buckets"] = 1 << wb
print(json.dumps(r))
PY
    "$BIN" model build --recipe "$work/recipe.json" --out "$work/model.lnm" > /dev/null
    "$BIN" calibrate --pairs "$DATA/pairs.json" --recordings "$DATA/outputs" --model "$work/model.lnm" \
      --quiet --no-cache --json > "$work/calibration.json"
    python3 - "$k" "$bits" "$work/calibration.json" <<'PY'
import json, sys
k, bits, path = sys.argv[1:]
d = json.load(open(path))
m = {t["tier"]: t for t in d["metrics"]}
w = {t["teacher"]: t["auc"] for t in d["within_teacher"]}
print("\t".join([k, bits] + [f'{m[t]["auc"]:.4f}' for t in ("all", "high", "medium")] +
                 [f'{m["all"]["cllr"]:.4f}', str(m["all"]["right_teacher_first"]), str(m["high"]["right_teacher_first"]),
                  str(m["medium"]["right_teacher_first"]), str(m["all"]["false_distilled"]), str(m["all"]["true_distilled"]),
                  str(m["all"]["false_not_distilled"])] + [f"{w[t]:.3f}" for t in sorted(w)]))
PY
  done
done
