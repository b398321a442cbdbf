"""Feature extraction for Lineage verdict research.

Data: AlpacaEval model outputs (tatsu-lab/alpaca_eval; Li, Zhang, Dubois et al., 2023), licence CC BY-NC 4.0.

Builds, for every model x probe answer, three hashed sparse feature blocks:
  char  : char 3-5 grams of the normalised text
  word  : word 1-2 grams of the normalised token stream
  style : habit tokens (first/last tokens, line openers, markdown, stock phrases, shape buckets)
Each block: sublinear tf (1+ln tf) * IDF (fitted on PANEL answers only), then L2-normalised per answer.
Then per-probe Gram matrices (models x models cosine) per block are cached under /tmp.
"""
import json, glob, os, re, math, unicodedata
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

DATA = "/work/shared/data/alpaca-eval"
CACHE = "/tmp/lineage_research"
NFEAT = 2 ** 20
os.makedirs(CACHE, exist_ok=True)


def load():
    pairs = json.load(open(f"{DATA}/pairs.json"))
    files = sorted(glob.glob(f"{DATA}/outputs/*.json"))
    models = [os.path.basename(f)[:-5] for f in files]
    recs = {m: json.load(open(f)) for m, f in zip(models, files)}
    # probe order: the instruction order of the first complete file
    ref = max(recs.values(), key=len)
    probes = [r["instruction"] for r in ref]
    pidx = {t: i for i, t in enumerate(probes)}
    texts = [[None] * len(probes) for _ in models]
    for mi, m in enumerate(models):
        for r in recs[m]:
            i = pidx.get(r["instruction"])
            o = r.get("output") or ""
            if i is not None and o.strip():
                texts[mi][i] = o
    students = sorted(set(p["student"] for p in pairs["pairs"]))
    cands = pairs["candidates"]
    panel = [m for m in models if m not in students and m not in cands]
    return models, probes, texts, pairs, students, cands, panel


# ---------------------------------------------------------------- normalisation
_ws = re.compile(r"[ \t\r\f\v\u00a0]+")
_nl = re.compile(r"\n{2,}")
_dig = re.compile(r"\d")


def norm_text(t):
    """NFKC, lowercase, digits->0, runs of horizontal whitespace -> one space,
    strip spaces around newlines, 2+ newlines -> blank line (\n\n) kept as a paragraph mark."""
    t = unicodedata.normalize("NFKC", t).lower()
    t = _dig.sub("0", t)
    t = _ws.sub(" ", t)
    t = re.sub(r" ?\n ?", "\n", t)
    t = _nl.sub("\n\n", t)
    return t.strip()


_tok = re.compile(r"\w+|[^\w\s]|\n")


def word_tokens(t):
    """tokens of the normalised text: \\w+ runs, single punctuation chars, and '\\n' -> '<nl>'."""
    return ["<nl>" if x == "\n" else x for x in _tok.findall(norm_text(t))]


def word_ngrams(t):
    w = word_tokens(t)
    return w + [a + " " + b for a, b in zip(w, w[1:])]


# ---------------------------------------------------------------- style tokens
PHRASES = [
    "sure", "certainly", "of course", "absolutely", "great question", "good question",
    "i hope this helps", "hope this helps", "i hope that helps", "let me know", "feel free",
    "happy to help", "glad to help", "as an ai", "as a language model", "ai language model",
    "i'm sorry", "i am sorry", "i apologize", "i cannot", "i can't", "i'm not able", "i am not able",
    "here is", "here are", "here's", "below is", "the following",
    "in conclusion", "in summary", "to summarize", "overall,", "ultimately", "in short",
    "it is important to", "it's important to", "keep in mind", "note that", "please note",
    "remember", "however,", "additionally,", "furthermore,", "moreover,", "also,",
    "for example", "e.g.", "such as", "step 0", "first,", "finally,", "i think", "i would",
    "you can", "you may", "you should", "thank you", "thanks", "good luck", "enjoy",
    "!", "?", ":", ";", "(", "\"", "'", "...", " - ", "—", "–",
]

_line_num = re.compile(r"^(\d+)([.)])\s")
_first_word = re.compile(r"\w+|[^\w\s]+")


def _bucket(x, edges):
    for i, e in enumerate(edges):
        if x < e:
            return i
    return len(edges)


def line_opener(line):
    """classify how a (stripped) line opens."""
    s = line.strip()
    if not s:
        return None
    if s.startswith("```"):
        return "```"
    m = re.match(r"^(#{1,6})\s", s)
    if m:
        return m.group(1)
    m = _line_num.match(s)
    if m:
        return "0" + m.group(2)
    if re.match(r"^[a-zA-Z][.)]\s", s):
        return "a" + s[1]
    if s[0] in "-*•+>|" and (len(s) == 1 or s[1] in " |-"):
        return s[0]
    if s.startswith("**"):
        return "**"
    m = _first_word.match(s)
    w = m.group(0) if m else s[:1]
    if w[0].isdigit():
        return "0"
    return "w:" + w  # case kept


def style_tokens(t):
    """Habit tokens for one answer. Case is kept for first/last/opener words."""
    raw = unicodedata.normalize("NFKC", t).strip()
    toks = []
    words = _first_word.findall(raw)
    if words:
        toks.append("first:" + words[0])
        toks.append("first2:" + " ".join(words[:2]))
        toks.append("last:" + words[-1])
        toks.append("last2:" + " ".join(words[-2:]))
    lines = [l for l in raw.split("\n")]
    nonempty = [l for l in lines if l.strip()]
    nlist = 0
    for l in nonempty:
        o = line_opener(l)
        toks.append("line:" + o)
        if o in ("-", "*", "•", "+", "0.", "0)", "a.", "a)"):
            nlist += 1
            # what follows the bullet: bold? word?
            rest = re.sub(r"^\s*(\d+[.)]|[a-zA-Z][.)]|[-*•+])\s*", "", l)
            toks.append("after:" + o + ":" + ("**" if rest.startswith("**") else "w"))
        e = l.rstrip()[-1]
        toks.append("end:" + (e if not e.isalnum() else "w"))
    # markdown
    md = {
        "bold": len(re.findall(r"\*\*[^*\n]+\*\*", raw)),
        "italic": len(re.findall(r"(?<!\*)\*[^*\s][^*\n]*\*(?!\*)", raw)),
        "header": len(re.findall(r"(?m)^#{1,6}\s", raw)),
        "table": len(re.findall(r"(?m)^\s*\|.*\|\s*$", raw)),
        "fence": raw.count("```") // 2,
        "inline_code": len(re.findall(r"(?<!`)`[^`\n]+`(?!`)", raw)),
        "link": len(re.findall(r"\[[^\]]+\]\([^)]+\)", raw)),
        "hr": len(re.findall(r"(?m)^\s*(-{3,}|\*{3,})\s*$", raw)),
        "colon_line": len(re.findall(r"(?m):\s*$", raw)),
    }
    for k, v in md.items():
        if v:
            toks += ["md:" + k] * v
    low = raw.lower()
    for ph in PHRASES:
        c = low.count(ph)
        if c:
            toks += ["ph:" + ph] * c
    # opening / closing phrases at position
    head, tail = low[:80], low[-120:]
    for ph in PHRASES[:40]:
        if ph in head:
            toks.append("headph:" + ph)
        if ph in tail:
            toks.append("tailph:" + ph)
    nw = len(words)
    toks.append("len:%d" % _bucket(nw, [16, 32, 64, 128, 256, 512, 1024]))
    toks.append("lines:%d" % _bucket(len(nonempty), [2, 3, 5, 9, 17, 33]))
    toks.append("paras:%d" % _bucket(raw.count("\n\n") + 1, [2, 3, 5, 9, 17]))
    lf = nlist / max(1, len(nonempty))
    toks.append("listfrac:%d" % _bucket(lf, [0.01, 0.25, 0.5, 0.75]))
    wpl = nw / max(1, len(nonempty))
    toks.append("wpl:%d" % _bucket(wpl, [8, 16, 32, 64, 128]))
    return toks


# ---------------------------------------------------------------- vectorise
def _hv(analyzer):
    return HashingVectorizer(n_features=NFEAT, analyzer=analyzer, alternate_sign=False, norm=None,
                             lowercase=False, dtype=np.float32)


def _char_analyzer(t):
    s = norm_text(t)
    out = []
    for n in (3, 4, 5):
        out += [s[i:i + n] for i in range(len(s) - n + 1)]
    return out


ANALYZERS = {"char": _char_analyzer, "word": word_ngrams, "style": style_tokens}


def raw_counts(name, texts):
    """sparse count matrix, rows = model-major (mi*P + p); empty answers -> zero rows."""
    path = f"{CACHE}/counts_{name}.npz"
    if os.path.exists(path):
        return sp.load_npz(path)
    flat = [t if t is not None else "" for row in texts for t in row]
    X = _hv(ANALYZERS[name]).transform(flat).tocsr()
    sp.save_npz(path, X)
    return X


def tfidf(X, fit_rows):
    """sublinear tf * idf(fitted on fit_rows), L2-normalised rows. idf = ln((1+N)/(1+df)) + 1."""
    X = X.copy().astype(np.float32)
    X.data = 1.0 + np.log(X.data)
    F = X[fit_rows]
    df = np.bincount(F.indices, minlength=X.shape[1])
    N = F.shape[0]
    idf = (np.log((1.0 + N) / (1.0 + df)) + 1.0).astype(np.float32)
    X = X @ sp.diags(idf)
    n = np.sqrt(np.asarray(X.multiply(X).sum(1)).ravel())
    n[n == 0] = 1
    return sp.diags(1 / n) @ X


def per_probe_gram(X, nm, npb, dense=False):
    """G[p] = X_p X_p^T where X_p = rows {mi*npb+p}. returns (npb, nm, nm) float32"""
    G = np.zeros((npb, nm, nm), np.float32)
    idx = np.arange(nm) * npb
    for p in range(npb):
        Xp = X[idx + p]
        g = Xp @ Xp.T
        G[p] = g if dense else g.toarray()
    return G


def grams(name, texts, panel_idx, nm, npb):
    path = f"{CACHE}/gram_{name}.npy"
    if os.path.exists(path):
        return np.load(path)
    X = raw_counts(name, texts)
    fit_rows = np.concatenate([np.arange(npb) + mi * npb for mi in panel_idx])
    Xw = tfidf(X, fit_rows).tocsr()
    sp.save_npz(f"{CACHE}/tfidf_{name}.npz", Xw)
    G = per_probe_gram(Xw, nm, npb)
    np.save(path, G)
    return G


if __name__ == "__main__":
    import sys, time
    models, probes, texts, pairs, students, cands, panel = load()
    print(len(models), "models", len(probes), "probes; panel", len(panel))
    for mi, m in enumerate(models):
        miss = sum(t is None for t in texts[mi])
        if miss:
            print("  missing/empty", m, miss)
    pidx = [models.index(m) for m in panel]
    ex = texts[models.index("gpt4_0314")][3]
    print(style_tokens(ex)[:60])
    for name in sys.argv[1:] or ["style", "word", "char"]:
        t0 = time.time()
        G = grams(name, texts, pidx, len(models), len(probes))
        print(name, G.shape, "%.0fs" % (time.time() - t0))
