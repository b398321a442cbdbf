import os
import sys, pickle, json, numpy as np; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lab import auc
def metrics(score, plist, cands):
    # score: dict (s,t)->value
    y = [p["distilled"] for p in plist]; s = [score[(p["student"], p["teacher"])] for p in plist]
    out = {"auc": auc(s, y)}
    for tier in ["high", "medium"]:
        # tier of distilled pairs vs all independent pairs of that tier
        sub = [p for p in plist if p["confidence"] == tier]
        out[tier] = auc([score[(p["student"], p["teacher"])] for p in sub], [p["distilled"] for p in sub])
    top = {"high": [0, 0], "medium": [0, 0]}
    for st in sorted({p["student"] for p in plist if p["distilled"]}):
        own = [p for p in plist if p["student"] == st]
        best = max(own, key=lambda p: (score[(st, p["teacher"])], p["teacher"]))
        tier = [p for p in own if p["distilled"]][0]["confidence"]
        top[tier][1] += 1; top[tier][0] += best["distilled"]
    out["top1"] = top
    return out
def fmt(m):
    return f"AUC {m['auc']:.3f} (high {m['high']:.3f}, medium {m['medium']:.3f})  top1 high {m['top1']['high'][0]}/{m['top1']['high'][1]} medium {m['top1']['medium'][0]}/{m['top1']['medium'][1]}"
