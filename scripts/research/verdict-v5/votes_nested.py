"""Verdict v5 (ties for nobody, see votes.py): the honest estimate of "rank by per-probe votes in the best view". The six vote views of votes.py
plus the shipped ranking (leave-one-student-out fused score) are the procedures; for each held-out distilled student
the view with the most labelled teachers first over the other students is used (ties: the earlier in the list). Also
the edges vote on random halves of the probes (10 seeds), and with candidates limited to the labelled ones against
all ten. Data as in contrast.py."""
import os, sys
import numpy as np
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "verdict-v2")); sys.path.insert(0, os.path.join(here, "..", "verdict-v4"))
from lab import load, SHARED, WORK
from votes import view_vectors, vote_first
import monotone
from monotone import SHIPPED, design, loso

idx, names, E, A, pairs = load(os.path.join(WORK, "emb-ae"), SHARED + "/data/alpaca-eval/pairs.json")
fam = idx["families"]; cands = pairs["candidates"]; pp = pairs["pairs"]
students = sorted({p["student"] for p in pp}); panel = [m for m in names if m not in cands and m not in students]
V = view_vectors(E, A, fam, panel)
dist = [s for s in students if any(p["distilled"] and p["student"] == s for p in pp)]
teach = {s: {p["teacher"] for p in pp if p["student"] == s and p["distilled"]} for s in dist}
tier = {s: next(p["confidence"] for p in pp if p["student"] == s and p["distilled"]) for s in dist}
labelled = {s: [p["teacher"] for p in pp if p["student"] == s] for s in dist}
first = {v: {s: vote_first(V[v], A, s, labelled[s]) in teach[s] for s in dist} for v in V}
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
print("edges, all ten candidates:", count({s: vote_first(V["edges centred"], A, s, cands) in teach[s] for s in dist}))
rng = np.random.default_rng(20251207)
for k in range(10):
    half = np.zeros(len(A[dist[0]]), bool); half[rng.choice(len(half), len(half) // 2, replace=False)] = True
    print(f"edges, half the probes, seed {k}:", count({s: vote_first(V["edges centred"], A, s, labelled[s], probes=half) in teach[s] for s in dist}))
print("edges vote misses:", {s: vote_first(V["edges centred"], A, s, labelled[s]) for s in dist if not first["edges centred"][s]})
print("shipped misses now right by the vote:", sorted(s for s in dist if first["edges centred"][s] and not first["shipped"][s]))
print("shipped right, vote wrong:", sorted(s for s in dist if not first["edges centred"][s] and first["shipped"][s]))
