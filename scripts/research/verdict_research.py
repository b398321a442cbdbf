"""Lineage verdict research driver.
    python verdict_research.py [all|table|nested|probes|calib|proj]   (all = everything except proj)
Data: AlpacaEval model outputs (tatsu-lab/alpaca_eval; Li, Zhang, Dubois et al., 2023), licence CC BY-NC 4.0.
Deterministic (seeded). Features cached under /tmp/lineage_research (first run ~3 min, char block dominates).
"""
import sys, os, time, itertools
import numpy as np
import scipy.sparse as sp
import features as F
import scoring as Sc

models, probes, texts, pairs, students, cands, panel = F.load()
nm, npb = len(models), len(probes)
pidx = [models.index(m) for m in panel]
sidx = [models.index(m) for m in students]
cidx = [models.index(m) for m in cands]
valid = np.array([[t is not None for t in row] for row in texts]).T  # (P, n)
BLOCKS = ["char", "word", "style"]
Gs = {b: F.grams(b, texts, pidx, nm, npb) for b in BLOCKS}
PAIRV = valid[:, :, None] & valid[:, None, :]
V1 = np.ones((1, nm), bool)


def model_sim(G, probes_sel=None):
    """Mbar[i,j] = mean over probes (both valid) of per-probe cosine."""
    Cn = np.where(PAIRV, G, np.nan)
    if probes_sel is not None:
        Cn = Cn[probes_sel]
    return np.nanmean(Cn, 0)[None]


def scores(cfg, probes_sel=None, Gsrc=None, rows=None):
    """cfg = (weights dict, centred bool, level 'agg'|'probe', kind)."""
    w, cen, level, kind = cfg
    G = Sc.combine(Gsrc or Gs, w)
    if cen:
        G = Sc.centre(G, valid, pidx)
    if level == "agg":
        return Sc.score_matrix(model_sim(G, probes_sel), V1, models, pidx, rows or sidx, cidx, kind)
    return Sc.score_matrix(G, valid, models, pidx, rows or sidx, cidx, kind, probes_sel)


def fmt(e, cl):
    return (f"AUC {e['auc']:.3f}  top1 {e['top1']}/6 fam {e['top1fam']}/6  "
            f"dist_min {e['dist_min']:+.3f} indep_max {e['indep_max']:+.3f}  Cllr {cl:.3f}")


def report(name, S, ranks=False):
    e = Sc.evaluate(S, students, cands, pairs)
    llr, cl = Sc.loso_llr(e["sc"], e["y"], e["pair_student"])
    extra = "  " + " ".join(f"{k.split('-')[0][:8]}:{v[0]}" for k, v in e["ranks"].items()) if ranks else ""
    print(f"{name:44s} {fmt(e, cl)}{extra}", flush=True)
    return e, llr, cl


WSETS = {"char": {"char": 1}, "word": {"word": 1}, "style": {"style": 1},
         "char+word": {"char": 1, "word": 1}, "word+style": {"word": 1, "style": 1},
         "char+style": {"char": 1, "style": 1}, "char+word+style": {"char": 1, "word": 1, "style": 1}}
KINDS = ["raw", "zT", "zS", "zST"]
BEST = ({"char": 1, "word": 1}, False, "agg", "zS")


def table():
    print("== LOSO table: all configs (no fitting; LOSO only in the LR calibration -> Cllr) ==")
    res = {}
    for (wn, w), cen, level, kind in itertools.product(WSETS.items(), (False, True), ("agg", "probe"),
                                                        KINDS + ["rST"]):
        if level == "agg" and kind == "rST":
            continue
        if level == "agg" and kind == "raw" and False:
            continue
        name = f"{wn} {'cent' if cen else 'nocent'} {level} {kind}"
        S = scores((w, cen, level, kind))
        res[name] = report(name, S, ranks=True)[0]
    return res


def nested():
    """Honest model selection: for each held-out student, choose the config with best AUC (+0.01*top1)
    on the other 9 students, score the held-out one with it."""
    print("== nested LOSO selection over configs (agg level) ==")
    cfgs = [(wn, (w, cen, "agg", kind)) for (wn, w), cen, kind in
            itertools.product(WSETS.items(), (False, True), KINDS)]
    allS = {wn + f" {c[1]} {c[3]}": scores(c) for wn, c in cfgs}
    lab = {(p["student"], p["teacher"]): p["distilled"] for p in pairs["pairs"]}
    out = np.zeros((len(students), len(cands)))
    chosen = {}
    for a, s in enumerate(students):
        keep = [k for k in range(len(students)) if k != a]
        best, bk = -1, None
        for name, S in allS.items():
            e = Sc.evaluate(S[keep], [students[k] for k in keep], cands, pairs)
            v = e["auc"] + 0.01 * e["top1"]
            if v > best:
                best, bk = v, name
        chosen[s] = bk
        # scores of the held-out student: standardise by the training-students' pair-score scale is unnecessary
        out[a] = allS[bk][a]
    for s, c in chosen.items():
        print(f"   held-out {s:22s} -> {c}")
    report("nested-selected", out, ranks=True)


def probe_study(cfg=BEST, seeds=5):
    print(f"== probe-count study (cfg={cfg}) mean over {seeds} seeds ==")
    for n in (50, 100, 200, 400, 805):
        aucs, t1, tf, cls = [], [], [], []
        for sd in range(seeds if n < npb else 1):
            rng = np.random.default_rng(sd)
            sel = np.sort(rng.choice(npb, n, replace=False))
            e = Sc.evaluate(scores(cfg, sel), students, cands, pairs)
            aucs.append(e["auc"]); t1.append(e["top1"]); tf.append(e["top1fam"])
            cls.append(Sc.loso_llr(e["sc"], e["y"], e["pair_student"])[1])
        print(f"  n={n:4d}  AUC {np.mean(aucs):.3f} (min {np.min(aucs):.3f})  top1 {np.mean(t1):.1f}/6 "
              f"fam {np.mean(tf):.1f}/6  Cllr {np.mean(cls):.3f}", flush=True)


def signed_hash_matrix(nfeat, D, k, seed):
    """very sparse random projection: each input feature -> k signed entries (+-1/sqrt(k)) at random dims."""
    rng = np.random.default_rng(seed)
    rows = np.repeat(np.arange(nfeat), k)
    cols = rng.integers(0, D, nfeat * k)
    vals = rng.choice(np.array([-1.0, 1.0], np.float32), nfeat * k) / np.sqrt(k)
    return sp.csr_matrix((vals.astype(np.float32), (rows, cols)), shape=(nfeat, D))


def proj_grams(D_by_block, k=1, seed=0):
    """project each block's tf-idf rows to D_b dims, re-L2-normalise, per-probe dense Gram."""
    out = {}
    for b, D in D_by_block.items():
        X = sp.load_npz(f"{F.CACHE}/tfidf_{b}.npz")
        R = signed_hash_matrix(X.shape[1], D, k, seed + hash(b) % 1000)
        Y = np.asarray((X @ R).todense(), dtype=np.float32)
        del X
        n = np.linalg.norm(Y, axis=1, keepdims=True)
        n[n == 0] = 1
        Y = (Y / n).reshape(nm, npb, D).transpose(1, 0, 2)  # (P, n, D)
        out[b] = np.einsum("pid,pjd->pij", Y, Y)
    return out


def proj_study():
    print("== dense projection study (signed very-sparse RP, seeded) ==")
    w = BEST[0]
    for cfgname, cfg in (("best", BEST), ("char+word+style zST", ({"char": 1, "word": 1, "style": 1}, False, "agg", "zST"))):
        wb = cfg[0]
        report(f"[{cfgname}] exact sparse", scores(cfg))
        for D in (256, 512, 1024):
            for k in (1, 4):
                for seed in (0, 1):
                    Gp = proj_grams({b: D for b in wb}, k, seed)
                    report(f"[{cfgname}] per-block D={D} each, k={k} s{seed}", scores(cfg, Gsrc=Gp))
            # fixed total budget split across blocks
            if len(wb) > 1:
                Db = D // len(wb)
                Gp = proj_grams({b: Db for b in wb}, 1, 0)
                report(f"[{cfgname}] total D={D} split {Db}/block, k=1", scores(cfg, Gsrc=Gp))


def calib(cfg=BEST):
    print(f"== calibration + p-values (cfg={cfg}) ==")
    S = scores(cfg)
    e, llr, cl = report("score", S)
    y = e["y"]
    print(f"  LOSO logistic LR: Cllr {cl:.3f}; log10 LR distilled: min {llr[y].min():+.2f} median "
          f"{np.median(llr[y]):+.2f}; independent: max {llr[~y].max():+.2f} median {np.median(llr[~y]):+.2f}")
    a, b = Sc.logit_fit(e["sc"], y)
    pr = y.mean()
    print(f"  full-data fit: log10 LR = ({a - np.log(pr / (1 - pr)):+.3f} + {b:.3f} * score) / ln10")
    # panel-null p-value: each panel model M' as pseudo-student vs T (panel minus M')
    Sp = scores(cfg, rows=pidx)  # (32, 10)
    P = (1 + (Sp[None, :, :] >= S[:, None, :]).sum(1)) / (1 + len(pidx))  # (students, cands)
    lab = {(p["student"], p["teacher"]): p["distilled"] for p in pairs["pairs"]}
    pd = [P[a, b] for a, s in enumerate(students) for b, t in enumerate(cands) if lab.get((s, t)) is True]
    pn = [P[a, b] for a, s in enumerate(students) for b, t in enumerate(cands) if lab.get((s, t)) is False]
    print(f"  panel-rank p (1+#panel>=S)/(1+32): distilled {np.round(sorted(pd), 3).tolist()}")
    print(f"     independent/non-teacher pairs with p<=0.05: {sum(np.array(pn) <= 0.05)}/{len(pn)}; "
          f"p<=0.1: {sum(np.array(pn) <= 0.1)}/{len(pn)}")
    # per-probe sign-flip test on d_p = cos_p(S,T) - mean_M cos_p(M,T)   (teacher-side impostor difference)
    G = Sc.combine(Gs, cfg[0])
    rng = np.random.default_rng(0)
    flips = rng.choice([-1.0, 1.0], size=(2000, npb))
    def sf(i, t):
        pan = [m for m in pidx if m != i]
        d = G[:, i, t] - np.nanmean(np.where(valid[:, pan], G[:, pan, t], np.nan), 1)
        ok = valid[:, i] & valid[:, t]
        d = np.where(ok, d, 0.0)
        obs = d.mean()
        null = (flips * d).mean(1)
        return (1 + (null >= obs).sum()) / (1 + len(null))
    sfd = [sf(models.index(s), models.index(t)) for s in students for t in cands if lab.get((s, t)) is True]
    sfn = [sf(models.index(s), models.index(t)) for s in students for t in cands if lab.get((s, t)) is False]
    print(f"  sign-flip p (d_p = cos(S,T)-mean_M cos(M,T)): distilled <=0.01: {sum(np.array(sfd) <= 0.01)}/6; "
          f"non-teacher pairs <=0.01: {sum(np.array(sfn) <= 0.01)}/{len(sfn)}  (overconfident: probes not iid, "
          f"student effects ignored)")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    t0 = time.time()
    if what in ("table", "all"):
        table()
    if what in ("nested", "all"):
        nested()
    if what in ("probes", "all"):
        probe_study()
    if what in ("calib", "all"):
        calib()
    if what == "proj":  # ~9 min, run separately
        proj_study()
    print(f"done in {time.time() - t0:.0f}s")
