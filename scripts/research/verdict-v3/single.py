"""Each family × statistic alone: AlpacaEval leave-one-student-out (one-feature logistic map) and, for the same
feature, its AUC on arena-bench-v1 (the sign of the AlpacaEval fit applied; AUC is invariant to the rest)."""
import os, sys, pickle, json
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lab3 import *  # noqa

fa = pickle.load(open(os.path.join(WORK, "fv3_ae.pkl"), "rb")); fb = pickle.load(open(os.path.join(WORK, "fv3_ab.pkl"), "rb"))
pa = json.load(open(SHARED + "/data/alpaca-eval/pairs.json")); pb = json.load(open(SHARED + "/data/arena-bench-v1/pairs.json"))
PA, PB = pa["pairs"], pb["pairs"]
yA = np.array([p["distilled"] for p in PA]); yB = np.array([p["distilled"] for p in PB])
STATS = ["m", "z", "rz", "tz", "zT", "zST", "csls", "gim4", "gimfs4", "gikw",
         "pct", "gi4", "win", "q90", "pz", "tpz", "pctfs", "gifs4", "pctT", "mp", "mgi4", "mgifs4", "mnn"]
fams = sorted({k[:2] for k in fa})
print(f"{'feature':28s} {'AUC':>5s} {'high':>5s} {'med':>5s} first(h/m) wtAUC | AB AUC  AB wt/ws")
for fam in [f for f, c in FAMILIES]:
    for cent in ["raw", "cpanel", "cloo"]:
        if os.environ.get("ONLY") and cent != os.environ["ONLY"]: continue
        for st in STATS:
            key = (fam, cent, st)
            if key + (PA[0]["student"], PA[0]["teacher"]) not in fa: continue
            XA = design(fa, PA, [key]); XB = design(fb, PB, [key])
            if not np.isfinite(XA).all(): print(key, "non-finite"); continue
            sc, lo, hi = loso(XA, PA)
            m = metrics(PA, *as_dicts(PA, sc, lo, hi))
            b, mu, sd, bd = fit(XA, yA)
            sb = apply(b, mu, sd, XB); lrb = {(p["student"], p["teacher"]): sb[i] for i, p in enumerate(PB)}
            t = m["top"]
            print(f"{'/'.join(key):28s} {m['auc']:.3f} {m['auc_high']:.3f} {m['auc_medium']:.3f} {t['high'][0]}/6 {t['medium'][0]:2d}/16  {m['wt_auc']:.3f} |"
                  f" {auc(sb, yB):.3f}  {within_auc(PB, lrb, 'teacher'):.2f}/{within_auc(PB, lrb, 'student'):.2f}", flush=True)
