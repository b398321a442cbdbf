"""Follow-up to centring.py (2026-12-07), descriptive only (nothing is adopted from it): with a small panel of
one's own and the map refitted on it leave one student out (what `lineage calibrate` on that panel does), does
the `loo` centring help? For k = 5 and 10 (the same 5 seeded subsets as centring.py and study.py) and the
shipped and `loo` variants: the mean AUC, teachers first, false `distilled` and pairs found.

    LINEAGE_RESEARCH=/tmp/v4 python3 scripts/research/panel-size/centring_refit.py
"""
import os, random
import numpy as np
import centring
from centring import load, SHARED, WORK, features, design, loso, summary

if __name__ == "__main__":
    idx, names, E, A, pj = load(os.path.join(WORK, "emb-ae"), SHARED + "/data/alpaca-eval/pairs.json")
    centring.FAM = idx["families"]; pairs = pj["pairs"]; cands = pj["candidates"]
    students = sorted({p["student"] for p in pairs}); panel = sorted(m for m in names if m not in cands and m not in students)
    for variant in ("shipped", "loo"):
        for k in (5, 10):
            rows = []
            for seed in range(1, 6):
                Xk = design(features(E, A, names, students, cands, sorted(random.Random(seed).sample(panel, k)), variant), pairs)
                m = summary(loso(Xk, pairs, 0.01, True), pairs)["all"]
                rows.append((m["auc"], m["first"][0], m["fd"][0], m["found"][0]))
            r = np.mean(rows, 0)
            print(f"{variant}, {k}-model panel, refitted LOSO: AUC {r[0]:.3f}, first {r[1]:.1f}/22, false d {r[2]:.1f}/225, found {r[3]:.1f}/25", flush=True)
