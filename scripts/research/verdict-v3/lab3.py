"""Verdict v3 study: per-pair statistics beyond the panel z (helpers shared by the scripts here).

Per-probe cosine tensors of each family, the statistics computed from them (docs/METHOD.md §4 and the
verdict-v3 README), prior-weighted logistic fusion, leave-one-student-out (LOSO) with the engine's LR bounds and
fixed ±1 thresholds, metrics per confidence tier, and a bootstrap over students.
Data: AlpacaEval outputs (tatsu-lab/alpaca_eval, CC BY-NC 4.0) and arena-bench-v1 (Apache-2.0), read from the
shared folder; nothing from them is stored here.
"""
import os, sys, json, pickle
import numpy as np
from scipy.special import binom

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "verdict-v2"))
from lab import load, block, center, SHARED, WORK  # noqa: E402  (verdict-v2 helpers: same loading and centring)
from fuse import fit_lr  # noqa: E402  (prior-weighted, ridge-penalised logistic regression, Newton)

LN10 = np.log(10)
# The shipped verdict's six features (docs/METHOD.md §6) as (family, centring, statistic).
FAMILIES = [("ngram", "raw"), ("edges", "cpanel"), ("phrases", "cpanel"), ("lines", "cpanel"),
            ("markdown", "cpanel"), ("shape", "cpanel")]
SHIPPED = [("ngram", "raw", "z"), ("edges", "cpanel", "m"), ("phrases", "cpanel", "z"), ("lines", "cpanel", "m"),
           ("markdown", "cpanel", "m"), ("shape", "cpanel", "m")]
TIE = 1e-9


def tensor(X, names):
    """Per-probe cosines G[p, i, j] of the models' (already normalised) family rows."""
    M = np.stack([X[m] for m in names], axis=1)  # P × N × d
    return np.matmul(M, M.transpose(0, 2, 1))


@np.errstate(invalid="ignore", divide="ignore")
def per_probe_stats(G, A, names, panel, s, t, ks=(4,), light=False):
    """Statistics of pair (s, t) from the per-probe cosines G (P × N × N), panel on the student's side and on
    the candidate's side. Each probe counts when s and t answered it; a panel model counts on a probe it answered."""
    ix = {m: i for i, m in enumerate(names)}
    si, ti = ix[s], ix[t]; pi = np.array([ix[m] for m in panel])
    Am = np.stack([A[m] for m in panel], axis=1).astype(bool)  # P × n
    v = A[s].astype(bool) & A[t].astype(bool)
    c = G[:, si, ti]                      # P
    cs = G[:, si][:, pi]                  # P × n   cos(s, M)
    ct = G[:, ti][:, pi]                  # P × n   cos(t, M)
    out = {}
    def side(cm, vm):
        n = vm.sum(1).astype(float)
        less = ((cm < c[:, None] - TIE) & vm).sum(1); eq = ((np.abs(cm - c[:, None]) <= TIE) & vm).sum(1)
        r = less + 0.5 * eq
        return n, r
    vs = Am & A[s].astype(bool)[:, None]
    vt = Am & A[t].astype(bool)[:, None]
    n, r = side(cs, vs); ok = v & (n >= 4)
    nT, rT = side(ct, vt); okT = ok & (nT >= 4)
    pct = r / np.maximum(n, 1); pctT = rT / np.maximum(nT, 1)
    out["pct"] = pct[ok].mean()                                   # mean percentile of t among the panel (GI k=1)
    for k in ks:
        out[f"gi{k}"] = (binom(r, k) / binom(n, k))[ok].mean()    # P(t beats k random panel impostors), exact
        out[f"mgi{k}"] = (binom(r, k) / binom(n, k) * binom(rT, k) / binom(nT, k))[okT].mean()
    if light: return out
    # win against the whole panel (GI with every impostor): strictly above the max, half on a tie with it
    csm = np.where(vs, cs, -np.inf); mx = csm.max(1)
    win = np.where(c > mx + TIE, 1.0, np.where(np.abs(c - mx) <= TIE, 0.5, 0.0))
    out["win"] = win[ok].mean()
    csn = np.where(vs, cs, np.nan)
    q = np.nanquantile(csn[ok], 0.9, axis=1)
    out["q90"] = (c[ok] > q + TIE).mean()                          # win against the panel's 90th percentile
    # per-probe z, its mean and 10 % trimmed mean over probes (sd floored at 0.01, FINDINGS.md)
    mu = np.nanmean(csn[ok], 1); sd = np.maximum(np.nanstd(csn[ok], 1), 0.01)
    zp = (c[ok] - mu) / sd
    out["pz"] = zp.mean()
    zs = np.sort(zp); k10 = int(0.1 * len(zs)); out["tpz"] = zs[k10:len(zs) - k10].mean()
    # candidate side and both sides (mutual proximity, Schnitzer et al. 2012, empirical, per probe)
    out["pctT"] = pctT[okT].mean()
    out["mp"] = (pct * pctT)[okT].mean()
    ctm = np.where(vt, ct, -np.inf).max(1)
    out["mnn"] = ((c > mx + TIE) & (c > ctm + TIE))[okT].mean()  # mutual nearest neighbours among panel ∪ {s, t}
    return out


def model_stats(Mbar, names, panel, s, t, k_csls=5):
    """Model-level statistics of pair (s, t) from the mean cosines Mbar (N × N over shared probes)."""
    ix = {m: i for i, m in enumerate(names)}
    si, ti = ix[s], ix[t]; pi = np.array([ix[m] for m in panel])
    m = Mbar[si, ti]; ps = Mbar[si, pi]; pt = Mbar[ti, pi]
    out = {"m": m, "z": (m - ps.mean()) / ps.std(), "zT": (m - pt.mean()) / pt.std()}
    out["zST"] = 0.5 * (out["z"] + out["zT"])
    med = np.median(ps); mad = 1.4826 * np.median(np.abs(ps - med))
    out["rz"] = (m - med) / mad                                      # median / MAD
    srt = np.sort(ps); k = int(0.1 * len(srt)); tr = srt[k:len(srt) - k] if k else srt
    out["tz"] = (m - tr.mean()) / tr.std()                           # 10 % trimmed mean and sd of the panel
    rs = np.sort(ps)[-k_csls:].mean(); rt = np.sort(pt)[-k_csls:].mean()
    out["csls"] = 2 * m - rs - rt                                    # Conneau et al. 2018 hubness correction
    # model-level GI (Koppel & Winter 2014, impostor subsets of 4): P(m(s,t) beats 4 random panel impostors)
    r = (ps < m - TIE).sum() + 0.5 * (np.abs(ps - m) <= TIE).sum()
    out["gim4"] = binom(r, 4) / binom(len(ps), 4)
    return out


def mean_cos(G, A, names):
    Am = np.stack([A[m] for m in names], axis=1).astype(float)  # P × N
    V = Am[:, :, None] * Am[:, None, :]
    return (G * V).sum(0) / np.maximum(V.sum(0), 1)


# ---------------------------------------------------------------------------------------------- evaluation
def auc(s, y, w=None):
    s = np.asarray(s, float); y = np.asarray(y, bool)
    w = np.ones(len(s)) if w is None else np.asarray(w, float)
    pos, neg = s[y], s[~y]; wp, wn = w[y], w[~y]
    if wp.sum() == 0 or wn.sum() == 0: return np.nan
    C = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    return float(wp @ C @ wn / (wp.sum() * wn.sum()))


def within_auc(P, score, key):
    """AUC over positive–negative comparisons that share `key` ('teacher' or 'student') only."""
    num = den = 0.0
    for g in sorted({p[key] for p in P}):
        sub = [p for p in P if p[key] == g]
        pos = [score[(p["student"], p["teacher"])] for p in sub if p["distilled"]]
        neg = [score[(p["student"], p["teacher"])] for p in sub if not p["distilled"]]
        for a in pos:
            for b in neg: num += (a > b) + 0.5 * (a == b); den += 1
    return num / den if den else np.nan


def verdicts(P, lr, bounds, thr=1.0):
    """Engine rule (Verdict.decide): clip to the map's bounds; distilled at ≥ min(thr, upper), not-distilled at
    ≤ max(−thr, lower)."""
    out = {}
    for p in P:
        k = (p["student"], p["teacher"]); lo, hi = bounds[k]; x = min(max(lr[k], lo), hi)
        up, dn = min(thr, hi), max(-thr, lo)
        out[k] = "distilled" if (up > 0 and x >= up) else ("not-distilled" if (dn < 0 and x <= dn) else "inconclusive")
    return out


def cllr(P, lr, bounds):
    a = b = 0.0; na = nb = 0
    for p in P:
        k = (p["student"], p["teacher"]); lo, hi = bounds[k]; x = min(max(lr[k], lo), hi) * LN10
        if p["distilled"]: a += np.log2(1 + np.exp(-x)); na += 1
        else: b += np.log2(1 + np.exp(x)); nb += 1
    return 0.5 * (a / na + b / nb)


def metrics(P, lr, bounds):
    y = [p["distilled"] for p in P]; s = [lr[(p["student"], p["teacher"])] for p in P]
    out = {"auc": auc(s, y), "wt_auc": within_auc(P, lr, "teacher"), "ws_auc": within_auc(P, lr, "student"),
           "cllr": cllr(P, lr, bounds)}
    for tier in ["high", "medium"]:
        sub = [p for p in P if p["confidence"] == tier]
        out["auc_" + tier] = auc([lr[(p["student"], p["teacher"])] for p in sub], [p["distilled"] for p in sub])
    top = {"high": [0, 0], "medium": [0, 0]}
    for st in sorted({p["student"] for p in P if p["distilled"]}):
        own = [p for p in P if p["student"] == st]
        best = max(own, key=lambda p: (lr[(st, p["teacher"])], p["teacher"]))
        tier = [p for p in own if p["distilled"]][0]["confidence"]
        top[tier][1] += 1; top[tier][0] += best["distilled"]
    out["top"] = top
    v = verdicts(P, lr, bounds)
    for tier in ["all", "high", "medium"]:
        sub = [p for p in P if tier == "all" or p["confidence"] == tier]
        pos = [p for p in sub if p["distilled"]]; neg = [p for p in sub if not p["distilled"]]
        key = lambda p: (p["student"], p["teacher"])
        out["v_" + tier] = {
            "false_d": sum(v[key(p)] == "distilled" for p in neg), "neg": len(neg),
            "found": sum(v[key(p)] == "distilled" for p in pos), "pos": len(pos),
            "false_nd": sum(v[key(p)] == "not-distilled" for p in pos),
            "inconc": sum(v[key(p)] == "inconclusive" for p in sub), "n": len(sub)}
    out["verdicts"] = v
    return out


def fmt_row(name, m):
    t = m["top"]; va = m["v_all"]
    return (f"{name:34s} AUC {m['auc']:.3f} ({m['auc_high']:.3f}/{m['auc_medium']:.3f}) wt {m['wt_auc']:.3f} "
            f"Cllr {m['cllr']:.3f} first {t['high'][0] + t['medium'][0]}/22 ({t['high'][0]}/6, {t['medium'][0]}/16) "
            f"falseD {va['false_d']}/{va['neg']} (h{m['v_high']['false_d']} m{m['v_medium']['false_d']}) "
            f"found {va['found']}/{va['pos']} (h{m['v_high']['found']} m{m['v_medium']['found']}) "
            f"falseND {va['false_nd']} inc {va['inconc']}")


# ---------------------------------------------------------------------------------------------- fusion
def design(feats, P, keys):
    return np.array([[feats[tuple(k) + (p["student"], p["teacher"])] for k in keys] for p in P], float)


def fit(X, y, ridge=1e-2):
    mu, sd = X.mean(0), X.std(0); sd[sd == 0] = 1
    b = fit_lr((X - mu) / sd, y, ridge)
    lo, hi = -np.log10(y.sum() + 1), np.log10((~y).sum() + 1)
    return b, mu, sd, (lo, hi)


def apply(b, mu, sd, X):
    return (b[0] + ((X - mu) / sd) @ b[1:]) / LN10


def loso(X, P, mask=None, ridge=1e-2):
    """log10 LR of each pair from a map fitted without its student (only pairs in mask take part), and the
    bounds of that map."""
    y = np.array([p["distilled"] for p in P]); st = np.array([p["student"] for p in P])
    mask = np.ones(len(P), bool) if mask is None else mask
    out = np.full(len(P), np.nan); lo = np.full(len(P), np.nan); hi = np.full(len(P), np.nan)
    for s in sorted(set(st[mask])):
        tr = mask & (st != s); te = mask & (st == s)
        b, mu, sd, (l, h) = fit(X[tr], y[tr], ridge)
        out[te] = apply(b, mu, sd, X[te]); lo[te] = l; hi[te] = h
    return out, lo, hi


def as_dicts(P, sc, lo, hi, idx=None):
    idx = range(len(P)) if idx is None else idx
    lr = {(P[i]["student"], P[i]["teacher"]): sc[i] for i in idx}
    bd = {(P[i]["student"], P[i]["teacher"]): (lo[i], hi[i]) for i in idx}
    return lr, bd


# ---------------------------------------------------------------------------------------------- bootstrap
def student_bootstrap(P, scores, B=2000, seed=1):
    """Resample students with replacement; for each score vector (dict name -> array over P, log10 LR clipped
    already or not) return arrays of AUC, found share and false-distilled share per resample."""
    rng = np.random.default_rng(seed)
    st = np.array([p["student"] for p in P]); y = np.array([p["distilled"] for p in P])
    studs = sorted(set(st)); sidx = {s: np.where(st == s)[0] for s in studs}
    out = {n: {"auc": [], "found": [], "fd": []} for n in scores}
    comps = {}
    for n, (sc, verdict) in scores.items():
        pos, neg = np.where(y)[0], np.where(~y)[0]
        comps[n] = ((sc[pos][:, None] > sc[neg][None, :]) + 0.5 * (sc[pos][:, None] == sc[neg][None, :]), pos, neg)
    for _ in range(B):
        draw = rng.choice(len(studs), len(studs), replace=True)
        w = np.zeros(len(P))
        for d in draw: w[sidx[studs[d]]] += 1
        for n, (sc, verdict) in scores.items():
            C, pos, neg = comps[n]
            wp, wn = w[pos], w[neg]
            out[n]["auc"].append(wp @ C @ wn / (wp.sum() * wn.sum()))
            out[n]["found"].append((w * y * (verdict == "distilled")).sum() / (w * y).sum())
            out[n]["fd"].append((w * ~y * (verdict == "distilled")).sum() / (w * ~y).sum())
    return {n: {k: np.array(v) for k, v in d.items()} for n, d in out.items()}


def loo_tensor(Bk, A, names, panel, keep=None):
    """Per-probe cosines of prompt-centred rows where every comparison with a panel model M is made on the
    panel's mean *without M* (jackknife centring): the candidate is never in the centring pool, so without
    this a panel impostor is compared on a centre that holds a share 1/n of itself (anti-correlated with
    everyone), which biases every panel-relative statistic of a centred family, strongly so for a small panel.
    Pairs of non-panel models use the full panel mean (`center`), as shipped. keep: a column subset, taken after
    centring (each row then renormalised)."""
    def unit(Y):
        if keep is not None: Y = Y[..., keep]
        n = np.linalg.norm(Y, axis=-1, keepdims=True); n[n == 0] = 1; return Y / n
    order = list(names); N = len(order); ix = {m: i for i, m in enumerate(order)}
    Am = {m: A[m].astype(float)[:, None] for m in order}
    S = sum(Bk[m] * Am[m] for m in panel); C = sum(Am[m] for m in panel)
    full = np.stack([unit((Bk[m] - S / np.maximum(C, 1)) * Am[m]) for m in order], axis=1)  # P × N × d
    G = np.matmul(full, full.transpose(0, 2, 1))
    others = [i for i in range(N) if order[i] not in panel]
    for M in panel:
        mu = (S - Bk[M] * Am[M]) / np.maximum(C - Am[M], 1)
        Ys = np.stack([unit((Bk[order[i]] - mu) * Am[order[i]]) for i in others], axis=1)  # P × n_other × d
        yM = unit((Bk[M] - mu) * Am[M])                                                    # P × d
        g = np.einsum("pnd,pd->pn", Ys, yM)
        j = ix[M]
        G[:, others, j] = g; G[:, j, others] = g
    return G


# ---------------------------------------------------------------------------------------------- candidate sets
# Every set keeps the shipped six families (ngram not centred; the structure families prompt-centred on the
# panel) and changes only the per-pair statistic. Structure families use jackknife centring ("cloo") for
# every panel-relative statistic; a plain mean cosine (m) is the same under both centrings.
def uniform(stat, ngram_stat=None):
    return [("ngram", "raw", ngram_stat or stat)] + [(f, "cloo", stat) for f, c in FAMILIES[1:]]


SETS = {
    "shipped": SHIPPED,
    "shipped, phrases.z jackknife": [SHIPPED[0], SHIPPED[1], ("phrases", "cloo", "z")] + SHIPPED[3:],
    "z (all six)": uniform("z"),
    "GI win vs panel max": uniform("win"),
    "GI win vs panel q90": uniform("q90"),
    "GI k=4 impostors (exact)": uniform("gi4"),
    "GI k=4 + feature subsets": uniform("gifs4"),
    "GI model-level (K&W, subsets)": uniform("gikw"),
    "rank: mean percentile": uniform("pct"),
    "per-probe z, 10% trimmed": uniform("tpz"),
    "model z, 10% trimmed panel": uniform("tz"),
    "model z, median/MAD": uniform("rz"),
    "two-sided zST": uniform("zST"),
    "mutual proximity (per probe)": uniform("mp"),
    "CSLS (k=5)": uniform("csls"),
    "shipped + GI win (12)": SHIPPED + uniform("win"),
    "shipped + teacher-side zT (12)": SHIPPED + uniform("zT"),
}
