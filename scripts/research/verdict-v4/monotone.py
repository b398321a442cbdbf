"""Verdict v4: sign-constrained (monotone) fusion against the shipped unconstrained fusion.

Every procedure is judged by leave-one-student-out on the shared AlpacaEval pairs (per tier), and its all-pairs
fit is applied unchanged to arena-bench-v1. The verdict threshold is the shipped one (log10 LR >= 1 / <= -1).
Inputs: the verdict-v2 feature pickles ($LINEAGE_RESEARCH/fv_ae.pkl, fv_ab.pkl; scripts/research/verdict-v2/run.sh).
"""
import os, sys, json, pickle, itertools
import numpy as np
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "verdict-v2"))
from lab import SHARED, WORK
from fuse import fit_lr

fa = pickle.load(open(os.path.join(WORK, "fv_ae.pkl"), "rb"))
fb = pickle.load(open(os.path.join(WORK, "fv_ab.pkl"), "rb"))
pa = json.load(open(SHARED + "/data/alpaca-eval/pairs.json"))["pairs"]
pb = json.load(open(SHARED + "/data/arena-bench-v1/pairs.json"))["pairs"]
LN10 = np.log(10)

def design(feats, pairs, keys):
    return np.array([[feats[tuple(k.split("/")) + (p["student"], p["teacher"])] for k in keys] for p in pairs])

def fit(X, y, ridge, monotone):
    """Prior-weighted logistic fusion; monotone: every weight >= 0, solved by active set (Lawson & Hanson 1974):
    drop the most negative weight and refit until none is negative, then bring back a dropped feature whose
    gradient at 0 points up (the fit would gain by a positive weight), until neither happens."""
    k = X.shape[1]; keep = list(range(k))
    Z = np.column_stack([np.ones(len(X)), X]); yy = np.asarray(y, float)
    w = np.where(yy == 1, 0.5 / yy.sum(), 0.5 / (1 - yy).sum())
    for _ in range(4 * k + 4):
        b = fit_lr(X[:, keep], y, ridge)
        full = np.zeros(k + 1); full[0] = b[0]; full[[j + 1 for j in keep]] = b[1:]
        if not monotone: return full
        if (b[1:] < 0).any():
            keep = [j for j in keep if j != keep[int(np.argmin(b[1:]))]]; continue
        p = 1 / (1 + np.exp(-Z @ full)); g = Z.T @ (w * (yy - p))
        out = [j for j in range(k) if j not in keep and g[j + 1] > 1e-12]
        if not out: return full
        keep = sorted(keep + [max(out, key=lambda j: g[j + 1])])
    return full

def standardised_fit(X, y, ridge, monotone):
    mu, sd = X.mean(0), X.std(0)
    b = fit((X - mu) / sd, y, ridge, monotone)
    return lambda Z: (b[0] + ((Z - mu) / sd) @ b[1:]) / LN10, b

def loso(X, pairs, ridge, monotone):
    y = np.array([p["distilled"] for p in pairs]); st = np.array([p["student"] for p in pairs]); out = np.zeros(len(pairs))
    for s in sorted(set(st)):
        tr = st != s
        f, _ = standardised_fit(X[tr], y[tr], ridge, monotone)
        out[~tr] = f(X[~tr])
    return out

def auc(s, y):
    s = np.asarray(s); y = np.asarray(y, bool); pos, neg = s[y], s[~y]
    if len(pos) == 0 or len(neg) == 0: return float("nan")
    return float(((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()) / (len(pos) * len(neg)))

def summary(sc, pairs, tiers=("all", "high", "medium")):
    y = np.array([p["distilled"] for p in pairs]); conf = np.array([p["confidence"] for p in pairs]); st = np.array([p["student"] for p in pairs])
    out = {}
    for tier in tiers:
        m = np.ones(len(pairs), bool) if tier == "all" else conf == tier
        # a tier's students are those whose distilled pairs have that tier; independents of the tier
        first = [bool(y[np.where(st == s)[0][np.argmax(sc[st == s])]]) for s in sorted(set(st[y & m]))]
        out[tier] = dict(auc=auc(sc[m], y[m]), first=(sum(first), len(first)),
                         fd=(int(((sc >= 1) & ~y & m).sum()), int((~y & m).sum())),
                         found=(int(((sc >= 1) & y & m).sum()), int((y & m).sum())),
                         fnd=int(((sc <= -1) & y & m).sum()))
    return out

def within_teacher(sc, pairs):
    """Per teacher with distilled students: its students' pairs against it vs the other students' pairs against it."""
    res = {}
    for t in sorted({p["teacher"] for p in pairs if p["distilled"]}):
        idx = [i for i, p in enumerate(pairs) if p["teacher"] == t]
        res[t] = auc(sc[idx], [pairs[i]["distilled"] for i in idx])
    return res

def line(m):
    return " | ".join(f"{t} AUC {v['auc']:.3f} first {v['first'][0]}/{v['first'][1]} false-d {v['fd'][0]}/{v['fd'][1]} "
                      f"found {v['found'][0]}/{v['found'][1]} false-nd {v['fnd']}" for t, v in m.items())

SHIPPED = ["ngram/raw/z", "edges/cpanel/m", "phrases/cpanel/z", "lines/cpanel/m", "markdown/cpanel/m", "shape/cpanel/m"]
FAMILIES = ["ngram", "word", "edges", "phrases", "lines", "markdown", "shape"]
WIDE = [f"{f}/{c}" for f in FAMILIES for c in ("raw/z", "cpanel/m", "cpanel/z")]
SETS = {"shipped six": SHIPPED, "shipped six without shape": SHIPPED[:5],
        "ngram+edges+phrases.z": SHIPPED[:3], "wide (7 families x raw z, centred m, centred z)": WIDE}

if __name__ == "__main__":
    ya = np.array([p["distilled"] for p in pa])
    for name, keys in SETS.items():
        Xa, Xb = design(fa, pa, keys), design(fb, pb, keys)
        for ridge in (0.01, 0.1):
            for monotone in (False, True):
                sc = loso(Xa, pa, ridge, monotone)
                f, b = standardised_fit(Xa, ya, ridge, monotone)
                sb = f(Xb)
                mb = summary(sb, pb, ("all",))["all"]
                print(f"{name} ridge {ridge} {'monotone' if monotone else 'free'}\n  AE LOSO {line(summary(sc, pa))}\n"
                      f"  AE within-teacher {dict((k, round(v, 3)) for k, v in within_teacher(sc, pa).items())}\n"
                      f"  AB (AE fit) AUC {mb['auc']:.3f} first {mb['first'][0]}/{mb['first'][1]} false-d {mb['fd'][0]}/{mb['fd'][1]} "
                      f"found {mb['found'][0]}/{mb['found'][1]} within-teacher {dict((k, round(v, 3)) for k, v in within_teacher(sb, pb).items())}"
                      f"\n  weights {dict((k, round(w / LN10, 2)) for k, w in zip(keys, b[1:]) if w != 0)}")

def cllr(sc, pairs, lo=-np.log10(26), hi=np.log10(226)):
    """Log-likelihood-ratio cost (Brümmer & du Preez 2006) of bounded log10 LRs, in bits."""
    y = np.array([p["distilled"] for p in pairs]); l = np.clip(sc, lo, hi) * LN10
    return 0.5 * (np.mean(np.logaddexp(0, -l[y])) + np.mean(np.logaddexp(0, l[~y]))) / np.log(2)

def nested(procedures, objective):
    """Nested leave-one-student-out: for each held-out student, the procedure with the best objective on the other
    students' own leave-one-student-out is fitted on them and applied to the held-out student."""
    st = np.array([p["student"] for p in pa]); ya = np.array([p["distilled"] for p in pa]); out = np.zeros(len(pa)); chosen = {}
    for s in sorted(set(st)):
        tr = np.where(st != s)[0]; sub = [pa[i] for i in tr]
        best = min(procedures, key=lambda k: objective(loso(procedures[k][0][tr], sub, *procedures[k][1:]), sub))
        chosen[best] = chosen.get(best, 0) + 1
        f, _ = standardised_fit(procedures[best][0][tr], ya[tr], *procedures[best][1:])
        out[st == s] = f(procedures[best][0][st == s])
    return out, chosen
