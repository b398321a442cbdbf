import os
import sys, pickle, json, numpy as np, collections; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eval import *; from lab import SHARED, WORK, CANDIDATE_SETS; from fuse import fit_lr
fa = pickle.load(open(os.path.join(WORK, "fv_ae.pkl"), "rb")); pa = json.load(open(SHARED + "/data/alpaca-eval/pairs.json"))
specs = CANDIDATE_SETS
P = pa["pairs"]; y = np.array([p["distilled"] for p in P]); st = np.array([p["student"] for p in P])
def X_of(ks): return np.array([[fa[tuple(k.split("/")) + (p["student"], p["teacher"])] for k in ks] for p in P])
Xs = {n: X_of(ks) for n, ks in specs.items()}
def loso_scores(X, mask, ridge):
    out = np.full(len(P), np.nan)
    for s in sorted(set(st[mask])):
        tr = mask & (st != s); te = mask & (st == s)
        mu, sd = X[tr].mean(0), X[tr].std(0); b = fit_lr((X[tr] - mu) / sd, y[tr], ridge)
        out[te] = b[0] + ((X[te] - mu) / sd) @ b[1:]
    return out
def objective(sc, mask):
    # AUC + top-1 share among inner students
    sub = [P[i] for i in np.where(mask)[0]]; d = {(p["student"], p["teacher"]): sc[i] for i, p in zip(np.where(mask)[0], sub)}
    m = metrics(d, sub, pa["candidates"]); t = m["top1"]
    return m["auc"] + (t["high"][0] + t["medium"][0]) / max(1, t["high"][1] + t["medium"][1])
outer = np.full(len(P), np.nan); chosen = collections.Counter()
for s in sorted(set(st)):
    inner = st != s
    best = max(((objective(loso_scores(X, inner, r), inner), n, r) for n, X in Xs.items() for r in [1e-2, 1e-1]))
    _, n, r = best; chosen[(n, r)] += 1
    X = Xs[n]; tr = inner; te = ~inner
    mu, sd = X[tr].mean(0), X[tr].std(0); b = fit_lr((X[tr] - mu) / sd, y[tr], r)
    outer[te] = b[0] + ((X[te] - mu) / sd) @ b[1:]
print(chosen)
d = {(p["student"], p["teacher"]): outer[i] for i, p in enumerate(P)}
print("nested LOSO:", fmt(metrics(d, P, pa["candidates"])))
