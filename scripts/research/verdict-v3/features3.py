"""Per-pair statistics of every family for the AlpacaEval and arena-bench-v1 labelled pairs.

Reads the engine's embeddings written by run.sh (`lineage model embed`, research-v3 recipe) and writes
$LINEAGE_RESEARCH/fv3_ae.pkl and fv3_ab.pkl: {(family, centring, statistic, student, candidate): value}.
Families as shipped: ngram = char + word (raw, i.e. not prompt-centred), the five structure families
prompt-centred on the panel (raw versions too, for the single-feature table). The panel is every recording that
is neither a candidate nor a labelled student (AlpacaEval: 32 models; arena-bench-v1: its 5-model panel).
"""
import os, sys, pickle, json, time
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lab3 import *  # noqa

TRIALS = int(os.environ.get("GI_TRIALS", "32"))     # random feature subsets for the resampled GI statistics
FRACTION = 0.5                                        # share of a family's dimensions kept in each trial


def run(folder, pairs_path, outp, seed=20141):
    idx, names, E, A, pairs = load(folder, pairs_path)
    fam = idx["families"]; cands = pairs["candidates"]; P = pairs["pairs"]
    students = sorted({p["student"] for p in P})
    panel = [m for m in names if m not in cands and m not in students]
    order = students + cands + panel
    print(f"{folder}: {len(students)} students, {len(cands)} candidates, panel {len(panel)}", flush=True)
    blocks = {"ngram": [fam["char"], fam["word"]]}
    for f in ["markdown", "lines", "edges", "phrases", "shape"]: blocks[f] = [fam[f]]
    feats = {}
    rng = np.random.default_rng(seed)
    for bname, cols in blocks.items():
        Bk = block(E, cols)
        variants = {"raw": Bk, "cpanel": center(Bk, A, panel)}
        if bname != "ngram": variants["cloo"] = None
        for cent, X in variants.items():
            t0 = time.time()
            G = loo_tensor(Bk, A, order, panel) if cent == "cloo" else tensor(X, order)
            Mbar = mean_cos(G, A, order)
            for p in P:
                s, t = p["student"], p["teacher"]
                for k, v in {**model_stats(Mbar, order, panel, s, t), **per_probe_stats(G, A, order, panel, s, t)}.items():
                    feats[(bname, cent, k, s, t)] = float(v)
            del G
            if (bname, "cloo" if cent == "cloo" else cent) not in FAMILIES + [(f, "cloo") for f, c in FAMILIES]:
                print(f"  {bname}/{cent}: {time.time() - t0:.1f}s", flush=True); continue
            # random feature-subset resampling (Koppel & Winter 2014): per trial keep half the family's
            # dimensions, renormalise every row, recompute the per-probe cosines
            d = Bk[order[0]].shape[1]
            acc = {}
            ix = {m: i for i, m in enumerate(order)}; pi = np.array([ix[m] for m in panel])
            for trial in range(TRIALS):
                keep = np.sort(rng.choice(d, int(FRACTION * d), replace=False))
                if cent == "cloo":
                    Gt = loo_tensor(Bk, A, order, panel, keep)
                else:
                    Xs = {}
                    for m in order:
                        Y = X[m][:, keep]; n = np.linalg.norm(Y, axis=1, keepdims=True); n[n == 0] = 1; Xs[m] = Y / n
                    Gt = tensor(Xs, order)
                Mt = mean_cos(Gt, A, order)
                half = rng.permutation(len(panel))[:max(2, len(panel) // 2)]  # impostor subset of this trial
                for p in P:
                    s, t = p["student"], p["teacher"]
                    st = per_probe_stats(Gt, A, order, panel, s, t, light=True)
                    ms = model_stats(Mt, order, panel, s, t)
                    ps = Mt[ix[s], pi[half]]
                    a = acc.setdefault((s, t), {"gifs4": 0.0, "pctfs": 0.0, "gimfs4": 0.0, "gikw": 0.0, "mgifs4": 0.0})
                    a["gifs4"] += st["gi4"] / TRIALS; a["pctfs"] += st["pct"] / TRIALS
                    a["mgifs4"] += st["mgi4"] / TRIALS; a["gimfs4"] += ms["gim4"] / TRIALS
                    a["gikw"] += float(Mt[ix[s], ix[t]] > ps.max()) / TRIALS
                del Gt
            for (s, t), a in acc.items():
                for k, v in a.items(): feats[(bname, cent, k, s, t)] = v
            print(f"  {bname}/{cent}: {time.time() - t0:.1f}s", flush=True)
    pickle.dump(feats, open(outp, "wb"))


if __name__ == "__main__":
    run(os.path.join(WORK, "emb-ae"), SHARED + "/data/alpaca-eval/pairs.json", os.path.join(WORK, "fv3_ae.pkl"))
    run(os.path.join(WORK, "emb-ab"), SHARED + "/data/arena-bench-v1/pairs.json", os.path.join(WORK, "fv3_ab.pkl"))
