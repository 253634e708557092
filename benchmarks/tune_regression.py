"""The small search behind CNNRegressor's defaults and recommended configuration,
on the rotated digits of ``bench_regression.py`` (the same task and folds).

Run from the repository root, one or more candidates by name (each about 3 to
10 minutes on 2 shared cores)::

    python benchmarks/tune_regression.py defaults "dense layer, 30 epochs"

Prints each candidate's RMSE (degrees) over the 5 folds, ``random_state=0``;
``--angles-seed 1`` first rotates the digits by another draw of angles.
The results are in ``benchmarks/results/regression.md``.
"""

import sys
from pathlib import Path

from sklearn.model_selection import KFold, cross_validate

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_regression import rotated_digits  # noqa: E402

from skfeat.image import CNNRegressor  # noqa: E402

CLASSIFIER_DEFAULTS = {
    "filters": (32,),
    "padding": "valid",
    "dense_units": (),
    "epochs": 10,
}
CANDIDATES = {
    "the classifier's defaults": CLASSIFIER_DEFAULTS,
    "the classifier's digits recommendation": {
        "filters": (64,),
        "padding": "same",
        "dense_units": (512,),
        "dropout": 0.5,
        "learning_rate": 0.002,
        "epochs": 40,
    },
    # CNNRegressor's defaults
    "dense layer, 30 epochs": {
        "filters": (32, 64),
        "padding": "same",
        "dense_units": (128,),
        "epochs": 30,
    },
    "dense layer, 30 epochs, Huber loss": {
        "filters": (32, 64),
        "padding": "same",
        "dense_units": (128,),
        "epochs": 30,
        "loss": "huber",
    },
    "dense layer, batch normalization, cosine, 30 epochs": {
        "filters": (32, 64),
        "padding": "same",
        "batch_normalization": True,
        "dense_units": (128,),
        "learning_rate_schedule": "cosine",
        "epochs": 30,
    },
    "two convolutions per block, batch normalization, cosine, 60 epochs": {
        "filters": (32, 64),
        "convs_per_block": 2,
        "padding": "same",
        "batch_normalization": True,
        "dense_units": (256,),
        "learning_rate": 0.003,
        "learning_rate_schedule": "cosine",
        "epochs": 60,
    },
    "the digits recommendation, 80 epochs": {
        "filters": (64,),
        "padding": "same",
        "dense_units": (512,),
        "dropout": 0.5,
        "learning_rate": 0.002,
        "epochs": 80,
    },
    # RECOMMENDED in bench_regression.py
    "the digits recommendation, cosine, 150 epochs": {
        "filters": (64,),
        "padding": "same",
        "dense_units": (512,),
        "dropout": 0.5,
        "learning_rate": 0.002,
        "learning_rate_schedule": "cosine",
        "epochs": 150,
    },
    "the digits recommendation, shifts and zoom, 60 epochs": {
        "filters": (64,),
        "padding": "same",
        "dense_units": (512,),
        "dropout": 0.5,
        "learning_rate": 0.002,
        "epochs": 60,
        "augmentation": {"shift": 0.1, "zoom": 0.1},
    },
}


def main(names, angles_seed=0):
    images, angles = rotated_digits(angles_seed)
    cv = KFold(5, shuffle=True, random_state=0)
    for name in names:
        scores = cross_validate(
            CNNRegressor(**CANDIDATES[name], random_state=0),
            images,
            angles,
            cv=cv,
            scoring="neg_root_mean_squared_error",
        )
        errors = -scores["test_score"]
        per_fold = ", ".join(f"{e:.2f}" for e in errors)
        print(f"| {name} | {errors.mean():.2f} | {per_fold} |", flush=True)


if __name__ == "__main__":
    # --angles-seed N: the same search on another draw of the angles, which no
    # choice was made on
    arguments = sys.argv[1:]
    seed = 0
    if arguments[:1] == ["--angles-seed"]:
        seed, arguments = int(arguments[1]), arguments[2:]
    main(arguments or CANDIDATES, seed)
