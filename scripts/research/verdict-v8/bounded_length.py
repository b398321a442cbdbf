"""Verdict v8 study: verdict v6's length-adjusted cosine with the correction bounded to the panel's range.

Seen before this rule was written (2026-12-07, verdict v6): the unbounded linear correction (cos - beta.h, h the
pair's absolute log length difference, beta fitted on the panel's own pairs) ranked 12 of 16 medium teachers first
and lifted the AUC within gpt-3.5-turbo-0301's pairs from 0.71 to 0.87, but on arena-bench-v1 it called llama-13b
(a base model with very short answers) `distilled` against the two longest-answer candidates: the line is used far
beyond the length differences it was fitted on. It also lost a high-tier student (baize-v2-13b -> llama-2-70b-chat-hf).
The v6 note named this form as the next variant; it is chosen after seeing v6's pairs, so a pass here is a second
look at the same pairs, and the note says so.

Variants (no labels; every constant from the panel of each probe set):
  clip  beta.min(h, q95), q95 the 95th percentile of h over the panel's pairs and probes;
  bins  the mean within-probe-demeaned panel cosine in ten equal-count bins of the panel's h (flat past the last
        edge), relative to the first bin: a non-parametric expected shift that cannot extrapolate.
Both on every family (v6's L1 form); features and fusion otherwise as in v6.

Rule fixed before the run (v6's rule unchanged): with the non-negative fusion (ridge 0.01) refitted
leave-one-student-out on the adjusted six, adopt a variant only if, against the replica of the shipped features:
AlpacaEval AUC >= replica - 0.01; high tier first >= 5/6; medium first >= replica + 1; false `distilled` <= replica;
found >= replica - 1; false `not-distilled` 0; arena-bench-v1 with the AlpacaEval map AUC >= 0.95, 3/3 first, 0 false
`distilled`. Data: shared AlpacaEval outputs (tatsu-lab/alpaca_eval, CC BY-NC 4.0), arena-bench-v1 (Apache-2.0),
embedded by scripts/research/verdict-v2/run.sh into $LINEAGE_RESEARCH.
"""
import os, sys, json, pickle
import numpy as np
here = os.path.dirname(os.path.abspath(__file__))
for d in ("verdict-v6", "verdict-v4", "verdict-v2"): sys.path.insert(0, os.path.join(here, "..", d))
from length import features, lengths_alpaca, lengths_arena, evaluate, arena_line, misses
from lab import SHARED, WORK
from monotone import summary, within_teacher, line, cllr

pa = json.load(open(SHARED + "/data/alpaca-eval/pairs.json"))["pairs"]
pb = json.load(open(SHARED + "/data/arena-bench-v1/pairs.json"))["pairs"]
ya = np.array([p["distilled"] for p in pa])

def cached(variant, bound):
    path = os.path.join(WORK, f"length-{variant}" + (f"-{bound}" if bound else "") + ".pkl")
    if os.path.exists(path): return pickle.load(open(path, "rb"))
    fa, _, _ = features(os.path.join(WORK, "emb-ae"), SHARED + "/data/alpaca-eval/pairs.json", lengths_alpaca, variant, bound=bound)
    fb, _, _ = features(os.path.join(WORK, "emb-ab"), SHARED + "/data/arena-bench-v1/pairs.json", lengths_arena, variant, bound=bound)
    pickle.dump((fa, fb), open(path, "wb")); return fa, fb

if __name__ == "__main__":
    for name, variant, bound in (("replica", None, None), ("v6 L1 (unbounded)", "L1", None),
                                 ("clip at the panel's q95", "L1", "clip"), ("bins", "L1", "bins")):
        if bound is None:
            (fa, _), (fb, _) = pickle.load(open(os.path.join(WORK, f"length-{variant}.pkl"), "rb"))
        else: fa, fb = cached(variant, bound)
        sc, sb, w, mb = evaluate(fa, fb, pa, pb)
        print(f"== {name}\n  AE LOSO {line(summary(sc, pa))}  Cllr {cllr(sc, pa):.3f}"
              f"\n  AE within-teacher {dict((k, round(v, 3)) for k, v in within_teacher(sc, pa).items())}"
              f"\n  {arena_line(mb)}  weights {w}")
        misses(sc, pa)
        for k in np.where((sb >= 1) & ~np.array([p["distilled"] for p in pb]))[0]:
            print(f"    arena false distilled: {pb[k]['student']} -> {pb[k]['teacher']} {sb[k]:.2f}")
