"""Word vectors for text: :class:`Word2VecVectorizer`."""

import functools
import os
from collections.abc import Sequence, Sized
from itertools import chain, repeat
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from gensim.models import FastText, KeyedVectors, Word2Vec
from gensim.models.fasttext import FastTextKeyedVectors
from gensim.models.word2vec import MAX_WORDS_IN_BATCH
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from skfeat._columns import describe, one_column
from skfeat._persistence import VersionedPickleMixin
from skfeat._vectors import PRETRAINED_FORMATS, load_keyed_vectors

POOLINGS = ("mean", "max", "mean+max", "tfidf", "sif")

# Pooling works on chunks of at most this many documents or (once reached) tokens:
# peak memory is the output array plus one chunk's tokens and, for max pooling,
# their vectors. Training streams documents one at a time.
_CHUNK_SIZE = 2048
_CHUNK_TOKENS = 100_000
_TOKEN_TYPES = {str, np.str_}
# sg="auto" and epochs="auto": a small corpus (most labelled data sets) learns
# more with skip-gram and many passes; a large one gets gensim's CBOW and 5
_SKIP_GRAM_BELOW_WORDS = 1_000_000
_AUTO_WORD_UPDATES = 8_000_000
_AUTO_EPOCHS = (5, 50)


def _auto_epochs(n_words):
    """Passes that make about _AUTO_WORD_UPDATES word updates, within _AUTO_EPOCHS."""
    fewest, most = _AUTO_EPOCHS
    return int(np.clip(-(-_AUTO_WORD_UPDATES // max(n_words, 1)), fewest, most))


class Word2VecVectorizer(
    VersionedPickleMixin,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    BaseEstimator,
):
    """Turn documents into fixed-length rows by pooling their word vectors.

    The word vectors are trained on the ``fit`` documents with gensim's
    :class:`~gensim.models.Word2Vec` (or :class:`~gensim.models.FastText`), or
    read from pretrained vectors. ``transform`` tokenizes each document with the
    same rules as :class:`~sklearn.feature_extraction.text.CountVectorizer`,
    looks its tokens up in the vocabulary and pools their vectors into one
    ``float32`` row.

    Unknown words are skipped (with ``algorithm="fasttext"`` or pretrained
    fastText vectors they get vectors built from their character n-grams). A
    document without a single known word gives a row of zeros, never NaN.

    Parameters
    ----------
    input : {"content", "filename", "file"}, default="content"
        As in :class:`~sklearn.feature_extraction.text.CountVectorizer`: each
        document is the text itself, a path to read it from, or an open file.
        With ``"filename"``, ``fit`` streams the files through gensim instead of
        holding the tokenized corpus in memory.
    encoding : str, default="utf-8"
        Encoding used to decode bytes documents and files.
    decode_error : {"strict", "ignore", "replace"}, default="strict"
        What to do with bytes that are not valid in ``encoding``.
    lowercase : bool, default=True
        Lowercase documents before tokenizing. Set it to False for pretrained
        vectors with cased vocabularies.
    preprocessor : callable, default=None
        Called on each raw document before tokenizing (replaces lowercasing).
    tokenizer : callable, default=None
        Splits a preprocessed document into a list of tokens (replaces
        ``token_pattern``).
    token_pattern : str, default=r"(?u)\\b\\w\\w+\\b"
        Regular expression that defines a token, as in ``CountVectorizer``.
    algorithm : {"word2vec", "fasttext"}, default="word2vec"
        Which gensim model ``fit`` trains. Ignored when ``pretrained`` is given.
    pretrained : KeyedVectors, gensim model, str or path-like, default=None
        Pretrained vectors to use instead of training: a gensim
        :class:`~gensim.models.KeyedVectors` (or a model with a ``wv``), or the
        path of a vector file, read in ``fit``.
    pretrained_format : {"auto", "word2vec", "word2vec_binary", "glove", \
"fasttext"}, default="auto"
        Format of a ``pretrained`` file: word2vec text (with a header line),
        word2vec binary, GloVe text (no header line) or a Facebook fastText
        ``.bin`` model. ``"auto"`` tells them apart from the file's first bytes.
    vector_size : int, default=100
        Dimension of the trained word vectors.
    window : int, default=5
        Maximum distance between a word and the words it predicts.
    min_count : int, default=2
        Words seen fewer times in ``fit`` get no vector of their own. gensim's
        default is 5, which on a few thousand sentences leaves most words
        without a vector.
    sg : {0, 1, "auto"}, default="auto"
        1 trains skip-gram, 0 trains CBOW. "auto" trains skip-gram on corpora
        of fewer than 1,000,000 words, where it learns much more (0.70 against
        0.65 accuracy on MR sentences), and CBOW, several times faster, on
        larger ones. gensim's default is CBOW.
    negative : int, default=5
        Number of negative samples per word (0 disables negative sampling).
    epochs : int or "auto", default="auto"
        Passes over the corpus while training. "auto" makes about 8,000,000
        word updates: 50 passes over a corpus of up to 160,000 words, fewer
        over larger ones, and gensim's 5 from 1,600,000 words on. A few
        thousand sentences need many passes (on the mini newsgroups, 5 passes
        score 0.53, 40 score 0.93).
    bucket : int, default=2_000_000
        Hash buckets for the character n-grams of ``algorithm="fasttext"``, as
        in gensim and fastText. The n-gram table, kept in ``wv_`` and in pickles,
        takes ``bucket * vector_size * 4`` bytes: 800 MB at the defaults. 100,000
        to 200,000 buckets suit corpora of a few million words.
    workers : int, default=3
        Training threads. Use ``workers=1`` with ``random_state`` for
        reproducible vectors: gensim's thread scheduling is not deterministic.
    pooling : {"mean", "max", "mean+max", "tfidf", "sif"}, default="mean"
        How a document's word vectors become one row: their mean, element-wise
        maximum, both concatenated (SWEM-concat, Shen et al. 2018), the mean
        weighted by tf-idf, or SIF (Arora et al. 2017): the mean weighted by
        ``a / (a + p(word))`` with the corpus' first principal component removed.
        Word frequencies for ``"tfidf"`` and ``"sif"`` are learned from the
        ``fit`` documents, so they work with pretrained vectors too.
    sif_smoothing : float, default=1e-3
        The ``a`` of SIF weights; only used with ``pooling="sif"``.
    random_state : int, RandomState instance or None, default=None
        Seeds gensim's training. None draws a new seed on each ``fit``.

    Attributes
    ----------
    wv_ : gensim.models.KeyedVectors
        The word vectors: ``vectorizer.wv_["word"]`` is one word's vector.
    sg_ : int
        1 if skip-gram was trained, 0 for CBOW; only when vectors were trained.
    epochs_ : int
        Passes made over the corpus; only when vectors were trained.
    idf_ : ndarray of shape (n_words,)
        Inverse document frequency of each word in ``wv_``, as
        :class:`~sklearn.feature_extraction.text.TfidfTransformer` computes it
        (smoothed); only with ``pooling="tfidf"``.
    sif_weights_ : ndarray of shape (n_words,)
        SIF weight ``a / (a + p(word))`` of each word in ``wv_``; only with
        ``pooling="sif"``.
    common_component_ : ndarray of shape (1, n_dims)
        First principal component of the ``fit`` documents' weighted means,
        removed from every row; only with ``pooling="sif"``.

    See Also
    --------
    sklearn.feature_extraction.text.TfidfVectorizer : Sparse bag-of-words rows.
    skfeat.image.CNNClassifier : Learned features for images.

    Notes
    -----
    Pooling is one sparse document-by-vocabulary weight matrix times the vector
    table, computed in chunks of documents, so ``transform`` costs about as much
    as tokenizing. Out-of-vocabulary fastText words get weight 1 in ``"sif"``
    and the largest idf in ``"tfidf"``.

    Examples
    --------
    >>> from skfeat.text import Word2VecVectorizer
    >>> docs = ["the cat sat on the mat", "the dog sat on the log",
    ...         "a cat and a dog"]
    >>> vectorizer = Word2VecVectorizer(vector_size=8, min_count=1, workers=1,
    ...                                 random_state=0)
    >>> X = vectorizer.fit_transform(docs)
    >>> X.shape, X.dtype
    ((3, 8), dtype('float32'))
    >>> vectorizer.wv_["cat"].shape
    (8,)
    """

    _parameter_constraints = {
        "input": [StrOptions({"content", "filename", "file"})],
        "encoding": [str],
        "decode_error": [StrOptions({"strict", "ignore", "replace"})],
        "lowercase": ["boolean"],
        "preprocessor": [callable, None],
        "tokenizer": [callable, None],
        "token_pattern": [str, None],
        "algorithm": [StrOptions({"word2vec", "fasttext"})],
        "pretrained": [
            None,
            str,
            os.PathLike,
            KeyedVectors,
            HasMethods(["build_vocab", "train"]),
        ],
        "pretrained_format": [StrOptions(set(PRETRAINED_FORMATS))],
        "vector_size": [Interval(Integral, 1, None, closed="left")],
        "window": [Interval(Integral, 1, None, closed="left")],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "sg": [Interval(Integral, 0, 1, closed="both"), StrOptions({"auto"})],
        "negative": [Interval(Integral, 0, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "bucket": [Interval(Integral, 1, None, closed="left")],
        "workers": [Interval(Integral, 1, None, closed="left")],
        "pooling": [StrOptions(set(POOLINGS))],
        "sif_smoothing": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        input="content",
        encoding="utf-8",
        decode_error="strict",
        lowercase=True,
        preprocessor=None,
        tokenizer=None,
        token_pattern=r"(?u)\b\w\w+\b",
        algorithm="word2vec",
        pretrained=None,
        pretrained_format="auto",
        vector_size=100,
        window=5,
        min_count=2,
        sg="auto",
        negative=5,
        epochs="auto",
        bucket=2_000_000,
        workers=3,
        pooling="mean",
        sif_smoothing=1e-3,
        random_state=None,
    ):
        self.input = input
        self.encoding = encoding
        self.decode_error = decode_error
        self.lowercase = lowercase
        self.preprocessor = preprocessor
        self.tokenizer = tokenizer
        self.token_pattern = token_pattern
        self.algorithm = algorithm
        self.pretrained = pretrained
        self.pretrained_format = pretrained_format
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.sg = sg
        self.negative = negative
        self.epochs = epochs
        self.bucket = bucket
        self.workers = workers
        self.pooling = pooling
        self.sif_smoothing = sif_smoothing
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the word vectors (or read them) and what pooling needs.

        Parameters
        ----------
        X : iterable of str, bytes or list of str
            Documents: raw texts (or file names/files, see ``input``) or
            pre-tokenized lists of words. A single-column 2-D array or
            DataFrame is accepted too.
        y : None
            Ignored.

        Returns
        -------
        self : Word2VecVectorizer
            The fitted vectorizer.
        """
        self._fit(X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit to ``X`` and return its document rows, tokenizing ``X`` only once.

        Parameters
        ----------
        X : iterable of str, bytes or list of str
            Documents, as in :meth:`fit`.
        y : None
            Ignored.

        Returns
        -------
        X_new : ndarray of shape (n_documents, n_features_out), dtype float32
            One row per document, in order.
        """
        corpus = self._fit(X)
        n_documents = None if isinstance(corpus, _TokenStream) else len(corpus)
        return self._rows(_token_chunks(corpus), n_documents)

    def transform(self, X):
        """Pool each document's word vectors into one row.

        Parameters
        ----------
        X : iterable of str, bytes or list of str
            Documents, as in :meth:`fit`.

        Returns
        -------
        X_new : ndarray of shape (n_documents, n_features_out), dtype float32
            One row per document, in order; zeros for a document with no known
            word.
        """
        check_is_fitted(self, "wv_")
        documents = _documents(X)
        n_documents = len(documents) if isinstance(documents, Sized) else None
        stream = _TokenStream(documents, self._analyzer())
        return self._rows(_token_chunks(stream), n_documents)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []  # rows are float32 whatever came in
        tags.non_deterministic = self.pretrained is None and (
            self.random_state is None or self.workers != 1
        )
        return tags

    @property
    def _n_features_out(self):
        check_is_fitted(self, "wv_")
        width = self.wv_.vector_size
        return 2 * width if self.pooling == "mean+max" else width

    # --- fitting -----------------------------------------------------------

    def _fit(self, X):
        """Fit and return the tokenized corpus (a list, or a re-read stream)."""
        documents = _documents(X)
        corpus = _TokenStream(documents, self._analyzer())
        if self.input != "filename" and not _is_reiterable_collection(documents):
            corpus = list(corpus)  # gensim and the word statistics pass again
            if not corpus:
                raise ValueError("fit needs at least one document; got none")
        for name in ("idf_", "sif_weights_", "common_component_", "sg_", "epochs_"):
            self.__dict__.pop(name, None)  # a refit must not keep stale statistics
        if self.pretrained is None:
            self.wv_ = self._train(corpus)
        else:
            self.wv_ = load_keyed_vectors(self.pretrained, self.pretrained_format)
        if self.pooling in ("tfidf", "sif"):
            self._fit_word_statistics(corpus)
        return corpus

    def _train(self, corpus):
        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        if self.algorithm == "fasttext":
            model_class = functools.partial(FastText, bucket=self.bucket)
        else:
            model_class = Word2Vec
        model = model_class(
            vector_size=self.vector_size,
            window=self.window,
            min_count=self.min_count,
            negative=self.negative,
            workers=self.workers,
            seed=seed,
        )
        if not isinstance(corpus, list) or max(map(len, corpus)) > MAX_WORDS_IN_BATCH:
            corpus = _TrainingPieces(corpus)
        model.build_vocab(corpus)
        if len(model.wv) == 0:
            n_documents = model.corpus_count
            raise ValueError(
                f"empty vocabulary: no word of the {n_documents} training documents "
                f"occurs at least min_count={self.min_count} times; lower min_count "
                "or give more text"
                if model.corpus_total_words
                else f"empty vocabulary: the {n_documents} training documents hold "
                "no tokens; check token_pattern, tokenizer and the documents"
            )
        # sg only chooses the training routine: it may be set after the vocabulary
        n_words = model.corpus_total_words
        model.sg = (
            int(n_words < _SKIP_GRAM_BELOW_WORDS) if self.sg == "auto" else self.sg
        )
        model.epochs = _auto_epochs(n_words) if self.epochs == "auto" else self.epochs
        model.train(
            corpus,
            total_examples=model.corpus_count,
            total_words=n_words,
            epochs=model.epochs,
        )
        self.sg_, self.epochs_ = model.sg, model.epochs
        return model.wv

    def _fit_word_statistics(self, corpus):
        n_words = len(self.wv_)
        document_frequency = np.zeros(n_words)
        word_count = np.zeros(n_words)
        n_documents = 0
        for tokens in _token_chunks(corpus):
            counts = self._count_matrix(tokens)[0]
            word_count += np.bincount(counts.indices, minlength=n_words)
            counts.sum_duplicates()
            document_frequency += np.bincount(counts.indices, minlength=n_words)
            n_documents += counts.shape[0]
        if n_documents == 0:
            raise ValueError("fit needs at least one document; got none")
        if self.pooling == "tfidf":
            # smoothed idf, as TfidfTransformer(smooth_idf=True) defines it
            self.idf_ = np.log((1 + n_documents) / (1 + document_frequency)) + 1
            return
        probability = word_count / max(word_count.sum(), 1)
        self.sif_weights_ = self.sif_smoothing / (self.sif_smoothing + probability)
        # The first principal component of the weighted means is the top
        # eigenvector of their Gram matrix, summed chunk by chunk: memory stays
        # (n_dims, n_dims) however long the corpus is.
        width = self.wv_.vector_size
        gram = np.zeros((width, width))
        for tokens in _token_chunks(corpus):
            weighted_means = self._pool(tokens).astype(np.float64)
            gram += weighted_means.T @ weighted_means
        component = np.linalg.eigh(gram)[1][:, -1] if gram.any() else np.zeros(width)
        self.common_component_ = component.astype(np.float32).reshape(1, width)

    # --- tokenizing --------------------------------------------------------

    def _tokenized(self, X):
        """The token lists of the documents X, in order, by this vectorizer's
        tokenizing rules (and with its errors for bad documents)."""
        return list(_TokenStream(_documents(X), self._analyzer()))

    def _analyzer(self):
        return CountVectorizer(
            input=self.input,
            encoding=self.encoding,
            decode_error=self.decode_error,
            lowercase=self.lowercase,
            preprocessor=self.preprocessor,
            tokenizer=self.tokenizer,
            token_pattern=self.token_pattern,
        ).build_analyzer()

    # --- pooling -----------------------------------------------------------

    def _rows(self, token_chunks, n_documents):
        """Pooled rows of each chunk, written into one array as they come."""
        rows = (self._pool(token_lists) for token_lists in token_chunks)
        if n_documents is None:  # length unknown: keep the chunks, then stack
            return np.vstack([*rows, self._empty_rows()])
        out = np.empty((n_documents, self._n_features_out), dtype=np.float32)
        start = 0
        for chunk in rows:
            out[start : start + len(chunk)] = chunk
            start += len(chunk)
        return out

    def _empty_rows(self):
        return np.zeros((0, self._n_features_out), dtype=np.float32)

    def _count_matrix(self, token_lists):
        """Sparse count matrices of known and (for fastText) unknown words.

        Returns ``(known, unknown, unknown_vectors)``: ``known`` has one column per
        word of ``wv_``; ``unknown`` one per distinct fastText out-of-vocabulary
        word of this chunk, whose vectors are the rows of ``unknown_vectors``.
        Repeated words stay as duplicate entries, which every product sums.
        """
        n_documents = len(token_lists)
        lengths = np.fromiter(map(len, token_lists), np.int64, n_documents)
        tokens = list(chain.from_iterable(token_lists))
        ids = np.fromiter(
            map(self.wv_.key_to_index.get, tokens, repeat(-1)), np.int64, len(tokens)
        )
        rows = np.repeat(np.arange(n_documents), lengths)
        is_known = ids >= 0
        known = _rows_to_csr(rows[is_known], ids[is_known], n_documents, len(self.wv_))
        width = self.wv_.vector_size
        if not isinstance(self.wv_, FastTextKeyedVectors) or is_known.all():
            empty = sp.csr_matrix((n_documents, 0), dtype=np.float32)
            return known, empty, np.zeros((0, width), dtype=np.float32)
        column_of = {}
        columns = [
            column_of.setdefault(tokens[i], len(column_of))
            for i in np.flatnonzero(~is_known)
        ]
        unknown = _rows_to_csr(rows[~is_known], columns, n_documents, len(column_of))
        unknown_vectors = np.array(
            [self.wv_.get_vector(word) for word in column_of], dtype=np.float32
        ).reshape(-1, width)
        return known, unknown, unknown_vectors

    def _pool(self, token_lists):
        known, unknown, unknown_vectors = self._count_matrix(token_lists)
        vectors = self.wv_.vectors
        if self.pooling == "max":
            return _max_pool(known, vectors, unknown, unknown_vectors)
        if self.pooling == "tfidf":
            known.data *= self.idf_[known.indices]
            unknown.data *= self.idf_.max()  # never seen in fit: rarest possible
        # tf-idf divides by the sum of weights, the others by the number of words
        denominator = _row_sums(known) + _row_sums(unknown)
        if self.pooling == "sif":
            known.data *= self.sif_weights_[known.indices]  # unknown words: 1
        total = known @ vectors + unknown @ unknown_vectors
        mean = np.divide(
            total,
            denominator[:, None],
            out=np.zeros(total.shape, dtype=np.float32),
            where=denominator[:, None] > 0,
        )
        if self.pooling == "mean+max":
            maximum = _max_pool(known, vectors, unknown, unknown_vectors)
            return np.hstack([mean, maximum])
        # absent while fit itself computes the weighted means it is learned from
        if self.pooling == "sif" and hasattr(self, "common_component_"):
            mean -= (mean @ self.common_component_.T) @ self.common_component_
        return mean


class _TokenStream:
    """Tokenized documents, re-read from ``documents`` on every iteration."""

    def __init__(self, documents, analyze):
        self.documents = documents
        self.analyze = analyze

    def __iter__(self):
        for position, doc in enumerate(self.documents):
            yield _tokenize(doc, self.analyze, position)


def _token_chunks(token_lists):
    """Consecutive groups of token lists, bounded in documents and in tokens."""
    chunk, n_tokens = [], 0
    for tokens in token_lists:
        chunk.append(tokens)
        n_tokens += len(tokens)
        if len(chunk) == _CHUNK_SIZE or n_tokens >= _CHUNK_TOKENS:
            yield chunk
            chunk, n_tokens = [], 0
    if chunk:
        yield chunk


class _TrainingPieces:
    """Documents cut into pieces that gensim trains on whole.

    gensim silently skips the words of a document past its first
    ``MAX_WORDS_IN_BATCH`` (10,000); cutting long documents keeps every word.
    """

    def __init__(self, corpus):
        self.corpus = corpus

    def __iter__(self):
        for tokens in self.corpus:
            if len(tokens) <= MAX_WORDS_IN_BATCH:
                yield tokens
            else:
                for start in range(0, len(tokens), MAX_WORDS_IN_BATCH):
                    yield tokens[start : start + MAX_WORDS_IN_BATCH]


def _tokenize(doc, analyze, position):
    """The tokens of one document; ``position`` numbers it in errors."""
    if isinstance(doc, list | tuple):
        tokens = doc  # pre-tokenized
    else:
        try:
            tokens = analyze(doc)
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"document {position} is not valid text in the encoding given "
                f"({exc}); set encoding=, or decode_error='replace' to keep going"
            ) from exc
        except (AttributeError, TypeError, ValueError) as exc:
            if not isinstance(doc, str | bytes | os.PathLike):
                raise TypeError(
                    f"document {position} is {describe(doc)}; expected a str "
                    "(or bytes, or a list of str tokens)"
                ) from exc
            raise
    if not set(map(type, tokens)) <= _TOKEN_TYPES:
        token = next(token for token in tokens if not isinstance(token, str))
        raise TypeError(
            f"document {position} holds the token {token!r} of type "
            f"{type(token).__name__}; token lists must hold only str"
        )
    return tokens


def _documents(X):
    """Check that ``X`` is a collection of documents and return it as one."""
    if isinstance(X, str | bytes):
        raise ValueError(
            "Iterable over raw text documents expected, string object received; "
            "wrap a single document in a list: [document]"
        )
    return one_column(X, items="text documents", column="text")


def _is_reiterable_collection(X):
    """True for collections streamed on each pass instead of held in memory."""
    return not isinstance(X, Sequence | np.ndarray) and iter(X) is not X


def _rows_to_csr(rows, columns, n_rows, n_columns):
    """CSR matrix with a 1 at each (row, column); ``rows`` is sorted."""
    indptr = np.searchsorted(rows, np.arange(n_rows + 1))
    data = np.ones(len(rows), dtype=np.float32)
    return sp.csr_matrix(
        (data, np.asarray(columns, dtype=np.int64), indptr), shape=(n_rows, n_columns)
    )


def _row_sums(matrix):
    return np.asarray(matrix.sum(axis=1), dtype=np.float32).ravel()


def _max_pool(known, vectors, unknown, unknown_vectors):
    """Element-wise maximum of each row's word vectors (zeros for no words)."""
    combined = sp.hstack([known, unknown], format="csr")
    combined.sum_duplicates()  # a repeated word needs looking at once
    ids = combined.indices
    n_known = known.shape[1]
    token_vectors = np.empty((len(ids), vectors.shape[1]), dtype=np.float32)
    is_known = ids < n_known
    token_vectors[is_known] = vectors[ids[is_known]]
    token_vectors[~is_known] = unknown_vectors[ids[~is_known] - n_known]
    out = np.zeros((combined.shape[0], vectors.shape[1]), dtype=np.float32)
    non_empty = np.diff(combined.indptr) > 0
    if non_empty.any():
        starts = combined.indptr[:-1][non_empty]
        out[non_empty] = np.maximum.reduceat(token_vectors, starts, axis=0)
    return out
