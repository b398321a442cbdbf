"""Lineage verdict research, round 2: cheap re-scorings of the same per-probe cosine tensor.
    python round2.py        # LOSO table, student bootstrap, odd/even probe halves (~4 min, cached Gram tensors)
    python round2.py sub    # shipped vs probe-weighted (3b) on random 200/400-probe subsets
Data: AlpacaEval model outputs (tatsu-lab/alpaca_eval; Li, Zhang, Dubois et al., 2023), licence CC BY-NC 4.0.
Inputs: /tmp/lineage_research/gram_{char,word}.npy (built by features.py). Nothing is fitted except the LOSO
logistic calibration used for Cllr. Every variant is a fixed formula; no constant is chosen on the labels.

Notation: G[p,i,j] = per-probe cosine of the char+word embedding (mean of the two block cosines),
m(i,j) = mean over probes where both answers exist. Panel = 32 models that are neither students nor candidates.
Shipped score: zS(A)[S,T] = (A[S,T] - mean_{M in panel\{S,T}} A[S,M]) / sd_{M in panel\{S,T}} A[S,M] with A = m.
"""
import sys, time
import numpy as np
import features as F
import scoring as Sc

models, probes, texts, pairs, students, cands, panel = F.load()
nm, npb = len(models), len(probes)
pidx = np.array([models.index(m) for m in panel])
sidx = [models.index(m) for m in students]
cidx = [models.index(m) for m in cands]
valid = np.array([[t is not None for t in row] for row in texts]).T  # (P, n)
PAIRV = valid[:, :, None] & valid[:, None, :]
G = 0.5 * (F.grams("char", texts, pidx, nm, npb) + F.grams("word", texts, pidx, nm, npb))  # (P,n,n)
LAB = {(p["student"], p["teacher"]): p["distilled"] for p in pairs["pairs"]}


# ------------------------------------------------------------------ model-level similarity matrices
def mean_sim(w=None, Gt=None, sel=None):
    """A[i,j] = sum_p w_p G[p,i,j] ok_p(i,j) / sum_p w_p ok_p(i,j)."""
    Gt = G if Gt is None else Gt
    ok = PAIRV.astype(np.float32)
    if sel is not None:
        Gt, ok = Gt[sel], ok[sel]
        w = None if w is None else w[sel]
    w = np.ones(Gt.shape[0], np.float32) if w is None else w.astype(np.float32)
    num = np.einsum("p,pij->ij", w, np.where(PAIRV[sel] if sel is not None else PAIRV, Gt, 0).astype(np.float32))
    den = np.einsum("p,pij->ij", w, ok)
    return num / den


def probe_panel_stats(sel=None):
    """per-probe mean and sd of the cosines over all valid panel pairs (i<j). No student/label enters."""
    iu = np.triu_indices(len(pidx), 1)
    Gp = G[:, pidx][:, :, pidx][:, iu[0], iu[1]]
    Vp = PAIRV[:, pidx][:, :, pidx][:, iu[0], iu[1]]
    X = np.where(Vp, Gp, np.nan)
    return np.nanmean(X, 1), np.nanstd(X, 1)


# ------------------------------------------------------------------ student-side standardisations
def impostors(i, t):
    return np.array([m for m in pidx if m != i and m != t])


def z_student(A, mode="all", k=None):
    """S[a,b] for students x candidates. mode: all (shipped) | knn (k most similar panel models to S, mean & sd of those)
    | knn_mu (mean of the k nearest, sd of all) | mad (median, 1.4826*MAD) | trim (10% trimmed mean and sd)."""
    S = np.zeros((len(sidx), len(cidx)))
    for a, i in enumerate(sidx):
        for b, t in enumerate(cidx):
            x = A[i, impostors(i, t)]
            s = A[i, t]
            if mode == "all":
                mu, sd = x.mean(), x.std()
            elif mode == "knn":
                top = np.sort(x)[::-1][:k]
                mu, sd = top.mean(), top.std()
            elif mode == "knn_mu":
                top = np.sort(x)[::-1][:k]
                mu, sd = top.mean(), x.std()
            elif mode == "mad":
                mu = np.median(x)
                sd = 1.4826 * np.median(np.abs(x - mu))
            elif mode == "trim":
                xs = np.sort(x)
                c = int(round(0.1 * len(xs)))
                xs = xs[c:len(xs) - c]
                mu, sd = xs.mean(), xs.std()
            S[a, b] = (s - mu) / sd
    return S


def zS_full(A, rows):
    """zS for arbitrary rows against all candidates and all panel models, returns (len(rows), nm) with NaN on self."""
    out = np.full((len(rows), nm), np.nan)
    for a, i in enumerate(rows):
        for t in range(nm):
            if t == i:
                continue
            x = A[i, impostors(i, t)]
            out[a, t] = (A[i, t] - x.mean()) / x.std()
    return out


# ------------------------------------------------------------------ base-model / neighbourhood variants
def centrality(A):
    """c(j) = mean_{M in panel, M != j} A[j, M]: how typical j is of the panel."""
    c = np.zeros(nm)
    for j in range(nm):
        pm = [m for m in pidx if m != j]
        c[j] = A[j, pm].mean()
    return c


def resid_central(A):
    """For student S: regress A[S,M] on c(M) over M in panel\{S,T}; score = residual of A[S,T] at c(T) / sd of residuals.
    "Does S resemble T more than T's typicality predicts?" Returns students x candidates."""
    c = centrality(A)
    S = np.zeros((len(sidx), len(cidx)))
    for a, i in enumerate(sidx):
        for b, t in enumerate(cidx):
            M = impostors(i, t)
            X = np.c_[np.ones(len(M)), c[M]]
            beta, *_ = np.linalg.lstsq(X, A[i, M], rcond=None)
            r = A[i, M] - X @ beta
            S[a, b] = (A[i, t] - beta[0] - beta[1] * c[t]) / r.std()
    return S


def resid_on_teacher(A):
    """Regress {A[S,M]} on {A[T,M]} over M in panel\{S,T}; return the t-value of the slope.
    (The literal 'residual of A[S,T]' would need the prediction at A[T,T]=1, an extrapolation, so it is ill-posed;
    the slope t is a monotone transform of the second-order correlation, so 2b ranks exactly like 2c.)"""
    S = np.zeros((len(sidx), len(cidx)))
    for a, i in enumerate(sidx):
        for b, t in enumerate(cidx):
            M = impostors(i, t)
            x, y = A[t, M], A[i, M]
            xc, yc = x - x.mean(), y - y.mean()
            beta = (xc @ yc) / (xc @ xc)
            r = yc - beta * xc
            se = np.sqrt((r @ r) / (len(M) - 2) / (xc @ xc))
            S[a, b] = beta / se
    return S


def second_order(A, partial=False):
    """R[i,j] = Pearson correlation over M in panel\{i,j} of A[i,M] and A[j,M] (shared neighbourhood).
    partial=True: first remove from both profiles their linear fit on c(M) (typicality), then correlate."""
    c = centrality(A)
    R = np.full((nm, nm), np.nan)
    for i in range(nm):
        for j in range(i + 1, nm):
            M = np.array([m for m in pidx if m != i and m != j])
            u, v = A[i, M], A[j, M]
            if partial:
                X = np.c_[np.ones(len(M)), c[M]]
                u = u - X @ np.linalg.lstsq(X, u, rcond=None)[0]
                v = v - X @ np.linalg.lstsq(X, v, rcond=None)[0]
            R[i, j] = R[j, i] = np.corrcoef(u, v)[0, 1]
    return np.arctanh(np.clip(R, -0.999999, 0.999999))  # Fisher z


def pick(S_full, rows=None):
    """students x candidates slice of an (nm x nm) score matrix, or students x candidates matrix itself."""
    return S_full[np.ix_(sidx, cidx)]


# ------------------------------------------------------------------ evaluation
def metrics(S):
    e = Sc.evaluate(S, students, cands, pairs)
    llr, cl = Sc.loso_llr(e["sc"], e["y"], e["pair_student"])
    # false-positive count at the threshold of the lowest distilled pair
    fp = int((e["sc"][~e["y"]] >= e["dist_min"]).sum())
    return dict(auc=e["auc"], top1=e["top1"], cllr=cl, dmin=e["dist_min"], imax=e["indep_max"], fp=fp,
                ranks={k[:10]: v[0] for k, v in e["ranks"].items()}, e=e)


def row(name, S, out):
    r = metrics(S)
    out[name] = (S, r)
    print(f"{name:52s} AUC {r['auc']:.3f}  top1 {r['top1']}/6  Cllr {r['cllr']:.3f}  dist_min {r['dmin']:+.2f}  "
          f"indep_max {r['imax']:+.2f}  neg>=dmin {r['fp']:2d}/87  ranks {r['ranks']}", flush=True)
    return r


def student_bootstrap(Sa, Sb, B=2000, seed=0):
    """paired bootstrap over students (resample the 10 students with replacement): P(AUC_b > AUC_a), mean diff."""
    ea, eb = Sc.evaluate(Sa, students, cands, pairs), Sc.evaluate(Sb, students, cands, pairs)
    grp = np.array(ea["pair_student"])
    ys, sa, sb = ea["y"], ea["sc"], eb["sc"]
    rng = np.random.default_rng(seed)
    us = np.array(students)
    d = []
    from sklearn.metrics import roc_auc_score
    for _ in range(B):
        pick_s = rng.choice(us, len(us))
        idx = np.concatenate([np.where(grp == s)[0] for s in pick_s])
        if ys[idx].all() or not ys[idx].any():
            continue
        d.append(roc_auc_score(ys[idx], sb[idx]) - roc_auc_score(ys[idx], sa[idx]))
    d = np.array(d)
    return d.mean(), (d > 0).mean(), (d < 0).mean()


def variants(sel=None, verbose=True):
    """all score matrices (students x candidates) for a probe subset sel (None = all probes)."""
    out = {}
    A = mean_sim(sel=sel)
    V = {}
    V["shipped zS (all panel)"] = z_student(A, "all")
    for k in (5, 10):
        V[f"1 knn{k}: mean,sd of {k} nearest"] = z_student(A, "knn", k)
        V[f"1 knn{k}_mu: mean of {k} nearest, sd all"] = z_student(A, "knn_mu", k)
    V["1 median/MAD"] = z_student(A, "mad")
    V["1 10% trimmed mean/sd"] = z_student(A, "trim")
    V["2a resid on centrality c(M)"] = resid_central(A)
    V["2b slope t of A[S,.] on A[T,.]"] = resid_on_teacher(A)
    R = second_order(A)
    Rp = second_order(A, partial=True)
    V["2c 2nd-order corr (raw)"] = pick(R)
    V["2d 2nd-order corr partial c(M)"] = pick(Rp)
    V["2e zS of 2nd-order corr"] = z_student(R, "all")
    V["2f zS of partial 2nd-order corr"] = z_student(Rp, "all")
    mu_p, sd_p = probe_panel_stats()
    V["3a zS, probe w = 1/var_p"] = z_student(mean_sim(1 / sd_p ** 2, sel=sel), "all")
    V["3b zS, probe w = sd_p (discriminative)"] = z_student(mean_sim(sd_p, sel=sel), "all")
    Gz = (G - mu_p[:, None, None]) / sd_p[:, None, None]
    V["3c zS, per-probe panel-standardised cosine"] = z_student(mean_sim(Gt=Gz, sel=sel), "all")
    z0 = V["shipped zS (all panel)"]
    V["4a zS + zS(2nd-order)"] = z0 + V["2e zS of 2nd-order corr"]
    V["4b zS + zS(partial 2nd-order)"] = z0 + V["2f zS of partial 2nd-order corr"]
    V["4c zS + resid-centrality z"] = z0 + V["2a resid on centrality c(M)"]
    V["4d zS + zS(3c)"] = z0 + V["3c zS, per-probe panel-standardised cosine"]
    V["4e zS + slope t/ sqrt(n)"] = z0 + V["2b slope t of A[S,.] on A[T,.]"] / np.sqrt(len(pidx) - 3)
    for k, S in V.items():
        if verbose:
            row(k, S, out)
        else:
            out[k] = (S, metrics(S))
    return out


def subsample_study(ns=(200, 400), seeds=10):
    """shipped vs 3b on random probe subsets (the weights sd_p are per-probe, so subsetting just drops probes)."""
    mu_p, sd_p = probe_panel_stats()
    print("== probe-subset study: shipped zS vs 3b (w = sd_p); mean (min) over seeds ==")
    for n in ns:
        res = {"shipped": [], "3b": []}
        for sd in range(seeds):
            sel = np.sort(np.random.default_rng(100 + sd).choice(npb, n, replace=False))
            res["shipped"].append(metrics(z_student(mean_sim(sel=sel), "all")))
            res["3b"].append(metrics(z_student(mean_sim(sd_p, sel=sel), "all")))
        for k, rs in res.items():
            a = np.array([r["auc"] for r in rs]); t = np.array([r["top1"] for r in rs])
            c = np.array([r["cllr"] for r in rs]); f = np.array([r["fp"] for r in rs])
            print(f"  n={n} {k:8s} AUC {a.mean():.3f} ({a.min():.3f})  top1 {t.mean():.1f}/6 ({t.min()})  "
                  f"Cllr {c.mean():.3f}  neg>=dmin {f.mean():.1f}", flush=True)
        wins = sum(r2["top1"] > r1["top1"] for r1, r2 in zip(res["shipped"], res["3b"]))
        loss = sum(r2["top1"] < r1["top1"] for r1, r2 in zip(res["shipped"], res["3b"]))
        aw = sum(r2["auc"] > r1["auc"] for r1, r2 in zip(res["shipped"], res["3b"]))
        print(f"  n={n} 3b vs shipped: top1 wins {wins} losses {loss}; AUC higher in {aw}/{seeds} seeds", flush=True)


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "sub":
    subsample_study()
    sys.exit()
if __name__ == "__main__":
    t0 = time.time()
    print("== Round 2 LOSO table (char+word, all 805 probes) ==")
    out = variants()
    base = out["shipped zS (all panel)"][0]
    print("\n== paired student bootstrap of AUC difference vs shipped (mean diff, P(better), P(worse)) ==")
    for k, (S, r) in out.items():
        if k.startswith("shipped"):
            continue
        m, pb, pw = student_bootstrap(base, S)
        print(f"{k:52s} dAUC {m:+.3f}  P(better) {pb:.2f}  P(worse) {pw:.2f}")
    print("\n== stability: odd / even probe halves ==")
    for name, sel in (("odd", np.arange(1, npb, 2)), ("even", np.arange(0, npb, 2))):
        o = variants(sel, verbose=False)
        for k, (S, r) in o.items():
            print(f"[{name:4s}] {k:48s} AUC {r['auc']:.3f} top1 {r['top1']}/6 Cllr {r['cllr']:.3f} "
                  f"neg>=dmin {r['fp']}")
    print(f"done in {time.time() - t0:.0f}s")
