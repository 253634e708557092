"""Training as scikit-learn users expect of it: sample weights (routed through
pipelines and searches), training further (``warm_start``, ``partial_fit``),
and searches that spend epochs as their resource."""

import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.metrics import accuracy_score
from sklearn.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    StratifiedKFold,
    cross_validate,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skfeat.image import CNNClassifier, CNNRegressor
from skfeat.text import TextCNNClassifier, TextCNNRegressor, Word2VecVectorizer

TINY = {"filters": (4,), "epochs": 2, "learning_rate": 0.01, "random_state": 0}

GOOD = ["a good film", "a great story", "wonderful acting", "good and great fun"]
BAD = ["a bad film", "an awful story", "terrible acting", "bad and awful mess"]
DOCUMENTS = (GOOD + BAD) * 4
LABELS = np.array((["pos"] * 4 + ["neg"] * 4) * 4)


@pytest.fixture(scope="module")
def digits():
    """300 of the 8×8 digits as images, pixels scaled to [0, 1]."""
    X, y = load_digits(return_X_y=True)
    return X[:300].reshape(-1, 8, 8) / 16, y[:300]


@pytest.fixture(scope="module")
def unweighted(digits):
    return cnn().fit(*digits)


def cnn(**params):
    return CNNClassifier(**{**TINY, **params})


def text_cnn(estimator=TextCNNClassifier, **params):
    vectorizer = Word2VecVectorizer(vector_size=6, min_count=1, workers=1, epochs=2)
    defaults = {**TINY, "vectorizer": vectorizer, "filters": 3, "widths": (2,)}
    return estimator(**{**defaults, **params})


def probabilities(estimator, X):
    return estimator.predict_proba(X)


# --- sample weights -----------------------------------------------------------------


def test_zero_weights_train_the_network_the_other_rows_train_alone(digits):
    X, y = digits
    weights = np.ones(len(y))
    weights[::3] = 0
    weighted = cnn().fit(X, y, sample_weight=weights)
    kept = weights > 0
    alone = cnn().fit(X[kept], y[kept])
    np.testing.assert_array_equal(probabilities(weighted, X), probabilities(alone, X))


def test_unit_weights_train_the_unweighted_network(digits, unweighted):
    X, y = digits
    weighted = cnn().fit(X, y, sample_weight=np.ones(len(y)))
    np.testing.assert_array_equal(
        probabilities(weighted, X), probabilities(unweighted, X)
    )


def test_class_weight_multiplies_sample_weight(digits, unweighted):
    X, y = digits
    rng = np.random.default_rng(0)
    weights = rng.uniform(0.5, 2, len(y))
    class_weight = {label: 1 + label / 3 for label in range(10)}
    both = cnn(class_weight=class_weight).fit(X, y, sample_weight=weights)
    product = np.array([class_weight[label] for label in y]) * weights
    by_hand = cnn().fit(X, y, sample_weight=product)
    # the same up to the float32 rounding of the products
    np.testing.assert_allclose(
        probabilities(both, X), probabilities(by_hand, X), rtol=1e-4
    )
    assert not np.allclose(probabilities(both, X), probabilities(unweighted, X))


def test_weights_are_not_changed(digits):
    X, y = digits
    weights = np.linspace(0.5, 1.5, len(y))
    copy = weights.copy()
    cnn(class_weight="balanced", epochs=1).fit(X, y, sample_weight=weights)
    np.testing.assert_array_equal(weights, copy)


def test_validation_rows_keep_their_weights(digits):
    X, y = digits
    weights = np.random.default_rng(0).uniform(0.5, 1.5, len(y))
    once = cnn(validation_split=0.3, epochs=1).fit(X, y, sample_weight=weights)
    twice = cnn(validation_split=0.3, epochs=1).fit(X, y, sample_weight=2 * weights)
    # Keras sums weight × loss over a batch: doubled weights double both losses
    # (Adam's steps hardly change with the gradient's scale)
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(
            twice.history_[key], 2 * np.array(once.history_[key]), rtol=1e-3
        )


def test_text_cnn_takes_sample_weights():
    weights = np.ones(len(LABELS))
    plain = text_cnn().fit(DOCUMENTS, LABELS)
    unit = text_cnn().fit(DOCUMENTS, LABELS, sample_weight=weights)
    np.testing.assert_array_equal(
        probabilities(plain, DOCUMENTS), probabilities(unit, DOCUMENTS)
    )
    weights[LABELS == "neg"] = 0.1
    lighter = text_cnn().fit(DOCUMENTS, LABELS, sample_weight=weights)
    assert not np.allclose(
        probabilities(plain, DOCUMENTS), probabilities(lighter, DOCUMENTS)
    )


def test_metadata_routing_brings_weights_to_fit_and_score(digits):
    X, y = digits
    X, y = X[:160], y[:160]
    weights = np.random.default_rng(0).uniform(0, 2, len(y))
    folds = list(StratifiedKFold(2, shuffle=True, random_state=0).split(X, y))
    by_hand = []
    for train, test in folds:
        clf = cnn(epochs=1).fit(X[train], y[train], sample_weight=weights[train])
        by_hand.append(
            accuracy_score(y[test], clf.predict(X[test]), sample_weight=weights[test])
        )
    with sklearn.config_context(enable_metadata_routing=True):
        pipeline = make_pipeline(
            FunctionTransformer(),
            cnn(epochs=1)
            .set_fit_request(sample_weight=True)
            .set_score_request(sample_weight=True),
        )
        routed = cross_validate(
            pipeline, X, y, cv=folds, params={"sample_weight": weights}
        )
        search = GridSearchCV(
            pipeline, {"cnnclassifier__epochs": [1]}, cv=folds, refit=False
        )
        search.fit(X, y, sample_weight=weights)
    np.testing.assert_array_equal(routed["test_score"], by_hand)
    np.testing.assert_array_equal(
        [search.cv_results_[f"split{i}_test_score"][0] for i in range(2)], by_hand
    )


# --- warm_start -----------------------------------------------------------------------


def test_warm_start_continues_where_the_last_fit_stopped(digits):
    X, y = digits
    clf = cnn(warm_start=True).fit(X, y)
    clf.fit(X, y)
    assert len(clf.history_["loss"]) == 4
    straight = cnn(epochs=4).fit(X, y)
    # same weights, same optimizer state, and the epochs' shuffles go on
    np.testing.assert_array_equal(probabilities(clf, X), probabilities(straight, X))


def test_warm_start_refuses_another_architecture(digits):
    X, y = digits
    clf = cnn(warm_start=True).fit(X, y)
    clf.set_params(filters=(8,), dropout=0.5)
    with pytest.raises(ValueError, match=r"dropout.*filters.*warm_start=False"):
        clf.fit(X, y)
    clf.set_params(filters=(4,), dropout=0.0, learning_rate=0.001, epochs=1)
    clf.fit(X, y)  # training parameters may change between fits
    assert len(clf.history_["loss"]) == 3


# --- partial_fit ----------------------------------------------------------------------


def test_first_partial_fit_trains_what_one_epoch_of_fit_trains(digits):
    X, y = digits
    streamed = cnn().partial_fit(X, y, classes=np.arange(10))
    assert len(streamed.history_["loss"]) == 1
    once = cnn(epochs=1).fit(X, y)
    np.testing.assert_array_equal(probabilities(streamed, X), probabilities(once, X))


def test_seeded_partial_fit_sequences_repeat_bit_identically(digits):
    X, y = digits
    chunks = np.array_split(np.arange(len(y)), 3)

    def stream():
        clf = cnn()
        for _ in range(2):
            for rows in chunks:
                clf.partial_fit(X[rows], y[rows], classes=np.arange(10))
        return clf

    first, second = stream(), stream()
    assert len(first.history_["loss"]) == 6
    np.testing.assert_array_equal(probabilities(first, X), probabilities(second, X))


def test_partial_fit_keeps_classes_and_statistics_of_the_first_call(digits):
    X, y = digits
    clf = cnn().partial_fit(X[:50], y[:50], classes=np.arange(10))
    mean = clf.channel_mean_.copy()
    clf.partial_fit(X[50:] * 2, y[50:])  # other statistics, none learned
    np.testing.assert_array_equal(clf.channel_mean_, mean)
    np.testing.assert_array_equal(clf.classes_, np.arange(10))
    # a chunk that lacks classes still trains a ten-class network
    clf.partial_fit(X[y < 3], y[y < 3])
    assert clf.predict_proba(X[:2]).shape == (2, 10)


def test_text_cnn_partial_fit_learns_the_vocabulary_from_the_first_chunk():
    clf = text_cnn().partial_fit(DOCUMENTS[:8], LABELS[:8], classes=["neg", "pos"])
    vocabulary = dict(clf.vocabulary_)
    clf.partial_fit(["entirely new words"] * 2, ["pos", "neg"])
    assert clf.vocabulary_ == vocabulary
    assert len(clf.history_["loss"]) == 2


def test_regressors_train_further_and_take_weights(digits):
    X, y = digits
    target = y + X.mean(axis=(1, 2))  # a number per image
    clf = CNNRegressor(**TINY, warm_start=True).fit(X, target)
    clf.fit(X, target, sample_weight=np.ones(len(y)))
    straight = CNNRegressor(**{**TINY, "epochs": 4}).fit(X, target)
    np.testing.assert_array_equal(clf.predict(X), straight.predict(X))
    mean = clf.target_mean_.copy()
    clf.partial_fit(X[:100], target[:100] + 50)  # scaling stays the first fit's
    np.testing.assert_array_equal(clf.target_mean_, mean)
    assert len(clf.history_["loss"]) == 5
    text = text_cnn(TextCNNRegressor).partial_fit(DOCUMENTS, np.arange(32.0))
    text.partial_fit(DOCUMENTS, np.arange(32.0), sample_weight=np.ones(32))
    assert len(text.history_["loss"]) == 2


# --- searches that spend epochs ---------------------------------------------------


@pytest.mark.parametrize(
    "estimator, data",
    [
        (cnn(), "digits"),
        (text_cnn(), "text"),
        (CNNRegressor(**TINY), "digits"),
        (text_cnn(TextCNNRegressor), "text"),
    ],
    ids=["CNNClassifier", "TextCNNClassifier", "CNNRegressor", "TextCNNRegressor"],
)
def test_halving_search_spends_epochs(estimator, data, digits):
    X, y = digits if data == "digits" else (DOCUMENTS, LABELS)
    if data == "digits":
        X, y = X[:150], y[:150]
    if "Regressor" in type(estimator).__name__:
        y = np.arange(len(y), dtype=float) % 7
    search = HalvingGridSearchCV(
        clone(estimator),
        {"learning_rate": [0.003, 0.03]},
        resource="epochs",
        min_resources=1,
        max_resources=2,
        factor=2,
        cv=2,
    ).fit(X, y)
    assert list(search.n_resources_) == [1, 2]
    epochs = search.best_estimator_.epochs
    assert isinstance(epochs, int | np.integer) and epochs == 2
    assert len(search.best_estimator_.history_["loss"]) == 2
