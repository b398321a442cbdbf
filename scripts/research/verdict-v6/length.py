"""Verdict v6 study: is the GPT-3.5/GPT-4 mix-up an answer-length effect, and does a length-adjusted cosine fix it?

Seen before the rule was written (2026-12-07): each of the seven medium-tier misses ranks first the OpenAI teacher
nearest in median answer length (WizardLM ~1,500 characters -> gpt4_0314 1,290 rather than gpt-3.5-turbo-0301 720;
nous-hermes-13b 647 -> gpt-3.5-turbo-0301). Long answers share more common n-grams and more layout, so two verbose
models look alike whoever taught whom.

Adjustment (unsupervised, no labels): per family, the per-probe cosine of two answers is regressed, over every pair
of panel models and every probe both answered, on h = |ln(1 + chars_a) - ln(1 + chars_b)| (within-probe demeaned,
one slope per family; variant L2 adds the pair's mean log length; L1s, written after the first run and so
post hoc, is L1 on the five structure families only). Each feature is then computed from cos - beta.h
instead of cos, exactly as the shipped six are (ngram: raw mean cosine z over the panel; the structure families:
centred on the panel mean without the subject; phrases: z). The slope is fitted on each probe set's own panel.

Rule fixed before the run: with the non-negative fusion (ridge 0.01) refitted leave-one-student-out on the adjusted
six, adopt a variant for the engine only if, against this study's replica of the shipped features, all hold:
AlpacaEval AUC >= replica - 0.01; high tier first >= 5/6; medium first >= replica + 1; false `distilled` <= replica;
found >= replica - 1; false `not-distilled` 0; arena-bench-v1 with the AlpacaEval map AUC >= 0.95, 3/3 first, 0
false `distilled`. Data: shared AlpacaEval outputs (tatsu-lab/alpaca_eval, CC BY-NC 4.0) and arena-bench-v1
(Apache-2.0) embedded by scripts/research/verdict-v2/run.sh into $LINEAGE_RESEARCH.
"""
import os, sys, json, pickle
import numpy as np
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "verdict-v2")); sys.path.insert(0, os.path.join(here, "..", "verdict-v4"))
from lab import load, block, SHARED, WORK
from monotone import standardised_fit, loso, summary, within_teacher, line

def unit(Y):
    n = np.linalg.norm(Y, axis=-1, keepdims=True); n[n == 0] = 1; return Y / n

def lengths_alpaca(names):
    probes = [json.loads(l)["prompt"] for l in open(os.path.join(here, "../../../Probes/alpaca-eval/probes.jsonl"))]
    out = {}
    for m in names:
        # aligned by instruction text, whitespace collapsed; a missing answer is unanswered in the embeddings too
        rows = {" ".join(r["instruction"].split()): len(r["output"] or "")
                for r in json.load(open(f"{SHARED}/data/alpaca-eval/outputs/{m}.json"))}
        out[m] = np.array([rows.get(" ".join(p.split()), 0) for p in probes], float)
    return out

def lengths_arena(names):
    root = f"{SHARED}/data/arena-bench-v1"; ids = [json.loads(l)["id"] for l in open(f"{root}/probes.jsonl")]
    out = {}
    for m in names:
        path = next(p for p in (f"{root}/recordings/{m}.jsonl", f"{root}/panel/{m}.jsonl") if os.path.exists(p))
        rows = {}
        for l in open(path):
            r = json.loads(l); rows.setdefault(r["probe"], len(r["output"] or ""))
        out[m] = np.array([rows.get(i, 0) for i in ids], float)
    return out

def demeaned(X, J):
    """X (pairs x probes) less each probe's mean over the pairs that both answered it (J), zero elsewhere."""
    return (X - (X * J).sum(0) / np.maximum(J.sum(0), 1)) * J

def slope(C, H, J, extra=None):
    """Within-probe OLS slope(s) of the cosine on h over panel pairs: C, H, J are pairs x probes (J = both answered)."""
    cols = [H] + ([extra] if extra is not None else [])
    Xs = np.stack([demeaned(c, J).ravel() for c in cols], 1); y = demeaned(C, J).ravel()
    return np.linalg.lstsq(Xs, y, rcond=None)[0]

def probe_spread(C, J):
    """Per probe, the sd of the cosine over the panel pairs that both answered it (verdict v1's "3b" weight)."""
    n = np.maximum(J.sum(0), 1); mean = (C * J).sum(0) / n
    return np.sqrt((((C - mean) ** 2) * J).sum(0) / n)

def bounded(C, H, J, beta, bound):
    """The cosine's expected shift at length difference h, as a function of h: `None` beta.h (v6, unbounded);
    "clip" beta.min(h, the 95th percentile of the panel pairs' h); "bins" the mean within-probe-demeaned panel cosine
    in ten equal-count bins of the panel pairs' h, minus that of the first bin, flat beyond the last edge (verdict v8)."""
    if bound is None: return lambda h: beta * h
    h = H[J > 0]
    if bound == "clip":
        top = np.quantile(h, 0.95); return lambda x: beta * np.minimum(x, top)
    c = demeaned(C, J)[J > 0]
    edges = np.quantile(h, np.linspace(0, 1, 11)[1:-1]); which = np.searchsorted(edges, h, side="right")
    level = np.array([c[which == k].mean() for k in range(10)]); level -= level[0]
    return lambda x: level[np.searchsorted(edges, x, side="right")]

def features(folder, pairs_path, lengths_of, variant, weighting=None, bound=None):
    """The shipped six features of every (subject, candidate), subject over students and panel (pool = panel without
    the subject), as cos - beta.h with a length `variant` (None: the shipped features; `lengths_of` is then not
    read); `weighting` ("ngram" or "all") makes each feature's mean over probes a mean weighted by the family's
    per-probe panel spread (`probe_spread`). Returns the features, the slopes and (students, panel, candidates,
    labelled pairs)."""
    idx, names, E, A, pairs = load(folder, pairs_path)
    fam = idx["families"]; cands = pairs["candidates"]; students = sorted({p["student"] for p in pairs["pairs"]})
    panel = [m for m in names if m not in cands and m not in students]
    order = students + panel + cands; ix = {m: i for i, m in enumerate(order)}
    Am = np.array([A[m] for m in order], float)
    Ln = np.log1p(np.array([lengths_of(order)[m] for m in order])) if variant else np.zeros(Am.shape)
    pix = np.array([ix[m] for m in panel]); iu = np.triu_indices(len(pix), 1)
    cols = {"ngram": [fam["char"], fam["word"]], "edges": [fam["edges"]], "phrases": [fam["phrases"]],
            "lines": [fam["lines"]], "markdown": [fam["markdown"]], "shape": [fam["shape"]]}
    out, betas = {}, {}
    for f, c in cols.items():
        Bk = block(E, c); X = np.stack([Bk[m] for m in order]) * Am[:, :, None]
        if f != "ngram":                                   # panel-centred rows for the slope fit
            mu = X[pix].sum(0) / np.maximum(Am[pix].sum(0), 1)[:, None]; Xc = unit((X - mu[None]) * Am[:, :, None])
        else: Xc = X
        P = Xc[pix]; C = np.einsum("apd,bpd->abp", P, P)[iu]; J = (Am[pix][:, None] * Am[pix][None])[iu]
        H = np.abs(Ln[pix][:, None] - Ln[pix][None])[iu]; M = ((Ln[pix][:, None] + Ln[pix][None]) / 2)[iu]
        b = slope(C, H, J, M if variant == "L2" else None) if variant and not (variant == "L1s" and f == "ngram") else np.zeros(1)
        betas[f] = b
        expected = bounded(C, H, J, b[0], bound)
        w = probe_spread(C, J) if weighting == "all" or (weighting == "ngram" and f == "ngram") else np.ones(C.shape[1])
        def adjusted(s, Y):
            cos = np.einsum("pd,apd->ap", Y[ix[s]], Y)                          # models x probes
            adj = cos - expected(np.abs(Ln[ix[s]][None] - Ln))
            if len(b) > 1: adj -= b[1] * (Ln[ix[s]][None] + Ln) / 2
            joint = Am * Am[ix[s]][None] * w[None]
            return (adj * joint).sum(1) / np.maximum(joint.sum(1), 1e-12)
        if f == "ngram":
            for s in students + panel:
                m = adjusted(s, X); pool = pix[pix != ix[s]]; pm = m[pool]
                for t in cands: out[("ngram/raw/z", s, t)] = (m[ix[t]] - pm.mean()) / pm.std()
            continue
        Ssum = X[pix].sum(0); Csum = Am[pix].sum(0)
        for s in students + panel:
            Sp, Cp = Ssum.copy(), Csum.copy()
            if s in panel: Sp -= X[ix[s]]; Cp -= Am[ix[s]]
            mu = Sp / np.maximum(Cp, 1)[:, None]
            m = adjusted(s, unit((X - mu[None]) * Am[:, :, None]))
            pool = pix[pix != ix[s]]; pm = m[pool]
            for t in cands:
                out[(f"{f}/cpanel/m", s, t)] = m[ix[t]]
                out[(f"{f}/cpanel/z", s, t)] = (m[ix[t]] - pm.mean()) / pm.std()
    return out, betas, (students, panel, cands, pairs["pairs"])

def evaluate(fa, fb, pa, pb):
    """The non-negative fusion (ridge 0.01) of the six refitted leave-one-student-out on AlpacaEval (`sc`), its
    all-pairs map (weights `w`, log10 units) applied unchanged to arena-bench-v1 (`sb`, summary `mb`)."""
    ya = np.array([p["distilled"] for p in pa]); Xa, Xb = design(fa, pa), design(fb, pb)
    sc = loso(Xa, pa, 0.01, True); f, w = standardised_fit(Xa, ya, 0.01, True); sb = f(Xb)
    return sc, sb, np.round(w[1:] / np.log(10), 2).tolist(), summary(sb, pb, ("all",))["all"]

def arena_line(mb):
    return (f"AB (AE map) AUC {mb['auc']:.3f} first {mb['first'][0]}/{mb['first'][1]} false-d {mb['fd'][0]}/{mb['fd'][1]} "
            f"found {mb['found'][0]}/{mb['found'][1]}")

def misses(sc, pa):
    """Each distilled student whose first candidate is not a labelled teacher, with the scores."""
    ya = np.array([p["distilled"] for p in pa]); st = np.array([p["student"] for p in pa])
    for s in sorted(set(st[ya])):
        i = np.where(st == s)[0]; top = i[np.argmax(sc[i])]
        if not ya[top]: print(f"    miss {s}: first {pa[top]['teacher']} {sc[top]:.2f}; labelled "
                              + ", ".join(f"{pa[j]['teacher']} {sc[j]:.2f}" for j in i if ya[j]))

SIX = ["ngram/raw/z", "edges/cpanel/m", "phrases/cpanel/z", "lines/cpanel/m", "markdown/cpanel/m", "shape/cpanel/m"]
def design(feats, pairs): return np.array([[feats[(k, p["student"], p["teacher"])] for k in SIX] for p in pairs])

if __name__ == "__main__":
    pa = json.load(open(SHARED + "/data/alpaca-eval/pairs.json"))["pairs"]
    pb = json.load(open(SHARED + "/data/arena-bench-v1/pairs.json"))["pairs"]
    ya = np.array([p["distilled"] for p in pa])
    # L1s (added after the L1/L2 run, so post hoc and not adoptable here): L1 on the five structure families only.
    for variant in (None, "L1", "L2", "L1s"):
        cache = os.path.join(WORK, f"length-{variant}.pkl")
        if os.path.exists(cache): (fa, ba), (fb, bb) = pickle.load(open(cache, "rb"))
        else:
            fa, ba, _ = features(os.path.join(WORK, "emb-ae"), SHARED + "/data/alpaca-eval/pairs.json", lengths_alpaca, variant)
            fb, bb, _ = features(os.path.join(WORK, "emb-ab"), SHARED + "/data/arena-bench-v1/pairs.json", lengths_arena, variant)
            pickle.dump(((fa, ba), (fb, bb)), open(cache, "wb"))
        sc, sb, w, mb = evaluate(fa, fb, pa, pb)
        print(f"== {variant or 'replica (no adjustment)'}; slopes AE {dict((k, np.round(v, 3).tolist()) for k, v in ba.items())}"
              f"\n   slopes AB {dict((k, np.round(v, 3).tolist()) for k, v in bb.items())}")
        print(f"  AE LOSO {line(summary(sc, pa))}\n  AE within-teacher {dict((k, round(v, 3)) for k, v in within_teacher(sc, pa).items())}")
        print(f"  {arena_line(mb)}  weights {w}")
        misses(sc, pa)
