"""Verdict v5 study, second rule fixed before the run (2026-12-07): rank a student's labelled candidates by per-probe
votes — on each probe, the candidate nearest to the student wins it — with the ngram block (char + word) raw and
centred on the panel's per-probe mean, and with every shipped structure family centred; unanswered probes count for
nobody. Ties are counted two ways: for nobody, and (numpy's argmax) for the candidate listed first in pairs.json —
the second was the first version of this study and is an artifact: text_davinci_003 and gpt-3.5-turbo-0301 are
listed before gpt4_0314 for every student, and the edges family ties all candidates on up to 410 probes. No fitted
parameter, so leave-one-student-out is not needed. Data as in contrast.py."""
import os, sys, json
import numpy as np
here = os.path.dirname(os.path.abspath(__file__)); sys.path.insert(0, os.path.join(here, "..", "verdict-v2"))
from lab import load, block, center, SHARED, WORK

def study(folder, pairs_path, label):
    idx, names, E, A, pairs = load(folder, pairs_path)
    fam = idx["families"]; cands = pairs["candidates"]; pp = pairs["pairs"]
    students = sorted({p["student"] for p in pp}); panel = [m for m in names if m not in cands and m not in students]
    views = {"ngram raw": (block(E, [fam["char"], fam["word"]]), False), "ngram centred": (block(E, [fam["char"], fam["word"]]), True)}
    for f in ("edges", "phrases", "markdown", "lines"): views[f + " centred"] = (block(E, [fam[f]]), True)
    for name, (Bk, cent) in views.items():
        V = center(Bk, A, panel) if cent else Bk
        by = {}
        for s in students:
            mine = [p for p in pp if p["student"] == s]; teach = {p["teacher"] for p in mine if p["distilled"]}
            if not teach: continue
            cs = [p["teacher"] for p in mine]
            C = np.stack([(V[s] * V[t]).sum(1) for t in cs]); ok = np.stack([A[s] & A[t] for t in cs]).all(0)
            C = C[:, ok]; tier = next(p["confidence"] for p in mine if p["distilled"])
            strict = (C == C.max(0)).sum(0) == 1
            for rule, cols in (("ties for nobody", strict), ("ties to first listed", np.ones(C.shape[1], bool))):
                first = cs[int(np.bincount(C[:, cols].argmax(0), minlength=len(cs)).argmax())]
                for t in (tier, "all"):
                    by.setdefault((rule, t), [0, 0]); by[(rule, t)][0] += first in teach; by[(rule, t)][1] += 1
        for rule in ("ties for nobody", "ties to first listed"):
            print(f"{label} {name:16s} {rule:21s} " + "  ".join(f"{t} {a}/{n}" for (r, t), (a, n) in sorted(by.items()) if r == rule))

study(os.path.join(WORK, "emb-ae"), SHARED + "/data/alpaca-eval/pairs.json", "AlpacaEval")
study(os.path.join(WORK, "emb-ab"), SHARED + "/data/arena-bench-v1/pairs.json", "arena-bench-v1")
