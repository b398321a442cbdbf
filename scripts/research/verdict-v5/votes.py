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

# The six views: family columns, and whether they are centred on the panel's per-probe mean.
VIEWS = {"ngram raw": (["char", "word"], False), "ngram centred": (["char", "word"], True)}
for f in ("edges", "phrases", "markdown", "lines"): VIEWS[f + " centred"] = ([f], True)

def view_vectors(E, A, fam, panel):
    """Each view's per-probe unit vectors of every model."""
    return {k: (center(block(E, [fam[c] for c in cols]), A, panel) if cent else block(E, [fam[c] for c in cols]))
            for k, (cols, cent) in VIEWS.items()}

def vote_first(V, A, s, cs, ties_for_nobody=True, probes=None):
    """The candidate of `cs` nearest to student `s` on the most probes (that all of them answered, within `probes`).
    A tied probe counts for nobody, or else (numpy's argmax) for the first listed of the tied."""
    C = np.stack([(V[s] * V[t]).sum(1) for t in cs]); ok = np.stack([A[s] & A[t] for t in cs]).all(0)
    if probes is not None: ok = ok & probes
    C = C[:, ok]
    if ties_for_nobody: C = C[:, (C == C.max(0)).sum(0) == 1]
    return cs[int(np.bincount(C.argmax(0), minlength=len(cs)).argmax())]

def study(folder, pairs_path, label):
    idx, names, E, A, pairs = load(folder, pairs_path)
    cands = pairs["candidates"]; pp = pairs["pairs"]
    students = sorted({p["student"] for p in pp}); panel = [m for m in names if m not in cands and m not in students]
    for name, V in view_vectors(E, A, idx["families"], panel).items():
        by = {}
        for s in students:
            mine = [p for p in pp if p["student"] == s]; teach = {p["teacher"] for p in mine if p["distilled"]}
            if not teach: continue
            cs = [p["teacher"] for p in mine]; tier = next(p["confidence"] for p in mine if p["distilled"])
            for rule, strict in (("ties for nobody", True), ("ties to first listed", False)):
                first = vote_first(V, A, s, cs, strict)
                for t in (tier, "all"):
                    by.setdefault((rule, t), [0, 0]); by[(rule, t)][0] += first in teach; by[(rule, t)][1] += 1
        for rule in ("ties for nobody", "ties to first listed"):
            print(f"{label} {name:16s} {rule:21s} " + "  ".join(f"{t} {a}/{n}" for (r, t), (a, n) in sorted(by.items()) if r == rule))

if __name__ == "__main__":
    study(os.path.join(WORK, "emb-ae"), SHARED + "/data/alpaca-eval/pairs.json", "AlpacaEval")
    study(os.path.join(WORK, "emb-ab"), SHARED + "/data/arena-bench-v1/pairs.json", "arena-bench-v1")
