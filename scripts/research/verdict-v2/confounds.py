import os
import json, numpy as np, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from lab import auc, HERE
cal = json.load(open(os.path.join(HERE, "../../../Probes/alpaca-eval/calibration.json")))
P = cal["pairs"]
def med(m):
    import os
    path = os.path.join(HERE, f"../../../Probes/alpaca-eval/recordings/{m}.jsonl")
    L = [len(json.loads(l)["output"]) for l in open(path) if json.loads(l)["output"].strip()]
    return float(np.median(L))
meds = {m: med(m) for m in {p["student"] for p in P} | {p["teacher"] for p in P}}
y = [p["distilled"] for p in P]
lr = np.array([abs(np.log(meds[p["student"]] / meds[p["teacher"]])) for p in P])
print("length-only detector (closer median length = more distilled): AUC %.3f" % auc(-lr, y))
s = np.array([p["score"] for p in P])
ind = [i for i, p in enumerate(P) if not p["distilled"]]
from scipy.stats import spearmanr
print("independent pairs: Spearman(score, |log length ratio|) = %.2f" % spearmanr(s[ind], lr[ind])[0])
# same base: llama-2-70b-chat-hf as candidate
ll = [p for p in P if p["teacher"] == "llama-2-70b-chat-hf"]
print("pairs against llama-2-70b-chat-hf: %d; LOSO log10 LR median %.2f, max %.2f (%s); verdicts %s" % (
    len(ll), np.median([p["log10_likelihood_ratio"] for p in ll]), max(p["log10_likelihood_ratio"] for p in ll),
    max(ll, key=lambda p: p["log10_likelihood_ratio"])["student"], {v: sum(p["verdict"] == v for p in ll) for v in ["distilled", "inconclusive", "not-distilled"]}))
rank = {}
for st in {p["student"] for p in P if p["distilled"]}:
    own = sorted([p for p in P if p["student"] == st], key=lambda p: -p["score"])
    rank[st] = [p["teacher"] for p in own].index("llama-2-70b-chat-hf") + 1 if any(p["teacher"] == "llama-2-70b-chat-hf" for p in own) else None
print("rank of llama-2-70b-chat-hf among a distilled student's candidates:", sorted(rank.items(), key=lambda t: t[1] or 99))
for st in ["alpaca-7b", "alpaca-7b_concise", "alpaca-7b_verbose"]:
    own = sorted([p for p in P if p["student"] == st], key=lambda p: -p["score"])
    print(st, "median chars %.0f" % meds[st], "top:", own[0]["teacher"], "%.2f" % own[0]["log10_likelihood_ratio"], own[0]["verdict"], "second:", own[1]["teacher"], "%.2f" % own[1]["log10_likelihood_ratio"])
