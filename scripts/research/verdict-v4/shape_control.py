"""The shipped pool with `shape` as a control held <= 0 (plain, and one-sided: max(shape - mean, 0)) and every
likeness feature >= 0, against the free and the non-negative fits (docs/FINDINGS.md "Verdict v4"). Tried after the
within-teacher cost of the non-negative fit was seen, so its figures are not an honest out-of-sample test."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import monotone
from monotone import *

def fit_signed(X, y, ridge, signs):
    """Weights of sign `signs` (+1: >= 0, -1: <= 0): the non-negative fit on sign-flipped columns."""
    b = monotone.fit(X * signs, y, ridge, True)
    b[1:] *= signs
    return b

def hinge(X, reference):
    Z = X.copy(); Z[:, 5] = np.maximum(X[:, 5] - reference[:, 5].mean(), 0); return Z

def identity(X, reference): return X

def loso_signed(X, pairs, ridge, signs, transform):
    st = np.array([p["student"] for p in pairs]); y = np.array([p["distilled"] for p in pairs]); out = np.zeros(len(pairs))
    for s in sorted(set(st)):
        tr = st != s; Xt = transform(X[tr], X[tr]); mu, sd = Xt.mean(0), Xt.std(0)
        b = fit_signed((Xt - mu) / sd, y[tr], ridge, signs)
        out[~tr] = (b[0] + ((transform(X[~tr], X[tr]) - mu) / sd) @ b[1:]) / LN10
    return out

Xa, Xb = design(fa, pa, SHIPPED), design(fb, pb, SHIPPED); ya = np.array([p["distilled"] for p in pa])
for name, transform, signs in [("non-negative", identity, np.array([1, 1, 1, 1, 1, 1.])),
                               ("shape <= 0", identity, np.array([1, 1, 1, 1, 1, -1.])),
                               ("one-sided shape <= 0", hinge, np.array([1, 1, 1, 1, 1, -1.]))]:
    sc = loso_signed(Xa, pa, 0.01, signs, transform)
    Xt = transform(Xa, Xa); mu, sd = Xt.mean(0), Xt.std(0); b = fit_signed((Xt - mu) / sd, ya, 0.01, signs)
    sb = (b[0] + ((transform(Xb, Xa) - mu) / sd) @ b[1:]) / LN10
    mb = summary(sb, pb, ("all",))["all"]
    llama = max(sc[i] for i, p in enumerate(pa) if p["teacher"] == "llama-2-70b-chat-hf")
    print(f"{name}\n  AE LOSO {line(summary(sc, pa))} Cllr {cllr(sc, pa):.3f}\n"
          f"  within-teacher {dict((k, round(v, 3)) for k, v in within_teacher(sc, pa).items())}; highest llama-2-70b-chat-hf pair {llama:.2f}\n"
          f"  AB (AE fit) AUC {mb['auc']:.3f} first {mb['first'][0]}/3 found {mb['found'][0]}/3 false-d {mb['fd'][0]}; weights {np.round(b[1:] / LN10, 2)}")
