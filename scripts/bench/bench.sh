#!/usr/bin/env bash
# make bench: featurize throughput, the similarity step against the measured sgemm peak, end-to-end
# `lineage matrix` time and peak memory, and the sklearn peer on the same files in the same run.
# The machine may be shared: every timing is given as wall time and as CPU time (user + sys).
set -euo pipefail
BIN=${BIN:-.build/release/lineage}
DATA=../shared/data/alpaca-eval/outputs
if [ -d "$DATA" ]; then FILES=("$DATA"/*.json); else
  echo "(../shared absent: using Probes/alpaca-eval/{panel,recordings})"
  FILES=(Probes/alpaca-eval/panel/*.jsonl Probes/alpaca-eval/recordings/*.jsonl); DATA=""
fi
INPUT_MB=$(du -cbL "${FILES[@]}" | tail -1 | awk '{printf "%.1f", $1/1e6}')
echo "== lineage bench: ${#FILES[@]} files, ${INPUT_MB} MB; load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
"$BIN" bench "${FILES[@]}"

# The peer (../shared/peers/sklearn_ngram.py) indexes rows as model × 805 + probe, so it fails on a file
# with fewer than 805 records. Both programs therefore run on the same set: a temporary directory of
# symlinks to the AlpacaEval files that have all 805 records.
SET=$(mktemp -d)
TIMELOG=$(mktemp)
trap 'rm -rf "$SET" "$TIMELOG"' EXIT
PEER_OK=""
if [ -n "$DATA" ] && python3 -c "import sklearn" 2>/dev/null; then PEER_OK=1; fi
if [ -n "$DATA" ]; then
  python3 - "$DATA" "$SET" <<'PY'
import json, os, sys
data, out = sys.argv[1], sys.argv[2]
left = []
for name in sorted(os.listdir(data)):
    if not name.endswith('.json'):
        continue
    n = len(json.load(open(os.path.join(data, name))))
    if n == 805:
        os.symlink(os.path.abspath(os.path.join(data, name)), os.path.join(out, name))
    else:
        left.append(f"{name} ({n} records)")
print(f"same-set run: {len(os.listdir(out))} files with all 805 records; left out (the peer assumes 805 a file): "
      + (", ".join(left) if left else "none"))
PY
  SAME=("$SET"/*.json)
else
  SAME=("${FILES[@]}")
fi
SAME_MB=$(du -cbL "${SAME[@]}" | tail -1 | awk '{printf "%.1f", $1/1e6}')

# Ours: reading, featurizing and the matrix, as one `lineage matrix` process; three runs, median reported.
WALLS=(); CPUS=(); RSS=()
for run in 1 2 3; do
  /usr/bin/time -f "%e %U %S %M" -o "$TIMELOG" "$BIN" matrix --json "${SAME[@]}" > /dev/null
  read -r wall user sys rss < "$TIMELOG"
  WALLS+=("$wall"); CPUS+=("$(echo "$user + $sys" | bc -l)"); RSS+=("$rss")
done
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
OURS=$(median "${WALLS[@]}"); OURS_CPU=$(median "${CPUS[@]}")
RSS_MB=$(printf '%s\n' "${RSS[@]}" | sort -g | tail -1 | awk '{printf "%.1f", $1/1024}')
printf "end to end: lineage matrix on %d files (%s MB): median of 3 = %.2f s wall, %.2f s CPU (runs: %s s wall; %s s CPU); peak RSS %s MB = %.2f× input\n" \
  "${#SAME[@]}" "$SAME_MB" "$OURS" "$OURS_CPU" "${WALLS[*]}" "$(printf '%.2f ' "${CPUS[@]}")" "$RSS_MB" \
  "$(echo "$RSS_MB / $SAME_MB" | bc -l)"

if [ -n "$PEER_OK" ]; then
  PEER=$(/usr/bin/time -f "%e %U %S" -o "$TIMELOG" python3 ../shared/peers/sklearn_ngram.py "$SET")
  read -r pwall puser psys < "$TIMELOG"
  PEER_CPU=$(echo "$puser + $psys" | bc -l)
  echo "peer (sklearn) on the same ${#SAME[@]} files: $PEER"
  PEER_TOTAL=$(echo "$PEER" | sed -n 's/.*total=\([0-9.]*\)s.*/\1/p')
  printf "peer process: %.2f s wall, %.2f s CPU\n" "$pwall" "$PEER_CPU"
  printf "end-to-end ratio (peer total / ours, wall): %.2f s / %.2f s = %.1f×; CPU time (peer process / ours): %.2f s / %.2f s = %.1f×\n" \
    "$PEER_TOTAL" "$OURS" "$(echo "$PEER_TOTAL / $OURS" | bc -l)" \
    "$PEER_CPU" "$OURS_CPU" "$(echo "$PEER_CPU / $OURS_CPU" | bc -l)"
else
  echo "peer skipped (scikit-learn not importable or ../shared absent)"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
