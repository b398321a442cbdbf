"""Verdict v5 study, third rule: a candidate-set-free form of the per-probe vote. Per probe, the share of panel
models the candidate beats in closeness to the student (ties count one half; a panel model counts on the probes it
answered); the feature is its mean over the probes both answered, per family (centred as shipped; ngram raw).
Printed: each alone (AUC, teacher first), and added to the shipped six in the non-negative fusion (leave one student
out; arena-bench-v1 with the AlpacaEval fit unchanged). Data as in contrast.py."""
import os, sys, json, pickle
import numpy as np
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "verdict-v2")); sys.path.insert(0, os.path.join(here, "..", "verdict-v4"))
from lab import load, block, center, SHARED, WORK
import monotone
from monotone import SHIPPED, design, loso, standardised_fit, summary, line, within_teacher, cllr

FAMS = {"ngram": (["char", "word"], False), "edges": (["edges"], True), "phrases": (["phrases"], True),
        "lines": (["lines"], True), "markdown": (["markdown"], True)}

def feats(folder, pairs_path):
    idx, names, E, A, pairs = load(folder, pairs_path)
    fam = idx["families"]; cands = pairs["candidates"]; pp = pairs["pairs"]
    students = sorted({p["student"] for p in pp}); panel = [m for m in names if m not in cands and m not in students]
    out = {}
    for f, (cols, cent) in FAMS.items():
        Bk = block(E, [fam[c] for c in cols]); V = center(Bk, A, panel) if cent else Bk
        for s in students:
            P = np.stack([(V[s] * V[m]).sum(1) for m in panel]); PA = np.stack([A[m] for m in panel])
            for t in cands:
                c = (V[s] * V[t]).sum(1); ok = A[s] & A[t]
                beat = ((P < c) + 0.5 * (P == c)) * PA
                r = beat.sum(0)[ok] / np.maximum(PA.sum(0)[ok], 1)
                out[(f, s, t)] = float(r.mean())
    return out, pp

ra, pa = feats(os.path.join(WORK, "emb-ae"), SHARED + "/data/alpaca-eval/pairs.json")
rb, pb = feats(os.path.join(WORK, "emb-ab"), SHARED + "/data/arena-bench-v1/pairs.json")
ya = np.array([p["distilled"] for p in pa])
for f in FAMS:
    sa = np.array([ra[(f, p["student"], p["teacher"])] for p in pa]); sb = np.array([rb[(f, p["student"], p["teacher"])] for p in pb])
    ma, mb = summary(sa, pa), summary(sb, pb, ("all",))
    print(f"{f:9s} alone: AE " + " | ".join(f"{t} AUC {v['auc']:.3f} first {v['first'][0]}/{v['first'][1]}" for t, v in ma.items())
          + f" || AB AUC {mb['all']['auc']:.3f} first {mb['all']['first'][0]}/3")
def with_rank(fx, pairs, rx, add):
    base = design(fx, pairs, SHIPPED)
    return np.column_stack([base] + [np.array([rx[(f, p["student"], p["teacher"])] for p in pairs]) for f in add])
for add in ([], ["edges"], ["ngram", "edges", "phrases", "lines", "markdown"]):
    Xa, Xb = with_rank(monotone.fa, pa, ra, add), with_rank(monotone.fb, pb, rb, add)
    sc = loso(Xa, pa, 0.01, True); f, b = standardised_fit(Xa, ya, 0.01, True); sb = f(Xb); mb = summary(sb, pb, ("all",))["all"]
    print(f"shipped six + rank {add}\n  AE LOSO {line(summary(sc, pa))} Cllr {cllr(sc, pa):.3f}\n"
          f"  within-teacher {dict((k, round(v, 3)) for k, v in within_teacher(sc, pa).items())}\n"
          f"  AB AUC {mb['auc']:.3f} first {mb['first'][0]}/3 false-d {mb['fd'][0]}/{mb['fd'][1]} found {mb['found'][0]}/3; weights {np.round(b[1:] / np.log(10), 2)}")
