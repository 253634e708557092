"""Small real data sets: the ones installed packages ship, MR and CIFAR-10
fetched once; and the user's own images, one folder per class.

Every loader returns a :class:`sklearn.utils.Bunch` like scikit-learn's own
``load_*`` and ``fetch_*`` functions. Nothing here downloads anything except
:func:`fetch_sentence_polarity` and :func:`fetch_cifar10`, and each only once:
later calls read its cache.
"""

import codecs
import copyreg
import io
import os
import pickle
import tarfile
import tempfile
import urllib.error
import urllib.request
import warnings
import zlib
from itertools import chain
from pathlib import Path

import numpy as np
from sklearn.datasets import get_data_home, load_digits
from sklearn.utils import Bunch
from sklearn.utils._param_validation import StrOptions, validate_params

from skfeat._images import (
    COLOR_MODES,
    IMAGE_EXTENSIONS,
    INTERPOLATIONS,
    check_image_size,
    list_image_folder,
    read_images,
)

__all__ = [
    "fetch_cifar10",
    "fetch_sentence_polarity",
    "load_digit_images",
    "load_image_folder",
    "load_mini_newsgroups",
    "load_mini_sentence_polarity",
    "load_wikipedia_sample",
]

SENTENCE_POLARITY_URL = (
    "https://www.cs.cornell.edu/people/pabo/movie-review-data/rt-polaritydata.tar.gz"
)
# the files MR unpacks to, and how many sentences each must hold (Pang & Lee 2005)
_POLARITY_FILES = {"rt-polarity.neg": 5331, "rt-polarity.pos": 5331}


def _gensim_test_file(name):
    # imported here: gensim is only needed once a gensim-shipped file is asked for
    from gensim.test.utils import datapath

    return Path(datapath(name))


# numpy's array-unpickling helper, looked up without naming its private home
_NUMPY_RECONSTRUCT = np.ndarray.__reduce__(np.zeros(1))[0]


class _RestrictedUnpickler(pickle.Unpickler):
    """Unpickle only arrays, plain containers and the few globals listed.

    ``pickle.load`` would import and call whatever the file names; this
    resolves only ``_GLOBALS``, so a tampered file cannot run code.
    """

    _GLOBALS = {
        ("numpy", "ndarray"): np.ndarray,
        ("numpy", "dtype"): np.dtype,
        # the helper's home before and since NumPy 2
        ("numpy.core.multiarray", "_reconstruct"): _NUMPY_RECONSTRUCT,
        ("numpy._core.multiarray", "_reconstruct"): _NUMPY_RECONSTRUCT,
        # how Python 3's protocol 2 writes bytes; it can only encode text
        ("_codecs", "encode"): codecs.encode,
    }
    _WHAT = "this file"

    def find_class(self, module, name):
        try:
            return self._GLOBALS[module, name]
        except KeyError:
            raise pickle.UnpicklingError(
                f"refusing to load {module}.{name} from {self._WHAT}"
            ) from None


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


def load_digit_images(*, return_X_y=False):
    """Load scikit-learn's handwritten digits as 8x8 images scaled to [0, 1].

    The 1,797 images of :func:`sklearn.datasets.load_digits`, shaped for a CNN:
    ``(n_images, 8, 8)`` float32, grey levels divided by 16.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (ndarray of shape (1797, 8, 8)), ``target`` (ndarray of int),
        ``target_names`` (ndarray of int, 0 to 9) and ``DESCR`` (str).
    (data, target) : tuple if ``return_X_y`` is True

    Examples
    --------
    >>> from skfeat.datasets import load_digit_images
    >>> digits = load_digit_images()
    >>> digits.data.shape, digits.data.dtype, float(digits.data.max())
    ((1797, 8, 8), dtype('float32'), 1.0)
    """
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)
    if return_X_y:
        return images, digits.target
    return Bunch(
        data=images,
        target=digits.target,
        target_names=digits.target_names,
        DESCR=digits.DESCR,
    )


def _read_polarity_file(path):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # the original MR files are Latin-1
        text = raw.decode("latin-1")
    return text.splitlines()


def _download(url, what, advice):
    """The bytes at ``url``; an OSError naming ``what`` and ``advice`` if the
    download fails."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read()
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise OSError(
            f"Could not download {what} from {url}: {reason}. Connect to the "
            f"network and try again, or {advice}"
        ) from exc


def _write_atomically(path, write):
    """Call ``write(file)`` on a file beside ``path``, then rename it to
    ``path``: a crash never leaves half a file there."""
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
        try:
            write(tmp)
        except BaseException:
            tmp.close()
            os.unlink(tmp.name)
            raise
    os.replace(tmp.name, path)


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


CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
# the batches the python archive holds for each subset, and their image counts
_CIFAR10_BATCHES = {
    "train": [f"data_batch_{i}" for i in range(1, 6)],
    "test": ["test_batch"],
}
_CIFAR10_SIZES = {"train": 50_000, "test": 10_000}
_CIFAR10_SUBSETS = {"train": ["train"], "test": ["test"], "all": ["train", "test"]}


class _Cifar10Unpickler(_RestrictedUnpickler):
    _WHAT = "the CIFAR-10 archive"


def _download_cifar10(folder):
    """Download the CIFAR-10 python archive and keep its images as arrays.

    Each subset becomes ``folder/<subset>.npz`` (uint8 images of shape
    (n, 32, 32, 3), channels last, and int labels), and ``label_names.txt``.
    """
    archive = _download(
        CIFAR10_URL,
        "CIFAR-10",
        f"download cifar-10-python.tar.gz elsewhere and call "
        f"skfeat.datasets.fetch_cifar10(data_home=...) there, then copy "
        f"{folder} here.",
    )
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            # read only the members we need, by name: nothing is unpacked
            members = {Path(m.name).name: m for m in tar.getmembers() if m.isfile()}
            needed = [*chain.from_iterable(_CIFAR10_BATCHES.values()), "batches.meta"]
            missing = [name for name in needed if name not in members]
            if missing:
                raise OSError(
                    f"The archive downloaded from {CIFAR10_URL} lacks "
                    f"{', '.join(missing)}; it is not the CIFAR-10 python archive."
                )
            batches = {
                name: _Cifar10Unpickler(
                    tar.extractfile(members[name]), encoding="bytes"
                ).load()
                for name in needed
            }
    except (tarfile.TarError, EOFError, zlib.error, pickle.UnpicklingError) as exc:
        raise OSError(
            f"The file downloaded from {CIFAR10_URL} is not a readable CIFAR-10 "
            f"archive ({exc})."
        ) from exc
    folder.mkdir(parents=True, exist_ok=True)
    for subset, names in _CIFAR10_BATCHES.items():
        # rows are 3,072 bytes: the red plane, then green, then blue, 32 × 32 each
        planes = np.concatenate([batches[name][b"data"] for name in names])
        images = np.ascontiguousarray(
            planes.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        )
        labels = np.concatenate([batches[name][b"labels"] for name in names])
        _write_atomically(
            folder / f"{subset}.npz",
            lambda file, i=images, y=labels: np.savez(file, images=i, labels=y),
        )
    names = [name.decode("ascii") for name in batches["batches.meta"][b"label_names"]]
    _write_atomically(
        folder / "label_names.txt",
        lambda file: file.write("\n".join(names).encode("ascii")),
    )


def fetch_cifar10(
    *, subset="train", data_home=None, download_if_missing=True, return_X_y=False
):
    """Load the CIFAR-10 colour images, downloading them the first time.

    60,000 photos of 32×32 pixels in 10 classes (airplane, automobile, bird,
    cat, deer, dog, frog, horse, ship, truck): 50,000 for training, 10,000 for
    testing. Krizhevsky, "Learning Multiple Layers of Features from Tiny
    Images", 2009. The first call downloads the official python archive
    (163 MB) and keeps the images as arrays in ``data_home/cifar10``; later
    calls read them from there.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which images: the 50,000 training ones, the 10,000 test ones, or all,
        training first.
    data_home : str or path-like, default=None
        Where to cache the data. By default the folder that
        :func:`sklearn.datasets.get_data_home` names: the ``SCIKIT_LEARN_DATA``
        environment variable if set, else ``~/scikit_learn_data``.
    download_if_missing : bool, default=True
        If False, raise :class:`OSError` instead of downloading when the data
        is not in the cache.
    return_X_y : bool, default=False
        Return ``(images, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``images`` (uint8 ndarray of shape (n, 32, 32, 3), RGB, channels last,
        as users hold images), ``target`` (ndarray of int, 0 to 9),
        ``target_names`` (list of str) and ``DESCR`` (str).
    (images, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    OSError
        If the data is not cached and cannot be downloaded, or if what was
        downloaded or cached is not CIFAR-10.

    Examples
    --------
    >>> import tempfile
    >>> from skfeat.datasets import fetch_cifar10
    >>> fetch_cifar10(data_home=tempfile.mkdtemp(), download_if_missing=False)
    Traceback (most recent call last):
    ...
    OSError: CIFAR-10 is not in .../cifar10 ...
    """
    if subset not in _CIFAR10_SUBSETS:
        raise ValueError(f"subset={subset!r} is not one of {sorted(_CIFAR10_SUBSETS)}")
    folder = Path(get_data_home(data_home)) / "cifar10"
    files = [folder / f"{name}.npz" for name in _CIFAR10_SIZES]
    if not all(path.is_file() for path in [*files, folder / "label_names.txt"]):
        if not download_if_missing:
            raise OSError(
                f"CIFAR-10 is not in {folder} and download_if_missing=False; call "
                "fetch_cifar10() once with network access to download it."
            )
        _download_cifar10(folder)
    images, target = [], []
    for name in _CIFAR10_SUBSETS[subset]:
        with np.load(folder / f"{name}.npz") as arrays:
            part, labels = arrays["images"], arrays["labels"].astype(np.int64)
        if part.shape != (_CIFAR10_SIZES[name], 32, 32, 3) or len(labels) != len(part):
            raise OSError(
                f"{folder / name}.npz holds images of shape {part.shape}, not "
                f"CIFAR-10's ({_CIFAR10_SIZES[name]}, 32, 32, 3); delete {folder} "
                "and fetch again."
            )
        images.append(part)
        target.append(labels)
    images = images[0] if len(images) == 1 else np.concatenate(images)
    target = np.concatenate(target)
    if return_X_y:
        return images, target
    return Bunch(
        images=images,
        target=target,
        target_names=(folder / "label_names.txt").read_text().split(),
        DESCR=(
            "CIFAR-10: 60,000 colour images of 32x32 pixels in 10 classes, "
            "50,000 for training and 10,000 for testing. Alex Krizhevsky, "
            "'Learning Multiple Layers of Features from Tiny Images', 2009."
        ),
    )


@validate_params(
    {
        "directory": [str, os.PathLike],
        "image_size": [tuple, list, None],
        "color_mode": [StrOptions(set(COLOR_MODES))],
        "interpolation": [StrOptions(set(INTERPOLATIONS))],
        "crop_to_aspect_ratio": ["boolean"],
        "allowed_extensions": [tuple, list],
        "on_error": [StrOptions({"raise", "skip"})],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_image_folder(
    directory,
    *,
    image_size=(256, 256),
    color_mode="rgb",
    interpolation="bilinear",
    crop_to_aspect_ratio=False,
    allowed_extensions=IMAGE_EXTENSIONS,
    on_error="raise",
    return_X_y=False,
):
    """Load a folder of image files, one sub-folder per class, into memory.

    The layout of :func:`sklearn.datasets.load_files` and Keras'
    ``image_dataset_from_directory``::

        directory/
            cat/
                cat_001.jpg
                ...
            dog/
                dog_001.png
                ...

    Classes are the sub-folders' names in sorted order; ``target`` holds each
    image's class index. Each class's files are read from its sub-folder and the
    folders below it, in sorted order. Files whose names do not end in one of
    ``allowed_extensions`` (a README, ``.DS_Store``) are not images and are
    ignored. Every image is decoded with Pillow, converted to ``color_mode`` and
    resized to ``image_size``, and the pixels are kept as ``uint8``: a quarter
    of the memory of float32.

    Parameters
    ----------
    directory : str or path-like
        The folder holding one sub-folder per class.
    image_size : (int, int) or None, default=(256, 256)
        ``(height, width)`` every image is resized to, as in Keras. None keeps
        each image's own size; all images must then have the same size.
    color_mode : {"rgb", "grayscale", "rgba"}, default="rgb"
        Channels of the images: 3, 1 or 4. Grey and palette images are expanded
        to RGB, colour images reduced to grey, and transparency dropped for
        ``"rgb"`` (the stored colour of transparent pixels is kept), all as
        Pillow's ``Image.convert`` does it, like ``keras.utils.load_img``.
        16-bit images are scaled to 8 bits.
    interpolation : {"bilinear", "nearest", "bicubic", "lanczos", "box", \
"hamming"}, default="bilinear"
        Pillow's resampling filter used to resize.
    crop_to_aspect_ratio : bool, default=False
        Crop the centre of each image to the aspect ratio of ``image_size``
        before resizing, instead of stretching it; as in Keras.
    allowed_extensions : sequence of str, default=(".bmp", ".gif", ".jpeg", \
".jpg", ".png", ".webp")
        File name endings of the files to read, in any case. Pillow tells the
        format from the file's bytes, so other formats it reads (``".tif"``)
        may be added.
    on_error : {"raise", "skip"}, default="raise"
        What to do with a file that cannot be decoded (damaged, truncated, not
        an image): raise an :class:`OSError` naming it, or leave it out and warn
        once, listing every file left out.
    return_X_y : bool, default=False
        Return ``(images, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``images`` (ndarray of uint8, shape (n_images, height, width,
        channels)), ``target`` (ndarray of int64), ``target_names`` (list of
        str), ``filenames`` (ndarray of str, each image's path) and ``DESCR``
        (str).
    (images, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    FileNotFoundError
        If ``directory`` does not exist.
    ValueError
        If it has no sub-folders or they hold no image files, or if
        ``image_size=None`` and the images differ in size.
    OSError
        If a file cannot be decoded and ``on_error="raise"``; the message
        names the file.

    See Also
    --------
    skfeat.image.ImageLoader : Read images from file paths inside a pipeline.
    sklearn.datasets.load_files : The same layout, for text files.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from PIL import Image
    >>> from skfeat.datasets import load_image_folder
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name, shade in [("dark", 30), ("light", 220)]:
    ...     (folder / name).mkdir()
    ...     for i in range(3):
    ...         pixels = np.full((40, 30, 3), shade + i, dtype=np.uint8)
    ...         Image.fromarray(pixels).save(folder / name / f"{i}.png")
    >>> data = load_image_folder(folder, image_size=(32, 32))
    >>> data.images.shape, data.images.dtype
    ((6, 32, 32, 3), dtype('uint8'))
    >>> data.target_names, data.target.tolist()
    (['dark', 'light'], [0, 0, 0, 1, 1, 1])
    """
    check_image_size(image_size)
    filenames, target, target_names = list_image_folder(
        directory, allowed_extensions=allowed_extensions
    )
    images, unreadable = read_images(
        filenames,
        image_size=None if image_size is None else tuple(image_size),
        color_mode=color_mode,
        interpolation=interpolation,
        crop=crop_to_aspect_ratio,
        skip_unreadable=on_error == "skip",
    )
    if unreadable:
        if len(unreadable) == len(filenames):
            raise OSError(
                f"none of the {len(filenames)} image files in {directory} could "
                f"be read; the first: {unreadable[0][1]}"
            )
        warnings.warn(
            f"skipped {len(unreadable)} of {len(filenames)} image files that "
            "could not be read:\n" + "\n".join(str(error) for _, error in unreadable),
            UserWarning,
            stacklevel=3,  # the caller of validate_params' wrapper
        )
        kept = np.ones(len(filenames), dtype=bool)
        kept[[position for position, _ in unreadable]] = False
        filenames = [name for name, keep in zip(filenames, kept, strict=True) if keep]
        target = target[kept]
    if return_X_y:
        return images, target
    height, width, channels = images.shape[1:]
    return Bunch(
        images=images,
        target=target,
        target_names=target_names,
        filenames=np.asarray(filenames),
        DESCR=(
            f"{len(images)} images in {len(target_names)} classes read from "
            f"{os.fspath(directory)}, one sub-folder per class, as {height}×{width} "
            f"{color_mode} images ({channels} channel(s), uint8)."
        ),
    )
