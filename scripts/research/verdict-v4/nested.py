"""Nested leave-one-student-out selection by Cllr among the procedures of monotone.py (docs/METHOD.md §9)."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from monotone import *

procedures = {}
for name, keys in SETS.items():
    X = design(fa, pa, keys)
    for ridge in (0.01, 0.1):
        for monotone in (False, True):
            procedures[(name, ridge, "non-negative" if monotone else "free")] = (X, ridge, monotone)
for label, chosen_from in [("non-negative only", {k: v for k, v in procedures.items() if v[2]}), ("all", procedures)]:
    scores, chosen = nested(chosen_from, cllr)
    print(f"{label}: chosen {chosen}\n  {line(summary(scores, pa))} Cllr {cllr(scores, pa):.3f}")
