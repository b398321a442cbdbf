#!/usr/bin/env bash
# make bench: featurize throughput, the similarity step against the measured sgemm peak, end-to-end
# `lineage matrix` time and peak memory on all AlpacaEval files, and the sklearn peer in the same run.
set -euo pipefail
BIN=${BIN:-.build/release/lineage}
DATA=../shared/data/alpaca-eval/outputs
if [ -d "$DATA" ]; then FILES=("$DATA"/*.json); else
  echo "(../shared absent: using Probes/alpaca-eval/{panel,recordings})"
  FILES=(Probes/alpaca-eval/panel/*.jsonl Probes/alpaca-eval/recordings/*.jsonl); DATA=""
fi
INPUT_MB=$(du -cb "${FILES[@]}" | tail -1 | awk '{printf "%.1f", $1/1e6}')
echo "== lineage bench: ${#FILES[@]} files, ${INPUT_MB} MB; load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
"$BIN" bench "${FILES[@]}"
TIMELOG=$(mktemp)
START=$(date +%s.%N)
/usr/bin/time -v "$BIN" matrix --json "${FILES[@]}" > /dev/null 2> "$TIMELOG"
END=$(date +%s.%N)
OURS=$(echo "$END - $START" | bc -l)
RSS_MB=$(awk -F: '/Maximum resident/ {printf "%.1f", $2/1024}' "$TIMELOG")
rm -f "$TIMELOG"
printf "end to end: lineage matrix on %d files: %.2f s; peak RSS %s MB = %.2f× input (%s MB)\n" \
  "${#FILES[@]}" "$OURS" "$RSS_MB" "$(echo "$RSS_MB / $INPUT_MB" | bc -l)" "$INPUT_MB"
if [ -n "$DATA" ] && python3 -c "import sklearn" 2>/dev/null; then
  PEER=$(python3 ../shared/peers/sklearn_ngram.py "$DATA")
  echo "peer (sklearn): $PEER"
  PEER_TOTAL=$(echo "$PEER" | sed -n 's/.*total=\([0-9.]*\)s.*/\1/p')
  printf "end-to-end ratio (peer total / ours): %.1f×\n" "$(echo "$PEER_TOTAL / $OURS" | bc -l)"
else
  echo "peer skipped (scikit-learn not importable or ../shared absent)"
fi
