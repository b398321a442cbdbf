#!/usr/bin/env bash
# make exhibits DIR=Results/NAME: the result folder's report printed to DIR.pdf (A4, Chromium headless) and
# each of its plots rendered to DIR-png/<plot>.png at 2× scale. Both are written beside the folder, not
# inside it: a result folder holds exactly what its manifest lists (lineage verify checks that).
set -euo pipefail
dir=${1:?usage: make exhibits DIR=Results/NAME}
dir=${dir%/}
[ -f "$dir/manifest.json" ] || { echo "$dir: not a result folder (no manifest.json)"; exit 1; }
chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$chromium" ] || { echo "exhibits need Chromium: apt-get install -y chromium"; exit 1; }
run() { "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run "$@" >/dev/null 2>&1; }
absolute=$(cd "$dir" && pwd)
# Outside every result folder: a folder inside another (a demo's matrix/) gets OUTER-inner.pdf beside the outer.
prefix=$absolute
while [ -f "$(dirname "$prefix")/manifest.json" ]; do
  prefix="$(dirname "$(dirname "$prefix")")/$(basename "$(dirname "$prefix")")-$(basename "$prefix")"
done
shown=${prefix#"$PWD/"}
if [ -f "$dir/report.html" ]; then
  run --no-pdf-header-footer --print-to-pdf="$prefix.pdf" "file://$absolute/report.html"
  [ -s "$prefix.pdf" ] || { echo "Chromium wrote no PDF for $dir/report.html"; exit 1; }
  echo "$shown.pdf"
fi
mkdir -p "$prefix-png"
for svg in "$absolute"/*.svg; do
  [ -f "$svg" ] || continue
  # The plot's own size, from the root element's width and height attributes.
  size=$(head -c 2000 "$svg" | tr '\n' ' ' | sed -n 's/.*<svg[^>]* width="\([0-9.]*\)"[^>]* height="\([0-9.]*\)".*/\1 \2/p')
  read -r width height <<< "${size:-800 600}"
  png="$prefix-png/$(basename "${svg%.svg}").png"
  run --force-device-scale-factor=2 --window-size="${width%.*},${height%.*}" --screenshot="$png" "file://$svg"
  [ -s "$png" ] || { echo "Chromium wrote no PNG for $svg"; exit 1; }
done
echo "$shown-png/ ($(ls "$prefix-png" | wc -l) plots)"
