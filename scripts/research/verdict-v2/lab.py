import os
"""Verdict v2 research on the engine's own embeddings (lineage model embed)."""
import json, numpy as np, sys, itertools
HERE = os.path.dirname(os.path.abspath(__file__))
# The shared data (beside the project root) and a scratch folder for embeddings and features.
SHARED = os.environ.get("LINEAGE_SHARED", os.path.normpath(os.path.join(HERE, "../../../../shared")))
WORK = os.environ.get("LINEAGE_RESEARCH", "/tmp/lineage-verdict-v2")
def load(folder, pairs_path):
    idx = json.load(open(f"{folder}/index.json"))
    P, D = idx["probes"], idx["dimensions"]
    names = [r["model"] for r in idx["recordings"]]
    E = {r["model"]: np.fromfile(f"{folder}/{r['model']}.f32", dtype=np.float32).reshape(P, D).astype(np.float64) for r in idx["recordings"]}
    A = {r["model"]: np.array(r["answered"]) for r in idx["recordings"]}
    pairs = json.load(open(pairs_path))
    return idx, names, E, A, pairs
def block(E, cols_list):
    out = {}
    for m, X in E.items():
        B = np.concatenate([X[:, a:b] for a, b in cols_list], axis=1)
        n = np.linalg.norm(B, axis=1, keepdims=True); n[n == 0] = 1
        out[m] = B / n
    return out
def center(Bk, A, pool):
    # per probe mean over pool models that answered; centred rows renormalised
    S = sum(Bk[m] * A[m][:, None] for m in pool); C = sum(A[m].astype(float) for m in pool)
    mu = S / np.maximum(C, 1)[:, None]
    out = {}
    for m, X in Bk.items():
        Y = (X - mu) * A[m][:, None]
        n = np.linalg.norm(Y, axis=1, keepdims=True); n[n == 0] = 1
        out[m] = Y / n
    return out
def meancos(Bk, A, a, b):
    v = A[a] & A[b]
    return float((Bk[a][v] * Bk[b][v]).sum(1).mean()) if v.any() else np.nan
def auc(s, y):
    s = np.asarray(s); y = np.asarray(y, bool)
    pos, neg = s[y], s[~y]
    if len(pos) == 0 or len(neg) == 0: return np.nan
    return float(((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()) / (len(pos) * len(neg)))

# The seven candidate feature sets of the nested selection (docs/METHOD.md §9); transfer.py adds its own variants.
CANDIDATE_SETS = {
    "ngram": ["ngram/raw/z"],
    "ngram+edges": ["ngram/raw/z", "edges/cpanel/m"],
    "ngram+edges+phrases.z": ["ngram/raw/z", "edges/cpanel/m", "phrases/cpanel/z"],
    "ngram+edges+phrases.z+lines": ["ngram/raw/z", "edges/cpanel/m", "phrases/cpanel/z", "lines/cpanel/m"],
    "ngram+edges+phrases.z+lines+md": ["ngram/raw/z", "edges/cpanel/m", "phrases/cpanel/z", "lines/cpanel/m", "markdown/cpanel/m"],
    "ngram+all5": ["ngram/raw/z", "edges/cpanel/m", "phrases/cpanel/z", "lines/cpanel/m", "markdown/cpanel/m", "shape/cpanel/m"],
    "ngram+style": ["ngram/raw/z", "style/cpanel/m"],
}
