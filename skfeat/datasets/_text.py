"""Text sets: the ones gensim ships and the MR sentence polarity set, fetched
once."""

import copyreg
import io
import tarfile
import zlib
from pathlib import Path

import numpy as np
from sklearn.datasets import get_data_home
from sklearn.utils import Bunch

from skfeat.datasets._download import _download, _RestrictedUnpickler, _write_atomically

SENTENCE_POLARITY_URL = (
    "https://www.cs.cornell.edu/people/pabo/movie-review-data/rt-polaritydata.tar.gz"
)
# the files MR unpacks to, and how many sentences each must hold (Pang & Lee 2005)
_POLARITY_FILES = {"rt-polarity.neg": 5331, "rt-polarity.pos": 5331}


def _gensim_test_file(name):
    # imported here: gensim is only needed once a gensim-shipped file is asked for
    from gensim.test.utils import datapath

    return Path(datapath(name))


class _LegacyBunchUnpickler(_RestrictedUnpickler):
    """Unpickle gensim's Python 2 pickle of an old scikit-learn Bunch, and no more."""

    _GLOBALS = {
        **_RestrictedUnpickler._GLOBALS,
        ("copy_reg", "_reconstructor"): copyreg._reconstructor,
        ("__builtin__", "dict"): dict,
        ("sklearn.datasets.base", "Bunch"): Bunch,
    }
    _WHAT = "the mini_newsgroup file"


def _strip_header(post):
    # a post's header ends at its first blank line; it names the newsgroup itself
    return post.partition("\n\n")[2]


def load_mini_newsgroups(*, remove_headers=True, return_X_y=False):
    """Load the 200 newsgroup posts that gensim ships, in two classes.

    ``alt.atheism`` (0) and ``sci.space`` (1), 100 posts each, taken from the
    20 newsgroups corpus. Read from gensim's test data; nothing is downloaded.

    Parameters
    ----------
    remove_headers : bool, default=True
        Drop each post's header (everything before its first blank line). The
        header names the newsgroup, so keeping it leaks the label.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (list of str), ``target`` (ndarray of int, shape (200,)),
        ``target_names`` (list of str) and ``DESCR`` (str).
    (data, target) : tuple if ``return_X_y`` is True

    Examples
    --------
    >>> from skfeat.datasets import load_mini_newsgroups
    >>> posts = load_mini_newsgroups()
    >>> len(posts.data), posts.target_names
    (200, ['alt.atheism', 'sci.space'])
    >>> posts.data[0].startswith("Newsgroups:")
    False
    """
    raw = zlib.decompress(_gensim_test_file("mini_newsgroup").read_bytes())
    # latin1 maps the Python 2 byte strings inside numpy's pickled arrays 1:1
    legacy = _LegacyBunchUnpickler(io.BytesIO(raw), encoding="latin1").load()
    data = [str(post) for post in legacy["data"]]
    if remove_headers:
        data = [_strip_header(post) for post in data]
    target = np.asarray(legacy["target"], dtype=np.int64)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        target_names=[str(name) for name in legacy["target_names"]],
        DESCR=(
            "Mini 20 newsgroups: 200 posts (100 alt.atheism, 100 sci.space) from "
            "the 20 newsgroups corpus, as shipped in gensim's test data."
            + (" Headers removed." if remove_headers else "")
        ),
    )


def load_mini_sentence_polarity(*, return_X_y=False):
    """Load the 200 labelled MR movie-review sentences that gensim ships.

    A sample of the sentence polarity data set (see
    :func:`fetch_sentence_polarity`): 100 negative (0) and 100 positive (1)
    sentences, lowercased and tokenized. Read from gensim's test data; nothing
    is downloaded.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (list of str), ``target`` (ndarray of int, shape (200,)),
        ``target_names`` (``['neg', 'pos']``) and ``DESCR`` (str).
    (data, target) : tuple if ``return_X_y`` is True

    Examples
    --------
    >>> from skfeat.datasets import load_mini_sentence_polarity
    >>> reviews = load_mini_sentence_polarity()
    >>> reviews.data[0], reviews.target_names[reviews.target[0]]
    ('simplistic , silly and tedious .', 'neg')
    """
    lines = _read_polarity_file(_gensim_test_file("pang_lee_polarity.cor"))
    target_names = ["neg", "pos"]
    data, target = [], []
    for line in lines:
        label, _, sentence = line.partition(" ")
        data.append(sentence.strip())
        target.append(target_names.index(label.removeprefix("__label__")))
    target = np.asarray(target, dtype=np.int64)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        target_names=target_names,
        DESCR=(
            "200 sentences (100 negative, 100 positive) of the sentence polarity "
            "data set v1.0 (MR, Pang and Lee 2005), as shipped in gensim's test "
            "data (pang_lee_polarity.cor)."
        ),
    )


def load_wikipedia_sample():
    """Load gensim's sample of 250 English Wikipedia articles, for word vectors.

    Unlabelled text to train word vectors on before they are used elsewhere.
    Each article is one string of lowercased, stop-word-free, Porter-stemmed
    tokens separated by spaces, as made by
    :func:`gensim.parsing.preprocessing.preprocess_string`; tokenize other text
    with that function so that its words meet these.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (list of 250 str) and ``DESCR`` (str).

    Examples
    --------
    >>> from skfeat.datasets import load_wikipedia_sample
    >>> articles = load_wikipedia_sample().data
    >>> len(articles), articles[0].split()[:3]
    (250, ['anarch', 'greek', 'rule'])
    """
    path = _gensim_test_file("head500.noblanks.cor")
    data = path.read_text(encoding="utf-8").splitlines()
    return Bunch(
        data=data,
        DESCR=(
            "250 articles from the head of an English Wikipedia dump, preprocessed "
            "(lowercased, stop words removed, Porter-stemmed), as shipped in "
            "gensim's test data (head500.noblanks.cor)."
        ),
    )


def _read_polarity_file(path):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # the original MR files are Latin-1
        text = raw.decode("latin-1")
    return text.splitlines()


def _download_sentence_polarity(folder):
    """Download the MR archive, check it and unpack its two files into folder."""
    archive = _download(
        SENTENCE_POLARITY_URL,
        "the sentence polarity data set",
        f"put rt-polarity.pos and rt-polarity.neg (one sentence per line) into "
        f"{folder}.",
    )
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            # read only the two members we need, by name: nothing else is unpacked
            members = {Path(m.name).name: m for m in tar.getmembers() if m.isfile()}
            contents = {
                name: tar.extractfile(members[name]).read()
                for name in _POLARITY_FILES
                if name in members
            }
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise OSError(
            f"The file downloaded from {SENTENCE_POLARITY_URL} is not a readable "
            f".tar.gz archive ({exc})."
        ) from exc
    missing = sorted(set(_POLARITY_FILES) - set(contents))
    if missing:
        raise OSError(
            f"The archive downloaded from {SENTENCE_POLARITY_URL} lacks "
            f"{', '.join(missing)}; it is not the sentence polarity data set."
        )
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in contents.items():
        _write_atomically(
            folder / name, lambda file, content=content: file.write(content)
        )


def fetch_sentence_polarity(
    *, data_home=None, download_if_missing=True, return_X_y=False
):
    """Load the sentence polarity data set (MR), downloading it the first time.

    10,662 movie-review sentences from Rotten Tomatoes, 5,331 negative (0) and
    5,331 positive (1); Pang and Lee, ACL 2005. The first call downloads
    ``rt-polaritydata.tar.gz`` and keeps its two text files in
    ``data_home/sentence_polarity``; later calls read them from there.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Where to cache the data. By default the folder that
        :func:`sklearn.datasets.get_data_home` names: the ``SCIKIT_LEARN_DATA``
        environment variable if set, else ``~/scikit_learn_data``.
    download_if_missing : bool, default=True
        If False, raise :class:`OSError` instead of downloading when the data
        is not in the cache.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (list of 10,662 str, negatives first), ``target`` (ndarray of
        int), ``target_names`` (``['neg', 'pos']``) and ``DESCR`` (str).
    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    OSError
        If the data is not cached and cannot be downloaded, or if what was
        downloaded or cached is not the sentence polarity data set.

    Examples
    --------
    >>> import tempfile
    >>> from skfeat.datasets import fetch_sentence_polarity
    >>> empty_cache = tempfile.mkdtemp()
    >>> fetch_sentence_polarity(data_home=empty_cache, download_if_missing=False)
    Traceback (most recent call last):
    ...
    OSError: The sentence polarity data set is not in .../sentence_polarity ...
    """
    folder = Path(get_data_home(data_home)) / "sentence_polarity"
    cached = all((folder / name).is_file() for name in _POLARITY_FILES)
    if not cached:
        if not download_if_missing:
            raise OSError(
                f"The sentence polarity data set is not in {folder} and "
                f"download_if_missing=False; call fetch_sentence_polarity() once "
                f"with network access to download it."
            )
        _download_sentence_polarity(folder)
    data, target = [], []
    for label, (name, expected) in enumerate(_POLARITY_FILES.items()):
        sentences = _read_polarity_file(folder / name)
        if len(sentences) != expected:
            raise OSError(
                f"{folder / name} has {len(sentences)} sentences but the sentence "
                f"polarity data set has {expected}; delete {folder} and fetch again."
            )
        data += sentences
        target += [label] * expected
    target = np.asarray(target, dtype=np.int64)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        target_names=["neg", "pos"],
        DESCR=(
            "Sentence polarity data set v1.0 (MR): 10,662 movie-review snippets "
            "from Rotten Tomatoes, 5,331 negative and 5,331 positive. Bo Pang and "
            "Lillian Lee, 'Seeing stars: Exploiting class relationships for "
            "sentiment categorization with respect to rating scales', ACL 2005."
        ),
    )
