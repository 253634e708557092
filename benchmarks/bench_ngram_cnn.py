"""NgramCNNClassifier beside TF-IDF and TextCNNClassifier: accuracy on MR, on
2,000 MR sentences and on the mini newsgroups; fit and one-sentence predict
speed; and what word vectors trained on all MR sentences (no labels) give the
text CNN.

Run from the repository root (about 25 minutes on 2 cores)::

    python benchmarks/bench_ngram_cnn.py [accuracy] [speed] [pretrained]

Accuracy: MR's 10,662 sentences and a 2,000-sentence subset of them
(``np.random.default_rng(0).choice``, as in ``tests/test_text_cnn.py``), both
``StratifiedKFold(5, shuffle=True, random_state=0)``; the 200 posts of
:func:`skfeat.datasets.load_mini_newsgroups` with ``cv=5`` (as the README).
Every model ``random_state=0``. Speed: one MR fold's 8,530 training sentences,
the two fits in turns. Pretrained: two MR folds. Writes
``benchmarks/results/text_ngram_cnn_<part>.md`` (accuracy, speed) and
``benchmarks/results/text_pretrained.md``.
"""

import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _shared_data import load_mr  # noqa: E402
from bench_text_cnn import in_turns  # noqa: E402

from skfeat.datasets import load_mini_newsgroups  # noqa: E402
from skfeat.text import (  # noqa: E402
    NgramCNNClassifier,
    TextCNNClassifier,
    Word2VecVectorizer,
)

RESULTS = Path(__file__).parent / "results"
ROUNDS = int(os.environ.get("ROUNDS", 2))
HEADER = (
    f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores, no GPU; "
    f"Python {platform.python_version()}."
)


def corpora():
    X, y = load_mr()
    subset = np.random.default_rng(0).choice(len(X), 2000, replace=False)
    posts = load_mini_newsgroups()
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    return {
        "MR": (X, y, folds),
        "MR, 2,000 sentences": (X[subset], y[subset], folds),
        "newsgroups (200 posts)": (np.array(posts.data, dtype=object), posts.target, 5),
    }


def models():
    return {
        "`NgramCNNClassifier()`": NgramCNNClassifier(random_state=0),
        "`TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)` + "
        "`LogisticRegression(C=4)`": make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            LogisticRegression(C=4, max_iter=1000),
        ),
        "`TextCNNClassifier()`": TextCNNClassifier(random_state=0),
    }


def accuracy():
    data = corpora()
    lines = [
        "## Accuracy: 5-fold CV, seed 0 (mean ± std over the folds)",
        "",
        f"| model | {' | '.join(data)} |",
        f"|---|{'---:|' * len(data)}",
    ]
    for name, model in models().items():
        cells = []
        for X, y, cv in data.values():
            scores = cross_val_score(model, X, y, cv=cv)
            cells.append(f"{scores.mean():.4f} ± {scores.std():.4f}")
            print(name, cells[-1], np.round(scores, 4).tolist(), flush=True)
        lines.append(f"| {name} | {' | '.join(cells)} |")
    return lines + [
        "",
        "Published on MR: NBSVM with bigrams 0.794 (Wang & Manning 2012); Kim "
        "(2014) CNN-rand 0.761 (10-fold CV).",
        "",
    ]


def speed():
    X, y = load_mr()
    train, _ = next(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y))
    stacked, cnn = NgramCNNClassifier(random_state=0), TextCNNClassifier(random_state=0)
    ours, theirs = in_turns(
        [lambda: stacked.fit(X[train], y[train]), lambda: cnn.fit(X[train], y[train])],
        ROUNDS,
    )
    one = X[train][:1]
    predict_one = []
    for clf in (stacked, cnn):
        clf.predict(one)
        start = time.perf_counter()
        for _ in range(200):
            clf.predict(one)
        predict_one.append((time.perf_counter() - start) / 200 * 1000)
    return [
        f"## Speed: one MR fold's 8,530 training sentences, best of {ROUNDS} rounds "
        "in turns",
        "",
        "| operation | `NgramCNNClassifier()` | `TextCNNClassifier()` | ratio | goal |",
        "|---|---:|---:|---:|---:|",
        f"| fit (s) | {ours:.1f} | {theirs:.1f} | {ours / theirs:.2f} | ≤ 2 |",
        f"| predict one sentence (ms) | {predict_one[0]:.2f} | {predict_one[1]:.2f} "
        f"| {predict_one[0] / predict_one[1]:.2f} | ≤ 3 ms |",
        "",
    ]


class _RandomForTheRest(TextCNNClassifier):
    """The text CNN as it was before: words missing from the pretrained
    vectors start random."""

    def _fill_from_fold_vectors(self, table, token_lists):
        pass


def pretrained():
    """Word2Vec trained on all 10,662 MR sentences, no labels (the transductive
    recipe: the test sentences' words shape the vectors, never their labels),
    handed to the text CNN as ``pretrained=``, beside vectors trained on the
    training fold only. With ``min_count=5`` the vectors miss the rarer words
    of a fold, as vectors of another corpus would: those start random, or from
    the fold's own vectors (what TextCNNClassifier does)."""
    X, y = load_mr()
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y))[:2]
    lines = [
        "## The text CNN's word vectors: trained on the fold, or on all MR "
        "sentences without labels (`pretrained=`); MR folds 0 and 1",
        "",
        "| word vectors | coverage of the fold's vocabulary | fold 0 | fold 1 | mean |",
        "|---|---:|---:|---:|---:|",
    ]
    rows = {
        "trained on the training fold (the default)": (None, TextCNNClassifier),
        "all MR sentences, `min_count=2`": (2, TextCNNClassifier),
        "all MR sentences, `min_count=5`; the rest random": (5, _RandomForTheRest),
        "all MR sentences, `min_count=5`; the rest from the fold's vectors, "
        "mapped by least squares (`TextCNNClassifier`)": (5, TextCNNClassifier),
    }
    for name, (min_count, kind) in rows.items():
        vectorizer = None
        if min_count is not None:
            vectors = Word2VecVectorizer(
                epochs=20, workers=1, min_count=min_count, random_state=0
            ).fit(X)
            vectorizer = Word2VecVectorizer(
                pretrained=vectors.wv_, epochs=20, workers=1
            )
        scores, coverage = [], []
        for train, test in folds:
            clf = kind(vectorizer=vectorizer, random_state=0)
            clf.fit(X[train], y[train])
            scores.append(clf.score(X[test], y[test]))
            wv = clf.vectorizer_.wv_
            coverage.append(np.mean([w in wv.key_to_index for w in clf.vocabulary_]))
            print(name, scores[-1], coverage[-1], flush=True)
        lines.append(
            f"| {name} | {np.mean(coverage):.3f} | {scores[0]:.4f} | {scores[1]:.4f} "
            f"| {np.mean(scores):.4f} |"
        )
    return lines + [""]


TITLES = {
    "accuracy": "NgramCNNClassifier beside TF-IDF and TextCNNClassifier",
    "speed": "NgramCNNClassifier beside TextCNNClassifier: speed",
    "pretrained": "Word vectors of another corpus for the text CNN",
}
FILES = {
    "accuracy": "text_ngram_cnn_accuracy.md",
    "speed": "text_ngram_cnn_speed.md",
    "pretrained": "text_pretrained.md",
}


def main(parts):
    for part in parts:
        table = {"accuracy": accuracy, "speed": speed, "pretrained": pretrained}[part]()
        print("\n".join(table), flush=True)
        (RESULTS / FILES[part]).write_text(
            "\n".join(
                [
                    f"# {TITLES[part]}",
                    "",
                    f"{HEADER} Command: `python benchmarks/bench_ngram_cnn.py {part}`.",
                    "",
                    *table,
                ]
            )
        )


if __name__ == "__main__":
    main(sys.argv[1:] or ["accuracy", "speed", "pretrained"])
