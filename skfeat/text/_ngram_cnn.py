"""Bags of word n-grams and Kim's text CNN, stacked: :class:`NgramCNNClassifier`."""

from numbers import Integral, Real

import numpy as np
from scipy.optimize import minimize
from scipy.special import log_expit, log_softmax, logsumexp
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    TransformerMixin,
    _fit_context,
    clone,
)
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, StratifiedShuffleSplit
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.extmath import safe_sparse_dot
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, column_or_1d

from skfeat._network import fit_seed
from skfeat._persistence import VersionedPickleMixin
from skfeat.text._cnn import TextCNNClassifier
from skfeat.text._word2vec import Word2VecVectorizer

# the smallest probability a model is taken to give: keeps log(0) out of the stack
_TINY = 1e-7


def _same(tokens):
    return tokens


class _NgramLogisticRegression(ClassifierMixin, BaseEstimator):
    """Logistic regression on the word n-grams of token lists.

    ``weighting="tfidf"``: sublinear TF-IDF rows, one multinomial model.
    ``weighting="nb"``: binary n-grams scaled by their naive-Bayes log-count
    ratios (NBSVM's features, Wang & Manning 2012), one model per class against
    the others.

    Prediction takes the fitted models' ``coef_`` and ``intercept_`` straight
    to a sparse product (the NB ratios folded into the coefficients): the same
    numbers as their ``predict_log_proba``, without its per-call checks, which
    cost more than the product on one sentence.
    """

    def __init__(self, *, weighting="tfidf", ngram_range=(1, 2), C=4.0):
        self.weighting = weighting
        self.ngram_range = ngram_range
        self.C = C

    def fit(self, token_lists, y):
        self.vectorizer_ = CountVectorizer(
            preprocessor=_same,
            tokenizer=_same,
            lowercase=False,
            token_pattern=None,
            ngram_range=tuple(self.ngram_range),
            binary=self.weighting == "nb",
            dtype=np.float64,
        )
        counts = self.vectorizer_.fit_transform(token_lists)
        self.classes_ = np.unique(y)
        if self.weighting == "tfidf":
            self.tfidf_ = TfidfTransformer(sublinear_tf=True).fit(counts)
            model = LogisticRegression(C=self.C, max_iter=1000)
            model.fit(self.tfidf_.transform(counts), y)
            self.coef_, self.intercept_ = model.coef_.T, model.intercept_
            return self
        positives = self.classes_[1:] if len(self.classes_) == 2 else self.classes_
        columns, intercepts = [], []
        for label in positives:
            has = np.asarray(counts[y == label].sum(axis=0)).ravel() + 1
            lacks = np.asarray(counts[y != label].sum(axis=0)).ravel() + 1
            ratio = np.log(has / has.sum()) - np.log(lacks / lacks.sum())
            model = LogisticRegression(C=self.C, max_iter=1000)
            model.fit(counts.multiply(ratio).tocsr(), y == label)
            columns.append(ratio * model.coef_[0])
            intercepts.append(model.intercept_[0])
        self.coef_, self.intercept_ = np.column_stack(columns), np.array(intercepts)
        return self

    def predict_log_proba(self, token_lists):
        rows = self.vectorizer_.transform(token_lists)
        if self.weighting == "tfidf":
            rows = self.tfidf_.transform(rows)
        scores = safe_sparse_dot(rows, self.coef_) + self.intercept_
        if len(self.classes_) == 2:  # one score: the second class's log-odds
            return np.column_stack([log_expit(-scores[:, 0]), log_expit(scores[:, 0])])
        if self.weighting == "tfidf":  # multinomial
            return log_softmax(scores, axis=1)
        log_proba = log_expit(scores)  # one against the rest, normalized
        return log_proba - logsumexp(log_proba, axis=1, keepdims=True)


# each n-gram model and its inverse regularization: TF-IDF's as the usual
# baseline (C=4); NB weighting's 0.3, the best of 0.1-1 on MR's folds
_NGRAM_MODELS = (("tfidf", 4.0), ("nb", 0.3))


def _stacking_weights(log_probas, y_index):
    """Non-negative weights ``w`` that make ``softmax(sum(w_i * log_proba_i))``
    fit the labels best (least log-loss): a stacker of the models' held-out
    predictions, which also calibrates each one (a weight is a temperature)."""

    def log_loss(weights):
        mixed = sum(
            w * log_proba for w, log_proba in zip(weights, log_probas, strict=True)
        )
        scaled = log_softmax(mixed, axis=1)
        return -scaled[np.arange(len(y_index)), y_index].mean()

    # from 0 (a model left out) to 100 (nearly certain)
    found = minimize(
        log_loss,
        np.ones(len(log_probas)),
        method="L-BFGS-B",
        bounds=[(0.0, 100.0)] * len(log_probas),
    )
    return found.x


def _cross_fitted_log_proba(model, token_lists, y, n_splits, seed):
    """Out-of-fold log-probabilities of ``model`` (clones fitted on the other
    folds), one column per class; every class has two documents or more."""
    n_splits = min(n_splits, np.bincount(y).min())
    out = np.empty((len(y), np.bincount(y).size))
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    for train, held_out in folds.split(np.zeros(len(y)), y):
        fitted = clone(model).fit([token_lists[i] for i in train], y[train])
        out[held_out] = fitted.predict_log_proba([token_lists[i] for i in held_out])
    return out


class NgramCNNClassifier(
    VersionedPickleMixin, ClassifierMixin, TransformerMixin, BaseEstimator
):
    """Bags of word n-grams and Kim's text CNN, stacked: at worst TF-IDF, often
    better than either.

    Three models that err differently, combined by weights fitted on
    predictions for documents they did not train on:

    - sublinear TF-IDF of word unigrams and bigrams with
      :class:`~sklearn.linear_model.LogisticRegression` (``C=4``), the usual
      baseline, strong on long and keyword-driven documents;
    - binary unigrams and bigrams scaled by their naive-Bayes log-count ratios
      with a logistic regression per class (``C=0.3``): NBSVM's features (Wang
      & Manning 2012), strong on short sentences;
    - ``cnn``, a :class:`TextCNNClassifier`, which reads word order and
      negation.

    The members are weighted on predictions for documents they did not train
    on, in two steps. The two n-gram models, which fit in seconds, are
    cross-fitted (``cv`` folds) and weighted on every document's out-of-fold
    log-probabilities. The CNN is trained once, on all documents but a
    stratified ``holdout`` fraction; on those, two more weights set the
    n-gram models' combination against the CNN. Non-negative weights ``w``
    make ``softmax(w_tfidf * log p_tfidf + w_nb * log p_nb + w_cnn * log
    p_cnn)`` predict the labels best (least log-loss): a member that does not
    help gets a weight near 0, and the weights also calibrate the members.
    The n-gram models are then refitted on all documents. A fit costs one CNN
    fit on ``1 - holdout`` of the documents and ``cv + 1`` fits of each
    n-gram model: 1.65 times a TextCNNClassifier fit on an MR fold. Fitting
    the n-gram weights on every document, not on the few held out, keeps them
    steady on small sets: on 200 newsgroup posts, weights fitted on the 24
    held-out posts alone put everything on the NB model and lost 2 points.

    As a transformer, :meth:`transform` returns the stack's inputs: each
    member's class log-probabilities (TF-IDF, NB, CNN), ``3 * n_classes``
    columns.

    Parameters
    ----------
    cnn : TextCNNClassifier or None, default=None
        The CNN member (cloned, never changed). None means
        ``TextCNNClassifier()``. Its ``vectorizer`` also splits the documents
        into the words of the n-gram models. When its ``random_state`` is None,
        it gets this classifier's seed. Tune it in a search as
        ``cnn__<parameter>``, with a ``cnn`` passed.
    ngram_range : tuple of (int, int), default=(1, 2)
        Lengths of the word n-grams of the two linear models, as in
        :class:`~sklearn.feature_extraction.text.TfidfVectorizer`.
    cv : int, default=5
        Folds of the n-gram models' cross-fitting (fewer when a class has
        fewer documents).
    holdout : float, default=0.15
        Fraction of the documents held out of the CNN's training (stratified),
        on which the CNN's weight is fitted. When a class has too few
        documents to hold any out, the CNN trains on all of them and the three
        members get equal weights.
    random_state : int, RandomState instance or None, default=None
        Seeds the held-out split, the cross-fitting's folds and, when its own
        is None, the CNN. An int
        makes fits repeat exactly.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    cnn_ : TextCNNClassifier
        The CNN, trained on the documents not held out.
    ngram_models_ : list of estimators
        The TF-IDF and the NB-weighted n-gram models, fitted on all the
        :meth:`fit` documents; their ``predict_log_proba`` takes token lists.
    weights_ : ndarray of shape (3,)
        Stacking weights of the TF-IDF, NB and CNN log-probabilities.
    n_features_out_ : int
        Columns of :meth:`transform`: ``3 * n_classes``.

    See Also
    --------
    TextCNNClassifier : The CNN alone.
    sklearn.ensemble.StackingClassifier : Stacking that cross-fits every
        member, the CNN too (``cv`` more CNN fits).

    Notes
    -----
    5-fold CV, seed 0 (``benchmarks/results/text_ngram_cnn_accuracy.md``): MR 0.790
    (TF-IDF bigrams 0.773, TextCNNClassifier 0.774); 2,000 MR sentences 0.702
    (0.689, 0.655); the mini newsgroups (200 posts) 0.970 (0.970, 0.885). On
    one MR fold a fit takes 1.65 times TextCNNClassifier's and one sentence is
    predicted in 1.4 ms (``text_ngram_cnn_speed.md``).

    Examples
    --------
    >>> from skfeat.text import NgramCNNClassifier, TextCNNClassifier
    >>> from skfeat.text import Word2VecVectorizer
    >>> docs = ["a good film", "a great film", "a bad film", "an awful film"] * 5
    >>> labels = ["pos", "pos", "neg", "neg"] * 5
    >>> cnn = TextCNNClassifier(
    ...     vectorizer=Word2VecVectorizer(vector_size=8, min_count=1, workers=1),
    ...     filters=4, epochs=2, min_count=1,
    ... )
    >>> clf = NgramCNNClassifier(cnn=cnn, random_state=0).fit(docs, labels)
    >>> clf.predict(["a good film", "an awful film"]).tolist()
    ['pos', 'neg']
    >>> clf.transform(["a good film", ""]).shape
    (2, 6)
    """

    _parameter_constraints: dict = {
        "cnn": [HasMethods(["fit", "predict_proba"]), None],
        "ngram_range": [tuple],
        "cv": [Interval(Integral, 2, None, closed="left")],
        "holdout": [Interval(Real, 0, 1, closed="neither")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        cnn=None,
        ngram_range=(1, 2),
        cv=5,
        holdout=0.15,
        random_state=None,
    ):
        self.cnn = cnn
        self.ngram_range = ngram_range
        self.cv = cv
        self.holdout = holdout
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Weight the n-gram models on their out-of-fold predictions, train the
        CNN on the documents not held out, weight it on those held out, and
        fit the n-gram models on all documents.

        Parameters
        ----------
        X : iterable of str, bytes or list of str
            Documents: raw texts or pre-tokenized lists of words (or what the
            CNN's ``vectorizer.input`` says). A single-column 2-D array or
            DataFrame is accepted too.
        y : array-like of shape (n_documents,)
            Class labels of any kind (ints, strings, ...), one per document.

        Returns
        -------
        self : NgramCNNClassifier
            The fitted classifier.
        """
        if not (
            len(self.ngram_range) == 2
            and all(isinstance(n, Integral) for n in self.ngram_range)
            and 1 <= self.ngram_range[0] <= self.ngram_range[1]
        ):
            raise ValueError(
                "ngram_range must be (min_n, max_n) with 1 <= min_n <= max_n, "
                f"got {self.ngram_range!r}."
            )
        seed = fit_seed(self.random_state)
        cnn = clone(self.cnn if self.cnn is not None else TextCNNClassifier())
        if cnn.get_params().get("random_state", 0) is None:
            cnn.set_params(random_state=seed)
        vectorizer = cnn.vectorizer or Word2VecVectorizer()
        token_lists = vectorizer._tokenized(X)
        if not token_lists:
            raise ValueError("fit needs at least one document; got none")
        if type_of_target(y) not in ("binary", "multiclass"):
            check_classification_targets(y)
            raise ValueError(
                f"NgramCNNClassifier takes one class label per document, got "
                f"y of type {type_of_target(y)!r}; for several labels per "
                "document use TextCNNClassifier with a 0/1 indicator matrix."
            )
        y = column_or_1d(y)
        if len(y) != len(token_lists):
            raise ValueError(
                f"X holds {len(token_lists)} documents but y holds {len(y)} labels"
            )
        self.classes_, y_index = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError("Classifier can't train when only one class is present.")

        linear_models = [
            _NgramLogisticRegression(
                weighting=weighting, ngram_range=self.ngram_range, C=C
            )
            for weighting, C in _NGRAM_MODELS
        ]
        held_out = self._held_out(y_index, seed)
        if held_out is None:
            self.cnn_ = cnn.fit(token_lists, y_index)
            self.weights_ = np.ones(len(linear_models) + 1)
        else:
            # 1. the n-gram models' weights, on every document's out-of-fold
            # predictions: cheap, and steady where the held-out ones are few
            out_of_fold = [
                _cross_fitted_log_proba(model, token_lists, y_index, self.cv, seed)
                for model in linear_models
            ]
            ngram_weights = _stacking_weights(out_of_fold, y_index)
            # 2. the n-gram models together against the CNN, on the held-out
            # documents, which the CNN never trains on
            trained = np.setdiff1d(np.arange(len(y_index)), held_out)
            self.cnn_ = cnn.fit([token_lists[i] for i in trained], y_index[trained])
            ngrams = sum(
                w * lp[held_out]
                for w, lp in zip(ngram_weights, out_of_fold, strict=True)
            )
            cnn_log_proba = self._cnn_log_proba([token_lists[i] for i in held_out])
            scale, cnn_weight = _stacking_weights(
                [ngrams, cnn_log_proba], y_index[held_out]
            )
            self.weights_ = np.append(scale * ngram_weights, cnn_weight)
        self.ngram_models_ = [
            model.fit(token_lists, y_index) for model in linear_models
        ]
        self.n_features_out_ = 3 * len(self.classes_)
        return self

    def _held_out(self, y_index, seed):
        """Indices of the held-out documents, or None when a class is too small
        to give one and keep one."""
        n_classes = len(self.classes_)
        n_held_out = int(np.ceil(self.holdout * len(y_index)))
        if (
            np.bincount(y_index).min() < 2
            or n_held_out < n_classes
            or len(y_index) - n_held_out < n_classes
        ):
            return None
        split = StratifiedShuffleSplit(1, test_size=n_held_out, random_state=seed)
        trained, held_out = next(split.split(np.zeros(len(y_index)), y_index))
        if np.unique(y_index[trained]).size < n_classes:
            return None  # the CNN must see every class
        return np.sort(held_out)

    def _cnn_log_proba(self, token_lists):
        proba = self.cnn_.predict_proba(token_lists)
        return np.log(np.clip(proba, _TINY, 1.0))

    def _log_probas(self, X):
        check_is_fitted(self)
        vectorizer = self.cnn_.vectorizer_
        token_lists = vectorizer._tokenized(X)
        return [m.predict_log_proba(token_lists) for m in self.ngram_models_] + [
            self._cnn_log_proba(token_lists)
        ]

    def predict_log_proba(self, X):
        """Log of :meth:`predict_proba`.

        Parameters
        ----------
        X : iterable of str, bytes or list of str
            Documents, as in :meth:`fit`.

        Returns
        -------
        log_proba : ndarray of shape (n_documents, n_classes)
            ``log_softmax(sum(weights_[i] * log_proba_i))`` over the three
            members, columns in the order of ``classes_``.
        """
        mixed = sum(
            w * lp for w, lp in zip(self.weights_, self._log_probas(X), strict=True)
        )
        return log_softmax(mixed, axis=1)

    def predict_proba(self, X):
        """Class probabilities of the stack, columns in the order of ``classes_``.

        Parameters
        ----------
        X : iterable of str, bytes or list of str
            Documents, as in :meth:`fit`.

        Returns
        -------
        proba : ndarray of shape (n_documents, n_classes)
            Probability of each class; rows sum to 1.
        """
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """Most probable class of each document.

        Parameters
        ----------
        X : iterable of str, bytes or list of str
            Documents, as in :meth:`fit`.

        Returns
        -------
        labels : ndarray of shape (n_documents,)
            Labels from ``classes_``.
        """
        return self.classes_[self.predict_log_proba(X).argmax(axis=1)]

    def transform(self, X):
        """Each member's class log-probabilities: the stack's inputs.

        Parameters
        ----------
        X : iterable of str, bytes or list of str
            Documents, as in :meth:`fit`.

        Returns
        -------
        features : ndarray of shape (n_documents, 3 * n_classes), float32
            The TF-IDF model's log-probabilities, then the NB-weighted model's,
            then the CNN's, each in the order of ``classes_``.
        """
        return np.hstack(self._log_probas(X)).astype(np.float32)

    def get_feature_names_out(self, input_features=None):
        """Names of :meth:`transform`'s columns.

        Parameters
        ----------
        input_features : None
            Ignored; documents have no feature names.

        Returns
        -------
        names : ndarray of str
            ``"tfidf_<class>"``, ``"nb_<class>"`` and ``"cnn_<class>"``.
        """
        check_is_fitted(self)
        return np.array(
            [
                f"{member}_{label}"
                for member in ("tfidf", "nb", "cnn")
                for label in self.classes_
            ],
            dtype=object,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = ["float32"]
        tags.classifier_tags.poor_score = True
        tags.non_deterministic = False
        return tags
