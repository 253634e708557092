import os
import pickle
import random
import subprocess
import sys
import threading

import joblib
import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone, is_classifier
from sklearn.datasets import load_digits
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedKFold,
    check_cv,
    cross_val_score,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC

import skfeat
from skfeat.image import CNNClassifier

SOURCE_ROOT = os.path.dirname(os.path.dirname(skfeat.__file__))

# Small and fast: a tiny network, a few epochs.
FAST = {"filters": (8,), "epochs": 3, "learning_rate": 0.01, "random_state": 0}


@pytest.fixture(scope="module")
def digits():
    """400 of scikit-learn's 8×8 digits, pixels scaled to [0, 1]."""
    X, y = load_digits(return_X_y=True)
    return X[:400] / 16, y[:400]


@pytest.fixture(scope="module")
def fitted(digits):
    X, y = digits
    return CNNClassifier(image_shape=(8, 8), **FAST).fit(X, y)


def test_is_a_classifier_so_cross_validation_is_stratified(digits):
    clf = CNNClassifier()
    assert is_classifier(clf)
    assert isinstance(
        check_cv(5, digits[1], classifier=is_classifier(clf)), StratifiedKFold
    )


def test_clone_keeps_parameters_and_drops_fitted_state(fitted):
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params()
    assert not hasattr(copy, "model_")


def test_default_network_is_the_classic_one_trained_by_scikeras(digits):
    X, y = digits
    clf = CNNClassifier(image_shape=(8, 8), epochs=2, random_state=0).fit(X, y)
    kinds = [type(layer).__name__ for layer in clf.model_.layers]
    assert kinds == [
        "InputLayer",
        "Normalization",  # input_scaling="standardize"
        "Conv2D",
        "MaxPooling2D",
        "Flatten",
        "Dense",
    ]
    unscaled = CNNClassifier(image_shape=(8, 8), epochs=1, input_scaling=None)
    kinds = [type(layer).__name__ for layer in unscaled.fit(X, y).model_.layers]
    assert kinds == ["InputLayer", "Conv2D", "MaxPooling2D", "Flatten", "Dense"]
    conv, dense = clf.model_.layers[2], clf.model_.layers[-1]
    assert (conv.filters, conv.kernel_size, conv.activation.__name__) == (
        32,
        (3, 3),
        "relu",
    )
    assert clf.model_.layers[3].pool_size == (2, 2)
    assert (dense.units, dense.activation.__name__) == (10, "softmax")
    assert type(clf.model_.optimizer).__name__ == "Adam"
    assert len(clf.history_["loss"]) == 2  # SciKeras' record of Model.fit


def test_hyperparameters_shape_the_network(digits):
    X, y = digits
    clf = CNNClassifier(
        filters=(4, 6),
        kernel_size=2,
        pool_size=1,
        padding="same",
        dense_units=(5,),
        dropout=0.5,
        optimizer="sgd",
        learning_rate=0.05,
        epochs=1,
        image_shape=(8, 8),
    ).fit(X, y)
    kinds = [type(layer).__name__ for layer in clf.model_.layers]
    assert kinds.count("Conv2D") == 2 and kinds.count("Dropout") == 2
    convs = [layer for layer in clf.model_.layers if type(layer).__name__ == "Conv2D"]
    assert convs[1].filters == 6
    assert tuple(convs[0].output.shape) == (None, 8, 8, 4)  # "same"
    assert type(clf.model_.optimizer).__name__ == "SGD"
    assert float(clf.model_.optimizer.learning_rate.numpy()) == pytest.approx(0.05)
    assert clf.transform(X[:3]).shape == (3, 5)


def test_images_greyscale_and_flat_rows_give_the_same_model(digits, fitted):
    X, y = digits
    expected = fitted.predict_proba(X)
    images = X.reshape(-1, 8, 8)
    for data in (images, images[..., np.newaxis]):
        clf = CNNClassifier(**FAST).fit(data, y)
        np.testing.assert_allclose(clf.predict_proba(data), expected, atol=1e-5)


def test_flat_rows_without_image_shape_are_one_dimensional_signals(digits):
    X, y = digits
    clf = CNNClassifier(**FAST).fit(X[:, :10], y)
    assert "Conv1D" in [type(layer).__name__ for layer in clf.model_.layers]
    assert clf.image_shape_ == (10, 1)


def test_pipeline_with_scaler_learns_digits(digits):
    X, y = digits
    pipe = make_pipeline(MinMaxScaler(), CNNClassifier(image_shape=(8, 8), **FAST))
    assert pipe.fit(X * 16, y).score(X * 16, y) > 0.8


def test_string_labels_binary_probabilities_follow_classes(digits):
    X, y = digits
    labels = np.where(y < 5, "small", "large")
    clf = CNNClassifier(image_shape=(8, 8), **FAST).fit(X, labels)
    assert list(clf.classes_) == ["large", "small"]
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])
    column_of_truth = proba[np.arange(len(X)), (labels == "small").astype(int)]
    assert column_of_truth.mean() > 0.55  # swapped columns would give < 0.5


def test_many_classes_and_transform_features(fitted, digits):
    X, y = digits
    np.testing.assert_array_equal(fitted.classes_, np.arange(10))
    assert fitted.predict_proba(X).shape == (len(X), 10)
    features = fitted.transform(X)
    names = fitted.get_feature_names_out()
    assert features.shape == (len(X), 3 * 3 * 8) == (len(X), len(names))
    assert names[0] == "cnnclassifier0"


def test_svc_on_cnn_features_in_a_pipeline(digits):
    X, y = digits
    pipe = make_pipeline(CNNClassifier(image_shape=(8, 8), **FAST), SVC())
    pipe.fit(X, y)
    assert pipe[-1].n_features_in_ == 72  # the SVC saw CNN features, not pixels
    assert pipe.score(X, y) > 0.8


def test_set_output_pandas_names_the_features(fitted, digits):
    frame = clone(fitted).set_output(transform="pandas")
    frame.fit(*digits)
    features = frame.transform(digits[0][:4])
    assert list(features.columns[:2]) == ["cnnclassifier0", "cnnclassifier1"]


def test_grid_search_over_filters_and_learning_rate(digits):
    X, y = digits
    grid = GridSearchCV(
        CNNClassifier(image_shape=(8, 8), epochs=2, random_state=0),
        {"filters": [(4,), (8,)], "learning_rate": [0.001, 0.01]},
        cv=2,
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.best_params_["learning_rate"] == 0.01  # 2 epochs: faster wins
    conv = grid.best_estimator_.model_.get_layer(index=2)
    assert conv.filters == grid.best_params_["filters"][0]


def test_cross_val_score(digits):
    X, y = digits
    scores = cross_val_score(CNNClassifier(image_shape=(8, 8), **FAST), X, y, cv=3)
    assert scores.shape == (3,) and scores.min() > 0.6


def test_same_seed_same_predictions_other_seed_differs(digits, fitted):
    X, y = digits
    again = CNNClassifier(image_shape=(8, 8), **FAST).fit(X, y)
    np.testing.assert_array_equal(again.predict_proba(X), fitted.predict_proba(X))
    other = CNNClassifier(image_shape=(8, 8), **{**FAST, "random_state": 1})
    assert not np.allclose(other.fit(X, y).predict_proba(X), fitted.predict_proba(X))


def test_seeding_holds_while_another_thread_draws_random_numbers(digits):
    # A Dask worker's event loop, say, uses Python's and NumPy's global
    # generators while a task fits; the seeded network must not notice.
    X, y = digits
    params = {**FAST, "dense_units": (16,), "dropout": 0.2}
    alone = CNNClassifier(image_shape=(8, 8), **params).fit(X, y).predict_proba(X)
    stop = threading.Event()

    def draw():
        while not stop.is_set():
            random.random()
            np.random.random()

    thread = threading.Thread(target=draw)
    thread.start()
    try:
        beside = CNNClassifier(image_shape=(8, 8), **params).fit(X, y)
    finally:
        stop.set()
        thread.join()
    np.testing.assert_array_equal(beside.predict_proba(X), alone)


def _global_state():
    from keras.src.utils import rng_utils
    from tensorflow.python.eager import context
    from tensorflow.python.framework import config

    return (
        config.is_op_determinism_enabled(),
        context.global_seed(),
        os.environ.get("TF_DETERMINISTIC_OPS"),
        rng_utils.get_random_seed(),
        random.getstate(),
        str(np.random.get_state()),
    )


@pytest.mark.parametrize("determinism_before", [False, True])
def test_fit_leaves_no_global_tensorflow_state(digits, determinism_before):
    from tensorflow.python.framework import config

    if determinism_before:
        config.enable_op_determinism()
    try:
        before = _global_state()
        CNNClassifier(epochs=1, random_state=0, validation_split=0.2).fit(*digits)
        assert _global_state() == before
    finally:
        config.disable_op_determinism()


def test_unseeded_fits_differ_after_a_seeded_fit(digits):
    X, y = digits
    CNNClassifier(epochs=1, random_state=0).fit(X, y)
    first = CNNClassifier(epochs=1).fit(X, y).predict_proba(X)
    second = CNNClassifier(epochs=1).fit(X, y).predict_proba(X)
    assert not np.allclose(first, second)


def test_pickle_round_trip_in_a_fresh_process(fitted, digits, tmp_path):
    X, _ = digits
    joblib.dump(fitted, tmp_path / "cnn.joblib")
    np.save(tmp_path / "X.npy", X)
    code = (
        "import sys, joblib, numpy as np\n"
        "clf = joblib.load(sys.argv[1])\n"
        "np.save(sys.argv[3], clf.predict_proba(np.load(sys.argv[2])))\n"
    )
    subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(tmp_path / "cnn.joblib"),
            str(tmp_path / "X.npy"),
            str(tmp_path / "proba.npy"),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": SOURCE_ROOT},
    )
    np.testing.assert_array_equal(
        np.load(tmp_path / "proba.npy"), fitted.predict_proba(X)
    )
    in_process = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(in_process.predict(X), fitted.predict(X))


def test_predict_runs_the_network_without_keras_predict(fitted, digits, monkeypatch):
    def keras_predict(*args, **kwargs):
        raise AssertionError("Model.predict is slow per call and must not be used")

    monkeypatch.setattr(fitted.model_, "predict", keras_predict)
    X = digits[0]
    assert fitted.predict(X[:1]).shape == (1,)
    assert fitted.predict_proba(X).shape == (len(X), 10)


def test_grid_search_like_loops_give_no_retracing_warnings():
    # TensorFlow warns when 5 of a function's last 10 calls traced it, counting
    # every network's train step (and predict function) as one function, and at
    # most twice per process: so this runs in a process of its own. Fits of a
    # batch or two, as in scikit-learn's estimator checks, trace on nearly
    # every call; a search varies the networks' shapes.
    script = """
from sklearn.datasets import load_digits
from skfeat.image import CNNClassifier
from skfeat.text import TextCNNClassifier, Word2VecVectorizer
X, y = load_digits(return_X_y=True)
X, y = X[:400] / 16, y[:400]
for seed in range(6):
    CNNClassifier(filters=(2,), epochs=1, random_state=seed).fit(X, y).predict(X)
for seed in range(6):
    CNNClassifier(
        filters=(2,), epochs=2, validation_split=0.25, random_state=seed
    ).fit(X, y).predict_proba(X)
for seed in range(6):
    CNNClassifier(filters=(2 + seed,), epochs=2, random_state=seed).fit(
        X[:30], y[:30] % 2
    ).predict(X[:5])
for seed in range(6):
    TextCNNClassifier(
        vectorizer=Word2VecVectorizer(min_count=1, vector_size=4, workers=1),
        filters=2,
        epochs=2,
        random_state=seed,
    ).fit(["a good film", "a bad film"] * 5, [0, 1] * 5)
print("fitted", flush=True)
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=SOURCE_ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "fitted" in result.stdout
    assert "retracing" not in result.stderr


def test_training_batches_cover_every_row_once_in_a_new_order_each_epoch():
    from skfeat import _keras

    X = np.arange(10, dtype=np.float32).reshape(10, 1, 1, 1)
    y, weights = np.arange(10), np.linspace(1, 2, 10)
    batches = _keras._batches(
        (X, y, weights), np.arange(10), 4, "float32", shuffle_seed=0
    )
    # no autotuning threads to wait on when two fits share the cores
    assert not batches.options().autotune.enabled
    epochs = []
    for _ in range(2):
        parts = [[t.numpy() for t in batch] for batch in batches]
        assert [len(part[0]) for part in parts] == [4, 4, 2]
        rows, labels, row_weights = (
            np.concatenate(p) for p in zip(*parts, strict=True)
        )
        np.testing.assert_array_equal(rows.ravel(), labels)  # rows stay paired
        np.testing.assert_array_equal(row_weights, weights[labels])
        epochs.append(labels)
    assert sorted(epochs[0]) == list(range(10))
    assert not np.array_equal(epochs[0], epochs[1])


def test_validation_split_stops_early(digits):
    clf = CNNClassifier(
        epochs=30, validation_split=0.25, patience=1, learning_rate=1.0, random_state=0
    ).fit(*digits)
    assert "val_loss" in clf.history_
    assert len(clf.history_["loss"]) < 30


def test_validation_split_leaving_no_training_rows_is_a_clear_error(digits):
    X, y = digits
    with pytest.raises(ValueError, match="not sufficient to split"):
        CNNClassifier(epochs=1, validation_split=0.9).fit(X[:6], y[:6] % 2)


def test_class_weight_shifts_predictions_to_the_heavy_class(digits):
    X, y = digits
    y = (y < 5).astype(int)
    plain = CNNClassifier(**FAST).fit(X, y).predict(X)
    heavy = CNNClassifier(class_weight={0: 100.0, 1: 0.01}, **FAST).fit(X, y)
    assert (heavy.predict(X) == 0).mean() > max((plain == 0).mean(), 0.9)


def test_callbacks_run_and_verbose_zero_prints_nothing(digits, capsys):
    import keras

    epochs_seen = []
    callback = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: epochs_seen.append(epoch)
    )
    clf = CNNClassifier(callbacks=[callback], epochs=2, filters=(4,))
    clf.fit(*digits)
    assert epochs_seen == [0, 1]
    assert capsys.readouterr().out == ""
    assert clf.callbacks == [callback] and callback.model is None  # not mutated


def test_batch_callbacks_see_every_batch_of_the_same_training(digits):
    # Unwatched, Keras runs several batches per call; watched, one batch per
    # call. Both must train the same network.
    import keras

    class CountBatches(keras.callbacks.Callback):
        seen = 0

        def on_train_batch_end(self, batch, logs=None):
            CountBatches.seen += 1

    lambda_seen = []
    by_lambda = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: lambda_seen.append(batch)
    )
    watched = [
        CNNClassifier(callbacks=[callback], batch_size=64, **FAST).fit(*digits)
        for callback in (CountBatches(), by_lambda)
    ]
    n_batches = -(-len(digits[0]) // 64)
    assert CountBatches.seen == FAST["epochs"] * n_batches
    assert lambda_seen == list(range(n_batches)) * FAST["epochs"]
    unwatched = CNNClassifier(batch_size=64, **FAST).fit(*digits)
    for clf in watched:
        np.testing.assert_array_equal(
            clf.predict_proba(digits[0]), unwatched.predict_proba(digits[0])
        )
        assert clf.history_["loss"] == unwatched.history_["loss"]


def test_steps_per_keras_call_are_one_only_when_batches_are_watched():
    import keras

    from skfeat._keras import _steps_per_execution

    def steps(verbose=0, callbacks=(), n_rows=1024):
        return _steps_per_execution(n_rows, 32, verbose, callbacks)

    assert steps() == steps(verbose=2) == 4  # 32 batches in 8 calls
    assert steps(callbacks=[keras.callbacks.EarlyStopping()]) == 4
    assert steps(n_rows=100) == 1  # 4 batches: still a call each
    assert steps(verbose=1) == 1  # the progress bar moves batch by batch
    assert steps(callbacks=[keras.callbacks.TerminateOnNaN()]) == 1
    assert steps(callbacks=[keras.callbacks.LambdaCallback(on_batch_end=print)]) == 1


def test_train_step_is_traced_once_per_fit(digits, monkeypatch):
    # Each trace costs a fifth of a small fit; a second one came from Keras
    # creating the optimizer's variables inside the first call.
    import keras

    traces = []
    train_step = keras.Model.train_step

    def counted(self, data):
        traces.append(1)  # Python runs only while TensorFlow traces
        return train_step(self, data)

    monkeypatch.setattr(keras.Model, "train_step", counted)
    CNNClassifier(**FAST).fit(*digits)
    assert len(traces) == 1


@pytest.mark.slow  # starts two worker processes that each import TensorFlow
def test_tensorflow_threads_follow_joblib_in_workers_only():
    def thread_counts():
        import tensorflow as tf

        import skfeat._keras  # noqa: F401

        return tf.config.threading.get_intra_op_parallelism_threads()

    in_workers = joblib.Parallel(n_jobs=2)(
        joblib.delayed(thread_counts)() for _ in range(2)
    )
    assert in_workers == [max(joblib.cpu_count() // 2, 1)] * 2
    assert thread_counts() == 0  # the user's own process keeps TF's default


@pytest.mark.parametrize(
    "X, message",
    [
        (np.zeros((4, 63)), r"image_shape=\(8, 8\) needs 64 features per row"),
        (np.full((4, 64), np.nan), "NaN"),
        (np.full((4, 64), "a"), "numeric pixel values"),
        (np.zeros((4, 2, 2, 2, 2)), "expected images"),
    ],
)
def test_bad_input_gets_a_clear_error(X, message):
    with pytest.raises(ValueError, match=message):
        CNNClassifier(image_shape=(8, 8), epochs=1).fit(X, [0, 1, 0, 1])


def test_sparse_input_is_rejected_with_advice():
    with pytest.raises(TypeError, match="dense"):
        CNNClassifier(epochs=1).fit(sparse.csr_matrix(np.eye(4)), [0, 1, 0, 1])


def test_shape_mismatch_at_predict_names_the_expected_shape(fitted, digits):
    images = CNNClassifier(**FAST).fit(digits[0].reshape(-1, 8, 8), digits[1])
    with pytest.raises(ValueError, match=r"fitted on samples of shape \(8, 8\)"):
        images.predict(np.zeros((2, 8, 7)))
    with pytest.raises(ValueError, match="expecting 64 features"):
        fitted.predict(np.zeros((2, 63)))


# --- accuracy on the real digits: 5-fold stratified CV, shuffled with seed 0 ---

DIGITS_CV = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
# Found with GridSearchCV (benchmarks/tune_image.py); the docstring recommends it.
RECOMMENDED_FOR_DIGITS = {
    "filters": (64,),
    "padding": "same",
    "dense_units": (512,),
    "dropout": 0.5,
    "learning_rate": 0.002,
    "epochs": 40,
    "random_state": 0,
}


@pytest.mark.slow
def test_default_network_scores_095_on_digits():
    X, y = load_digits(return_X_y=True)
    clf = CNNClassifier(image_shape=(8, 8), random_state=0)
    scores = cross_val_score(clf, X / 16, y, cv=DIGITS_CV, n_jobs=2)
    # Seeds 0, 1, 2: 0.9699, 0.9616, 0.9655 (benchmarks/results/digits_seeds.md);
    # the threshold sits 1.2 points under the lowest, where the classic network
    # without input scaling scored (0.946).
    assert scores.mean() >= 0.95


@pytest.mark.slow
def test_recommended_configuration_scores_0985_on_digits():
    X, y = load_digits(return_X_y=True)
    clf = CNNClassifier(image_shape=(8, 8), **RECOMMENDED_FOR_DIGITS)
    scores = cross_val_score(clf, X / 16, y, cv=DIGITS_CV, n_jobs=2)
    # Seeds 0, 1, 2: 0.9894, 0.9911, 0.9878 (benchmarks/results/digits_seeds.md);
    # seed 0 scored 0.98943 on CI's machine too. The old threshold, 0.99, sat
    # inside that spread. 0.985 is 0.28 points (5 of 1,797 images) under the
    # lowest seed.
    assert scores.mean() >= 0.985


@pytest.mark.slow
def test_raw_uint8_photos_and_scaled_ones_train_the_same_network(cifar10_sample):
    images, labels = cifar10_sample
    train, test = slice(0, 1500), slice(1500, 2500)
    raw = CNNClassifier(epochs=3, random_state=0).fit(images[train], labels[train])
    scaled = CNNClassifier(epochs=3, random_state=0)
    scaled.fit(images[train] / 255, labels[train])
    # the Normalization layer learned the same statistics, divided by 255
    np.testing.assert_allclose(scaled.channel_mean_ * 255, raw.channel_mean_, 1e-5)
    agree = raw.predict(images[test]) == scaled.predict(images[test] / 255)
    assert agree.mean() >= 0.97
    assert (
        abs(
            raw.score(images[test], labels[test])
            - scaled.score(images[test] / 255, labels[test])
        )
        <= 0.01
    )
    unscaled = CNNClassifier(epochs=3, input_scaling=None, random_state=0)
    unscaled.fit(images[train], labels[train])
    # what the input scaling is for: raw pixels without it learn far less
    assert raw.score(images[test], labels[test]) > unscaled.score(
        images[test], labels[test]
    )
