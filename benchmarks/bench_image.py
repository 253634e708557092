"""CNNClassifier against raw Keras, side by side in one process.

Run from the repository root::

    python benchmarks/bench_image.py

Prints a Markdown table of timings and ratios and writes it to
benchmarks/results/image.md. Timings are the best of several repeats; the
ratios, not the absolute times, are the result.
"""

import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from joblib import parallel_backend
from joblib.externals.loky import get_reusable_executor
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skfeat.image import CNNClassifier  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "image.md"
ACCURACY = "## Accuracy on digits"


def best_time(function, repeat=5, number=1):
    """Best wall time of one call, over `repeat` rounds of `number` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def in_turns(functions, rounds):
    """Best wall time of each function, calling them in turns for `rounds`."""
    best = [float("inf")] * len(functions)
    for _ in range(rounds):
        for i, function in enumerate(functions):
            best[i] = min(best[i], best_time(function, repeat=1))
    return best


def batch_watcher():
    """A Keras callback with an (empty) batch hook, which makes Keras run one
    batch per call of its compiled train step."""
    import keras

    class BatchWatcher(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            pass

    return BatchWatcher()


def raw_keras_fit(images, y, epochs, seed=None, callbacks=()):
    """The identical network, data and epochs, with plain Keras; with a seed,
    the layers are seeded as CNNClassifier(random_state=seed) seeds them."""
    import keras

    from skfeat.image._networks import build_image_network

    model = build_image_network(
        images.shape[1:],
        10,
        filters=(32,),
        kernel_size=3,
        pool_size=2,
        padding="valid",
        convs_per_block=1,
        batch_normalization=False,
        pooling=None,
        dense_units=(),
        dropout=0.0,
        scaling=None,
        augmentation=None,
        seed=0 if seed is None else seed,
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.001),
        loss="sparse_categorical_crossentropy",
    )
    model.fit(
        images, y, epochs=epochs, batch_size=32, verbose=0, callbacks=list(callbacks)
    )
    return model


def main():
    X, y = load_digits(return_X_y=True)
    X = X / 16
    images = X.reshape(-1, 8, 8, 1).astype(np.float32)
    rows = []

    clf = CNNClassifier(image_shape=(8, 8), random_state=0).fit(X, y)
    model = clf.model_
    one, one_image = X[:1], images[:1]
    clf.predict(one), model.predict_on_batch(one_image)
    model.predict(one_image, verbose=0)

    ours = best_time(lambda: clf.predict(one), number=200)
    keras_batch = best_time(lambda: model.predict_on_batch(one_image), number=200)
    keras_predict = best_time(lambda: model.predict(one_image, verbose=0), number=20)
    rows.append(("predict, 1 image", "model_.predict_on_batch", ours, keras_batch))
    rows.append(("predict, 1 image", "model_.predict", ours, keras_predict))

    ours = best_time(lambda: clf.predict(X), number=5)
    keras_predict = best_time(lambda: model.predict(images, verbose=0), number=5)
    rows.append(("predict, 1797 digits", "model_.predict", ours, keras_predict))

    epochs = 10
    raw_keras_fit(images, y, 1)  # warm TensorFlow up before timing either side
    cases = [
        (f"fit, {epochs} epochs", "raw Keras model.fit", {}),
        (
            f"fit, {epochs} epochs, random_state=0",
            "raw Keras model.fit, same seeding",
            {"random_state": 0},
        ),
        (
            f"fit, {epochs} epochs, a batch callback (one batch per Keras call)",
            "raw Keras model.fit, same callback",
            {"callbacks": [batch_watcher()]},
        ),
    ]
    for label, reference, params in cases:
        ours, keras_fit = in_turns(
            [
                lambda params=params: CNNClassifier(
                    image_shape=(8, 8), epochs=epochs, **params
                ).fit(X, y),
                lambda params=params: raw_keras_fit(
                    images,
                    y,
                    epochs,
                    params.get("random_state"),
                    params.get("callbacks", ()),
                ),
            ],
            rounds=3,
        )
        rows.append((label, reference, ours, keras_fit))

    grid = {"filters": [(16,), (32,)], "learning_rate": [0.001, 0.003]}

    def search(n_jobs):
        estimator = CNNClassifier(image_shape=(8, 8), random_state=0)  # 10 epochs
        searched = GridSearchCV(estimator, grid, cv=5, n_jobs=n_jobs).fit(X, y)
        return searched.cv_results_["mean_test_score"]

    def cold_search():
        # stop joblib's worker processes: the next search starts new ones,
        # which must import TensorFlow again, as in a fresh script
        get_reusable_executor().shutdown(wait=True)
        search(2)

    def threaded_search():
        # threads of this process: nothing to start, TensorFlow already imported
        with parallel_backend("threading"):
            return search(2)

    same_scores = np.array_equal(threaded_search(), search(1))

    # in turns, so that a slow spell of the machine hits every kind alike
    serial, parallel_cold, parallel_warm, threaded = in_turns(
        [lambda: search(1), cold_search, lambda: search(2), threaded_search],
        rounds=2,
    )
    rows.append(
        (
            "GridSearchCV(n_jobs=2), 4 candidates × 5 folds + refit, new workers",
            "n_jobs=1",
            parallel_cold,
            serial,
        )
    )
    rows.append(
        (
            "same, workers already started (TF imported)",
            "n_jobs=1",
            parallel_warm,
            serial,
        )
    )
    rows.append(
        (
            "GridSearchCV(n_jobs=2) in threads (joblib 'threading' backend)",
            "n_jobs=1",
            threaded,
            serial,
        )
    )
    rows.append(
        (
            "same, threads",
            "n_jobs=2, new loky workers",
            threaded,
            parallel_cold,
        )
    )

    lines = [
        "# CNNClassifier benchmark",
        "",
        f"Machine: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPU cores, no GPU; Python {platform.python_version()}.",
        "Grid searches: 4 candidates × 5 folds + refit, each search started cold "
        "(new loky workers import TensorFlow; threads start nothing). Scores of the "
        f"threaded search bit-identical to n_jobs=1: {'yes' if same_scores else 'NO'}.",
        "Digits from scikit-learn (1797 images, 8×8), pixels / 16. Best of repeats.",
        "Ratio = skfeat time / reference time (below 1 is faster).",
        "",
        "| operation | reference | skfeat (s) | reference (s) | ratio |",
        "|---|---|---:|---:|---:|",
    ]
    for operation, reference, ours, theirs in rows:
        lines.append(
            f"| {operation} | {reference} | {ours:.4g} | {theirs:.4g} "
            f"| {ours / theirs:.2f} |"
        )
    table = "\n".join(lines) + "\n"
    print(table)
    RESULTS.parent.mkdir(exist_ok=True)
    # the accuracy section below the timings is written by hand from tune_image.py
    previous = RESULTS.read_text() if RESULTS.exists() else ""
    accuracy = previous[previous.find(ACCURACY) :] if ACCURACY in previous else ""
    RESULTS.write_text(table + ("\n" + accuracy if accuracy else ""))


if __name__ == "__main__":
    main()
