"""Verdict v8, second part: the length correction chosen by the data itself, inside leave-one-student-out.

`bounded_length.py` judged each form of the correction against a fixed rule. Here the choice among the three
(no correction = the shipped six, `clip`, `bins`) is made per held-out student by the lowest Cllr of the other
students' own leave-one-student-out (nested LOSO, verdict-v4's `nested`), so the figures are out of sample for
the choice as well as for the fit. Written (2026-12-07) after `bounded_length.py`'s run; the rule for adopting is
that script's rule, unchanged, applied to the nested scores (arena-bench-v1: the form chosen on all 26 students,
fitted on all pairs, applied unchanged). Data as in `bounded_length.py`.
"""
import os, sys, json, pickle
import numpy as np
here = os.path.dirname(os.path.abspath(__file__))
for d in ("verdict-v6", "verdict-v4", "verdict-v2"): sys.path.insert(0, os.path.join(here, "..", d))
sys.path.insert(0, here)
from bounded_length import cached, pa, pb, ya, WORK
from length import design, evaluate, arena_line, misses
from monotone import nested, cllr, loso, summary, within_teacher, line

if __name__ == "__main__":
    (f0a, _), (f0b, _) = pickle.load(open(os.path.join(WORK, "length-None.pkl"), "rb"))
    forms = {"none": (f0a, f0b), "clip": cached("L1", "clip"), "bins": cached("L1", "bins")}
    procedures = {k: (design(fa, pa), 0.01, True) for k, (fa, _) in forms.items()}
    sc, chosen = nested(procedures, cllr)
    print(f"nested LOSO, chosen per held-out student by inner Cllr: {chosen}")
    print(f"  AE {line(summary(sc, pa))}  Cllr {cllr(sc, pa):.3f}")
    print(f"  AE within-teacher {dict((k, round(v, 3)) for k, v in within_teacher(sc, pa).items())}")
    misses(sc, pa)
    whole = min(forms, key=lambda k: cllr(loso(procedures[k][0], pa, 0.01, True), pa))
    _, sb, w, mb = evaluate(*forms[whole], pa, pb)
    print(f"  chosen on all 26 students: {whole}; {arena_line(mb)}  weights {w}")
