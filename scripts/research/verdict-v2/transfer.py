import os
import sys, pickle, json, numpy as np; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eval import *; from lab import SHARED, WORK, CANDIDATE_SETS; from fuse import fit_lr, loso
fa = pickle.load(open(os.path.join(WORK, "fv_ae.pkl"), "rb")); fb = pickle.load(open(os.path.join(WORK, "fv_ab.pkl"), "rb"))
pa = json.load(open(SHARED + "/data/alpaca-eval/pairs.json")); pb = json.load(open(SHARED + "/data/arena-bench-v1/pairs.json"))
def apply(feats, pairs, keys, b, mu, sd):
    return {(p["student"], p["teacher"]): (b[0] + ((np.array([feats[k + (p["student"], p["teacher"])] for k in keys]) - mu) / sd) @ b[1:]) / np.log(10) for p in pairs["pairs"]}
models = {**CANDIDATE_SETS,
 "word+edges+phrases": ["word/raw/z", "edges/cpanel/m", "phrases/cpanel/z"],
 "ngram+edges+phrasesm": ["ngram/raw/z", "edges/cpanel/m", "phrases/cpanel/m"],
 "ngram+md+lines+edges(block)": ["ngram/raw/z", "md+lines+edges/cpanel/m"],
}
for ridge in [1e-2, 1e-1]:
  for name, ks in models.items():
    keys = [tuple(k.split("/")) for k in ks]
    sc, _ = loso(fa, pa, keys, ridge)
    m = metrics(sc, pa["pairs"], pa["candidates"])
    X = np.array([[fa[k + (p["student"], p["teacher"])] for k in keys] for p in pa["pairs"]]); y = np.array([p["distilled"] for p in pa["pairs"]])
    mu, sd = X.mean(0), X.std(0); b = fit_lr((X - mu) / sd, y, ridge)
    sb = apply(fb, pb, keys, b, mu, sd); mb = metrics(sb, pb["pairs"], pb["candidates"])
    pos = [sb[(p["student"], p["teacher"])] for p in pb["pairs"] if p["distilled"]]; neg = max(sb[(p["student"], p["teacher"])] for p in pb["pairs"] if not p["distilled"])
    print(f"r={ridge} {name:32s} AE {fmt(m)} | AB AUC {mb['auc']:.3f} top1 {mb['top1']['medium'][0]}/3 pos {np.round(pos,2)} maxneg {neg:.2f} | w {np.round(b[1:]/np.log(10),2)}")
