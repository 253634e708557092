"""NgramCNNClassifier: n-gram models and a text CNN, stacked."""

import pickle

import numpy as np
import pytest
from scipy.special import log_expit, log_softmax, logsumexp
from sklearn.base import clone, is_classifier
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skfeat.text import NgramCNNClassifier, TextCNNClassifier, Word2VecVectorizer
from skfeat.text._ngram_cnn import _NgramLogisticRegression, _stacking_weights

GOOD = ["a good film", "a great story", "wonderful acting", "good and great fun"]
BAD = ["a bad film", "an awful story", "terrible acting", "bad and awful mess"]
DOCUMENTS = (GOOD + BAD) * 6
LABELS = (["pos"] * 4 + ["neg"] * 4) * 6


def small_stack(**params):
    cnn = TextCNNClassifier(
        vectorizer=Word2VecVectorizer(vector_size=6, min_count=1, workers=1, epochs=5),
        filters=4,
        epochs=3,
        learning_rate=0.01,
        min_count=1,
    )
    return NgramCNNClassifier(**{"cnn": cnn, "random_state": 0, **params})


@pytest.fixture(scope="module")
def fitted():
    return small_stack().fit(DOCUMENTS, LABELS)


def test_is_a_classifier_of_the_labels_it_was_given(fitted):
    assert is_classifier(fitted)
    assert list(fitted.classes_) == ["neg", "pos"]
    assert (fitted.predict(DOCUMENTS) == np.array(LABELS)).mean() == 1
    proba = fitted.predict_proba(["a good film", "an awful story", ""])
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    assert proba[0, 1] > 0.5 > proba[1, 1]


def test_prediction_is_the_weighted_sum_of_the_members_log_probabilities(fitted):
    docs = ["a good film", "terrible acting", "a story"]
    features = fitted.transform(docs)
    assert features.shape == (3, 6) and features.dtype == np.float32
    members = features.astype(np.float64).reshape(3, 3, 2)  # doc, member, class
    expected = log_softmax(np.einsum("m,dmc->dc", fitted.weights_, members), axis=1)
    np.testing.assert_allclose(fitted.predict_log_proba(docs), expected, atol=1e-5)
    assert list(fitted.get_feature_names_out()) == [
        "tfidf_neg",
        "tfidf_pos",
        "nb_neg",
        "nb_pos",
        "cnn_neg",
        "cnn_pos",
    ]


def test_the_cnn_never_trains_on_the_documents_the_weights_are_fitted_on(fitted):
    # 15% of 48 documents held out: the CNN saw 40
    held_out = fitted._held_out(np.searchsorted(fitted.classes_, LABELS), 0)
    assert len(held_out) == 8
    assert fitted.cnn_.history_ and len(fitted.cnn_.vocabulary_) > 0
    assert np.all(fitted.weights_ >= 0) and fitted.weights_.shape == (3,)


def test_stacking_weights_leave_out_a_member_that_only_adds_noise():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    informative = np.log(np.where(np.eye(2)[y] == 1, 0.8, 0.2))
    noise = log_softmax(rng.normal(size=(400, 2)) * 3, axis=1)
    weights = _stacking_weights([informative, noise], y)
    assert weights[0] > 0.5 and weights[1] < 0.05


def test_seeded_fits_repeat_and_pickles_predict_the_same(fitted):
    again = small_stack().fit(DOCUMENTS, LABELS)
    np.testing.assert_array_equal(again.weights_, fitted.weights_)
    np.testing.assert_array_equal(
        again.predict_proba(DOCUMENTS), fitted.predict_proba(DOCUMENTS)
    )
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(
        restored.predict_proba(DOCUMENTS), fitted.predict_proba(DOCUMENTS)
    )


def test_the_cnn_parameter_is_cloned_seeded_and_left_unchanged():
    stack = small_stack(random_state=3)
    stack.fit(DOCUMENTS, LABELS)
    assert stack.cnn.random_state is None and not hasattr(stack.cnn, "model_")
    assert stack.cnn_.random_state == 3
    assert clone(stack).get_params()["cnn__filters"] == 4


def test_a_class_too_small_to_hold_out_gives_equal_weights():
    docs, labels = DOCUMENTS[:8] + ["an odd one"], LABELS[:8] + ["odd"]
    stack = small_stack().fit(docs, labels)
    np.testing.assert_array_equal(stack.weights_, [1, 1, 1])
    assert list(stack.classes_) == ["neg", "odd", "pos"]
    assert stack.predict_proba(docs).shape == (9, 3)


def test_tokens_and_strings_give_the_same_predictions(fitted):
    tokens = [doc.split() for doc in DOCUMENTS[:8]]
    np.testing.assert_allclose(
        fitted.predict_proba(tokens), fitted.predict_proba(DOCUMENTS[:8]), atol=1e-6
    )


@pytest.mark.slow
def test_grid_search_tunes_the_cnn_through_its_parameter():
    search = GridSearchCV(small_stack(), {"cnn__filters": [2, 4]}, cv=2)
    search.fit(DOCUMENTS, LABELS)
    assert search.best_params_["cnn__filters"] in (2, 4)
    assert search.best_estimator_.cnn_.filters == search.best_params_["cnn__filters"]


@pytest.mark.parametrize(
    "params, y, message",
    [
        ({"ngram_range": (2, 1)}, LABELS, "ngram_range must be"),
        ({}, [[1, 0]] * len(LABELS), "one class label per document"),
        ({}, ["pos"] * len(LABELS), "only one class"),
        ({}, LABELS[:-1], "holds 48 documents but y holds 47"),
    ],
)
def test_bad_input_says_what_was_wrong(params, y, message):
    with pytest.raises(ValueError, match=message):
        small_stack(**params).fit(DOCUMENTS, y)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_ngram_models_predict_what_scikit_learns_models_predict(n_classes):
    tokens = [doc.split() for doc in DOCUMENTS]
    y = np.arange(len(tokens)) % n_classes
    same = {"tokenizer": list, "preprocessor": list, "lowercase": False}
    same = {**same, "token_pattern": None, "ngram_range": (1, 2)}
    tfidf = make_pipeline(
        TfidfVectorizer(sublinear_tf=True, **same), LogisticRegression(C=4.0)
    ).fit(tokens, y)
    ours = _NgramLogisticRegression(weighting="tfidf", C=4.0).fit(tokens, y)
    np.testing.assert_allclose(
        ours.predict_log_proba(tokens), tfidf.predict_log_proba(tokens), atol=1e-10
    )
    # NB weighting: binary n-grams times each class's log-count ratio, one
    # logistic regression per class against the rest
    counts = CountVectorizer(binary=True, **same).fit_transform(tokens)
    nb = _NgramLogisticRegression(weighting="nb", C=0.3).fit(tokens, y)
    positives = [1] if n_classes == 2 else range(n_classes)
    scores = []
    for label in positives:
        has = np.asarray(counts[y == label].sum(axis=0)).ravel() + 1
        lacks = np.asarray(counts[y != label].sum(axis=0)).ravel() + 1
        ratio = np.log(has / has.sum()) - np.log(lacks / lacks.sum())
        scaled = counts.multiply(ratio).tocsr()
        model = LogisticRegression(C=0.3).fit(scaled, y == label)
        scores.append(model.decision_function(scaled))
    scores = np.column_stack(scores)
    if n_classes == 2:
        expected = np.column_stack([log_expit(-scores[:, 0]), log_expit(scores[:, 0])])
    else:
        expected = log_expit(scores) - logsumexp(log_expit(scores), axis=1)[:, None]
    np.testing.assert_allclose(nb.predict_log_proba(tokens), expected, atol=1e-10)
