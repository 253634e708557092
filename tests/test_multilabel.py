"""Multilabel targets: a 0/1 indicator y gives one sigmoid output per label,
as scikit-learn's MLPClassifier takes it."""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.neural_network import MLPClassifier

from skfeat.image import CNNClassifier
from skfeat.text import TextCNNClassifier, Word2VecVectorizer


@pytest.fixture(scope="module")
def tagged_digits():
    """Digits with three tags each: at least 5, even, a loop (0, 6, 8, 9)."""
    X, y = load_digits(return_X_y=True)
    X, y = X[:400].reshape(-1, 8, 8) / 16, y[:400]
    tags = np.column_stack([y >= 5, y % 2 == 0, np.isin(y, [0, 6, 8, 9])])
    return X, tags.astype(np.int64)


@pytest.fixture(scope="module")
def fitted(tagged_digits):
    X, tags = tagged_digits
    return CNNClassifier(
        filters=(8,), epochs=6, learning_rate=0.01, random_state=0
    ).fit(X[:300], tags[:300])


def test_one_sigmoid_output_per_label(fitted):
    last = fitted.model_.layers[-1]
    assert last.units == 3 and last.activation.__name__ == "sigmoid"
    assert "binary_crossentropy" in str(fitted.model_.loss)


def test_predict_gives_the_indicator_matrix_and_learns_each_tag(fitted, tagged_digits):
    X, tags = tagged_digits
    predicted = fitted.predict(X[300:])
    assert predicted.shape == (100, 3) and predicted.dtype == tags.dtype
    assert set(np.unique(predicted)) <= {0, 1}
    per_tag = (predicted == tags[300:]).mean(axis=0)
    assert (per_tag > 0.8).all(), per_tag
    assert 0 < fitted.score(X[300:], tags[300:]) <= 1  # subset accuracy


def test_probabilities_are_per_label_and_match_predict(fitted, tagged_digits):
    X, _ = tagged_digits
    proba = fitted.predict_proba(X[300:])
    assert proba.shape == (100, 3)
    assert ((proba > 0) & (proba < 1)).all()
    assert not np.allclose(proba.sum(axis=1), 1)  # labels are independent
    np.testing.assert_array_equal(fitted.predict(X[300:]), proba > 0.5)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_classes_are_the_label_positions_as_mlp_sets_them(fitted, tagged_digits):
    X, tags = tagged_digits
    mlp = MLPClassifier(max_iter=5).fit(X[:50].reshape(50, -1), tags[:50])
    np.testing.assert_array_equal(fitted.classes_, mlp.classes_)
    assert fitted.transform(X[:2]).shape == (2, fitted._n_features_out)


def test_multilabel_partial_fit_and_weights(tagged_digits):
    X, tags = tagged_digits
    clf = CNNClassifier(filters=(4,), epochs=1, random_state=0)
    clf.partial_fit(X[:150], tags[:150], classes=np.arange(3))
    clf.partial_fit(X[150:300], tags[150:300], sample_weight=np.ones(150))
    assert clf.predict(X[:5]).shape == (5, 3)


def test_text_cnn_takes_tags():
    documents = ["a good film", "a bad film", "good fun", "bad mess"] * 5
    tags = np.array([[1, 0], [0, 1], [1, 1], [0, 0]] * 5)
    clf = TextCNNClassifier(
        vectorizer=Word2VecVectorizer(vector_size=6, min_count=1, workers=1),
        filters=3,
        widths=(2,),
        epochs=2,
        random_state=0,
    ).fit(documents, tags)
    assert clf.predict(documents[:4]).shape == (4, 2)
    assert clf.predict_proba(documents[:4]).shape == (4, 2)
    np.testing.assert_array_equal(clf.classes_, [0, 1])
