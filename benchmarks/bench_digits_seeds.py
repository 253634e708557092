"""How much the digits accuracy of CNNClassifier moves with the seed: the
spread that the slow tests' thresholds must stay below.

Run from the repository root (about 20 minutes on 2 cores)::

    python benchmarks/bench_digits_seeds.py

5-fold ``StratifiedKFold(shuffle=True, random_state=0)`` on scikit-learn's
digits / 16, as ``tests/test_image.py`` scores them, for ``random_state`` 0 to
2. Writes ``benchmarks/results/digits_seeds.md``.
"""

import os
import platform
import sys
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import StratifiedKFold, cross_val_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skfeat.image import CNNClassifier  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "digits_seeds.md"
SEEDS = range(3)
CONFIGURATIONS = {
    "defaults (the classic network)": {},
    "defaults, `input_scaling=None` (before input scaling)": {"input_scaling": None},
    "recommended for digits": {
        "filters": (64,),
        "padding": "same",
        "dense_units": (512,),
        "dropout": 0.5,
        "learning_rate": 0.002,
        "epochs": 40,
    },
}


def main():
    X, y = load_digits(return_X_y=True)
    X = X / 16
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    lines = [
        "# CNNClassifier on the digits: accuracy by seed",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores, no GPU; Python "
        f"{platform.python_version()}. Command: `python benchmarks/"
        "bench_digits_seeds.py`. 5-fold `StratifiedKFold(shuffle=True, "
        "random_state=0)` on `load_digits()` / 16, `image_shape=(8, 8)`.",
        "",
        "| configuration | "
        + " | ".join(f"seed {seed}" for seed in SEEDS)
        + " | mean | lowest |",
        "|---|" + "---:|" * (len(SEEDS) + 2),
    ]
    for name, params in CONFIGURATIONS.items():
        scores = [
            cross_val_score(
                CNNClassifier(image_shape=(8, 8), random_state=seed, **params),
                X,
                y,
                cv=cv,
                n_jobs=2,
            ).mean()
            for seed in SEEDS
        ]
        lines.append(
            f"| {name} | "
            + " | ".join(f"{score:.4f}" for score in scores)
            + f" | {np.mean(scores):.4f} | {min(scores):.4f} |"
        )
        print(lines[-1], flush=True)
    lines.append("")
    table = "\n".join(lines)
    print(table)
    RESULTS.write_text(table)


if __name__ == "__main__":
    main()
