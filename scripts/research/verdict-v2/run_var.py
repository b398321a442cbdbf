import os
import sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lab import *
import pickle
def run(folder, pairs_path, outp):
    idx, names, E, A, pairs = load(folder, pairs_path)
    fam = idx["families"]; cands = pairs["candidates"]; students = sorted({p["student"] for p in pairs["pairs"]})
    panel = [m for m in names if m not in cands and m not in students]
    blocks = {"ngram": [fam["char"], fam["word"]], "word": [fam["word"]]}
    for f in ["style", "markdown", "lines", "edges", "phrases", "shape"]: blocks[f] = [fam[f]]
    blocks["md+lines+edges"] = [fam["markdown"], fam["lines"], fam["edges"]]
    feats = {}
    for bname, cols in blocks.items():
        Bk = block(E, cols)
        variants = {"raw": Bk, "cpanel": center(Bk, A, panel)}
        for cent, X in variants.items():
            M = {(s, x): meancos(X, A, s, x) for s in students for x in cands + panel}
            for p in pairs["pairs"]:
                s, t = p["student"], p["teacher"]
                pm = np.array([M[(s, x)] for x in panel])
                feats[(bname, cent, "m", s, t)] = M[(s, t)]
                feats[(bname, cent, "z", s, t)] = (M[(s, t)] - pm.mean()) / pm.std()
        # leave-pair-out centring over panel + candidates
        pool = panel + cands
        S = sum(Bk[m] * A[m][:, None] for m in pool); C = sum(A[m].astype(float) for m in pool)
        for p in pairs["pairs"]:
            s, t = p["student"], p["teacher"]
            Ss = S - Bk[t] * A[t][:, None]; Cs = C - A[t]
            mu = Ss / np.maximum(Cs, 1)[:, None]
            def c(m):
                Y = (Bk[m] - mu); n = np.linalg.norm(Y, axis=1, keepdims=True); n[n == 0] = 1; return Y / n
            v = A[s] & A[t]
            feats[(bname, "clpo", "m", s, t)] = float((c(s)[v] * c(t)[v]).sum(1).mean())
    pickle.dump(feats, open(outp, "wb"))
run(os.path.join(WORK, "emb-ae"), SHARED + "/data/alpaca-eval/pairs.json", os.path.join(WORK, "fv_ae.pkl"))
run(os.path.join(WORK, "emb-ab"), SHARED + "/data/arena-bench-v1/pairs.json", os.path.join(WORK, "fv_ab.pkl"))
