"""Verdict v5 (ties for nobody, see votes.py): the honest estimate of "rank by per-probe votes in the best view". The six vote views of votes.py
plus the shipped ranking (leave-one-student-out fused score) are the procedures; for each held-out distilled student
the view with the most labelled teachers first over the other students is used (ties: the earlier in the list). Also
the edges vote on random halves of the probes (10 seeds), and with candidates limited to the labelled ones against
all ten. Data as in contrast.py."""
import os, sys
import numpy as np
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "verdict-v2")); sys.path.insert(0, os.path.join(here, "..", "verdict-v4"))
from lab import load, block, center, SHARED, WORK
import monotone
from monotone import SHIPPED, design, loso

idx, names, E, A, pairs = load(os.path.join(WORK, "emb-ae"), SHARED + "/data/alpaca-eval/pairs.json")
fam = idx["families"]; cands = pairs["candidates"]; pp = pairs["pairs"]
students = sorted({p["student"] for p in pp}); panel = [m for m in names if m not in cands and m not in students]
views = {"ngram raw": (["char", "word"], False), "ngram centred": (["char", "word"], True)}
for f in ("edges", "phrases", "markdown", "lines"): views[f + " centred"] = ([f], True)
V = {k: (center(block(E, [fam[c] for c in cols]), A, panel) if cent else block(E, [fam[c] for c in cols])) for k, (cols, cent) in views.items()}
dist = [s for s in students if any(p["distilled"] and p["student"] == s for p in pp)]
teach = {s: {p["teacher"] for p in pp if p["student"] == s and p["distilled"]} for s in dist}
tier = {s: next(p["confidence"] for p in pp if p["student"] == s and p["distilled"]) for s in dist}
def vote_first(v, s, cs, probes=None):
    """Ties count for nobody (a probe's vote goes only to a strictly nearest candidate): giving them to the first
    listed, as numpy's argmax does, favours text_davinci_003 and gpt-3.5-turbo-0301, listed before gpt4_0314."""
    C = np.stack([(V[v][s] * V[v][t]).sum(1) for t in cs]); ok = np.stack([A[s] & A[t] for t in cs]).all(0)
    if probes is not None: ok = ok & probes
    C = C[:, ok]; C = C[:, (C == C.max(0)).sum(0) == 1]
    return cs[int(np.bincount(C.argmax(0), minlength=len(cs)).argmax())]
labelled = {s: [p["teacher"] for p in pp if p["student"] == s] for s in dist}
first = {v: {s: vote_first(v, s, labelled[s]) in teach[s] for s in dist} for v in V}
sc = loso(design(monotone.fa, pp, SHIPPED), pp, 0.01, True); st = np.array([p["student"] for p in pp])
first["shipped"] = {s: pp[np.where(st == s)[0][np.argmax(sc[st == s])]]["teacher"] in teach[s] for s in dist}
order = list(V) + ["shipped"]
def count(hits): return {t: (sum(hits[s] for s in dist if tier[s] == t or t == "all"), sum(1 for s in dist if tier[s] == t or t == "all")) for t in ("all", "high", "medium")}
chosen, hits = {}, {}
for s in dist:
    best = max(order, key=lambda v: (sum(first[v][o] for o in dist if o != s), -order.index(v)))
    chosen[best] = chosen.get(best, 0) + 1; hits[s] = first[best][s]
print("nested choice", chosen, "->", count(hits))
for v in order: print(f"  {v:16s}", count(first[v]))
print("edges, all ten candidates:", count({s: vote_first("edges centred", s, cands) in teach[s] for s in dist}))
rng = np.random.default_rng(20251207)
for k in range(10):
    half = np.zeros(len(A[dist[0]]), bool); half[rng.choice(len(half), len(half) // 2, replace=False)] = True
    print(f"edges, half the probes, seed {k}:", count({s: vote_first("edges centred", s, labelled[s], half) in teach[s] for s in dist}))
print("edges vote misses:", {s: vote_first("edges centred", s, labelled[s]) for s in dist if not first["edges centred"][s]})
print("shipped misses now right by the vote:", sorted(s for s in dist if first["edges centred"][s] and not first["shipped"][s]))
print("shipped right, vote wrong:", sorted(s for s in dist if not first["edges centred"][s] and first["shipped"][s]))
