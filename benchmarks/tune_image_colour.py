"""The GridSearchCV run behind CNNClassifier's recommended colour configuration,
and the classic network on raw and on scaled pixels, on the CIFAR-10 sample.

Run from the repository root (about an hour on 2 cores)::

    python benchmarks/tune_image_colour.py

Data: the 3,728 CIFAR-10 images of ``../shared/data/cifar10-sample`` as uint8,
as users hold them. Scores: 5-fold ``StratifiedKFold(shuffle=True,
random_state=0)``. Writes ``benchmarks/results/image_colour.md``.
"""

import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from joblib import parallel_backend
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import SVC

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _shared_data import CIFAR10_SAMPLE as SAMPLE  # noqa: E402

from skfeat._demo import _hog_features as hog_features  # noqa: E402
from skfeat.image import CNNClassifier  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "image_colour.md"

# What every candidate shares: the small-image network of the colour guide.
BASE = {
    "filters": (32, 64, 128),
    "convs_per_block": 2,
    "padding": "same",
    "batch_normalization": True,
    "pooling": "avg",
    "augmentation": {"flip": "horizontal", "shift": 0.1},
    "learning_rate_schedule": "cosine",
    "batch_size": 64,
    "random_state": 0,
}
# Chosen from single-fold runs on fold 0: a cosine schedule gained 12 points
# over a constant rate (0.692 against 0.576), dropout 0.3 before the softmax
# cost 2 (0.674), AdamW scored 0.672, batches of 128 for 40 epochs 0.690.
# The two optimizers left are searched at 40 epochs, which keeps one fold's fit
# under the 5-minute budget.
GRID = [
    {"optimizer": ["adam"], "learning_rate": [0.003], "epochs": [40]},
    {"optimizer": ["sgd"], "learning_rate": [0.05], "epochs": [40]},
]


def main():
    data = np.load(SAMPLE)
    X, y = data["images"], data["labels"]
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    rows = []

    def score(name, model, images):
        result = cross_validate(model, images, y, cv=cv)
        rows.append(
            (
                name,
                result["test_score"].mean(),
                result["test_score"].std(),
                result["fit_time"].mean(),
            )
        )
        print(rows[-1], flush=True)

    score(
        "HOG (9 orientations, 8×8 cells, 2×2 blocks) + `SVC()`",
        make_pipeline(FunctionTransformer(hog_features), SVC()),
        X,
    )
    score(
        "`CNNClassifier(random_state=0)` on raw uint8 pixels",
        CNNClassifier(random_state=0),
        X,
    )
    score(
        "`CNNClassifier(random_state=0)` on pixels / 255",
        CNNClassifier(random_state=0),
        X / 255,
    )
    score(
        "`CNNClassifier(input_scaling=None, random_state=0)` on raw uint8 (before)",
        CNNClassifier(input_scaling=None, random_state=0),
        X,
    )

    start = time.perf_counter()
    search = GridSearchCV(CNNClassifier(**BASE), GRID, cv=cv, n_jobs=2, refit=False)
    with parallel_backend("threading"):  # no new processes, scores unchanged
        search.fit(X, y)
    search_seconds = time.perf_counter() - start
    results = search.cv_results_
    # the time budget is for one fold's fit with the machine to itself
    train, _ = next(cv.split(X, y))
    best = CNNClassifier(**{**BASE, **search.best_params_})
    start = time.perf_counter()
    best.fit(X[train], y[train])
    alone_seconds = time.perf_counter() - start

    lines = [
        "# CNNClassifier on colour images: the CIFAR-10 sample",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores, no GPU; Python "
        f"{platform.python_version()}. Command: `python benchmarks/"
        "tune_image_colour.py`. 3,728 CIFAR-10 images of 32×32×3 uint8; 5-fold "
        "`StratifiedKFold(shuffle=True, random_state=0)`. Fit seconds: mean per "
        "fold.",
        "",
        "| model | accuracy | ± std | fit (s) |",
        "|---|---:|---:|---:|",
        *(f"| {n} | {m:.4f} | {s:.4f} | {t:.1f} |" for n, m, s, t in rows),
        "",
        f"## GridSearchCV over the colour network ({search_seconds / 60:.0f} min, "
        "`n_jobs=2` in threads, so each fit shared the 2 cores with another)",
        "",
        f"Shared by every candidate: `{BASE}`.",
        "",
        "| candidate | accuracy | ± std | fit (s), 2 fits at once | rank |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| `{params}` | {mean:.4f} | {std:.4f} | {fit:.0f} | {rank} |"
            for params, mean, std, fit, rank in zip(
                results["params"],
                results["mean_test_score"],
                results["std_test_score"],
                results["mean_fit_time"],
                results["rank_test_score"],
                strict=True,
            )
        ),
        "",
        f"Best: `{search.best_params_}`, {search.best_score_:.4f}. One fold's fit "
        f"of it (2,982 images) with the machine to itself: {alone_seconds:.0f} s.",
        "",
    ]
    table = "\n".join(lines)
    print(table)
    RESULTS.write_text(table)


# Second stage (``--longer``): the best of GRID with more epochs, as long as one
# fold's fit stays under 5 minutes (40 epochs took 190 s with the machine to
# itself). Appends its table to the results.
LONGER = {"optimizer": "adam", "learning_rate": 0.003}
LONGER_GRID = {"epochs": [50]}


def longer():
    data = np.load(SAMPLE)
    X, y = data["images"], data["labels"]
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    start = time.perf_counter()
    search = GridSearchCV(
        CNNClassifier(**BASE, **LONGER), LONGER_GRID, cv=cv, n_jobs=2, refit=False
    )
    with parallel_backend("threading"):
        search.fit(X, y)
    search_seconds = time.perf_counter() - start
    train, _ = next(cv.split(X, y))
    best = CNNClassifier(**BASE, **LONGER, **search.best_params_)
    start = time.perf_counter()
    best.fit(X[train], y[train])
    alone_seconds = time.perf_counter() - start
    results = search.cv_results_
    lines = [
        "",
        f"## Second stage: `{LONGER}` with more epochs ({search_seconds / 60:.0f} "
        "min, `n_jobs=2` in threads; `python benchmarks/tune_image_colour.py "
        "--longer`)",
        "",
        "| candidate | accuracy | ± std | folds |",
        "|---|---:|---:|---|",
        *(
            f"| `{params}` | {mean:.4f} | {std:.4f} | "
            + ", ".join(
                f"{results[f'split{fold}_test_score'][i]:.4f}" for fold in range(5)
            )
            + " |"
            for i, (params, mean, std) in enumerate(
                zip(
                    results["params"],
                    results["mean_test_score"],
                    results["std_test_score"],
                    strict=True,
                )
            )
        ),
        "",
        f"One fold's fit of `{search.best_params_}` (2,982 images) with the machine "
        f"to itself: {alone_seconds:.0f} s.",
        "",
    ]
    table = "\n".join(lines)
    print(table)
    with RESULTS.open("a") as file:
        file.write(table)


if __name__ == "__main__":
    longer() if sys.argv[1:] == ["--longer"] else main()
