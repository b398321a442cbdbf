#!/usr/bin/env python3
"""Writes every answer of the AlpacaEval output files as <u32 little-endian length><UTF-8 bytes> into one file,
for floor.c. Data: tatsu-lab/alpaca_eval model outputs (Li, Zhang, Dubois et al., 2023), licence CC BY-NC 4.0;
the file written is a local scratch copy, not part of the repository."""
import glob, json, struct, sys

source = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/alpaca-eval/outputs"
target = sys.argv[2] if len(sys.argv) > 2 else "/tmp/lineage-answers.bin"
answers = total = ascii_answers = 0
with open(target, "wb") as out:
    for path in sorted(glob.glob(f"{source}/*.json")):
        for element in json.load(open(path, encoding="utf-8")):
            text = (element.get("output") or "").encode("utf-8")
            out.write(struct.pack("<I", len(text)))
            out.write(text)
            answers += 1
            total += len(text)
            ascii_answers += all(b < 0x80 for b in text)
print(f"{answers} answers, {total} bytes ({ascii_answers} all-ASCII answers) -> {target}")
