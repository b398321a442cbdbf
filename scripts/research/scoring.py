"""Scores, evaluation and calibration for Lineage verdict research.
Data: AlpacaEval (tatsu-lab/alpaca_eval), CC BY-NC 4.0.
All scores are computed from per-probe Gram matrices G[p] (models x models dot products of L2-normalised vectors).
"""
import numpy as np
from sklearn.metrics import roc_auc_score
from scipy.stats import norm as _norm

FAMILY = {"gpt4_0314": "gpt4", "gpt4_0613": "gpt4", "claude": "claude", "claude-2": "claude"}


def combine(Gs, weights):
    """cosine of concatenated blocks, each block L2-normalised and scaled by sqrt(w_b)."""
    tot = sum(weights.values())
    return sum(w * Gs[b] for b, w in weights.items() if w) / tot


def centre(G, valid, panel_idx):
    """cosine after subtracting, per probe, the mean vector of the (valid) panel answers.
    G: (P,n,n) dot products, valid: (P,n) bool."""
    vm = valid[:, panel_idx].astype(np.float32)  # (P,k)
    cnt = vm.sum(1)  # (P,)
    a = (G[:, :, panel_idx] * vm[:, None, :]).sum(2) / cnt[:, None]  # x_i . m   (P,n)
    c = (a[:, panel_idx] * vm).sum(1) / cnt  # m . m
    Gc = G - a[:, :, None] - a[:, None, :] + c[:, None, None]
    d = np.sqrt(np.clip(np.einsum("pii->pi", Gc), 1e-12, None))
    return Gc / d[:, :, None] / d[:, None, :]


def pair_scores(C, valid, panel_idx, i, t, kind, robust=False):
    """per-probe statistic for (student i, teacher t); returns (P,) with NaN where invalid.
    kind: raw | zT (vs sim(M,T)) | zS (vs sim(S,M)) | zST (mean of both) | rT | rS | rST (rank fractions)"""
    P = C.shape[0]
    pan = np.array([m for m in panel_idx if m != i and m != t])
    s = C[:, i, t]
    ok = valid[:, i] & valid[:, t]
    vm = valid[:, pan]
    out = {}
    if kind == "raw":
        r = s.copy()
    else:
        def z(X):  # X: (P,k) impostor sims
            Xm = np.where(vm, X, np.nan)
            if robust:
                mu = np.nanmedian(Xm, 1)
                sd = 1.4826 * np.nanmedian(np.abs(Xm - mu[:, None]), 1)
            else:
                mu = np.nanmean(Xm, 1)
                sd = np.nanstd(Xm, 1)
            return (s - mu) / np.maximum(sd, 1e-2)

        def rk(X):
            Xm = np.where(vm, X, np.nan)
            return (np.nansum(Xm < s[:, None], 1) + 0.5 * np.nansum(Xm == s[:, None], 1)) / vm.sum(1)

        XT = C[:, pan, t]  # sim(M,T)
        XS = C[:, i, pan]  # sim(S,M)
        if kind == "zT":
            r = z(XT)
        elif kind == "zS":
            r = z(XS)
        elif kind == "zST":
            r = 0.5 * (z(XT) + z(XS))
        elif kind == "rT":
            r = rk(XT)
        elif kind == "rS":
            r = rk(XS)
        elif kind == "rST":
            r = 0.5 * (rk(XT) + rk(XS))
        else:
            raise ValueError(kind)
    r = np.where(ok, r, np.nan)
    return r


def score_matrix(C, valid, models, panel_idx, rows, cand_idx, kind, probes=None, robust=False, agg="mean"):
    """S[row, cand] = aggregate over probes of pair statistic."""
    S = np.zeros((len(rows), len(cand_idx)))
    for a, i in enumerate(rows):
        for b, t in enumerate(cand_idx):
            r = pair_scores(C, valid, panel_idx, i, t, kind, robust)
            if probes is not None:
                r = r[probes]
            S[a, b] = np.nanmean(r) if agg == "mean" else np.nanmedian(r)
    return S


def evaluate(S, students, cands, pairs):
    """S: (len(students), len(cands)). returns dict of metrics."""
    lab = {(p["student"], p["teacher"]): p["distilled"] for p in pairs["pairs"]}
    y, sc = [], []
    for a, s in enumerate(students):
        for b, t in enumerate(cands):
            if (s, t) in lab:
                y.append(lab[(s, t)])
                sc.append(S[a, b])
    y, sc = np.array(y), np.array(sc)
    auc = roc_auc_score(y, sc)
    strict = fam = 0
    ranks = {}
    for a, s in enumerate(students):
        true = [t for t in cands if lab.get((s, t))]
        if not true:
            continue
        top = cands[int(np.argmax(S[a]))]
        strict += top in true
        fam += (top in true) or any(FAMILY.get(top, top) == FAMILY.get(t, t) for t in true)
        order = np.argsort(-S[a])
        ranks[s] = (1 + [cands[o] for o in order].index(true[0]), top)
    indep_max = sc[~y].max()
    dist_min = sc[y].min()
    # students whose best candidate score is compared: max over candidates per independent student
    return dict(auc=auc, top1=strict, top1fam=fam, indep_max=indep_max, dist_min=dist_min,
                sep=dist_min - indep_max, ranks=ranks, y=y, sc=sc,
                pair_student=[s for s in students for t in cands if (s, t) in lab])


def loso_llr(sc, y, groups):
    """LOSO logistic calibration on a scalar score -> log10 LR; returns llr, Cllr."""
    llr = np.zeros(len(sc))
    for g in set(groups):
        te = np.array([x == g for x in groups])
        tr = ~te
        a, b = logit_fit(sc[tr], y[tr])
        prior = y[tr].mean()
        llr[te] = (a + b * sc[te] - np.log(prior / (1 - prior))) / np.log(10)
    return llr, cllr(llr, y)


def logit_fit(x, y, l2=1e-3, it=50):
    """Newton's method for 1-D logistic regression with weak ridge on slope; class-balanced weights."""
    w = np.where(y, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    a, b = 0.0, 0.0
    for _ in range(it):
        p = 1 / (1 + np.exp(-(a + b * x)))
        g = np.array([np.sum(w * (p - y)), np.sum(w * (p - y) * x) + l2 * b])
        h = w * p * (1 - p)
        H = np.array([[h.sum(), (h * x).sum()], [(h * x).sum(), (h * x * x).sum() + l2]])
        step = np.linalg.solve(H, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-10:
            break
    # balanced weights => intercept corresponds to prior 0.5; shift to the training prior
    pr = y.mean()
    return a + np.log(pr / (1 - pr)), b


def cllr(llr10, y):
    lr = 10.0 ** llr10
    return 0.5 * (np.mean(np.log2(1 + 1 / lr[y])) + np.mean(np.log2(1 + lr[~y])))
