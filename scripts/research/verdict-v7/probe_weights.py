"""Verdict v7 study: verdict v1's probe weighting ("3b") re-tested on the 22 distilled students and the fused six.

Verdict v1 (6 distilled students) found one re-scoring of the n-gram cosines level with the shipped score or better
everywhere: each probe's cosine weighted, in the mean over probes, by the spread (sd) of that probe's cosines over
every pair of panel models -- a probe counts more where unrelated models disagree. Its recommendation (FINDINGS.md
"Round 2 conclusions"): re-test it on more students and "adopt it only if it wins top-1 there without a worse Cllr".
Nothing here depends on labels: the weights come from the panel alone, per probe set.

Variants: `ngram` (the v1 form: the n-gram family's mean weighted by its own per-probe panel spread) and `all`
(each of the six features weighted by its own family's spread; structure families on their panel-centred cosines).

Rule fixed before the run (2026-12-07), against this study's replica of the shipped six, the non-negative fusion
(ridge 0.01) refitted leave-one-student-out on the shared AlpacaEval pairs: adopt a variant only if teacher first
(all 22) is above the replica's with the high tier at least 5/6, Cllr is not worse (by more than 0.005), AUC is
within 0.01, false `distilled` is not above the replica's, found is at least the replica's less one, and on
arena-bench-v1 with the AlpacaEval map AUC >= 0.95, 3/3 first, 0 false `distilled`.
Data: shared AlpacaEval outputs (tatsu-lab/alpaca_eval, CC BY-NC 4.0), arena-bench-v1 (Apache-2.0), embedded by
scripts/research/verdict-v2/run.sh into $LINEAGE_RESEARCH.
"""
import os, sys, json, pickle
import numpy as np
here = os.path.dirname(os.path.abspath(__file__))
for d in ("verdict-v6", "verdict-v4", "verdict-v2"): sys.path.insert(0, os.path.join(here, "..", d))
from length import features, lengths_alpaca, lengths_arena, evaluate, arena_line
from lab import SHARED, WORK
from monotone import summary, within_teacher, line, cllr

pa = json.load(open(SHARED + "/data/alpaca-eval/pairs.json"))["pairs"]
pb = json.load(open(SHARED + "/data/arena-bench-v1/pairs.json"))["pairs"]
ya = np.array([p["distilled"] for p in pa])
for weighting in (None, "ngram", "all"):
    cache = os.path.join(WORK, f"probe-weights-{weighting}.pkl")
    if os.path.exists(cache): fa, fb = pickle.load(open(cache, "rb"))
    else:
        fa = features(os.path.join(WORK, "emb-ae"), SHARED + "/data/alpaca-eval/pairs.json", lengths_alpaca, None, weighting)[0]
        fb = features(os.path.join(WORK, "emb-ab"), SHARED + "/data/arena-bench-v1/pairs.json", lengths_arena, None, weighting)[0]
        pickle.dump((fa, fb), open(cache, "wb"))
    sc, sb, w, mb = evaluate(fa, fb, pa, pb)
    print(f"== {weighting or 'replica (unweighted)'}: AE LOSO Cllr {cllr(sc, pa):.3f}\n  {line(summary(sc, pa))}"
          f"\n  within-teacher {dict((k, round(v, 3)) for k, v in within_teacher(sc, pa).items())}"
          f"\n  {arena_line(mb)}  weights {w}")
