"""Word2VecVectorizer speed, memory and quality, side by side in one process.

Run: ``python benchmarks/bench_text.py`` (about 5 minutes on 2 cores). Prints each
comparison as a ratio and writes ``benchmarks/results/text.md``. The quality
section needs the MR data in ``../shared/data/sentence-polarity`` (or
``SKFEAT_MR_DIR``) and is skipped without it.
"""

import argparse
import os
import platform
import sys
import time
import tracemalloc
from pathlib import Path

import gensim
import numpy as np
import sklearn
from gensim.models import Word2Vec
from gensim.test.utils import datapath
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from skfeat.text import Word2VecVectorizer

RESULTS = Path(__file__).parent / "results" / "text.md"
MR_DIR = Path(
    os.environ.get(
        "SKFEAT_MR_DIR",
        Path(__file__).resolve().parents[2] / "shared" / "data" / "sentence-polarity",
    )
)


def zipf_corpus(n_documents=25_000, mean_length=100, n_words=100_000, seed=0):
    """Documents whose word frequencies follow Zipf's law, like natural text."""
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    words = [
        "".join(rng.choice(letters, size=rng.integers(3, 10))) for _ in range(n_words)
    ]
    probability = 1.0 / np.arange(1, n_words + 1) ** 1.1
    probability /= probability.sum()
    lengths = rng.poisson(mean_length, size=n_documents)
    ids = rng.choice(n_words, size=lengths.sum(), p=probability)
    pieces = np.split(ids, np.cumsum(lengths)[:-1])
    return [" ".join(words[i] for i in piece) for piece in pieces]


def wikipedia_corpus(words_per_document=100, repeats=7):
    """gensim's shipped Wikipedia sample cut into 100-word documents, repeated."""
    with open(datapath("head500.noblanks.cor"), encoding="utf-8") as file:
        words = file.read().split()
    documents = [
        " ".join(words[start : start + words_per_document])
        for start in range(0, len(words), words_per_document)
    ]
    return documents * repeats


def best_of(function, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def best_of_alternating(first, second, repeat=3):
    """Best times of two functions run in turns, so load drifts hit both alike."""
    times = [[], []]
    for _ in range(repeat):
        for function, spent in zip((first, second), times, strict=True):
            start = time.perf_counter()
            function()
            spent.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def naive_mean_loop(wv, analyze, documents):
    """The per-document np.mean loop that peers (e.g. zeugma) use."""
    rows = []
    for doc in documents:
        vectors = [wv[word] for word in analyze(doc) if word in wv]
        rows.append(np.mean(vectors, axis=0) if vectors else np.zeros(wv.vector_size))
    return np.array(rows, dtype=np.float32)


def get_mean_vector_loop(wv, analyze, documents):
    rows = []
    for doc in documents:
        tokens = [word for word in analyze(doc) if word in wv]
        rows.append(wv.get_mean_vector(tokens) if tokens else np.zeros(wv.vector_size))
    return np.array(rows, dtype=np.float32)


def speed(name, documents, lines):
    n_tokens = sum(len(doc.split()) for doc in documents)
    print(f"\n== {name}: {len(documents):,} documents, {n_tokens:,} tokens")
    lines += [f"\n### {name}: {len(documents):,} documents, {n_tokens:,} tokens\n"]
    vectorizer = Word2VecVectorizer(workers=2, random_state=0).fit(documents)
    wv, analyze = vectorizer.wv_, vectorizer._analyzer()
    tfidf = TfidfVectorizer().fit(documents)

    t_ours, t_tfidf = best_of_alternating(
        lambda: vectorizer.transform(documents), lambda: tfidf.transform(documents)
    )
    ours = vectorizer.transform(documents)
    t_naive, naive = best_of(lambda: naive_mean_loop(wv, analyze, documents), 1)
    t_gmv, _ = best_of(lambda: get_mean_vector_loop(wv, analyze, documents), 1)
    assert np.allclose(ours, naive, atol=1e-5), "mean pooling disagrees with the loop"
    lines += [
        "| transform (mean pooling) | seconds | Word2VecVectorizer is |",
        "|---|---|---|",
        f"| Word2VecVectorizer.transform | {t_ours:.2f} | 1.00x |",
        f"| TfidfVectorizer.transform | {t_tfidf:.2f} | "
        f"{t_ours / t_tfidf:.2f}x its time (goal <= 1.3x) |",
        f"| per-document np.mean loop | {t_naive:.2f} | "
        f"{t_naive / t_ours:.1f}x faster (goal >= 3x) |",
        f"| KeyedVectors.get_mean_vector loop | {t_gmv:.2f} | "
        f"{t_gmv / t_ours:.1f}x faster (goal >= 8x) |",
    ]
    for pooling in ("max", "mean+max", "tfidf", "sif"):
        other = Word2VecVectorizer(pooling=pooling, workers=2, random_state=0)
        other.fit(documents)
        t_other, _ = best_of(lambda other=other: other.transform(documents), 1)
        lines.append(
            f"| transform, pooling={pooling!r} | {t_other:.2f} | "
            f"{t_other / t_tfidf:.2f}x TfidfVectorizer |"
        )

    tokens = [analyze(doc) for doc in documents]
    params = {"vector_size": 100, "min_count": 5, "epochs": 5, "workers": 2, "seed": 1}
    ours_fit = Word2VecVectorizer(workers=2, random_state=0)
    t_gensim, t_fit = best_of_alternating(
        lambda: Word2Vec(tokens, **params), lambda: ours_fit.fit(tokens)
    )
    t_fit_raw, _ = best_of(lambda: ours_fit.fit(documents), 1)
    lines += [
        "",
        "| fit (Word2Vec, 100-d, 5 epochs, 2 workers) | seconds | ratio |",
        "|---|---|---|",
        f"| gensim Word2Vec(tokens) | {t_gensim:.2f} | 1.00x |",
        f"| Word2VecVectorizer.fit(tokens) | {t_fit:.2f} | "
        f"{t_fit / t_gensim:.2f}x (goal <= 1.1x) |",
        f"| Word2VecVectorizer.fit(raw text), tokenizing included | {t_fit_raw:.2f} | "
        f"{t_fit_raw / t_gensim:.2f}x |",
    ]

    tracemalloc.start()
    out = vectorizer.transform(documents)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    lines += [
        "",
        f"transform peak memory (tracemalloc): {peak / 2**20:.1f} MiB, of which the "
        f"output array is {out.nbytes / 2**20:.1f} MiB "
        f"(input text: {sum(map(len, documents)) / 2**20:.1f} MiB of characters)",
    ]
    print("\n".join(lines[-20:]))


def quality(lines):
    if not (MR_DIR / "rt-polarity.pos").exists():
        print(f"MR data not found in {MR_DIR}; quality section skipped")
        return
    documents, labels = [], []
    for label, name in enumerate(["rt-polarity.neg", "rt-polarity.pos"]):
        text = (MR_DIR / name).read_text(encoding="utf-8").splitlines()
        documents += text
        labels += [label] * len(text)
    labels = np.array(labels)
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    settings = {
        "vector_size": 100,
        "epochs": 20,
        "min_count": 1,
        "workers": 2,
        "random_state": 0,
    }
    candidates = {"TfidfVectorizer": TfidfVectorizer()}
    for pooling in ("mean", "max", "mean+max", "tfidf", "sif"):
        candidates[f"Word2Vec, pooling={pooling!r}"] = Word2VecVectorizer(
            pooling=pooling, **settings
        )
    candidates["FastText, pooling='mean'"] = Word2VecVectorizer(
        algorithm="fasttext", **settings
    )
    lines += [
        "\n### Quality: MR (10,662 sentences), 5-fold stratified CV shuffled with "
        "seed 0, + LogisticRegression(max_iter=1000)\n",
        "Vectors trained on the training folds only: vector_size=100, epochs=20, "
        "min_count=1.\n",
        "| features | CV accuracy | seconds |",
        "|---|---|---|",
    ]
    for name, features in candidates.items():
        model = make_pipeline(features, LogisticRegression(max_iter=1000))
        start = time.perf_counter()
        scores = cross_val_score(model, documents, labels, cv=cv)
        seconds = time.perf_counter() - start
        lines.append(
            f"| {name} | {scores.mean():.3f} ± {scores.std():.3f} | {seconds:.0f} |"
        )
        print(lines[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-quality", action="store_true")
    args = parser.parse_args()
    lines = [
        "# Word2VecVectorizer benchmark",
        "",
        f"python {platform.python_version()}, numpy {np.__version__}, scikit-learn "
        f"{sklearn.__version__}, gensim {gensim.__version__}, {os.cpu_count()} cores. "
        f"Command: `python {' '.join(sys.argv)}`. Times are the best of 3 runs "
        "(1 for the slow loops); compared pairs run in turns, so load drifts hit "
        "both alike.",
    ]
    speed("Zipf-like generated corpus", zipf_corpus(), lines)
    speed(
        "gensim's Wikipedia sample (head500.noblanks.cor), in 100-word documents",
        wikipedia_corpus(),
        lines,
    )
    if not args.skip_quality:
        quality(lines)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS}")


if __name__ == "__main__":
    main()
