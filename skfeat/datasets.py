"""Small real data sets: the ones installed packages ship, and MR fetched once;
and the user's own images, one folder per class.

Every loader returns a :class:`sklearn.utils.Bunch` like scikit-learn's own
``load_*`` and ``fetch_*`` functions. Nothing here downloads anything except
:func:`fetch_sentence_polarity`, and it only once: later calls read its cache.
"""

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


class _LegacyBunchUnpickler(pickle.Unpickler):
    """Unpickle gensim's Python 2 pickle of an old scikit-learn Bunch, and no more.

    ``pickle.load`` would import and call whatever the file names; this only
    resolves the six globals that file needs, so a tampered file cannot run code.
    """

    _GLOBALS = {
        ("copy_reg", "_reconstructor"): copyreg._reconstructor,
        ("__builtin__", "dict"): dict,
        ("sklearn.datasets.base", "Bunch"): Bunch,
        ("numpy", "ndarray"): np.ndarray,
        ("numpy", "dtype"): np.dtype,
        # numpy's array-unpickling helper, looked up without naming its private home
        ("numpy.core.multiarray", "_reconstruct"): np.ndarray.__reduce__(np.zeros(1))[
            0
        ],
    }

    def find_class(self, module, name):
        try:
            return self._GLOBALS[module, name]
        except KeyError:
            raise pickle.UnpicklingError(
                f"refusing to load {module}.{name} from the mini_newsgroup file"
            ) from None


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


def _download_sentence_polarity(folder):
    """Download the MR archive, check it and unpack its two files into folder."""
    try:
        with urllib.request.urlopen(SENTENCE_POLARITY_URL, timeout=30) as response:
            archive = response.read()
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise OSError(
            f"Could not download the sentence polarity data set from "
            f"{SENTENCE_POLARITY_URL}: {reason}. Connect to the network and try "
            f"again, or put rt-polarity.pos and rt-polarity.neg (one sentence per "
            f"line) into {folder}."
        ) from exc
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
        # write beside the target, then rename: a crash never leaves half a file
        with tempfile.NamedTemporaryFile(dir=folder, delete=False) as tmp:
            tmp.write(content)
        os.replace(tmp.name, folder / name)


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
