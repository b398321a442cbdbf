"""Verdict v5, fourth study: the verdict-v3 screen's per-probe "win" statistics (the share of probes on which the
candidate is closer to the student than every panel model; General Impostors with every impostor, Koppel & Winter
2014) ranked more medium-tier teachers first alone (lines 11/16, phrases 11-12/16) but carried badly to
arena-bench-v1. Here they are added to the shipped six in the non-negative fusion, as a fixed set and by nested
leave-one-student-out selection by Cllr against the shipped six (so the choice itself is out of sample).
Inputs: the verdict-v2 pickles and the verdict-v3 pickles (fv3_ae.pkl, fv3_ab.pkl) in $LINEAGE_RESEARCH."""
import os, sys, pickle
import numpy as np
here = os.path.dirname(os.path.abspath(__file__)); sys.path.insert(0, os.path.join(here, "..", "verdict-v4"))
import monotone
from monotone import SHIPPED, design, loso, standardised_fit, summary, line, within_teacher, cllr, nested, pa, pb, WORK

for name in ("fv3_ae.pkl", "fv3_ab.pkl"):
    extra = pickle.load(open(os.path.join(WORK, name), "rb"))
    (monotone.fa if "ae" in name else monotone.fb).update({k: v for k, v in extra.items() if k[2] == "win"})
WIN = [f"{f}/cpanel/win" for f in ("edges", "phrases", "lines", "markdown")]
ya = np.array([p["distilled"] for p in pa])
sets = {"shipped six": SHIPPED, "shipped six + four win": SHIPPED + WIN}
for name, keys in sets.items():
    Xa, Xb = design(monotone.fa, pa, keys), design(monotone.fb, pb, keys)
    sc = loso(Xa, pa, 0.01, True); f, b = standardised_fit(Xa, ya, 0.01, True); sb = f(Xb); mb = summary(sb, pb, ("all",))["all"]
    print(f"{name}\n  AE LOSO {line(summary(sc, pa))} Cllr {cllr(sc, pa):.3f}\n"
          f"  within-teacher {dict((k, round(v, 3)) for k, v in within_teacher(sc, pa).items())}\n"
          f"  AB AUC {mb['auc']:.3f} first {mb['first'][0]}/3 false-d {mb['fd'][0]}/{mb['fd'][1]} found {mb['found'][0]}/3 "
          f"within-teacher {dict((k, round(v, 3)) for k, v in within_teacher(sb, pb).items())}\n  weights {np.round(b[1:] / np.log(10), 2)}")
procedures = {k: (design(monotone.fa, pa, v), 0.01, True) for k, v in sets.items()}
out, chosen = nested(procedures, cllr)
print("nested by Cllr: chosen", chosen, "\n ", line(summary(out, pa)), f"Cllr {cllr(out, pa):.3f}")
