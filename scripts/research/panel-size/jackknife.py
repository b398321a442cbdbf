"""How much the shipped verdicts rest on any one panel model (2026-12-07), descriptive.

Runs `lineage attribute --students` for the 26 labelled AlpacaEval students against the 10 candidates with
`--panel-jackknife` (the bundled 32-model panel, the shipped calibration; its map is in-sample for these
students, so this measures panel sensitivity, not error rates) and prints, per student, the first candidate,
its log10 LR with the lowest and highest over the 32 omissions, its verdict changes and how often it stays
first; then every (student, candidate) whose verdict changes under some omission.

    python3 scripts/research/panel-size/jackknife.py   # after `make release`; about 80 seconds
Data: the shared AlpacaEval outputs (tatsu-lab/alpaca_eval, CC BY-NC 4.0), bundled in Probes/alpaca-eval/.
"""
import json, os, statistics, subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
REC = os.path.join(ROOT, "Probes/alpaca-eval/recordings")

pairs = json.load(open(os.path.join(REC, "pairs.json")))
labels = {(p["student"], p["teacher"]): p["distilled"] for p in pairs["pairs"]}
students = sorted({p["student"] for p in pairs["pairs"]})
args = [os.path.join(ROOT, ".build/release/lineage"), "attribute", "--quiet", "--json", "--panel-jackknife",
        "--bootstrap", "20", "--permutations", "20", "--students"] + [f"{REC}/{s}.jsonl" for s in students]
for c in pairs["candidates"]:
    args += ["--candidate", f"{REC}/{c}.jsonl"]
results = json.loads(subprocess.run(args, capture_output=True, text=True, check=True, cwd=ROOT).stdout)["results"]

label = lambda s, t: {True: "distilled", False: "independent"}.get(labels.get((s, t)), "unlabelled")
spans, kept, changes, total = [], [], [], 0
print("| student | first candidate (label) | log10 LR | lowest – highest | verdict | changes | stays first |")
print("|---|---|---|---|---|---|---|")
for r in results:
    d = r.get("details", r)
    s, j, first = d["student"]["model"], d["panel_jackknife"], d["ranking"][0]
    c0 = j["candidates"][0]
    spans.append(c0["log10_likelihood_ratio_highest"] - c0["log10_likelihood_ratio_lowest"]); kept.append(j["first_kept"])
    print(f"| {s} | {first['model']} ({label(s, first['model'])}) | {first['log10_likelihood_ratio']:.2f} | "
          f"{c0['log10_likelihood_ratio_lowest']:.2f} – {c0['log10_likelihood_ratio_highest']:.2f} | {first['verdict']} | "
          f"{c0['verdict_changes']} of {j['omissions']} | {j['first_kept']} of {j['omissions']} |")
    for c in j["candidates"]:
        total += j["omissions"]
        if c["verdict_changes"]:
            full = next(a for a in d["ranking"] if a["model"] == c["model"])
            changes.append((s, c["model"], label(s, c["model"]), full["verdict"], full["log10_likelihood_ratio"], c["verdict_changes"]))
print(f"\nverdicts that change: {sum(c[5] for c in changes)} of {total} (student, candidate, omission); the first candidate "
      f"stays first under all omissions for {sum(k == 32 for k in kept)} of {len(kept)} students (fewest {min(kept)}); "
      f"its log10 LR range: median {statistics.median(spans):.2f}, largest {max(spans):.2f}")
for s, t, l, v, lr, n in changes:
    print(f"  {s} → {t} ({l}): {v} at log10 LR {lr:.2f}, changes in {n}")
