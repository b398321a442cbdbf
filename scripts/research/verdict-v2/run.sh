#!/usr/bin/env bash
# Reproduces the verdict-v2 study (docs/METHOD.md, "How the verdict was chosen") from the shared data:
# the engine's own embeddings of every family (research-v3 recipe: ngram-v3's families plus `style`),
# then per-family features, leave-one-student-out fusion, nested selection, transfer to arena-bench-v1
# and the confound checks. Needs python3 with numpy and scipy; writes to $LINEAGE_RESEARCH
# (default /tmp/lineage-verdict-v2). Run from the repository root after `make release`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${LINEAGE_RESEARCH:-/tmp/lineage-verdict-v2}
shared=${LINEAGE_SHARED:-$here/../../../../shared}
bin=${BIN:-.build/release/lineage}
mkdir -p "$work"
$bin model build --recipe "$here/research-v3.recipe.json" --out "$work/research-v3.lnm"
$bin model embed --model "$work/research-v3.lnm" --out "$work/emb-ae" "$shared"/data/alpaca-eval/outputs/*.json
$bin model embed --model "$work/research-v3.lnm" --probes "$shared/data/arena-bench-v1" --out "$work/emb-ab" \
  "$shared"/data/arena-bench-v1/recordings/*.jsonl "$shared"/data/arena-bench-v1/panel/*.jsonl
python3 "$here/run_var.py"      # features: raw and panel-centred mean cosines and their z, per family
python3 "$here/transfer.py"     # fixed feature sets: AlpacaEval LOSO, and the all-pairs fit applied to arena-bench-v1
python3 "$here/nested.py"       # nested LOSO selection among the sets (which set, how often; the honest estimate)
python3 "$here/confounds.py"    # length, same-base (llama-2-70b-chat-hf), prompt variants, on the shipped calibration
