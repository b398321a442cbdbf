"""Why a small panel inflates the structure features, and two ways to centre that do not (2026-12-07).

`study.py` found that the shipped map, applied with a 5-model panel, calls 47 of 225 independent pairs
`distilled` (2 with the 32-model panel). Cause, worked out before this run: the per-probe centring mean m is
estimated from the k panel models. For a student S and candidate T outside the pool,
E[(S-m)·(T-m)] = (S-mu)·(T-mu) + tr(Sigma)/k: every centred likeness carries a bias of order 1/k. For a panel
member M the pool mean contains M itself, which cancels that bias, so `<family>.z` (the candidate's likeness
against the panel members') gains it in full.

Variants of the structure features (`ngram` is not centred and stays as shipped):
  shipped   centred on the pool mean; `.z` against the panel members' likeness on the same centring.
  loo       `.z` only: each panel member M is compared with S on the mean of the pool without M, so M stands
            where T stands (outside its own centring pool).
  debiased  loo, and every centred dot product has the pool's estimate of tr(Sigma)/k subtracted before it is
            divided by the two centred norms (Sigma the per-probe sample covariance of the pool's unit
            vectors, k the models that answered the probe); the raw mean-cosine features as well as `.z`.
Rule, fixed before the run: a variant replaces the shipped centring only if, with the 32-model panel
(leave one student out, non-negative fusion of the six shipped features, ridge 0.01), its AUC is within 0.01 of
the shipped one's and it ranks at least as many teachers first with no more false `distilled`, and if its
32-panel map applied unchanged with 5- and 10-model panels (5 seeded subsets each, `random.Random(seed)` over
the sorted panel names, as study.py draws them) gives fewer false `distilled`.

    LINEAGE_RESEARCH=/tmp/v4 python3 scripts/research/panel-size/centring.py   # embeddings of verdict-v2/run.sh
Data: the shared AlpacaEval outputs (tatsu-lab/alpaca_eval, CC BY-NC 4.0).
"""
import os, sys, json, random
import numpy as np
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "verdict-v2")); sys.path.insert(0, os.path.join(here, "..", "verdict-v4"))
from lab import load, SHARED, WORK
from monotone import standardised_fit, loso, summary, within_teacher

FAMILIES = ["edges", "phrases", "lines", "markdown", "shape"]
SHIPPED = ["ngram", "edges", "phrases.z", "lines", "markdown", "shape"]


def unit_block(E, order, cols):
    X = np.stack([np.concatenate([E[m][:, a:b] for a, b in cols], axis=1) for m in order])
    n = np.linalg.norm(X, axis=-1, keepdims=True); n[n == 0] = 1
    return X / n


def centred_means(X, A, subjects, targets, pool, variant):
    """mean over joint probes of the centred cosine of each subject with each target, the pool's mean (and, when
    debiased, its noise) taken away; a target in the pool is centred on the pool without itself unless shipped."""
    out = np.zeros((len(subjects), len(targets)))
    def stats(members):
        k = A[members].sum(0).astype(float)                                    # probes
        mu = (X[members] * A[members][:, :, None]).sum(0) / np.maximum(k, 1)[:, None]
        dev = ((X[members] - mu[None]) ** 2).sum(-1) * A[members]              # models x probes
        bias = dev.sum(0) / np.maximum(k - 1, 1) / np.maximum(k, 1)             # tr(Sigma)/k per probe
        return mu, (bias if variant == "debiased" else np.zeros_like(bias))
    full = stats(pool)
    for j, t in enumerate(targets):
        mu, bias = stats([m for m in pool if m != t]) if (t in pool and variant != "shipped") else full
        U = (X - mu[None]) * A[:, :, None]; n = np.linalg.norm(U, axis=-1); n[n == 0] = 1
        for i, s in enumerate(subjects):
            joint = A[s] & A[t]
            c = ((U[s] * U[t]).sum(-1) - bias) / (n[s] * n[t])
            out[i, j] = c[joint].mean()
    return out


def features(E, A, names, students, cands, panel, variant):
    order = students + cands + panel; ix = {m: i for i, m in enumerate(order)}
    Am = np.array([A[m] for m in order], bool)
    S = [ix[s] for s in students]; C = [ix[c] for c in cands]; P = [ix[p] for p in panel]
    feats = {}
    Xn = unit_block(E, order, [FAM["char"], FAM["word"]]) * Am[:, :, None]
    G = np.einsum("apd,bpd->ab", Xn, Xn) / np.maximum(Am.astype(float) @ Am.T.astype(float), 1)
    for s in students:
        pm = G[ix[s], P]
        for c in cands: feats[("ngram", s, c)] = (G[ix[s], ix[c]] - pm.mean()) / pm.std()
    for f in FAMILIES:
        X = unit_block(E, order, [FAM[f]])
        mc = centred_means(X, Am, S, C, P, variant)
        mp = centred_means(X, Am, S, P, P, variant)
        for i, s in enumerate(students):
            for j, c in enumerate(cands):
                feats[(f, s, c)] = mc[i, j]
                feats[(f + ".z", s, c)] = (mc[i, j] - mp[i].mean()) / mp[i].std()
    return feats


def design(feats, pairs):
    return np.array([[feats[(k, p["student"], p["teacher"])] for k in SHIPPED] for p in pairs])


if __name__ == "__main__":
    idx, names, E, A, pj = load(os.path.join(WORK, "emb-ae"), SHARED + "/data/alpaca-eval/pairs.json")
    FAM = idx["families"]; pairs = pj["pairs"]; cands = pj["candidates"]
    students = sorted({p["student"] for p in pairs}); panel = sorted(m for m in names if m not in cands and m not in students)
    y = np.array([p["distilled"] for p in pairs])
    print(f"{len(students)} students, {len(cands)} candidates, panel {len(panel)}")
    for variant in ("shipped", "loo", "debiased"):
        X32 = design(features(E, A, names, students, cands, panel, variant), pairs)
        sc = loso(X32, pairs, 0.01, True); m = summary(sc, pairs)
        f, b = standardised_fit(X32, y, 0.01, True)
        wt = within_teacher(sc, pairs)
        print(f"{variant}: 32-panel LOSO AUC {m['all']['auc']:.3f} / {m['high']['auc']:.3f} / {m['medium']['auc']:.3f}, "
              f"first {m['all']['first'][0]}/22 ({m['high']['first'][0]}, {m['medium']['first'][0]}), "
              f"false d {m['all']['fd'][0]}, found {m['all']['found'][0]}, false nd {m['all']['fnd']}, "
              f"within gpt-3.5 {wt['gpt-3.5-turbo-0301']:.3f} gpt4 {wt['gpt4_0314']:.3f}; "
              f"weights {[round(w / np.log(10), 2) for w in b[1:]]}", flush=True)
        indep = X32[~y]
        print(f"    independent pairs' mean features (32): {dict(zip(SHIPPED, np.round(indep.mean(0), 3)))}")
        for k in (5, 10, 20):
            rows = []
            for seed in range(1, 6):
                sub = random.Random(seed).sample(panel, k)
                Xk = design(features(E, A, names, students, cands, sorted(sub), variant), pairs)
                sk = f(Xk); mk = summary(sk, pairs)["all"]
                rows.append((mk["auc"], mk["fd"][0], mk["found"][0], mk["first"][0], Xk[~y].mean(0)))
            mean = lambda i: np.mean([r[i] for r in rows])
            print(f"    32-panel map on {k}-model panels: AUC {mean(0):.3f}, false d {mean(1):.1f}, found {mean(2):.1f}, "
                  f"first {mean(3):.1f}; independent means {dict(zip(SHIPPED, np.round(np.mean([r[4] for r in rows], 0), 3)))}",
                  flush=True)
