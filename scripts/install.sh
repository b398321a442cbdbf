#!/usr/bin/env bash
# make install PREFIX=…: the lineage binary with everything it finds relative to itself, so that it works
# outside the checkout:
#   PREFIX/lib/lineage/lineage                          the binary
#   PREFIX/lib/lineage/Lineage_LineageKit.resources/    the bundled embedding models (ngram-v3, ngram-v2, ngram-v1)
#   PREFIX/lib/lineage/Probes/<set>/                    every probe set (probes.jsonl, panel, calibration)
#   PREFIX/bin/lineage                                  a symbolic link to the binary
# The binary resolves the link and looks for Probes/ and the resources beside itself; LINEAGE_PROBES=DIR
# adds a folder of probe sets of your own.
set -euo pipefail
PREFIX=${1:?usage: scripts/install.sh PREFIX [BINARY]}
BIN=${2:-.build/release/lineage}
cd "$(dirname "$0")/.."
[ -x "$BIN" ] || { echo "no binary at $BIN (run make release)" >&2; exit 1; }
RESOURCES="$(dirname "$BIN")/Lineage_LineageKit.resources"
[ -d "$RESOURCES" ] || { echo "no resource bundle at $RESOURCES" >&2; exit 1; }
DIR="$PREFIX/lib/lineage"
mkdir -p "$DIR" "$PREFIX/bin"
install -m 755 "$BIN" "$DIR/lineage"
rm -rf "$DIR/Lineage_LineageKit.resources" "$DIR/Probes"
cp -R "$RESOURCES" "$DIR/Lineage_LineageKit.resources"
mkdir -p "$DIR/Probes"
for set in Probes/*/; do
  [ -f "$set/probes.jsonl" ] && cp -R "${set%/}" "$DIR/Probes/"
done
ln -sfn "../lib/lineage/lineage" "$PREFIX/bin/lineage"
echo "installed: $PREFIX/bin/lineage → $DIR/lineage (probe sets: $(ls "$DIR/Probes" | tr '\n' ' '))"
