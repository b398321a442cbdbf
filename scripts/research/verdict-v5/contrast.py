"""Verdict v5 study: does ranking the candidates against the panel's own preference fix the GPT-3.5/GPT-4 mix-up?

Rule fixed before the run (2026-12-07): the shipped fusion (six features, weights >= 0, ridge 0.01) gives score(X, Y)
for any model X against candidate Y; a student's candidates are ranked by
  base:      score(S, A)                                      (what `attribute` ships)
  centred:   score(S, A) - mean_M score(M, A)                 M over the panel (the panel's own liking for A)
  pairwise:  mean_B [(d_S - mean_M d_M) / sd_M d_M],  d_X = score(X, A) - score(X, B)   B the other candidates
with each student's scores from the map fitted without that student (leave one student out), and the panel models'
scores from the same map, each panel model judged against the panel without itself (as the engine does for a
student). On arena-bench-v1 the all-pairs AlpacaEval map is applied unchanged. Counted: labelled teacher first,
per tier. Data: the shared AlpacaEval outputs (tatsu-lab/alpaca_eval, CC BY-NC 4.0) and arena-bench-v1 (Apache-2.0)
embedded by scripts/research/verdict-v2/run.sh into $LINEAGE_RESEARCH.
"""
import os, sys, json, pickle
import numpy as np
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "verdict-v2")); sys.path.insert(0, os.path.join(here, "..", "verdict-v4"))
sys.path.insert(0, os.path.join(here, "..", "verdict-v6"))
from lab import SHARED, WORK
import monotone, length
from monotone import SHIPPED, standardised_fit, design, LN10

def features(folder, pairs_path):
    """Shipped features of every (subject, candidate), subject over students and panel; pool = panel without subject
    (verdict-v6/length.py's features with no length correction)."""
    out, _, (students, panel, cands, pairs) = length.features(folder, pairs_path, None, None)
    return out, students, panel, cands, pairs

def X_of(feats, s, t): return np.array([feats[(k, s, t)] for k in SHIPPED])

def rankings(feats, students, panel, cands, pairs, map_for):
    """Per distilled student: (tier, labelled teachers, {rule: first candidate})."""
    res = []
    for s in students:
        mine = [p for p in pairs if p["student"] == s]; cs = [p["teacher"] for p in mine]
        teach = {p["teacher"] for p in mine if p["distilled"]}
        if not teach: continue
        tier = next(p["confidence"] for p in mine if p["distilled"])
        f = map_for(s)
        sc = {t: float(f(X_of(feats, s, t)[None])[0]) for t in cs}
        P = {t: np.array([float(f(X_of(feats, m, t)[None])[0]) for m in panel]) for t in cs}
        cen = {t: sc[t] - P[t].mean() for t in cs}
        pw = {a: np.mean([((sc[a] - sc[b]) - (P[a] - P[b]).mean()) / (P[a] - P[b]).std() for b in cs if b != a]) for a in cs}
        res.append((tier, teach, {r: max(cs, key=d.get) for r, d in (("base", sc), ("centred", cen), ("pairwise", pw))}))
    return res

def tally(res, label):
    for rule in ("base", "centred", "pairwise"):
        by = {}
        for tier, teach, first in res:
            for t in (tier, "all"): by.setdefault(t, [0, 0]); by[t][0] += first[rule] in teach; by[t][1] += 1
        print(f"{label} {rule:9s} " + "  ".join(f"{t} {a}/{n}" for t, (a, n) in sorted(by.items())))

cache = os.path.join(WORK, "contrast-features.pkl")
if os.path.exists(cache): fa, fb = pickle.load(open(cache, "rb"))
else:
    fa = features(os.path.join(WORK, "emb-ae"), SHARED + "/data/alpaca-eval/pairs.json")
    fb = features(os.path.join(WORK, "emb-ab"), SHARED + "/data/arena-bench-v1/pairs.json")
    pickle.dump((fa, fb), open(cache, "wb"))
feats, students, panel, cands, pa = fa
y = np.array([p["distilled"] for p in pa]); st = np.array([p["student"] for p in pa])
Xa = np.array([X_of(feats, p["student"], p["teacher"]) for p in pa])
# sanity: the student features agree with the verdict-v2 pickle the shipped study used
ref = design(monotone.fa, pa, SHIPPED); print("max |feature - verdict-v2 pickle|", np.abs(ref - Xa).max(0).round(4))
maps = {s: standardised_fit(Xa[st != s], y[st != s], 0.01, True)[0] for s in students}
tally(rankings(feats, students, panel, cands, pa, maps.get), "AlpacaEval LOSO")
whole, _ = standardised_fit(Xa, y, 0.01, True)
fbf, sb, pb_, cb, pb = fb
tally(rankings(fbf, sb, pb_, cb, pb, lambda s: whole), "arena-bench-v1 (AE map)")

if os.environ.get("CONTRAST_MISSES"):
    for s in students:
        mine = [p for p in pa if p["student"] == s]
        if not any(p["distilled"] for p in mine): continue
        f = maps[s]; sc = sorted(((float(f(X_of(feats, s, p["teacher"])[None])[0]), p["teacher"], p["distilled"]) for p in mine), reverse=True)
        if not sc[0][2]: print(s, next(p["confidence"] for p in mine if p["distilled"]), [(t, round(v, 2), d) for v, t, d in sc[:3]])
