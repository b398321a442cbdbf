import os
import sys, pickle, json, numpy as np, itertools; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eval import *
def fit_lr(X, y, ridge=1e-2):
    # prior-weighted logistic regression (each class weighs 1/2), Newton
    X = np.column_stack([np.ones(len(X)), X]); y = np.asarray(y, float)
    w = np.where(y == 1, 0.5 / y.sum(), 0.5 / (1 - y).sum())
    b = np.zeros(X.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-X @ b)); g = X.T @ (w * (y - p)) - ridge * np.r_[0, b[1:]]
        H = (X * (w * p * (1 - p))[:, None]).T @ X + ridge * np.diag(np.r_[0, np.ones(len(b) - 1)])
        d = np.linalg.solve(H, g); b += d
        if np.abs(d).sum() < 1e-10: break
    return b
def loso(feats, pairs, keys, ridge=1e-2):
    P = pairs["pairs"]
    X = np.array([[feats[k + (p["student"], p["teacher"])] for k in keys] for p in P]); y = np.array([p["distilled"] for p in P])
    st = np.array([p["student"] for p in P]); out = np.zeros(len(P))
    for s in sorted(set(st)):
        tr = st != s
        mu, sd = X[tr].mean(0), X[tr].std(0)
        b = fit_lr((X[tr] - mu) / sd, y[tr], ridge)
        out[~tr] = b[0] + ((X[~tr] - mu) / sd) @ b[1:]
    full = fit_lr((X - X.mean(0)) / X.std(0), y, ridge)
    return {(p["student"], p["teacher"]): out[i] / np.log(10) for i, p in enumerate(P)}, full
if __name__ == "__main__":
    feats = pickle.load(open(sys.argv[1], "rb")); pairs = json.load(open(sys.argv[2]))
    pool = ["ngram/raw/z", "word/raw/z", "edges/cent/m", "lines/cent/m", "markdown/cent/m", "phrases/cent/z", "style/cent/m", "md+lines+edges/cent/m", "shape/cent/m", "phrases/cent/m", "edges/cent/z", "lines/cent/z","markdown/cent/z"]
    pool = [tuple(k.split("/")) for k in pool]
    res = []
    for r in [1, 2, 3]:
        for combo in itertools.combinations(pool, r):
            sc, _ = loso(feats, pairs, list(combo))
            m = metrics(sc, pairs["pairs"], pairs["candidates"])
            res.append((m["auc"], combo, m))
    res.sort(key=lambda t: -t[0])
    for a, combo, m in res[:40]:
        print(f"{' + '.join('/'.join(k) for k in combo):60s} {fmt(m)}")
