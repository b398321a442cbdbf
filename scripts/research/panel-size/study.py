"""How the verdict depends on the panel's size and the probe count (2026-12-07).

The panel defines "unrelated"; a user's own probe set may have a small panel and few probes (the issue's
second benchmark: 80 prompts, a 12-model pool). Rule, fixed before running: for panel sizes k in 5, 10, 16, 20, 24
(5 seeded random subsets of the 32 bundled panel models each) and all 32, and for all 805 probes or an
80-probe sample (seeded as the panel), run the release binary
  (a) `calibrate` — the map refitted leave one student out on that configuration, and
  (b) `calibrate --evaluate Probes/alpaca-eval/calibration.json` — the shipped map (fitted on 805 probes
      and 32 panel models) applied unchanged; on the AlpacaEval pairs this is in-sample for the map, so it
      shows only what the panel and probe shift costs.
and print the mean over subsets of AUC (all/high/medium), teacher first, false `distilled`, pairs found, and
the AUC within gpt-3.5-turbo-0301's pairs (the measure the second benchmark's within-teacher target uses).
Nothing here is fitted to the results; it describes the shipped engine.

    python3 scripts/research/panel-size/study.py   # after `make release`; about 3 minutes
"""
import json, os, random, statistics, subprocess, sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
BIN = os.path.join(ROOT, ".build/release/lineage")
REC = os.path.join(ROOT, "Probes/alpaca-eval/recordings")
PANEL = os.path.join(ROOT, "Probes/alpaca-eval/panel")
SHIPPED = os.path.join(ROOT, "Probes/alpaca-eval/calibration.json")
WORK = os.environ.get("LINEAGE_RESEARCH", "/tmp/lineage-panel-size")
CACHE = os.path.join(WORK, "cache")


def panel_folder(k, seed):
    names = sorted(os.listdir(PANEL))
    chosen = names if k >= len(names) else random.Random(seed).sample(names, k)
    folder = os.path.join(WORK, f"panel-k{k}-s{seed}")
    os.makedirs(folder, exist_ok=True)
    for name in chosen:
        link = os.path.join(folder, name)
        if not os.path.exists(link):
            os.symlink(os.path.join(PANEL, name), link)
    return folder


def run(k, seed, probes, evaluate):
    args = [BIN, "calibrate", "--quiet", "--json", "--pairs", os.path.join(REC, "pairs.json"), "--recordings", REC,
            "--panel", panel_folder(k, seed), "--cache", CACHE, "--seed", str(seed)]
    if probes:
        args += ["--probe-sample", str(probes)]
    if evaluate:
        args += ["--evaluate", SHIPPED]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    doc = json.loads(out)
    tiers = {m["tier"]: m for m in doc["metrics"]}
    within = {w["teacher"]: w["auc"] for w in doc["within_teacher"]}
    a = tiers["all"]
    return {"auc": a["auc"], "high": tiers["high"]["auc"], "medium": tiers["medium"]["auc"],
            "first": a["right_teacher_first"], "fd": a["false_distilled"], "found": a["true_distilled"],
            "gpt35": within.get("gpt-3.5-turbo-0301", float("nan")), "cllr": a["cllr"]}


def main():
    os.makedirs(CACHE, exist_ok=True)
    print("| panel | probes | map | AUC all | high | medium | Cllr | teacher first (of 22) | false `distilled` (of 225) | found (of 25) | within gpt-3.5-turbo-0301 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for probes in (None, 80):
        for k in (5, 10, 16, 20, 24, 32):
            seeds = [1] if k == 32 and probes is None else [1, 2, 3, 4, 5]
            for evaluate in (False, True):
                rows = [run(k, s, probes, evaluate) for s in seeds]
                def mean(key):
                    return statistics.mean(r[key] for r in rows)
                def span(key):
                    lo, hi = min(r[key] for r in rows), max(r[key] for r in rows)
                    return f"{mean(key):.3f}" if lo == hi else f"{mean(key):.3f} ({lo:.2f}–{hi:.2f})"
                print(f"| {k} | {probes or 805} | {'shipped, unchanged' if evaluate else 'refitted (LOSO)'} | {span('auc')} | "
                      f"{mean('high'):.3f} | {mean('medium'):.3f} | {mean('cllr'):.2f} | {mean('first'):.1f} | {mean('fd'):.1f} | "
                      f"{mean('found'):.1f} | {mean('gpt35'):.3f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
