"""Kim (2014)'s convolutional network over word vectors: :class:`TextCNNClassifier`
and :class:`TextCNNRegressor`."""

import functools
from collections import Counter
from itertools import chain
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from skfeat._network import (
    CLASSIFIER_PARAMETER_CONSTRAINTS,
    REGRESSOR_PARAMETER_CONSTRAINTS,
    TRAINING_PARAMETER_CONSTRAINTS,
    NetworkClassifierMixin,
    NetworkRegressorMixin,
)
from skfeat._persistence import VersionedPickleMixin
from skfeat.text._word2vec import Word2VecVectorizer

# token ids: 0 pads a short document, 1 stands for every word not in vocabulary_
_PADDING, _UNKNOWN = 0, 1
# Kim (2014): random vectors uniform in [-0.25, 0.25] when nothing better is known
_RANDOM_SCALE = 0.25


class _BaseTextCNN:
    """The text network of :class:`TextCNNClassifier` and
    :class:`TextCNNRegressor`: parameters, vocabulary and network building;
    the network half (classifier or regressor) chooses the output layer and
    the loss. It goes left of that half in the bases, so that its tags come
    last."""

    _parameter_constraints: dict = {
        "vectorizer": [Word2VecVectorizer, None],
        "embedding_init": [StrOptions({"word_vectors", "random"})],
        "trainable_embedding": ["boolean"],
        "embedding_dropout": [Interval(Real, 0, 1, closed="left")],
        "widths": [tuple, list],
        "filters": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "max_length": [Interval(Integral, 1, None, closed="left")],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        **TRAINING_PARAMETER_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        vectorizer=None,
        embedding_init="word_vectors",
        trainable_embedding=True,
        embedding_dropout=0.0,
        widths=(3, 4, 5),
        filters=100,
        dropout=0.5,
        max_length=400,
        min_count=2,
        optimizer="adam",
        momentum=0.9,
        nesterovs_momentum=True,
        learning_rate=0.001,
        learning_rate_schedule="constant",
        epochs=8,
        batch_size=50,
        validation_split=0.0,
        patience=3,
        callbacks=None,
        verbose=0,
        random_state=None,
        warm_start=False,
    ):
        self.vectorizer = vectorizer
        self.embedding_init = embedding_init
        self.trainable_embedding = trainable_embedding
        self.embedding_dropout = embedding_dropout
        self.widths = widths
        self.filters = filters
        self.dropout = dropout
        self.max_length = max_length
        self.min_count = min_count
        self.optimizer = optimizer
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.learning_rate = learning_rate
        self.learning_rate_schedule = learning_rate_schedule
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.patience = patience
        self.callbacks = callbacks
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None):
        """Learn the vocabulary and the word vectors, then train the network.

        Parameters
        ----------
        X : iterable of str, bytes or list of str
            Documents: raw texts or pre-tokenized lists of words (or what
            ``vectorizer.input`` says). A single-column 2-D array or DataFrame
            is accepted too.
        y : array-like of shape (n_documents,) or (n_documents, n_targets)
            Class labels of any kind (ints, strings, ...) for a classifier, or
            a 0/1 indicator matrix of several labels per document; numbers for
            a regressor, one or several per document.
        sample_weight : array-like of shape (n_documents,), default=None
            Weight of each document in the network's loss (multiplied by
            ``class_weight``'s for a classifier); documents of weight 0 are
            left out of training. The vocabulary and the word vectors are
            learned from every document, unweighted.

        Returns
        -------
        self : object
            The fitted estimator; with ``warm_start``, the fitted network
            trained ``epochs`` more.
        """
        return self._fit(X, y, sample_weight, partial=False)

    def _fit_new(self, X, y, sample_weight, *, partial):
        """Learn the vocabulary and the word vectors, build the network and
        train it."""
        if not self.widths or not all(
            isinstance(width, Integral) and width >= 1 for width in self.widths
        ):
            raise ValueError(f"widths must hold positive ints, got {self.widths!r}.")
        seed = self._seed()
        vectorizer = clone(self.vectorizer or Word2VecVectorizer(epochs=20, workers=1))
        if vectorizer.random_state is None:
            vectorizer.set_params(random_state=seed)
        vectorizer._validate_params()  # its fit is not called, its parts are
        if self.embedding_init == "word_vectors":
            token_lists = vectorizer._fit(X)
        else:
            token_lists = vectorizer._tokenized(X)
        token_lists = list(token_lists)  # a stream, with input="filename"
        if not token_lists:
            raise ValueError("fit needs at least one document; got none")
        y = self._checked_target(y)
        if len(y) != len(token_lists):
            raise ValueError(
                f"X holds {len(token_lists)} documents but y holds {len(y)} targets"
            )
        self.vectorizer_ = vectorizer
        self.vocabulary_ = self._learn_vocabulary(token_lists)
        longest = max(map(len, token_lists))
        # windows wider than the documents would leave the convolutions nothing
        self.max_length_ = max(min(longest, self.max_length), *self.widths)
        rng = np.random.default_rng(seed)
        embedding = self._initial_embedding(rng, token_lists)

        from skfeat.text._networks import build_text_network

        build = functools.partial(
            build_text_network,
            self.max_length_,
            embedding=embedding,
            trainable_embedding=self.trainable_embedding,
            embedding_dropout=self.embedding_dropout,
            widths=tuple(self.widths),
            filters=self.filters,
            dropout=self.dropout,
            seed=seed,
        )
        sample_weight = self._checked_sample_weight(sample_weight, len(y))
        self._fit_network(
            self._ids(token_lists),
            y,
            build,
            seed,
            sample_weight=sample_weight,
            partial=partial,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags

    def _learn_vocabulary(self, token_lists):
        counts = Counter(chain.from_iterable(token_lists))
        words = sorted(
            word for word, count in counts.items() if count >= self.min_count
        )
        return {word: position for position, word in enumerate(words, _UNKNOWN + 1)}

    def _initial_embedding(self, rng, token_lists):
        """The (n_ids, n_dims) table the embedding starts from."""
        n_ids = len(self.vocabulary_) + _UNKNOWN + 1
        if self.embedding_init == "random":
            n_dims = self.vectorizer_.vector_size
            table = rng.uniform(-_RANDOM_SCALE, _RANDOM_SCALE, (n_ids, n_dims))
        else:
            vectors = self.vectorizer_.wv_
            # a vector's coordinates have this spread: uniform in [-a, a] matches it
            scale = np.sqrt(3) * float(vectors.vectors.std())
            table = rng.uniform(-scale, scale, (n_ids, vectors.vector_size))
            words = [w for w in self.vocabulary_ if w in vectors.key_to_index]
            if words:
                table[[self.vocabulary_[w] for w in words]] = vectors[words]
            if self.vectorizer_.pretrained is not None:
                self._fill_from_fold_vectors(table, token_lists)
        table[_PADDING] = 0
        return table.astype(np.float32)

    def _fill_from_fold_vectors(self, table, token_lists):
        """Rows of the words the pretrained vectors lack: vectors trained on
        the fit documents (by the vectorizer's settings), mapped into the
        pretrained space by least squares on the words both have. On two MR
        folds, with vectors missing half the words, this scored 0.779 against
        0.768 with random rows (``benchmarks/results/text_pretrained.md``)."""
        pretrained = self.vectorizer_.wv_
        missing = [w for w in self.vocabulary_ if w not in pretrained.key_to_index]
        if not missing:
            return
        try:
            # one thread: gensim's threads would make the seeded fit vary
            fold = clone(self.vectorizer_).set_params(pretrained=None, workers=1)
            fold = fold._train(token_lists)
        except ValueError:  # no word frequent enough to train on: rows stay random
            return
        shared = [w for w in fold.key_to_index if w in pretrained.key_to_index]
        missing = [w for w in missing if w in fold.key_to_index]
        if not shared or not missing:
            return
        mapping, *_ = np.linalg.lstsq(fold[shared], pretrained[shared], rcond=None)
        table[[self.vocabulary_[w] for w in missing]] = fold[missing] @ mapping

    def _ids(self, token_lists):
        """(n_documents, max_length_) int32 ids: each document's first words,
        then padding."""
        length = self.max_length_
        kept = [tokens[:length] for tokens in token_lists]
        lengths = np.fromiter(map(len, kept), np.int64, len(kept))
        words = list(chain.from_iterable(kept))
        ids = np.zeros((len(kept), length), dtype=np.int32)
        rows = np.repeat(np.arange(len(kept)), lengths)
        columns = np.arange(len(words)) - np.repeat(
            np.cumsum(lengths) - lengths, lengths
        )
        lookup = self.vocabulary_.get
        ids[rows, columns] = np.fromiter(
            (lookup(word, _UNKNOWN) for word in words), np.int32, len(words)
        )
        return ids

    def _network_input(self, X):
        check_is_fitted(self)
        return self._ids(self.vectorizer_._tokenized(X))


class TextCNNClassifier(
    VersionedPickleMixin, _BaseTextCNN, NetworkClassifierMixin, BaseEstimator
):
    """Convolutional network over word vectors for text classification (Kim 2014).

    Each document is tokenized by ``vectorizer``'s rules, its words become ids
    in a vocabulary learned in :meth:`fit`, and the network runs: an embedding
    of the ids (initialised from word vectors) → one Conv1D (ReLU) of
    ``filters`` filters per window width → the maximum of each filter over the
    document → concatenated → dropout → softmax. It is trained with
    categorical cross-entropy through a SciKeras ``KerasClassifier``, like
    :class:`~skfeat.image.CNNClassifier`, and prediction runs the fitted
    network directly, in batches.

    As a transformer, :meth:`transform` returns the pooled features (the input
    of the softmax layer): ``len(widths) * filters`` per document.

    Parameters
    ----------
    vectorizer : Word2VecVectorizer or None, default=None
        Where tokenizing and the initial word vectors come from: its
        ``lowercase``, ``token_pattern``, ``tokenizer`` and other tokenizing
        parameters split documents into words; with
        ``embedding_init="word_vectors"`` it is fitted on the :meth:`fit`
        documents (training Word2Vec on them, or reading its ``pretrained``
        vectors) and its vectors start the embedding. None means
        ``Word2VecVectorizer(epochs=20, workers=1)``: skip-gram on a small
        corpus (``sg="auto"``), one thread so that seeded fits repeat, and 20
        passes: on MR's two hardest folds they started the network as well as
        the vectorizer's own ``epochs="auto"`` (47 passes there; 0.767 against
        0.768 accuracy, that one with a cosine schedule) in less than half the
        time. To tune it in a search, pass one, as scikit-learn's
        meta-estimators take theirs:
        ``GridSearchCV(TextCNNClassifier(vectorizer=Word2VecVectorizer(epochs=20,
        workers=1)), {"vectorizer__vector_size": [100, 300]})``; with None there
        is nothing to set ``vectorizer__`` parameters on. It is cloned, never changed;
        when its ``random_state`` is None it gets this classifier's seed.
    embedding_init : {"word_vectors", "random"}, default="word_vectors"
        How the embedding starts: from ``vectorizer``'s word vectors (words of
        the :meth:`fit` documents that have none get random vectors of the same
        scale), or all random, uniform in [-0.25, 0.25] ("CNN-rand" in Kim
        2014), with ``vectorizer.vector_size`` dimensions.
    trainable_embedding : bool, default=True
        Whether training adjusts the word vectors ("non-static" in Kim 2014) or
        keeps them as they started ("static").
    embedding_dropout : float, default=0.0
        Fraction of the embedding's dimensions dropped, for the whole document
        at once, at each training step (Keras' ``SpatialDropout1D``), to keep
        trainable word vectors from fitting a small corpus by heart. On MR,
        0.25 scored as 0 did (0.773, 5-fold CV); tune it with the other
        regularization, ``dropout``.
    widths : tuple of int, default=(3, 4, 5)
        Window widths of the convolutions, in words: one Conv1D per width.
    filters : int, default=100
        Filters of each convolution.
    dropout : float, default=0.5
        Dropout rate before the softmax layer.
    max_length : int, default=400
        Longest document the network reads, in words; longer documents are cut
        to their first ``max_length`` words. :meth:`fit` learns the length as
        the longest fit document, up to this cap.
    min_count : int, default=2
        Words seen fewer times in the :meth:`fit` documents stay out of the
        vocabulary and share the id of unknown words. So that id is trained, on
        the rarest words, and a word first seen at prediction gets a vector
        that means "some rare word" rather than noise: on MR, 2 scored 2 points
        above 1 (every word its own id).
    optimizer : {"adam", "adamw", "nadam", "adamax", "rmsprop", "sgd", \
"adagrad"}, default="adam"
        Keras optimizer.
    momentum : float, default=0.9
        Momentum of ``optimizer="sgd"``, as in
        :class:`~sklearn.neural_network.MLPClassifier`; other optimizers
        ignore it.
    nesterovs_momentum : bool, default=True
        Whether ``optimizer="sgd"`` uses Nesterov's momentum.
    learning_rate : float, default=0.001
        Learning rate of the optimizer (the initial one, with a schedule).
    learning_rate_schedule : {"constant", "cosine"}, default="constant"
        "cosine" lowers the learning rate to 0 along half a cosine over all
        the training steps.
    epochs : int, default=8
        Number of passes over the training documents.
    batch_size : int, default=50
        Documents per gradient step, also the smallest batch at prediction.
    validation_split : float, default=0.0
        Fraction of the training documents held out, at random, to monitor the
        validation loss; training then stops once it has not improved for
        ``patience`` epochs, and the best weights are kept.
    patience : int, default=3
        Epochs without improvement before early stopping; used only when
        ``validation_split > 0``.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss.
    callbacks : list of keras.callbacks.Callback or None, default=None
        Extra Keras callbacks for training; copied, never modified.
    verbose : int, default=0
        Keras' verbosity during training: 0 silent, 1 progress bar, 2 one line
        per epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the embedding's random vectors, the weights, the order of the
        documents, dropout, and ``vectorizer`` when its own ``random_state`` is
        None. With a fixed value (and a vectorizer with ``workers=1``, as the
        default one), fitting twice gives the same network. No global seed is
        set or read.
    warm_start : bool, default=False
        When True, :meth:`fit` on a fitted estimator trains its network further,
        from its weights and its optimizer's state, for ``epochs`` more epochs,
        instead of building a new one: two fits of 5 epochs train what one fit
        of 10 trains. The architecture parameters must stay as they were
        (training ones such as ``epochs`` and ``learning_rate`` may change), the
        data of the same kind; the vocabulary of the first fit stays.
        :meth:`partial_fit` trains further too, one pass per call. See
        :ref:`training-further`.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels; for a 0/1 indicator y (several labels per sample), the
        label positions ``0 … n_labels - 1``, as
        :class:`~sklearn.neural_network.MLPClassifier` sets them.
    vectorizer_ : Word2VecVectorizer
        The fitted clone of ``vectorizer`` (its ``wv_`` holds the word vectors
        the embedding started from); unfitted with ``embedding_init="random"``.
    vocabulary_ : dict of str to int
        Id of each word of the embedding; id 0 pads short documents and id 1
        stands for unknown words.
    max_length_ : int
        Number of word positions the network reads.
    model_ : keras.Model
        The trained network.
    history_ : dict of str to list of float
        Per-epoch training loss (and ``val_loss`` with ``validation_split``) of
        every epoch since the network was built (``warm_start`` and
        :meth:`partial_fit` add theirs).

    See Also
    --------
    skfeat.text.Word2VecVectorizer : Unsupervised document vectors.
    sklearn.feature_extraction.text.TfidfVectorizer : Bag-of-words features.
    skfeat.image.CNNClassifier : The convolutional network for images.

    Notes
    -----
    Yoon Kim, "Convolutional Neural Networks for Sentence Classification",
    EMNLP 2014. On the MR movie-review sentences (5-fold CV, no data from
    outside MR) the defaults score 0.774, level with TF-IDF bigrams and
    logistic regression at 0.773; Kim's 0.810 came from word2vec vectors
    trained on 100 billion words of news, which a ``vectorizer`` with
    ``pretrained=`` vectors can give it
    (``benchmarks/results/text_cnn_accuracy.md``).

    Examples
    --------
    >>> from skfeat.text import TextCNNClassifier, Word2VecVectorizer
    >>> docs = ["a good film", "a great film", "a bad film", "an awful film"] * 5
    >>> labels = ["pos", "pos", "neg", "neg"] * 5
    >>> clf = TextCNNClassifier(
    ...     vectorizer=Word2VecVectorizer(vector_size=8, min_count=1, workers=1),
    ...     filters=4, epochs=2, random_state=0,
    ... ).fit(docs, labels)
    >>> clf.predict_proba(["a good film"]).shape
    (1, 2)
    >>> clf.transform(["a good film", ""]).shape
    (2, 12)
    """

    _parameter_constraints: dict = {
        **_BaseTextCNN._parameter_constraints,
        **CLASSIFIER_PARAMETER_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        vectorizer=None,
        embedding_init="word_vectors",
        trainable_embedding=True,
        embedding_dropout=0.0,
        widths=(3, 4, 5),
        filters=100,
        dropout=0.5,
        max_length=400,
        min_count=2,
        optimizer="adam",
        momentum=0.9,
        nesterovs_momentum=True,
        learning_rate=0.001,
        learning_rate_schedule="constant",
        epochs=8,
        batch_size=50,
        validation_split=0.0,
        patience=3,
        class_weight=None,
        callbacks=None,
        verbose=0,
        random_state=None,
        warm_start=False,
    ):
        super().__init__(
            vectorizer=vectorizer,
            embedding_init=embedding_init,
            trainable_embedding=trainable_embedding,
            embedding_dropout=embedding_dropout,
            widths=widths,
            filters=filters,
            dropout=dropout,
            max_length=max_length,
            min_count=min_count,
            optimizer=optimizer,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            learning_rate=learning_rate,
            learning_rate_schedule=learning_rate_schedule,
            epochs=epochs,
            batch_size=batch_size,
            validation_split=validation_split,
            patience=patience,
            callbacks=callbacks,
            verbose=verbose,
            random_state=random_state,
            warm_start=warm_start,
        )
        self.class_weight = class_weight


class TextCNNRegressor(
    VersionedPickleMixin, _BaseTextCNN, NetworkRegressorMixin, BaseEstimator
):
    """Convolutional network over word vectors for text regression (Kim 2014).

    The network of :class:`TextCNNClassifier` (embedding of the word ids → one
    Conv1D (ReLU) per window width → max over the document → concatenated →
    dropout) with a linear output layer of one unit per target. The targets are
    standardized inside the estimator (each to mean 0 and standard deviation
    1, as :class:`~sklearn.compose.TransformedTargetRegressor` with a
    :class:`~sklearn.preprocessing.StandardScaler` would do), and
    :meth:`predict` gives them back in their own unit. y may hold one target
    per document or several, (n_documents, n_targets). Training is done by a
    SciKeras ``KerasRegressor``; prediction runs the fitted network directly,
    in batches.

    As a transformer, :meth:`transform` returns the pooled features (the input
    of the output layer): ``len(widths) * filters`` per document.

    Parameters
    ----------
    vectorizer : Word2VecVectorizer or None, default=None
        Where tokenizing and the initial word vectors come from: its
        ``lowercase``, ``token_pattern``, ``tokenizer`` and other tokenizing
        parameters split documents into words; with
        ``embedding_init="word_vectors"`` it is fitted on the :meth:`fit`
        documents (training Word2Vec on them, or reading its ``pretrained``
        vectors) and its vectors start the embedding. None means
        ``Word2VecVectorizer(epochs=20, workers=1)``: skip-gram on a small
        corpus (``sg="auto"``), one thread so that seeded fits repeat, and 20
        passes: on MR's two hardest folds they started the network as well as
        the vectorizer's own ``epochs="auto"`` (47 passes there; 0.767 against
        0.768 accuracy, that one with a cosine schedule) in less than half the
        time. To tune it in a search, pass one, as scikit-learn's
        meta-estimators take theirs:
        ``GridSearchCV(TextCNNClassifier(vectorizer=Word2VecVectorizer(epochs=20,
        workers=1)), {"vectorizer__vector_size": [100, 300]})``; with None there
        is nothing to set ``vectorizer__`` parameters on. It is cloned, never changed;
        when its ``random_state`` is None it gets this classifier's seed.
    embedding_init : {"word_vectors", "random"}, default="word_vectors"
        How the embedding starts: from ``vectorizer``'s word vectors (words of
        the :meth:`fit` documents that have none get random vectors of the same
        scale), or all random, uniform in [-0.25, 0.25] ("CNN-rand" in Kim
        2014), with ``vectorizer.vector_size`` dimensions.
    trainable_embedding : bool, default=True
        Whether training adjusts the word vectors ("non-static" in Kim 2014) or
        keeps them as they started ("static").
    embedding_dropout : float, default=0.0
        Fraction of the embedding's dimensions dropped, for the whole document
        at once, at each training step (Keras' ``SpatialDropout1D``), to keep
        trainable word vectors from fitting a small corpus by heart. On MR,
        0.25 scored as 0 did (0.773, 5-fold CV); tune it with the other
        regularization, ``dropout``.
    widths : tuple of int, default=(3, 4, 5)
        Window widths of the convolutions, in words: one Conv1D per width.
    filters : int, default=100
        Filters of each convolution.
    dropout : float, default=0.5
        Dropout rate before the output layer.
    max_length : int, default=400
        Longest document the network reads, in words; longer documents are cut
        to their first ``max_length`` words. :meth:`fit` learns the length as
        the longest fit document, up to this cap.
    min_count : int, default=2
        Words seen fewer times in the :meth:`fit` documents stay out of the
        vocabulary and share the id of unknown words. So that id is trained, on
        the rarest words, and a word first seen at prediction gets a vector
        that means "some rare word" rather than noise: on MR, 2 scored 2 points
        above 1 (every word its own id).
    loss : {"squared_error", "huber"}, default="squared_error"
        What training minimizes, on the standardized targets: their mean
        squared error, or Huber's loss (squared for errors within one standard
        deviation of the target, absolute beyond), which outliers among the
        targets pull less.
    optimizer : {"adam", "adamw", "nadam", "adamax", "rmsprop", "sgd", \
"adagrad"}, default="adam"
        Keras optimizer.
    momentum : float, default=0.9
        Momentum of ``optimizer="sgd"``, as in
        :class:`~sklearn.neural_network.MLPClassifier`; other optimizers
        ignore it.
    nesterovs_momentum : bool, default=True
        Whether ``optimizer="sgd"`` uses Nesterov's momentum.
    learning_rate : float, default=0.001
        Learning rate of the optimizer (the initial one, with a schedule).
    learning_rate_schedule : {"constant", "cosine"}, default="constant"
        "cosine" lowers the learning rate to 0 along half a cosine over all
        the training steps.
    epochs : int, default=8
        Number of passes over the training documents.
    batch_size : int, default=50
        Documents per gradient step, also the smallest batch at prediction.
    validation_split : float, default=0.0
        Fraction of the training documents held out, at random, to monitor the
        validation loss; training then stops once it has not improved for
        ``patience`` epochs, and the best weights are kept.
    patience : int, default=3
        Epochs without improvement before early stopping; used only when
        ``validation_split > 0``.
    callbacks : list of keras.callbacks.Callback or None, default=None
        Extra Keras callbacks for training; copied, never modified.
    verbose : int, default=0
        Keras' verbosity during training: 0 silent, 1 progress bar, 2 one line
        per epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the embedding's random vectors, the weights, the order of the
        documents, dropout, and ``vectorizer`` when its own ``random_state`` is
        None. With a fixed value (and a vectorizer with ``workers=1``, as the
        default one), fitting twice gives the same network. No global seed is
        set or read.
    warm_start : bool, default=False
        When True, :meth:`fit` on a fitted estimator trains its network further,
        from its weights and its optimizer's state, for ``epochs`` more epochs,
        instead of building a new one. The architecture parameters must stay as
        they were (training ones such as ``epochs`` and ``learning_rate`` may
        change), the data of the same kind; the vocabulary and the target scaling of
        the first fit stay. :meth:`partial_fit` trains further too, one pass per
        call. See :ref:`training-further`.

    Attributes
    ----------
    n_outputs_ : int
        Number of targets: 1 for a 1-D y.
    target_mean_ : ndarray of shape (`n_outputs_`,)
        Mean of each target in :meth:`fit`, which :meth:`predict` adds back.
    target_scale_ : ndarray of shape (`n_outputs_`,)
        Standard deviation of each target in :meth:`fit` (1 for a constant
        target), which :meth:`predict` multiplies back.
    vectorizer_ : Word2VecVectorizer
        The fitted clone of ``vectorizer`` (its ``wv_`` holds the word vectors
        the embedding started from); unfitted with ``embedding_init="random"``.
    vocabulary_ : dict of str to int
        Id of each word of the embedding; id 0 pads short documents and id 1
        stands for unknown words.
    max_length_ : int
        Number of word positions the network reads.
    model_ : keras.Model
        The trained network; it predicts standardized targets.
    history_ : dict of str to list of float
        Per-epoch training loss (and ``val_loss`` with ``validation_split``),
        on the standardized targets, of every epoch since the network was
        built (``warm_start`` and :meth:`partial_fit` add theirs).

    See Also
    --------
    TextCNNClassifier : The same network for class labels.
    skfeat.image.CNNRegressor : The convolutional regressor for images.
    sklearn.linear_model.RidgeCV : On TF-IDF features, a strong text baseline.

    Notes
    -----
    Pickling, seeding and threads work as for :class:`TextCNNClassifier`: a
    pickled regressor predicts identically after loading in another process,
    and a seeded fit (with a vectorizer with ``workers=1``, as the default one)
    repeats bit-identically.

    Examples
    --------
    >>> from skfeat.text import TextCNNRegressor, Word2VecVectorizer
    >>> docs = ["a good film", "a great film", "a bad film", "an awful film"] * 5
    >>> stars = [4.0, 5.0, 2.0, 1.0] * 5
    >>> reg = TextCNNRegressor(
    ...     vectorizer=Word2VecVectorizer(vector_size=8, min_count=1, workers=1),
    ...     filters=4, epochs=2, random_state=0,
    ... ).fit(docs, stars)
    >>> reg.predict(["a good film", "an awful film"]).shape
    (2,)
    >>> reg.transform(["a good film", ""]).shape
    (2, 12)
    """

    _parameter_constraints: dict = {
        **_BaseTextCNN._parameter_constraints,
        **REGRESSOR_PARAMETER_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        vectorizer=None,
        embedding_init="word_vectors",
        trainable_embedding=True,
        embedding_dropout=0.0,
        widths=(3, 4, 5),
        filters=100,
        dropout=0.5,
        max_length=400,
        min_count=2,
        loss="squared_error",
        optimizer="adam",
        momentum=0.9,
        nesterovs_momentum=True,
        learning_rate=0.001,
        learning_rate_schedule="constant",
        epochs=8,
        batch_size=50,
        validation_split=0.0,
        patience=3,
        callbacks=None,
        verbose=0,
        random_state=None,
        warm_start=False,
    ):
        super().__init__(
            vectorizer=vectorizer,
            embedding_init=embedding_init,
            trainable_embedding=trainable_embedding,
            embedding_dropout=embedding_dropout,
            widths=widths,
            filters=filters,
            dropout=dropout,
            max_length=max_length,
            min_count=min_count,
            optimizer=optimizer,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            learning_rate=learning_rate,
            learning_rate_schedule=learning_rate_schedule,
            epochs=epochs,
            batch_size=batch_size,
            validation_split=validation_split,
            patience=patience,
            callbacks=callbacks,
            verbose=verbose,
            random_state=random_state,
            warm_start=warm_start,
        )
        self.loss = loss
