"""What sample weights cost, and what a stream of ``partial_fit`` chunks reaches
against one ``fit``, for CNNClassifier on the digits.

Run from the repository root (about 15 minutes on 2 cores)::

    python benchmarks/bench_training.py

1. Fit time with ``sample_weight`` (random weights in [0.5, 1.5]) against
   without, the two fits taking turns, 7 rounds; the median of each and their
   ratio.
2. Accuracy, 5-fold ``StratifiedKFold(shuffle=True, random_state=0)`` on
   ``load_digits()`` / 16 at the defaults (``image_shape=(8, 8)``, 10 epochs):
   ``fit`` against ``partial_fit`` over 10 chunks of the training fold (its
   rows shuffled with seed 0), one pass over each chunk per call, the 10
   chunks passed 10 times (as many passes as ``fit`` makes), for
   ``random_state`` 0 to 2.

Writes ``benchmarks/results/training.md``.
"""

import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import StratifiedKFold

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skfeat.image import CNNClassifier  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "training.md"
ROUNDS = 7
SEEDS = range(3)
N_CHUNKS = 10


def weight_cost(X, y):
    weights = np.random.default_rng(0).uniform(0.5, 1.5, len(y))
    times = {"without": [], "with": []}
    for _ in range(ROUNDS):
        for name, sample_weight in (("without", None), ("with", weights)):
            clf = CNNClassifier(image_shape=(8, 8), random_state=0)
            start = time.perf_counter()
            clf.fit(X, y, sample_weight=sample_weight)
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(values)) for name, values in times.items()}


def streamed(X, y, seed):
    clf = CNNClassifier(image_shape=(8, 8), random_state=seed)
    rows = np.random.default_rng(0).permutation(len(y))
    chunks = np.array_split(rows, N_CHUNKS)
    for _ in range(clf.epochs):
        for chunk in chunks:
            clf.partial_fit(X[chunk], y[chunk], classes=np.arange(10))
    return clf


def main():
    X, y = load_digits(return_X_y=True)
    X = X / 16
    cost = weight_cost(X, y)
    ratio = cost["with"] / cost["without"]
    print(f"fit without weights {cost['without']:.2f} s, with {cost['with']:.2f} s")
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    rows = []
    for seed in SEEDS:
        fit_scores, stream_scores = [], []
        for train, test in cv.split(X, y):
            fitted = CNNClassifier(image_shape=(8, 8), random_state=seed)
            fit_scores.append(fitted.fit(X[train], y[train]).score(X[test], y[test]))
            stream = streamed(X[train], y[train], seed)
            stream_scores.append(stream.score(X[test], y[test]))
        rows.append((seed, np.mean(fit_scores), np.mean(stream_scores)))
        print(rows[-1], flush=True)
    fit_mean = np.mean([row[1] for row in rows])
    stream_mean = np.mean([row[2] for row in rows])
    lines = [
        "# Training: the cost of sample weights, partial_fit against fit",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores, no GPU; Python "
        f"{platform.python_version()}. Command: `python benchmarks/bench_training.py`"
        " (measured while other jobs shared the cores: times are inflated, their "
        "ratio is what counts).",
        "",
        "## Sample weights",
        "",
        "`CNNClassifier(image_shape=(8, 8), random_state=0)` on the 1,797 digits, "
        f"median of {ROUNDS} fits each, taking turns; weights uniform in [0.5, 1.5].",
        "",
        "| fit | median time (s) |",
        "|---|---:|",
        f"| without `sample_weight` | {cost['without']:.2f} |",
        f"| with `sample_weight` | {cost['with']:.2f} |",
        f"| ratio | {ratio:.3f} |",
        "",
        "## partial_fit against fit",
        "",
        "5-fold `StratifiedKFold(shuffle=True, random_state=0)` on `load_digits()` "
        "/ 16, defaults with `image_shape=(8, 8)` (10 epochs). `partial_fit`: the "
        f"training fold in {N_CHUNKS} chunks (rows shuffled with seed 0), each "
        "call one pass over one chunk, the chunks passed 10 times. Mean accuracy "
        "over the folds.",
        "",
        "| random_state | fit | partial_fit | difference (points) |",
        "|---:|---:|---:|---:|",
        *(
            f"| {seed} | {fit:.4f} | {stream:.4f} | {100 * (stream - fit):+.2f} |"
            for seed, fit, stream in rows
        ),
        f"| mean | {fit_mean:.4f} | {stream_mean:.4f} | "
        f"{100 * (stream_mean - fit_mean):+.2f} |",
        "",
    ]
    table = "\n".join(lines)
    print(table)
    RESULTS.write_text(table)


if __name__ == "__main__":
    main()
