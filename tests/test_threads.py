"""Fits that share a process: seeded fits in threads give the networks they
give alone, whatever other fits or global seeds do meanwhile."""

import threading

import numpy as np
import pytest
from sklearn.datasets import load_digits

from skfeat.image import CNNClassifier
from skfeat.text import TextCNNClassifier, Word2VecVectorizer

# Every random layer and op kind the networks use: initialisers, dropout,
# augmentation (flip, shift, zoom, rotation), batch normalisation, pooling.
EVERY_RANDOM_PART = {
    "filters": (6, 8),
    "convs_per_block": 2,
    "padding": "same",
    "batch_normalization": True,
    "pooling": "avg",
    "dense_units": (16,),
    "dropout": 0.3,
    "augmentation": {"shift": 0.1, "zoom": 0.1, "rotation": 0.05, "flip": "vertical"},
    "epochs": 3,
    "batch_size": 64,
    "validation_split": 0.2,
}


@pytest.fixture(scope="module")
def digit_images():
    X, y = load_digits(return_X_y=True)
    return X[:500].reshape(-1, 8, 8, 1), y[:500]


def fit_in_threads(fits):
    """Run the zero-argument callables ``fits`` at once, one thread each."""
    start = threading.Barrier(len(fits))
    results = [None] * len(fits)
    errors = []

    def run(i):
        start.wait()
        try:
            results[i] = fits[i]()
        except Exception as error:  # re-raised in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(fits))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def cnn_outputs(X, y, seed):
    clf = CNNClassifier(**EVERY_RANDOM_PART, random_state=seed).fit(X, y)
    return clf.predict_proba(X), clf.history_["loss"], clf.history_["val_loss"]


def assert_same_outputs(first, second):
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


def test_two_seeded_fits_in_two_threads_give_the_networks_they_give_alone(
    digit_images,
):
    X, y = digit_images
    alone = [cnn_outputs(X, y, seed) for seed in (0, 1)]
    beside = fit_in_threads(
        [lambda seed=seed: cnn_outputs(X, y, seed) for seed in (0, 1)]
    )
    for expected, got in zip(alone, beside, strict=True):
        assert_same_outputs(got, expected)
    assert not np.array_equal(alone[0][0], alone[1][0])  # the seed matters


def test_the_same_seed_in_two_threads_gives_one_network(digit_images):
    X, y = digit_images
    first, second = fit_in_threads([lambda: cnn_outputs(X, y, 3)] * 2)
    assert_same_outputs(first, second)


def test_global_seeds_do_not_change_a_seeded_fit(digit_images):
    import keras

    X, y = digit_images
    expected = cnn_outputs(X, y, 0)
    keras.utils.set_random_seed(1234)  # Python's, NumPy's and TensorFlow's
    assert_same_outputs(cnn_outputs(X, y, 0), expected)


def test_seeded_fits_repeat_with_op_determinism_switched_on(digit_images):
    # TensorFlow then picks other kernels for some ops: the network differs
    # from one trained with the switch off in its last bits, but still repeats.
    from tensorflow.python.framework import config

    X, y = digit_images
    config.enable_op_determinism()
    try:
        assert_same_outputs(cnn_outputs(X, y, 0), cnn_outputs(X, y, 0))
    finally:
        config.disable_op_determinism()


def test_word2vec_fits_in_two_threads_give_the_vectors_they_give_alone():
    from gensim.test.utils import datapath

    with open(datapath("lee_background.cor"), encoding="utf-8") as file:
        documents = file.read().splitlines()

    def vectors(seed):
        vectorizer = Word2VecVectorizer(
            min_count=2, epochs=2, workers=1, random_state=seed
        )
        return vectorizer.fit_transform(documents)

    alone = [vectors(seed) for seed in (0, 1)]
    beside = fit_in_threads([lambda seed=seed: vectors(seed) for seed in (0, 1)])
    for expected, got in zip(alone, beside, strict=True):
        np.testing.assert_array_equal(got, expected)


def test_text_cnn_fits_in_two_threads_give_the_networks_they_give_alone(
    sentence_polarity,
):
    documents, labels = sentence_polarity
    documents, labels = documents[::20], labels[::20]

    def outputs(seed):
        clf = TextCNNClassifier(
            vectorizer=Word2VecVectorizer(vector_size=20, epochs=2, workers=1),
            filters=10,
            epochs=2,
            validation_split=0.2,
            random_state=seed,
        ).fit(documents, labels)
        return clf.predict_proba(documents), clf.history_["loss"]

    alone = [outputs(seed) for seed in (0, 1)]
    beside = fit_in_threads([lambda seed=seed: outputs(seed) for seed in (0, 1)])
    for expected, got in zip(alone, beside, strict=True):
        assert_same_outputs(got, expected)


def test_grid_search_in_threads_matches_one_thread(digit_images):
    import joblib
    from sklearn.model_selection import GridSearchCV

    X, y = digit_images

    def scores(n_jobs):
        search = GridSearchCV(
            CNNClassifier(epochs=2, dropout=0.2, dense_units=(8,), random_state=0),
            {"filters": [(4,), (8,)], "learning_rate": [0.003, 0.01]},
            cv=2,
            n_jobs=n_jobs,
        )
        return search.fit(X, y).cv_results_["mean_test_score"]

    serial = scores(1)
    with joblib.parallel_backend("threading"):
        threaded = scores(2)
    np.testing.assert_array_equal(threaded, serial)
