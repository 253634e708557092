"""Bad input, case by case: the intended exception and a message naming the problem.

Every case here is listed in the docs (docs/user_guide/reliability.rst); the last
test keeps the two in step. Cases that nothing must lose (row counts and order)
follow the table.
"""

import contextlib
import functools
import io
import os
import re
import signal
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import soundfile
from gensim.test.utils import datapath
from PIL import Image
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skfeat.audio import MFCC, AudioLoader, LogMelSpectrogram
from skfeat.cli import main
from skfeat.datasets import load_audio_folder, load_image_folder
from skfeat.image import (
    CNNClassifier,
    CNNRegressor,
    ImageLoader,
    PretrainedImageEncoder,
)
from skfeat.text import (
    NgramCNNClassifier,
    TextCNNClassifier,
    TextCNNRegressor,
    Word2VecVectorizer,
)

DOCS_TABLE = Path(__file__).parents[1] / "docs" / "user_guide" / "reliability.rst"

WORDS = ["the cat sat on the mat", "the dog sat on the log", "a cat and a dog"]


def vectorizer(**params):
    defaults = {"vector_size": 4, "min_count": 1, "workers": 1, "random_state": 0}
    return Word2VecVectorizer(**{**defaults, **params})


def fitted_vectorizer():
    return vectorizer().fit(WORDS)


def used_up_generator():
    generator = (doc for doc in WORDS)
    list(generator)
    return generator


def cut_file(tmp_path, name, keep):
    data = Path(datapath(name)).read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def latin1_file(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("first line\ncaf\xe9\n".encode("latin-1"))
    return path


def cli(*argv):
    """Run the CLI; turn its exit status into an exception for the table."""
    try:
        status = main([str(arg) for arg in argv])
    except SystemExit as exit_info:
        status = exit_info.code
    if status:
        raise CliError(status)


class CliError(Exception):
    pass


# No entry point may run longer than this on a damaged file under 1 MB.
DAMAGED_FILE_SECONDS = 10


def within_time_limit(action, *args):
    """Call ``action``, raising TimeoutError rather than hanging the test run:
    gensim's fastText reader once looped forever on a damaged file."""

    def stop(signal_number, frame):
        raise TimeoutError(f"still running after {DAMAGED_FILE_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, DAMAGED_FILE_SECONDS)
    try:
        return action(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def linked(tmp_path, target, name, link):
    """``name`` in tmp_path: a symbolic or hard link (os.symlink, os.link) to
    ``target``."""
    path = tmp_path / name
    link(target, path)
    return path


# two words of a GloVe file: no header, a word and its values on each line
GLOVE = "the 0.1 0.2 0.3 0.4\ncat 0.5 0.6 0.7 0.8\n"


def random_bin(tmp_path):
    """2,000 random bytes in a file named .bin, as fastText models are; seed 1
    makes its vocabulary size positive, as it is in half of such files."""
    path = tmp_path / "random.bin"
    path.write_bytes(np.random.default_rng(1).bytes(2000))
    return path


def first_bytes(tmp_path, name, size):
    """The first ``size`` bytes of gensim's test file ``name``, in tmp_path."""
    path = tmp_path / name
    path.write_bytes(Path(datapath(name)).read_bytes()[:size])
    return path


# (case, action taking tmp_path, exception type, message pattern)
TEXT_CASES = [
    (
        "text: a bare string as the corpus",
        lambda t: vectorizer().fit("the cat sat"),
        ValueError,
        "string object received",
    ),
    (
        "text: bare bytes as the corpus",
        lambda t: vectorizer().fit(b"the cat"),
        ValueError,
        "string object received",
    ),
    (
        "text: None as a document",
        lambda t: fitted_vectorizer().transform(["ok", None]),
        TypeError,
        "document 1 is None",
    ),
    (
        "text: NaN (missing value) as a document",
        lambda t: fitted_vectorizer().transform([np.nan]),
        TypeError,
        "document 0 is NaN",
    ),
    (
        "text: a number as a document",
        lambda t: fitted_vectorizer().transform(["ok", "ok", 12]),
        TypeError,
        "document 2 is of type int",
    ),
    (
        "text: a dict as a document",
        lambda t: fitted_vectorizer().transform([{"text": "hi"}]),
        TypeError,
        "document 0 is of type dict",
    ),
    (
        "text: a non-str token in a token list",
        lambda t: fitted_vectorizer().transform([["the", 3.5]]),
        TypeError,
        "holds the token 3.5 of type float",
    ),
    (
        "text: bytes that are not valid UTF-8",
        lambda t: fitted_vectorizer().transform([b"\xff\xfe"]),
        ValueError,
        "document 0 is not valid text.*decode_error",
    ),
    (
        "text: a sparse matrix",
        lambda t: fitted_vectorizer().transform(sp.eye(3, format="csr")),
        TypeError,
        "sparse matrix",
    ),
    (
        "text: a DataFrame with two columns",
        lambda t: fitted_vectorizer().transform(pd.DataFrame({"a": WORDS, "b": WORDS})),
        ValueError,
        r"single column, got shape \(3, 2\)",
    ),
    (
        "text: a 3-D array",
        lambda t: fitted_vectorizer().transform(np.empty((2, 1, 1), dtype=object)),
        ValueError,
        r"got shape \(2, 1, 1\)",
    ),
    (
        "text: a 0-d array",
        lambda t: fitted_vectorizer().transform(np.array("the cat")),
        ValueError,
        "0-d array",
    ),
    (
        "text: None as the corpus",
        lambda t: fitted_vectorizer().transform(None),
        TypeError,
        "expected an iterable of text documents, got NoneType",
    ),
    (
        "text: a generator passed a second time",
        lambda t: fitted_vectorizer().transform(used_up_generator()),
        ValueError,
        "already been used up",
    ),
    (
        "text: fit on no documents",
        lambda t: vectorizer().fit([]),
        ValueError,
        "at least one document",
    ),
    (
        "text: documents without a single token",
        lambda t: vectorizer().fit(["a b", "!"]),
        ValueError,
        "hold no tokens",
    ),
    (
        "text: min_count above every word's count",
        lambda t: vectorizer(min_count=50).fit(WORDS),
        ValueError,
        "empty vocabulary.*min_count=50",
    ),
    (
        "text: an unknown pooling",
        lambda t: vectorizer(pooling="median").fit(WORDS),
        InvalidParameterError,
        "'pooling' parameter",
    ),
    (
        "text: vector_size of 0",
        lambda t: vectorizer(vector_size=0).fit(WORDS),
        InvalidParameterError,
        "'vector_size' parameter",
    ),
    (
        "text: transform before fit",
        lambda t: vectorizer().transform(WORDS),
        NotFittedError,
        "not fitted yet",
    ),
    (
        "text: a missing pretrained vector file",
        lambda t: vectorizer(pretrained=t / "none.vec").fit(WORDS),
        FileNotFoundError,
        "pretrained vector file not found",
    ),
    (
        "text: a truncated word2vec text file",
        lambda t: vectorizer(pretrained=datapath("pretrained.vec")).fit(WORDS),
        ValueError,
        "could not read pretrained vectors.*'word2vec' format",
    ),
    (
        "text: a truncated word2vec binary file",
        lambda t: vectorizer(pretrained=cut_file(t, "euclidean_vectors.bin", 0.5)).fit(
            WORDS
        ),
        ValueError,
        "'word2vec_binary' format",
    ),
    (
        "text: a truncated fastText .bin file",
        lambda t: vectorizer(pretrained=cut_file(t, "lee_fasttext.bin", 0.3)).fit(
            WORDS
        ),
        ValueError,
        "'fasttext' format",
    ),
    (
        "text: a file that holds no vectors at all",
        lambda t: vectorizer(pretrained=write(t, "notes.txt", "just prose\n")).fit(
            WORDS
        ),
        ValueError,
        "could not tell the format",
    ),
    (
        "text: a supervised fastText .bin model (a classifier)",
        lambda t: vectorizer(pretrained=t / "classifier.bin").fit(WORDS),
        ValueError,
        "is a supervised fastText model",
    ),
    (
        "text: input='filename' naming a missing file",
        lambda t: vectorizer(input="filename").fit([str(t / "gone.txt")]),
        FileNotFoundError,
        "gone.txt",
    ),
    (
        "text: random bytes in a .bin file (gensim's reader looped forever)",
        lambda t: within_time_limit(vectorizer(pretrained=random_bin(t)).fit, WORDS),
        ValueError,
        "random.bin' as 'fasttext' format \\(it is not a complete fastText model",
    ),
    (
        "text: a fastText .bin cut to its first 120 bytes",
        lambda t: within_time_limit(
            vectorizer(pretrained=first_bytes(t, "lee_fasttext_new.bin", 120)).fit,
            WORDS,
        ),
        ValueError,
        "not a complete fastText model: its vocabulary of 1,763 words cannot fit",
    ),
    (
        "text: a folder as the pretrained vector file",
        lambda t: vectorizer(pretrained=t).fit(WORDS),
        IsADirectoryError,
        "pretrained vector file .* is a folder; give the path of the vector file in it",
    ),
    (
        "text: a GloVe row with the wrong number of values",
        lambda t: vectorizer(pretrained=write(t, "g.txt", GLOVE + "sat 1 2 3\n")).fit(
            WORDS
        ),
        ValueError,
        "line 3 of pretrained vector file .*g.txt' holds 3 values for the word "
        "'sat', but line 1 says vectors have 4",
    ),
    (
        "text: a word2vec text row with the wrong number of values",
        lambda t: vectorizer(
            pretrained=write(t, "w.vec", "3 4\n" + GLOVE + "sat 1 2 3 4 5\n")
        ).fit(WORDS),
        ValueError,
        "line 4 of .*w.vec' holds 5 values for the word 'sat', but its header line "
        "says vectors have 4",
    ),
]

IMAGES = np.random.RandomState(0).rand(20, 8, 8)
LABELS = np.arange(20) % 2


def cnn(**params):
    return CNNClassifier(**{"filters": (2,), "epochs": 1, "random_state": 0, **params})


@functools.cache
def fitted_cnn():
    return cnn().fit(IMAGES, LABELS)


def with_value(value):
    images = IMAGES.copy()
    images[3, 2, 1] = value
    return images


IMAGE_CASES = [
    (
        "image: a 1-D array",
        lambda t: cnn().fit(np.ones(10), LABELS[:10]),
        ValueError,
        "Expected 2D array, got 1D array",
    ),
    (
        "image: a 5-D array",
        lambda t: cnn().fit(np.ones((4, 2, 2, 2, 2)), LABELS[:4]),
        ValueError,
        r"shape \(4, 2, 2, 2, 2\); expected images",
    ),
    (
        "image: a NaN pixel",
        lambda t: cnn().fit(with_value(np.nan), LABELS),
        ValueError,
        "contains NaN",
    ),
    (
        "image: an infinite pixel",
        lambda t: cnn().fit(with_value(np.inf), LABELS),
        ValueError,
        "contains infinity",
    ),
    (
        "image: no images",
        lambda t: cnn().fit(IMAGES[:0], LABELS[:0]),
        ValueError,
        "0 sample",
    ),
    (
        "image: a single image",
        lambda t: cnn().fit(IMAGES[:1], LABELS[:1]),
        ValueError,
        "only one class",
    ),
    (
        "image: labels of one class",
        lambda t: cnn().fit(IMAGES, np.zeros(20)),
        ValueError,
        "only one class",
    ),
    (
        "image: a sparse matrix",
        lambda t: cnn().fit(sp.csr_matrix(IMAGES.reshape(20, -1)), LABELS),
        TypeError,
        "Sparse data was passed",
    ),
    (
        "image: an object array of strings",
        lambda t: cnn().fit(np.full((20, 4), "a", dtype=object), LABELS),
        ValueError,
        "needs numeric pixel values",
    ),
    (
        "image: continuous labels",
        lambda t: cnn().fit(IMAGES, np.linspace(0, 1, 20)),
        ValueError,
        "Unknown label type: continuous",
    ),
    (
        "image: NaN labels",
        lambda t: cnn().fit(IMAGES, np.where(LABELS == 1, np.nan, 0.0)),
        ValueError,
        "y contains NaN",
    ),
    (
        "image: as many labels as images, not",
        lambda t: cnn().fit(IMAGES, LABELS[:5]),
        ValueError,
        "inconsistent numbers of samples",
    ),
    (
        "image: image_shape that does not match the row length",
        lambda t: cnn(image_shape=(7, 7)).fit(IMAGES.reshape(20, -1), LABELS),
        ValueError,
        r"image_shape=\(7, 7\) needs 49 features per row",
    ),
    (
        "image: image_shape that contradicts the images",
        lambda t: cnn(image_shape=(7, 7)).fit(IMAGES, LABELS),
        ValueError,
        "image_shape is for flat rows",
    ),
    (
        "image: images of another size at predict",
        lambda t: fitted_cnn().predict(np.ones((3, 7, 7))),
        ValueError,
        r"shape \(7, 7\), but CNNClassifier was fitted on samples of shape \(8, 8\)",
    ),
    (
        "image: flat rows at predict after fitting on images",
        lambda t: fitted_cnn().predict_proba(np.ones((3, 64))),
        ValueError,
        r"pass X of shape \(n_samples, 8, 8\)",
    ),
    (
        "image: NaN at predict",
        lambda t: fitted_cnn().transform(with_value(np.nan)),
        ValueError,
        "contains NaN",
    ),
    (
        "image: predict before fit",
        lambda t: cnn().predict(IMAGES),
        NotFittedError,
        "not fitted yet",
    ),
    (
        "image: a class_weight without the classes",
        lambda t: cnn(class_weight={5: 2.0}).fit(IMAGES, LABELS),
        ValueError,
        "not in class_weight",
    ),
    (
        "image: a convolution block of zero filters",
        lambda t: cnn(filters=(0,)).fit(IMAGES, LABELS),
        ValueError,
        "filters must hold positive ints",
    ),
    (
        "image: a negative learning rate",
        lambda t: cnn(learning_rate=-1.0).fit(IMAGES, LABELS),
        InvalidParameterError,
        "'learning_rate' parameter",
    ),
    (
        "image: an unknown optimizer",
        lambda t: cnn(optimizer="adamm").fit(IMAGES, LABELS),
        InvalidParameterError,
        "'optimizer' parameter",
    ),
    (
        "image: unscaled pixels so large that training diverges",
        lambda t: cnn(
            input_scaling=None, optimizer="sgd", learning_rate=1e30, epochs=3
        ).fit(IMAGES * 1e18, LABELS),
        ValueError,
        "training diverged",
    ),
    (
        "image: values beyond float32, which the network computes in",
        lambda t: cnn().fit(IMAGES * 1e300, LABELS),
        ValueError,
        "too large for float32",
    ),
    (
        "image: values around 1e20, whose squares overflow float32 (float64)",
        lambda t: cnn().fit(with_value(1e20), LABELS),
        ValueError,
        "too large for float32 \\(up to 1e\\+20\\), .*: their squares must stay "
        "below 3.4e\\+38, so values below 1.84e\\+19",
    ),
    (
        "image: values around 1e20 in float32 images",
        lambda t: cnn().fit(with_value(1e20).astype(np.float32), LABELS),
        ValueError,
        "too large for float32 \\(up to 1e\\+20\\)",
    ),
    (
        "image: a list of images of two sizes",
        lambda t: cnn().fit([*IMAGES[:3], np.ones((9, 9))], LABELS[:4]),
        ValueError,
        r"the images in X differ in size: image 0 has shape \(8, 8\), image 3 has "
        r"shape \(9, 9\); .*load_image_folder\(image_size=\(height, width\)\)",
    ),
    (
        "image: predict on an empty list",
        lambda t: fitted_cnn().predict([]),
        ValueError,
        "no images given: X is an empty list",
    ),
    (
        "image: validation_split of 1",
        lambda t: cnn(validation_split=1.0).fit(IMAGES, LABELS),
        InvalidParameterError,
        "'validation_split' parameter",
    ),
]

SENTENCES = ["a good film", "a bad film", "great fun", "awful mess"]
POLARITY = [1, 0, 1, 0]


def text_cnn(**params):
    defaults = {"vectorizer": vectorizer(), "filters": 2, "epochs": 1}
    return TextCNNClassifier(**{**defaults, "random_state": 0, **params})


@functools.cache
def fitted_text_cnn():
    return text_cnn().fit(SENTENCES, POLARITY)


TEXT_CNN_CASES = [
    (
        "text CNN: a bare string as the corpus",
        lambda t: text_cnn().fit("a good film", [1]),
        ValueError,
        "string object received",
    ),
    (
        "text CNN: fit on no documents",
        lambda t: text_cnn(embedding_init="random").fit([], []),
        ValueError,
        "at least one document",
    ),
    (
        "text CNN: as many labels as documents, not",
        lambda t: text_cnn().fit(SENTENCES, POLARITY[:3]),
        ValueError,
        "X holds 4 documents but y holds 3 targets",
    ),
    (
        "text CNN: labels of one class",
        lambda t: text_cnn().fit(SENTENCES, [1, 1, 1, 1]),
        ValueError,
        "only one class",
    ),
    (
        "text CNN: continuous labels",
        lambda t: text_cnn().fit(SENTENCES, [0.1, 0.2, 0.3, 0.4]),
        ValueError,
        "Unknown label type: continuous",
    ),
    (
        "text CNN: a window width of 0",
        lambda t: text_cnn(widths=(3, 0)).fit(SENTENCES, POLARITY),
        ValueError,
        "widths must hold positive ints",
    ),
    (
        "text CNN: no window widths",
        lambda t: text_cnn(widths=()).fit(SENTENCES, POLARITY),
        ValueError,
        "widths must hold positive ints",
    ),
    (
        "text CNN: a vectorizer that is not a Word2VecVectorizer",
        lambda t: text_cnn(vectorizer="word2vec").fit(SENTENCES, POLARITY),
        InvalidParameterError,
        "'vectorizer' parameter",
    ),
    (
        "text CNN: a bad parameter of its vectorizer",
        lambda t: text_cnn(vectorizer=vectorizer(vector_size=0)).fit(
            SENTENCES, POLARITY
        ),
        InvalidParameterError,
        "'vector_size' parameter",
    ),
    (
        "text CNN: None as a document at predict",
        lambda t: fitted_text_cnn().predict(["ok", None]),
        TypeError,
        "document 1 is None",
    ),
    (
        "text CNN: predict before fit",
        lambda t: text_cnn().predict(SENTENCES),
        NotFittedError,
        "not fitted yet",
    ),
    (
        "text CNN: a learning rate so large that training diverges",
        lambda t: text_cnn(optimizer="sgd", learning_rate=1e30, epochs=3).fit(
            SENTENCES * 10, POLARITY * 10
        ),
        ValueError,
        "training diverged",
    ),
]


def ngram_cnn(**params):
    """An NgramCNNClassifier with a tiny CNN: these cases fail before training."""
    tiny = TextCNNClassifier(
        vectorizer=Word2VecVectorizer(vector_size=6, min_count=1, workers=1, epochs=5),
        filters=4,
        epochs=1,
        min_count=1,
    )
    return NgramCNNClassifier(**{"cnn": tiny, "random_state": 0, **params})


NGRAM_CNN_CASES = [
    (
        "n-gram CNN: an n-gram range that is not (min_n, max_n)",
        lambda t: ngram_cnn(ngram_range=(2, 1)).fit(SENTENCES, POLARITY),
        ValueError,
        r"ngram_range must be \(min_n, max_n\) with 1 <= min_n <= max_n, "
        r"got \(2, 1\)",
    ),
    (
        "n-gram CNN: n-grams of length 0",
        lambda t: ngram_cnn(ngram_range=(0, 2)).fit(SENTENCES, POLARITY),
        ValueError,
        r"ngram_range must be \(min_n, max_n\) with 1 <= min_n <= max_n",
    ),
    (
        "n-gram CNN: several labels per document",
        lambda t: ngram_cnn().fit(SENTENCES, [[1, 0], [0, 1], [1, 1], [0, 0]]),
        ValueError,
        "NgramCNNClassifier takes one class label per document, got y of type "
        "'multilabel-indicator'; for several labels per document use "
        "TextCNNClassifier",
    ),
    (
        "n-gram CNN: as many labels as documents, not",
        lambda t: ngram_cnn().fit(SENTENCES, POLARITY[:3]),
        ValueError,
        "X holds 4 documents but y holds 3 labels",
    ),
]


def image_folder(tmp_path, files):
    """A folder of one class holding ``files`` (name -> bytes) and one good PNG."""
    folder = tmp_path / "images"
    (folder / "class").mkdir(parents=True)
    Image.fromarray(np.zeros((6, 6, 3), np.uint8)).save(folder / "class" / "good.png")
    for name, data in files.items():
        (folder / "class" / name).write_bytes(data)
    return folder


def png_bytes(size):
    noise = np.random.RandomState(0).randint(0, 256, (size, size, 3), np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, "PNG")
    return buffer.getvalue()


def empty_classes(tmp_path):
    for name in ("cat", "dog"):
        (tmp_path / "images" / name).mkdir(parents=True)
    (tmp_path / "images" / "dog" / "notes.txt").write_text("not an image")
    return tmp_path / "images"


def float_tiff(tmp_path):
    path = tmp_path / "depth.tif"
    Image.fromarray(np.zeros((4, 4), np.float32)).save(path)
    return path


def load_folder(folder, **options):
    return load_image_folder(folder, image_size=(8, 8), **options)


def load_with_a_locked_folder(tmp_path):
    """Load a folder with a sub-folder that cannot be listed; chmod cannot lock
    out root, who runs some test machines, so scandir refuses it."""
    from unittest import mock

    folder = image_folder(tmp_path, {})
    locked = folder / "class" / "locked"
    locked.mkdir()
    scandir = os.scandir

    def refusing_scandir(path):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    with mock.patch("os.scandir", refusing_scandir):
        load_folder(folder)


IMAGE_FILE_CASES = [
    (
        "image files: a folder that does not exist",
        lambda t: load_folder(t / "nowhere"),
        FileNotFoundError,
        "image folder not found: .*nowhere",
    ),
    (
        "image files: a folder without class sub-folders",
        lambda t: load_folder(t),
        ValueError,
        "has no sub-folders",
    ),
    (
        "image files: class sub-folders without image files",
        lambda t: load_folder(empty_classes(t)),
        ValueError,
        "found no image files",
    ),
    (
        "image files: a sub-folder that cannot be listed",
        load_with_a_locked_folder,
        OSError,
        "cannot list the folder .*locked: Permission denied",
    ),
    (
        "image files: a truncated PNG",
        lambda t: load_folder(image_folder(t, {"cut.png": png_bytes(40)[:200]})),
        OSError,
        "cannot read image file .*cut.png: image file is truncated",
    ),
    (
        "image files: a text file named .jpg",
        lambda t: load_folder(image_folder(t, {"notes.jpg": b"just text"})),
        OSError,
        "cannot read image file .*notes.jpg: not an image format",
    ),
    (
        "image files: an empty .png file",
        lambda t: load_folder(image_folder(t, {"empty.png": b""})),
        OSError,
        "cannot read image file .*empty.png",
    ),
    (
        "image files: every file unreadable, with on_error='skip'",
        lambda t: load_folder(
            image_folder(t, {"a.gif": b"x"}),
            allowed_extensions=[".gif"],
            on_error="skip",
        ),
        OSError,
        "none of the 1 image files",
    ),
    (
        "image files: images of two sizes with image_size=None",
        lambda t: load_image_folder(
            image_folder(t, {"large.png": png_bytes(9)}), image_size=None
        ),
        ValueError,
        r"large.png is 9×9 .* pass image_size=\(height, width\)",
    ),
    (
        "image files: a 32-bit float TIFF",
        lambda t: ImageLoader().transform([float_tiff(t)]),
        OSError,
        "depth.tif: it has 32-bit float pixels",
    ),
    (
        "image files: an unknown color_mode",
        lambda t: load_folder(t, color_mode="cmyk"),
        InvalidParameterError,
        "'color_mode' parameter",
    ),
    (
        "image files: image_size of zero height",
        lambda t: load_image_folder(t, image_size=(0, 8)),
        ValueError,
        "image_size must be \\(height, width\\) with two positive ints",
    ),
    (
        "image files: an unknown on_error",
        lambda t: load_folder(t, on_error="ignore"),
        InvalidParameterError,
        "'on_error' parameter",
    ),
    (
        "image paths: a single path instead of a list",
        lambda t: ImageLoader().transform(str(t / "a.png")),
        ValueError,
        "got the single path .*wrap it in a list",
    ),
    (
        "image paths: a file that does not exist",
        lambda t: ImageLoader().transform([t / "gone.png"]),
        FileNotFoundError,
        "image file not found: .*gone.png",
    ),
    (
        "image paths: None among the paths",
        lambda t: ImageLoader().transform([str(t / "a.png"), None]),
        TypeError,
        "path 1 is None",
    ),
    (
        "image paths: a number as a path",
        lambda t: ImageLoader().transform([3]),
        TypeError,
        "path 0 is of type int",
    ),
    (
        "image paths: a DataFrame with two columns",
        lambda t: ImageLoader().transform(pd.DataFrame({"a": ["x"], "b": ["y"]})),
        ValueError,
        r"single column, got shape \(1, 2\); select the path column",
    ),
]

RGB_IMAGES = np.random.RandomState(0).randint(0, 256, (3, 32, 32, 3), dtype=np.uint8)


def encoder(**params):
    return PretrainedImageEncoder(**{"weights": None, "image_size": (32, 32), **params})


def saved_weights(tmp_path, backbone):
    path = tmp_path / f"{backbone}.weights.h5"
    encoder(backbone=backbone).fit(RGB_IMAGES).model_.save_weights(path)
    return path


@contextlib.contextmanager
def offline(tmp_path):
    """Every download fails at once, Keras' cache (what KERAS_HOME sets) an empty
    folder."""
    import urllib.error
    from unittest import mock

    def no_network(*args, **kwargs):
        raise urllib.error.URLError("no network")

    with (
        mock.patch("keras.src.backend.config._KERAS_DIR", str(tmp_path)),
        mock.patch("keras.src.utils.file_utils.urlretrieve", no_network),
    ):
        yield


def fit_offline(tmp_path, fit=None):
    """Fit with ImageNet weights (by default, an encoder's) while offline."""
    with offline(tmp_path):
        if fit is None:
            PretrainedImageEncoder(image_size=(32, 32)).fit(RGB_IMAGES)
        else:
            fit()


PRETRAINED_CASES = [
    (
        "pretrained: file paths instead of images",
        lambda t: encoder().fit(np.array([["a.png"], ["b.png"]])),
        ValueError,
        "needs images as arrays of pixel values.*read them first",
    ),
    (
        "pretrained: flat rows (a 2-D array)",
        lambda t: encoder().fit(np.zeros((4, 12))),
        ValueError,
        r"shape \(4, 12\); expected RGB images",
    ),
    (
        "pretrained: RGBA images",
        lambda t: encoder().fit(np.zeros((2, 32, 32, 4), np.uint8)),
        ValueError,
        "drop the alpha channel",
    ),
    (
        "pretrained: pixel values outside [0, 255]",
        lambda t: encoder().fit(RGB_IMAGES / 127.5 - 1),
        ValueError,
        r"must lie in \[0, 255\], got values from -1 to 1",
    ),
    (
        "pretrained: a NaN pixel",
        lambda t: encoder().fit(np.full((2, 32, 32, 3), np.nan)),
        ValueError,
        "contains NaN",
    ),
    (
        "pretrained: an unknown backbone",
        lambda t: encoder(backbone="vgg16").fit(RGB_IMAGES),
        ValueError,
        "'vgg16' is neither a keras.applications backbone .* nor a Keras model file",
    ),
    (
        "pretrained: image_size below 32×32",
        lambda t: encoder(image_size=(16, 16)).fit(RGB_IMAGES),
        ValueError,
        "too small",
    ),
    (
        "pretrained: a weights file that does not exist",
        lambda t: encoder(weights=t / "none.h5").fit(RGB_IMAGES),
        FileNotFoundError,
        "weights file not found: .*none.h5",
    ),
    (
        "pretrained: a weights file of another backbone",
        lambda t: encoder(weights=saved_weights(t, "resnet50")).fit(RGB_IMAGES),
        ValueError,
        "could not load the weights in .*resnet50.weights.h5 into the "
        "mobilenet_v3_small backbone",
    ),
    (
        "pretrained: ImageNet weights without network access",
        fit_offline,
        OSError,
        "download weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5 on another "
        "machine and put it into .*/models",
    ),
    (
        "pretrained: transform before fit",
        lambda t: encoder().transform(RGB_IMAGES),
        NotFittedError,
        "not fitted yet",
    ),
]


def png_files(tmp_path, files=None):
    """Four 8×8 PNG files, then ``files`` (name -> bytes); their paths."""
    paths = []
    for i, pixels in enumerate(np.random.RandomState(0).randint(0, 256, (4, 8, 8, 3))):
        paths.append(tmp_path / f"{i}.png")
        Image.fromarray(pixels.astype(np.uint8)).save(paths[-1])
    for name, data in (files or {}).items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    return paths


def cnn_on_files(**params):
    return cnn(image_loader=ImageLoader(image_size=(8, 8)), **params)


CNN_FILE_CASES = [
    (
        "CNN files: a truncated PNG among the training files",
        lambda t: cnn_on_files().fit(
            png_files(t, {"cut.png": png_bytes(40)[:200]}), [0, 1, 0, 1, 0]
        ),
        OSError,
        "cannot read image file .*cut.png: image file is truncated",
    ),
    (
        "CNN files: a file that does not exist, at predict",
        lambda t: (
            cnn_on_files().fit(png_files(t), [0, 1, 0, 1]).predict([t / "gone.png"])
        ),
        FileNotFoundError,
        "image file not found: .*gone.png",
    ),
    (
        "CNN files: None among the paths",
        lambda t: cnn_on_files().fit([*png_files(t), None], [0, 1, 0, 1, 0]),
        TypeError,
        "path 4 is None",
    ),
    (
        "CNN files: a single path instead of a list",
        lambda t: cnn_on_files().fit(str(png_files(t)[0]), [0]),
        ValueError,
        "got the single path .*wrap it in a list",
    ),
    (
        "CNN files: as many labels as files, not",
        lambda t: cnn_on_files().fit(png_files(t), [0, 1, 0]),
        ValueError,
        "inconsistent numbers of samples",
    ),
    (
        "CNN files: files of two sizes with image_size=None",
        lambda t: cnn(image_loader=ImageLoader(image_size=None)).fit(
            png_files(t, {"large.png": png_bytes(9)}), [0, 1, 0, 1, 0]
        ),
        ValueError,
        r"large.png is 9×9 .*/0.png is 8×8",
    ),
    (
        "CNN files: an image_loader that is not a transformer",
        lambda t: cnn(image_loader="rgb").fit(png_files(t), [0, 1, 0, 1]),
        InvalidParameterError,
        "'image_loader' parameter",
    ),
    (
        "CNN files: files decoded to another shape than the images fitted on",
        lambda t: fitted_cnn().predict(png_files(t)),
        ValueError,
        r"samples of shape \(256, 256, 3\), but CNNClassifier was fitted on samples "
        r"of shape \(8, 8\)",
    ),
]


def tuned(**params):
    defaults = {
        "backbone": "mobilenet_v3_small",
        "backbone_weights": None,
        "backbone_image_size": (32, 32),
        "epochs": 1,
    }
    return CNNClassifier(**{**defaults, "random_state": 0, **params})


def tuned_offline(tmp_path):
    fit_offline(
        tmp_path, lambda: tuned(backbone_weights="imagenet").fit(RGB_IMAGES, [0, 1, 0])
    )


FINE_TUNING_CASES = [
    (
        "CNN backbone: convolution-block parameters",
        lambda t: tuned(filters=(8,)).fit(RGB_IMAGES, [0, 1, 0]),
        ValueError,
        r"replaces the convolution blocks, so these do not apply: filters=\(8,\)",
    ),
    (
        "CNN backbone: trainable_layers without a backbone",
        lambda t: cnn(trainable_layers=2).fit(IMAGES, LABELS),
        ValueError,
        "these need a backbone .*: trainable_layers=2",
    ),
    (
        "CNN backbone: an unknown backbone",
        lambda t: tuned(backbone="vgg16").fit(RGB_IMAGES, [0, 1, 0]),
        ValueError,
        "'vgg16' is neither a keras.applications backbone .* nor a Keras model file",
    ),
    (
        "CNN backbone: a negative trainable_layers",
        lambda t: tuned(trainable_layers=-1).fit(RGB_IMAGES, [0, 1, 0]),
        InvalidParameterError,
        "'trainable_layers' parameter",
    ),
    (
        "CNN backbone: backbone_image_size below 32×32",
        lambda t: tuned(backbone_image_size=(16, 16)).fit(RGB_IMAGES, [0, 1, 0]),
        ValueError,
        "too small",
    ),
    (
        "CNN backbone: a weights file that does not exist",
        lambda t: tuned(backbone_weights=t / "none.h5").fit(RGB_IMAGES, [0, 1, 0]),
        FileNotFoundError,
        "weights file not found: .*none.h5",
    ),
    (
        "CNN backbone: ImageNet weights without network access",
        tuned_offline,
        OSError,
        "download weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5 on another "
        "machine and put it into .*/models",
    ),
    (
        "CNN backbone: RGBA images",
        lambda t: tuned().fit(np.zeros((2, 32, 32, 4), np.uint8), [0, 1]),
        ValueError,
        "drop the alpha channel",
    ),
    (
        "CNN backbone: pixel values outside [0, 255]",
        lambda t: tuned().fit(RGB_IMAGES / 127.5 - 1, [0, 1, 0]),
        ValueError,
        r"must lie in \[0, 255\], got values from -1 to 1",
    ),
    (
        "CNN backbone: files decoded as grey images",
        lambda t: tuned(
            image_loader=ImageLoader(image_size=(32, 32), color_mode="grayscale")
        ).fit(png_files(t), [0, 1, 0, 1]),
        ValueError,
        "takes RGB images, but image_loader decodes the files with "
        "color_mode='grayscale'",
    ),
]

CLI_CASES = [
    ("cli: an unknown command", lambda t: cli("train"), CliError, "invalid choice"),
    (
        "cli: embed with an unknown pooling",
        lambda t: cli(
            "embed", write(t, "a.txt", "x\n"), "-o", t / "o.npy", "--pooling", "median"
        ),
        CliError,
        "invalid choice",
    ),
    (
        "cli: embed of a missing input file",
        lambda t: cli("embed", t / "missing.txt", "-o", t / "o.npy"),
        CliError,
        "input file not found",
    ),
    (
        "cli: embed of an empty input file",
        lambda t: cli("embed", write(t, "empty.txt", ""), "-o", t / "o.npy"),
        CliError,
        "holds no documents",
    ),
    (
        "cli: embed of a CSV column that does not exist",
        lambda t: cli(
            "embed",
            write(t, "a.csv", "text\nhello world\n"),
            "--column",
            "body",
            "-o",
            t / "o.npy",
        ),
        CliError,
        "no column 'body'",
    ),
    (
        "cli: embed with an unreadable vector file",
        lambda t: cli(
            "embed",
            write(t, "a.txt", "the cat\n"),
            "-o",
            t / "o.npy",
            "--pretrained",
            write(t, "v.txt", "prose, not vectors\n"),
        ),
        CliError,
        "could not tell the format",
    ),
    (
        "cli: embed of a folder",
        lambda t: cli("embed", t, "-o", t / "o.npy"),
        CliError,
        "is a folder",
    ),
    (
        "cli: embed --column of a plain text file",
        lambda t: cli(
            "embed",
            write(t, "a.txt", "a, b\nc\n"),
            "--column",
            "text",
            "-o",
            t / "o.npy",
        ),
        CliError,
        "a.txt is not a CSV file",
    ),
    (
        "cli: embed of a file that is not UTF-8",
        lambda t: cli("embed", latin1_file(t), "-o", t / "o.npy"),
        CliError,
        "line 2: byte 0xe9 at offset 14 is not utf-8 text",
    ),
    (
        "cli: embed with an unknown --encoding",
        lambda t: cli(
            "embed", latin1_file(t), "--encoding", "klingon", "-o", t / "o.npy"
        ),
        CliError,
        "--encoding klingon: no such encoding",
    ),
    (
        "cli: embed with an --encoding that splits lines differently (UTF-16)",
        lambda t: cli(
            "embed", latin1_file(t), "--encoding", "utf-16", "-o", t / "o.npy"
        ),
        CliError,
        "--encoding utf-16 is not supported",
    ),
    (
        "cli: embed into a folder that does not exist",
        lambda t: cli("embed", write(t, "a.txt", "x\n"), "-o", t / "no" / "o.npy"),
        CliError,
        "the folder .*no does not exist",
    ),
    (
        "cli: embed --pretrained-format without --pretrained",
        lambda t: cli(
            "embed",
            write(t, "a.txt", "x\n"),
            "-o",
            t / "o.npy",
            "--pretrained-format",
            "glove",
        ),
        CliError,
        "--pretrained-format names the format of --pretrained",
    ),
    (
        "cli: embed with a supervised fastText model as --pretrained",
        lambda t: cli(
            "embed",
            write(t, "a.txt", "x\n"),
            "-o",
            t / "o.npy",
            "--pretrained",
            t / "classifier.bin",
        ),
        CliError,
        "is a supervised fastText model",
    ),
    (
        "cli: embed with random bytes in a .bin file as --pretrained",
        lambda t: within_time_limit(
            cli,
            "embed",
            write(t, "a.txt", "the cat\n"),
            "-o",
            t / "o.npy",
            "--pretrained",
            random_bin(t),
        ),
        CliError,
        "random.bin' as 'fasttext' format \\(it is not a complete fastText model",
    ),
    (
        "cli: embed of a file of blank lines only",
        lambda t: cli("embed", write(t, "a.txt", "\n  \n\t\n"), "-o", t / "o.npy"),
        CliError,
        "a.txt holds 3 lines, all of them blank: no document to embed",
    ),
    (
        "cli: embed of a CSV column blank in every row",
        lambda t: cli(
            "embed",
            write(t, "a.csv", "id,text\n1,\n2, \n"),
            "--column",
            "text",
            "-o",
            t / "o.npy",
        ),
        CliError,
        "a.csv: the column 'text' is blank in all 2 rows",
    ),
    (
        "cli: embed of documents without a word",
        lambda t: cli("embed", write(t, "a.txt", "!!!\n?\n"), "-o", t / "o.npy"),
        CliError,
        "a.txt holds 2 documents, but not one word in them",
    ),
    (
        "cli: embed with a folder as --pretrained",
        lambda t: cli(
            "embed", write(t, "a.txt", "x\n"), "-o", t / "o.npy", "--pretrained", t
        ),
        CliError,
        "pretrained vector file .* is a folder; give the path of the vector file",
    ),
    (
        "cli: embed with --output the input file",
        lambda t: cli(
            "embed",
            write(t, "a.csv", "text\nx\n"),
            "--column",
            "text",
            "-o",
            t / "a.csv",
        ),
        CliError,
        "a.csv is the input file .*a.csv, which the command reads",
    ),
    (
        "cli: embed with --output a symbolic link to the input file",
        lambda t: cli(
            "embed",
            write(t, "a.txt", "x\n"),
            "-o",
            linked(t, t / "a.txt", "o.csv", os.symlink),
        ),
        CliError,
        "o.csv is the input file .*a.txt \\(the same file, through a link\\)",
    ),
    (
        "cli: embed with --output a hard link to the input file",
        lambda t: cli(
            "embed",
            write(t, "a.txt", "x\n"),
            "-o",
            linked(t, t / "a.txt", "o.npy", os.link),
        ),
        CliError,
        "o.npy is the input file .*a.txt \\(the same file, through a link\\)",
    ),
]


def embed_images(tmp_path, folder, *args):
    """``skfeat embed-images`` on 32×32 images through random weights; ``args``
    come last, so that they may change those."""
    output = ["-o", tmp_path / "features.npy"]
    settings = ["--weights", "none", "--image-size", "32"]
    cli("embed-images", folder, *output, *settings, *args)


def embed_images_offline(tmp_path):
    with offline(tmp_path):
        embed_images(tmp_path, image_folder(tmp_path, {}), "--weights", "imagenet")


def files_folder(tmp_path, files):
    """A folder holding ``files`` (name -> bytes) and nothing else."""
    folder = tmp_path / "files"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def embed_images_beside_a_hard_link(tmp_path, name):
    """``embed-images -o f.npy`` where ``name`` is a hard link to an image."""
    folder = image_folder(tmp_path, {})
    os.link(folder / "class" / "good.png", tmp_path / name)
    embed_images(tmp_path, folder, "-o", tmp_path / "f.npy")


EMBED_IMAGES_CASES = [
    (
        "cli: embed-images of a folder that does not exist",
        lambda t: embed_images(t, t / "nowhere"),
        CliError,
        "image folder not found: .*nowhere",
    ),
    (
        "cli: embed-images of a file instead of a folder",
        lambda t: embed_images(t, float_tiff(t)),
        CliError,
        "depth.tif is a file; give the folder that holds the image files",
    ),
    (
        "cli: embed-images of a folder without image files",
        lambda t: embed_images(t, empty_classes(t)),
        CliError,
        "found no image files in .*images or the folders below it",
    ),
    (
        "cli: embed-images of a corrupt image file",
        lambda t: embed_images(t, image_folder(t, {"bad.png": png_bytes(9)[:60]})),
        CliError,
        "cannot read image file .*bad.png",
    ),
    (
        "cli: embed-images with every file unreadable and --on-error skip",
        lambda t: embed_images(
            t, files_folder(t, {"a.gif": b"x"}), "--on-error", "skip"
        ),
        CliError,
        "none of the 1 image files under .*files could be read; the first: "
        "cannot read image file .*a.gif",
    ),
    (
        "cli: embed-images with an --image-size below 32",
        lambda t: embed_images(t, image_folder(t, {}), "--image-size", "16"),
        CliError,
        "'16' is too small: the backbones need at least 32x32",
    ),
    (
        "cli: embed-images with an unknown --backbone",
        lambda t: embed_images(t, image_folder(t, {}), "--backbone", "vgg16"),
        CliError,
        "argument --backbone: 'vgg16' is neither one of .* nor a Keras model file",
    ),
    (
        "cli: embed-images with a --weights file that does not exist",
        lambda t: embed_images(t, image_folder(t, {}), "--weights", t / "none.h5"),
        CliError,
        "--weights .*none.h5: no such file; give imagenet, none or the path",
    ),
    (
        "cli: embed-images with a weights file of another backbone",
        lambda t: embed_images(
            t, image_folder(t, {}), "--weights", saved_weights(t, "resnet50")
        ),
        CliError,
        "could not load the weights in .*resnet50.weights.h5 into the "
        "mobilenet_v3_small backbone",
    ),
    (
        "cli: embed-images with ImageNet weights without network access",
        embed_images_offline,
        CliError,
        "download weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5 on another "
        "machine and put it into .*/models .* or pass --weights <path of that file>",
    ),
    (
        "cli: embed-images into .npy of a file name with a line break",
        lambda t: embed_images(t, files_folder(t, {"two\nlines.png": png_bytes(6)})),
        CliError,
        r"'.*two\\nlines.png' holds a line break, so .*features.paths.txt .* "
        "cannot hold it",
    ),
    (
        "cli: embed-images into .parquet of a file name that is not UTF-8",
        lambda t: embed_images(
            t,
            files_folder(t, {os.fsdecode(b"caf\xe9.png"): png_bytes(6)}),
            "-o",
            t / "features.parquet",
        ),
        CliError,
        "caf.*png' is not UTF-8 text, which parquet needs",
    ),
    (
        "cli: embed-images into a folder that does not exist",
        lambda t: embed_images(t, image_folder(t, {}), "-o", t / "no" / "f.csv"),
        CliError,
        "the folder .*no does not exist",
    ),
    (
        "cli: embed-images with --output a link to one of the images",
        lambda t: embed_images(
            t,
            image_folder(t, {}),
            "-o",
            linked(t, t / "images" / "class" / "good.png", "f.csv", os.symlink),
        ),
        CliError,
        "f.csv is the image file .*good.png \\(the same file, through a link\\)",
    ),
    (
        "cli: embed-images whose .paths.txt would be a link to one of the images",
        lambda t: embed_images_beside_a_hard_link(t, "f.paths.txt"),
        CliError,
        "f.paths.txt is the image file .*good.png",
    ),
]


def wav_folder(tmp_path, files):
    """Two 8 kHz WAV clips in class sub-folder "class", then ``files`` (name ->
    bytes, or name -> (samples, rate, subtype)); the folder."""
    folder = tmp_path / "audio"
    (folder / "class").mkdir(parents=True, exist_ok=True)
    clip = np.linspace(-0.5, 0.5, 80)
    for name, content in {"a.wav": (clip, 8000, "PCM_16"), **files}.items():
        path = folder / "class" / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            samples, rate, subtype = content
            soundfile.write(path, samples, rate, subtype=subtype)
    return folder


def wav_files(tmp_path, files=None):
    """The paths of ``wav_folder``'s files, in order."""
    return sorted((wav_folder(tmp_path, files or {}) / "class").iterdir())


def corrupt_wav():
    file = io.BytesIO()
    soundfile.write(file, np.zeros(80), 8000, format="WAV", subtype="PCM_16")
    data = bytearray(file.getvalue())
    data[20:22] = b"\x63\x00"  # an audio format code that does not exist
    return bytes(data)


def float_clip(*values):
    return (np.array(values, dtype=np.float64), 8000, "FLOAT")


def audio_cnn_on_files(loader):
    return cnn(image_loader=loader)


AUDIO_FILE_CASES = [
    (
        "audio files: a folder that does not exist",
        lambda t: load_audio_folder(t / "nowhere"),
        FileNotFoundError,
        "audio folder not found: .*nowhere",
    ),
    (
        "audio files: a folder without class sub-folders",
        lambda t: load_audio_folder(t),
        ValueError,
        "has no sub-folders; put the audio files of each class",
    ),
    (
        "audio files: a WAV file with a damaged header",
        lambda t: load_audio_folder(wav_folder(t, {"broken.wav": corrupt_wav()})),
        OSError,
        "cannot read audio file .*broken.wav: ",
    ),
    (
        "audio files: an empty .wav file",
        lambda t: load_audio_folder(wav_folder(t, {"empty.wav": b""})),
        OSError,
        "cannot read audio file .*empty.wav: Format not recognised",
    ),
    (
        "audio files: a text file named .wav",
        lambda t: load_audio_folder(wav_folder(t, {"notes.wav": b"just text"})),
        OSError,
        "cannot read audio file .*notes.wav: Format not recognised",
    ),
    (
        "audio files: a WAV file of 0 samples",
        lambda t: load_audio_folder(wav_folder(t, {"silent.wav": float_clip()})),
        ValueError,
        "silent.wav holds no samples",
    ),
    (
        "audio files: NaN samples in a float WAV",
        lambda t: load_audio_folder(
            wav_folder(t, {"nan.wav": float_clip(0.1, np.nan, np.nan)}), duration=0.01
        ),
        ValueError,
        "nan.wav holds 2 NaN or infinite sample\\(s\\), the first at 0.000 s "
        "\\(frame 1\\)",
    ),
    (
        "audio files: infinite samples in a float WAV",
        lambda t: AudioLoader(duration=0.01).transform(
            wav_files(t, {"inf.wav": float_clip(0.1, 0.2, np.inf)})
        ),
        ValueError,
        "inf.wav holds 1 NaN or infinite sample",
    ),
    (
        "audio files: two sample rates without sample_rate",
        lambda t: load_audio_folder(
            wav_folder(t, {"b.wav": (np.zeros(80), 16000, "PCM_16")})
        ),
        ValueError,
        "b.wav has a sample rate of 16000 Hz, but .*a.wav has 8000 Hz; pass "
        "sample_rate=<Hz>",
    ),
    (
        "audio files: every file unreadable, with on_error='skip'",
        lambda t: load_audio_folder(wav_folder(t, {"a.wav": b"x"}), on_error="skip"),
        OSError,
        "none of the 1 audio files",
    ),
    (
        "audio files: a file name that label_pattern does not match",
        lambda t: load_audio_folder(
            wav_folder(t, {}), label_pattern=r"(?P<label>\d)_\w+"
        ),
        ValueError,
        "1 of 1 audio files have names that label_pattern .* does not match",
    ),
    (
        "audio files: a label_pattern without a group named label",
        lambda t: load_audio_folder(wav_folder(t, {}), label_pattern=r"(\w)"),
        ValueError,
        "has no group named 'label'",
    ),
    (
        "audio files: a duration shorter than one sample",
        lambda t: load_audio_folder(wav_folder(t, {}), duration=1e-5),
        ValueError,
        "duration=1e-05 s is less than one sample at 8000 Hz",
    ),
    (
        "audio files: a negative duration",
        lambda t: load_audio_folder(t, duration=-1.0),
        InvalidParameterError,
        "'duration' parameter",
    ),
    (
        "audio files: an unknown on_error",
        lambda t: load_audio_folder(t, on_error="ignore"),
        InvalidParameterError,
        "'on_error' parameter",
    ),
    (
        "audio paths: a single path instead of a list",
        lambda t: AudioLoader().transform(str(t / "a.wav")),
        ValueError,
        "expected a collection of audio paths, got the single path",
    ),
    (
        "audio paths: a file that does not exist",
        lambda t: AudioLoader().transform([t / "gone.wav"]),
        FileNotFoundError,
        "audio file not found: .*gone.wav",
    ),
    (
        "audio paths: None among the paths",
        lambda t: AudioLoader().transform([*wav_files(t), None]),
        TypeError,
        "path 1 is None",
    ),
    (
        "audio paths: an unknown align",
        lambda t: AudioLoader(align="end").transform(wav_files(t)),
        InvalidParameterError,
        "'align' parameter",
    ),
    (
        "CNN audio files: a damaged file among the training files",
        lambda t: audio_cnn_on_files(AudioLoader(duration=0.01)).fit(
            wav_files(t, {"b.wav": corrupt_wav()}), [0, 1]
        ),
        OSError,
        "cannot read audio file .*b.wav",
    ),
    (
        "CNN audio files: a pipeline step that needs fitting",
        lambda t: audio_cnn_on_files(
            make_pipeline(AudioLoader(duration=0.01), StandardScaler())
        ).fit(wav_files(t, {"b.wav": (np.zeros(80), 8000, "PCM_16")}), [0, 1]),
        NotFittedError,
        "the loader's steps after decoding must need no fitting",
    ),
]


WAVEFORMS = np.random.default_rng(0).normal(size=(3, 800)).astype(np.float32)


def log_mel(**params):
    return LogMelSpectrogram(**{"sample_rate": 8000, **params})


def waveforms_with(value):
    waveforms = WAVEFORMS.copy()
    waveforms[1, 100] = value
    return waveforms


AUDIO_FEATURE_CASES = [
    (
        "audio: a clip shorter than one frame",
        lambda t: log_mel().fit(WAVEFORMS[:, :200]),
        ValueError,
        r"the clips are 200 samples long, shorter than one frame "
        r"\(win_length='32ms', 256 samples",
    ),
    (
        "audio: a NaN sample in waveforms",
        lambda t: log_mel().fit_transform(waveforms_with(np.nan)),
        ValueError,
        "Input X contains NaN",
    ),
    (
        "audio: an infinite sample in waveforms",
        lambda t: MFCC(sample_rate=8000).fit(waveforms_with(np.inf)),
        ValueError,
        "Input X contains infinity",
    ),
    (
        "audio: stereo waveforms (n_clips, n_samples, 2)",
        lambda t: log_mel().fit(np.stack([WAVEFORMS] * 2, axis=-1)),
        ValueError,
        r"takes mono waveforms \(n_clips, n_samples\): mix the channels",
    ),
    (
        "audio: clips of another length than in fit",
        lambda t: MFCC(sample_rate=8000).fit(WAVEFORMS).transform(WAVEFORMS[:, :400]),
        ValueError,
        "X has 400 features, but MFCC is expecting 800 features",
    ),
    (
        "audio: n_fft shorter than the window",
        lambda t: log_mel(win_length=300, n_fft=256).fit(WAVEFORMS),
        ValueError,
        "n_fft=256 is shorter than the window",
    ),
    (
        "audio: fmax above half the sample rate",
        lambda t: log_mel(fmax=6000).fit(WAVEFORMS),
        ValueError,
        r"fmax=6000 is above the highest frequency of sample_rate=8000 \(4000 Hz\)",
    ),
    (
        "audio: a window in other units than samples or ms",
        lambda t: log_mel(win_length="0.03s").fit(WAVEFORMS),
        ValueError,
        "neither a number of samples",
    ),
    (
        "audio: more MFCCs than mel bands",
        lambda t: MFCC(sample_rate=8000, n_mfcc=50).fit(WAVEFORMS),
        ValueError,
        "n_mfcc=50 is more than the n_mels=40 mel bands",
    ),
    (
        "audio: an unknown spectrogram augmentation",
        lambda t: CNNClassifier(augmentation={"freq_mask": 0.2}).fit(
            log_mel().fit_transform(WAVEFORMS), [0, 1, 0]
        ),
        ValueError,
        r"unknown key\(s\) \['freq_mask'\].*'frequency_mask' \(spectrograms\)",
    ),
]


def warm_cnn(**changes):
    """A fitted warm-start CNN whose parameters then change as given."""
    return cnn(warm_start=True).fit(IMAGES, LABELS).set_params(**changes)


def streaming_cnn():
    return cnn().partial_fit(IMAGES, LABELS, classes=[0, 1])


TRAINING_CASES = [
    (
        "training: continuous y to a classifier",
        lambda t: cnn().fit(IMAGES, np.linspace(0, 1, 20)),
        ValueError,
        "Unknown label type: continuous.*for a numeric target use CNNRegressor",
    ),
    (
        "training: a 3-D y to a classifier",
        lambda t: cnn().fit(IMAGES, np.zeros((20, 2, 2))),
        ValueError,
        r"y has shape \(20, 2, 2\); a classifier takes labels",
    ),
    (
        "training: a 2-D y that is not a 0/1 indicator",
        lambda t: cnn().fit(IMAGES, np.arange(40).reshape(20, 2) % 3),
        ValueError,
        "0/1 indicator matrix",
    ),
    (
        "training: sample_weight of another length than y",
        lambda t: cnn().fit(IMAGES, LABELS, sample_weight=np.ones(19)),
        ValueError,
        r"sample_weight.shape == \(19,\), expected \(20,\)",
    ),
    (
        "training: a negative sample weight",
        lambda t: cnn().fit(IMAGES, LABELS, sample_weight=np.linspace(-1, 1, 20)),
        ValueError,
        "Negative values in data passed to `sample_weight`",
    ),
    (
        "training: a NaN sample weight",
        lambda t: cnn().fit(IMAGES, LABELS, sample_weight=[np.nan] + [1] * 19),
        ValueError,
        "Input sample_weight contains NaN",
    ),
    (
        "training: all sample weights zero",
        lambda t: cnn().fit(IMAGES, LABELS, sample_weight=np.zeros(20)),
        ValueError,
        "Sample weights must contain at least one non-zero number",
    ),
    (
        "training: one class left with non-zero weight",
        lambda t: cnn().fit(IMAGES, LABELS, sample_weight=LABELS),
        ValueError,
        "only one class has non-zero weight",
    ),
    (
        "training: class_weight with multilabel y",
        lambda t: cnn(class_weight="balanced").fit(
            IMAGES, np.column_stack([LABELS, 1 - LABELS])
        ),
        ValueError,
        "class_weight does not apply to multilabel y; pass sample_weight",
    ),
    (
        "training: first partial_fit without classes",
        lambda t: cnn().partial_fit(IMAGES, LABELS),
        ValueError,
        "classes must be passed on the first call to partial_fit",
    ),
    (
        "training: partial_fit with a new class",
        lambda t: streaming_cnn().partial_fit(IMAGES, LABELS + 1),
        ValueError,
        r"y holds the label\(s\) \[2\], not among the classes \[0, 1\]",
    ),
    (
        "training: partial_fit with images of another shape",
        lambda t: streaming_cnn().partial_fit(np.ones((20, 9, 9)), LABELS),
        ValueError,
        r"X has samples of shape \(9, 9\), but CNNClassifier was fitted on",
    ),
    (
        "training: partial_fit with class_weight='balanced'",
        lambda t: cnn(class_weight="balanced").partial_fit(
            IMAGES, LABELS, classes=[0, 1]
        ),
        ValueError,
        "class_weight='balanced' does not apply to partial_fit",
    ),
    (
        "training: partial_fit with a cosine learning-rate schedule",
        lambda t: cnn(learning_rate_schedule="cosine").partial_fit(
            IMAGES, LABELS, classes=[0, 1]
        ),
        ValueError,
        "learning_rate_schedule='cosine' plans its decay over one fit",
    ),
    (
        "training: warm_start after changing the architecture",
        lambda t: warm_cnn(filters=(3,)).fit(IMAGES, LABELS),
        ValueError,
        r"warm_start=True goes on training the fitted network, but these "
        r"parameters changed since: filters=\(3,\) \(was \(2,\)\)",
    ),
    (
        "training: warm_start on a new class",
        lambda t: warm_cnn().fit(IMAGES, LABELS + 1),
        ValueError,
        r"y holds the label\(s\) \[2\], not among the classes \[0, 1\]",
    ),
    (
        "training: warm_start with images of another shape",
        lambda t: warm_cnn().fit(np.ones((20, 9, 9)), LABELS),
        ValueError,
        r"X has samples of shape \(9, 9\), but CNNClassifier was fitted on",
    ),
    (
        "training: text CNN partial_fit with a new class",
        lambda t: (
            text_cnn()
            .partial_fit(SENTENCES, POLARITY, classes=[0, 1])
            .partial_fit(SENTENCES, [0, 1, 2, 1])
        ),
        ValueError,
        r"y holds the label\(s\) \[2\], not among the classes \[0, 1\]",
    ),
]

REGRESSOR_CASES = [
    (
        "regressor: string targets",
        lambda t: regressor().fit(IMAGES, np.where(LABELS == 1, "big", "small")),
        ValueError,
        "CNNRegressor needs numeric targets.*use a classifier",
    ),
    (
        "regressor: a 3-D y",
        lambda t: regressor().fit(IMAGES, np.zeros((20, 2, 2))),
        ValueError,
        r"y has shape \(20, 2, 2\); CNNRegressor takes one target per sample",
    ),
    (
        "regressor: NaN targets",
        lambda t: regressor().fit(IMAGES, np.where(LABELS == 1, np.nan, 0.5)),
        ValueError,
        r"y holds NaN or infinite targets for 10 sample\(s\) \(first: \[1, 3",
    ),
    (
        "regressor: infinite targets",
        lambda t: regressor().fit(IMAGES, np.where(LABELS == 1, np.inf, 0.5)),
        ValueError,
        "NaN or infinite targets",
    ),
    (
        "regressor: no y",
        lambda t: regressor().fit(IMAGES, None),
        ValueError,
        "requires y to be passed",
    ),
    (
        "regressor: as many targets as images, not",
        lambda t: regressor().fit(IMAGES, np.zeros(5)),
        ValueError,
        "inconsistent numbers of samples",
    ),
    (
        "text regressor: string targets",
        lambda t: text_regressor().fit(SENTENCES, ["good", "bad", "good", "bad"]),
        ValueError,
        "TextCNNRegressor needs numeric targets",
    ),
    (
        "text regressor: a 3-D y",
        lambda t: text_regressor().fit(SENTENCES, np.zeros((4, 1, 1))),
        ValueError,
        "TextCNNRegressor takes one target per sample",
    ),
    (
        "text regressor: NaN targets",
        lambda t: text_regressor().fit(SENTENCES, [1.0, np.nan, 0.0, 0.5]),
        ValueError,
        "NaN or infinite targets",
    ),
]


def regressor(**params):
    return CNNRegressor(**{"filters": (2,), "epochs": 1, "random_state": 0, **params})


def text_regressor(**params):
    defaults = {"vectorizer": vectorizer(), "filters": 2, "epochs": 1}
    return TextCNNRegressor(**{**defaults, "random_state": 0, **params})


def weights_of_width(tmp_path, alpha):
    path = tmp_path / f"mobilenet_v2_{alpha}.weights.h5"
    model = encoder(backbone="mobilenet_v2", alpha=alpha).fit(RGB_IMAGES).model_
    model.save_weights(path)
    return path


def user_model(channels=3, pooled=True):
    """A small classifier of the user's own: Conv → [pooling] → Dense."""
    import keras

    inputs = keras.Input((32, 32, channels))
    x = keras.layers.Conv2D(2, 3, name="conv")(inputs)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x) if pooled else x
    return keras.Model(inputs, keras.layers.Dense(2, name="out")(x))


def text_file(tmp_path, name):
    path = tmp_path / name
    path.write_text("not a model")
    return path


def fit_width_offline(tmp_path):
    fit_offline(
        tmp_path,
        lambda: PretrainedImageEncoder(
            backbone="mobilenet_v2", alpha=0.35, image_size=(96, 96)
        ).fit(RGB_IMAGES),
    )


MODEL_BACKBONE_CASES = [
    (
        "pretrained: a weights file of another width",
        lambda t: encoder(
            backbone="mobilenet_v2", alpha=0.35, weights=weights_of_width(t, 0.5)
        ).fit(RGB_IMAGES),
        ValueError,
        "into the mobilenet_v2 backbone of width alpha=0.35 .*at that width",
    ),
    (
        "pretrained: alpha for a backbone without a width",
        lambda t: encoder(backbone="resnet50", alpha=0.5).fit(RGB_IMAGES),
        ValueError,
        "alpha=0.5 sets a MobileNet's width, but 'resnet50' has none",
    ),
    (
        "pretrained: an alpha without ImageNet weights",
        lambda t: PretrainedImageEncoder(backbone="mobilenet_v2", alpha=0.6).fit(
            RGB_IMAGES
        ),
        ValueError,
        r"ImageNet weights for alpha in \[0.35, 0.5, 0.75, 1.0, 1.3, 1.4\], not 0.6",
    ),
    (
        "pretrained: ImageNet weights of a width and size without network access",
        fit_width_offline,
        OSError,
        "download mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5",
    ),
    (
        "pretrained: a model file that is not a Keras model",
        lambda t: PretrainedImageEncoder(backbone=text_file(t, "notes.keras")).fit(
            RGB_IMAGES
        ),
        ValueError,
        "could not read a Keras model from .*notes.keras",
    ),
    (
        "pretrained: a model file that does not exist",
        lambda t: encoder(backbone=t / "none.keras").fit(RGB_IMAGES),
        FileNotFoundError,
        "Keras model file not found: .*none.keras",
    ),
    (
        "pretrained: layer= naming no layer of the model",
        lambda t: PretrainedImageEncoder(backbone=user_model(), layer="dense").fit(
            RGB_IMAGES
        ),
        ValueError,
        r"layer='dense' names no layer of the model .*one vector per image: "
        r"\['pool', 'out'\]",
    ),
    (
        "pretrained: layer= with feature maps, not one vector per image",
        lambda t: PretrainedImageEncoder(backbone=user_model(), layer="conv").fit(
            RGB_IMAGES
        ),
        ValueError,
        r"layer 'conv' gives feature maps of shape \(30, 30, 2\), not one vector "
        "per image; pass layer= the name of a pooling",
    ),
    (
        "pretrained: a model without pooling before its last layer",
        lambda t: PretrainedImageEncoder(backbone=user_model(pooled=False)).fit(
            RGB_IMAGES
        ),
        ValueError,
        "the input of the model's last layer 'out' gives feature maps",
    ),
    (
        "pretrained: images of another channel count than the model takes",
        lambda t: PretrainedImageEncoder(backbone=user_model(channels=1)).fit(
            RGB_IMAGES
        ),
        ValueError,
        r"the model takes images of 1 channel\(s\): pass X of shape "
        r"\(n, height, width, 1\)",
    ),
    (
        "pretrained: weights= or alpha= with a model of your own",
        lambda t: PretrainedImageEncoder(backbone=user_model(), alpha=0.5).fit(
            RGB_IMAGES
        ),
        ValueError,
        "alpha=0.5 apply to keras.applications backbones, not to a model of your own",
    ),
    (
        "pretrained: layer= with a keras.applications backbone",
        lambda t: encoder(layer="pool").fit(RGB_IMAGES),
        ValueError,
        "layer='pool' picks the features of a model of your own.* leave layer=None",
    ),
    (
        "cnn: backbone_alpha for a backbone without a width",
        lambda t: tuned(backbone="resnet50", backbone_alpha=0.5).fit(
            RGB_IMAGES, [0, 1, 0]
        ),
        ValueError,
        "backbone_alpha=0.5 sets a MobileNet's width, but 'resnet50' has none",
    ),
    (
        "cli: embed-images with --alpha for a backbone without a width",
        lambda t: embed_images(
            t, image_folder(t, {}), "--backbone", "resnet50", "--alpha", "0.5"
        ),
        CliError,
        "--alpha 0.5 sets a MobileNet's width, but 'resnet50' has none",
    ),
    (
        "cli: embed-images with a --backbone file that is not a Keras model",
        lambda t: embed_images(
            t,
            image_folder(t, {}),
            *("--backbone", text_file(t, "notes.keras"), "--weights", "imagenet"),
        ),
        CliError,
        "could not read a Keras model from .*notes.keras",
    ),
]


def on_users_model(model, **params):
    return CNNClassifier(backbone=model, epochs=1, random_state=0, **params)


CNN_MODEL_BACKBONE_CASES = [
    (
        "CNN model backbone: a file that is not a Keras model",
        lambda t: on_users_model(text_file(t, "notes.keras")).fit(
            RGB_IMAGES, [0, 1, 0]
        ),
        ValueError,
        "could not read a Keras model from .*notes.keras",
    ),
    (
        "CNN model backbone: backbone_layer naming no layer of the model",
        lambda t: on_users_model(user_model(), backbone_layer="dense").fit(
            RGB_IMAGES, [0, 1, 0]
        ),
        ValueError,
        r"backbone_layer='dense' names no layer of the model .*one vector per "
        r"image: \['pool', 'out'\]",
    ),
    (
        "CNN model backbone: backbone_layer with feature maps",
        lambda t: on_users_model(user_model(), backbone_layer="conv").fit(
            RGB_IMAGES, [0, 1, 0]
        ),
        ValueError,
        r"layer 'conv' gives feature maps of shape \(30, 30, 2\), not one vector "
        "per image; pass backbone_layer= the name of a pooling",
    ),
    (
        "CNN model backbone: images of another channel count than the model takes",
        lambda t: on_users_model(user_model(channels=1)).fit(RGB_IMAGES, [0, 1, 0]),
        ValueError,
        r"the model takes images of 1 channel\(s\): pass X of shape "
        r"\(n, height, width, 1\)",
    ),
    (
        "CNN model backbone: backbone_alpha or backbone_weights set",
        lambda t: on_users_model(
            user_model(), backbone_weights=None, backbone_alpha=0.5
        ).fit(RGB_IMAGES, [0, 1, 0]),
        ValueError,
        "backbone_weights=None, backbone_alpha=0.5 apply to keras.applications "
        "backbones, not to a model of your own.*pick the features with "
        "backbone_layer=",
    ),
    (
        "CNN backbone: backbone_layer with a keras.applications backbone",
        lambda t: tuned(backbone_layer="pool").fit(RGB_IMAGES, [0, 1, 0]),
        ValueError,
        "backbone_layer='pool' picks the features of a model of your own.* leave "
        "backbone_layer=None",
    ),
]


ALL_CASES = (
    TEXT_CASES
    + IMAGE_CASES
    + TEXT_CNN_CASES
    + IMAGE_FILE_CASES
    + PRETRAINED_CASES
    + CNN_FILE_CASES
    + FINE_TUNING_CASES
    + CLI_CASES
    + EMBED_IMAGES_CASES
    + AUDIO_FILE_CASES
    + AUDIO_FEATURE_CASES
    + REGRESSOR_CASES
    + TRAINING_CASES
    + MODEL_BACKBONE_CASES
    + CNN_MODEL_BACKBONE_CASES
    + NGRAM_CNN_CASES
)


@pytest.mark.parametrize(
    "action, error, message",
    [pytest.param(*case[1:], id=case[0]) for case in ALL_CASES],
)
def test_bad_input_gets_the_intended_error(
    tmp_path, capsys, supervised_fasttext_model, action, error, message
):
    # tmp_path holds classifier.bin, a supervised fastText model, for the cases
    # that read one
    stdout = sys.stdout
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        filters = warnings.filters[:]
        with pytest.raises(error) as raised:
            action(tmp_path)
        assert warnings.filters == filters  # nothing left changed in the process
    assert sys.stdout is stdout
    output = capsys.readouterr()
    if error is CliError:
        assert raised.value.args[0] in (1, 2)  # exit status: failure or usage
        text = output.err
    else:
        text = str(raised.value)
    assert re.search(message, text), text
    # standard output may be a pipe of results: no progress there (Keras prints
    # "Downloading data from" on it), and the error alone, without Keras' warning
    # for each part of a network it cannot match
    assert output.out == ""
    nested = [w for w in caught if "Skipping nested container" in str(w.message)]
    assert not nested, f"{len(nested)} warnings before the error"


def photos_with_links(tmp_path):
    """photos/cat/ holding a.png, more -> ../../elsewhere (two images) and
    loop -> .. (photos itself); photos/dog/ holding b.png."""
    photos, elsewhere = tmp_path / "photos", tmp_path / "elsewhere"
    for folder in (photos / "cat", photos / "dog", elsewhere):
        folder.mkdir(parents=True)
    pixels = np.zeros((8, 8, 3), np.uint8)
    for path in (photos / "cat" / "a.png", photos / "dog" / "b.png"):
        Image.fromarray(pixels).save(path)
    for name in ("x.png", "y.png"):
        Image.fromarray(pixels + 9).save(elsewhere / name)
    (photos / "cat" / "more").symlink_to(elsewhere, target_is_directory=True)
    (photos / "cat" / "loop").symlink_to(photos, target_is_directory=True)
    return photos


def with_an_empty_class(tmp_path):
    folder = image_folder(tmp_path, {})
    (folder / "empty").mkdir()
    (folder / "empty" / "notes.txt").write_text("not an image")
    return folder


# (case, action taking tmp_path, warning type or None, message pattern): the
# action succeeds, and warns; the command prints its warnings as lines on stderr
WARNING_CASES = [
    (
        "image files: a link to a folder above (a loop)",
        lambda t: load_folder(photos_with_links(t)),
        UserWarning,
        "left out 1 link\\(s\\) to folders already listed .*: .*cat/loop$",
    ),
    (
        "image files: a class folder without image files",
        lambda t: load_folder(with_an_empty_class(t)),
        UserWarning,
        "class folders in .*images without image files: 'empty' \\(1 of 2\\); "
        "target_names lists them",
    ),
    (
        "text: a GloVe file with a word twice",
        lambda t: vectorizer(pretrained=write(t, "g.txt", GLOVE + "the 9 9 9 9\n")).fit(
            WORDS
        ),
        UserWarning,
        "g.txt' holds 1 rows for words it has a vector for already \\('the'\\): the "
        "first vector of each word is kept",
    ),
    (
        "image: a learning rate so small that the loss never moves",
        lambda t: cnn(learning_rate=1e-45, epochs=3).fit(IMAGES, LABELS),
        UserWarning,
        "the training loss did not change in 3 epochs \\(it stayed at .*\\): the "
        "network learned nothing",
    ),
    (
        "cli: embed of a CSV saved with a byte-order mark (Excel's CSV UTF-8)",
        lambda t: cli(
            "embed",
            write(t, "a.csv", "\ufefftext,id\nthe cat sat,1\nthe dog sat,2\n"),
            "--column",
            "text",
            "-o",
            t / "o.npy",
            "--min-count",
            1,
        ),
        None,
        "Wrote 2 document vectors",
    ),
    (
        "cli: embed-images of a folder with a link to a folder above (a loop)",
        lambda t: embed_images(t, photos_with_links(t)),
        UserWarning,
        # 4 rows: a.png, b.png and the two images behind the link cat/more
        "skfeat embed-images: warning: left out 1 link\\(s\\) .*cat/loop\n"
        "Wrote 4 image feature rows",
    ),
]


@pytest.mark.parametrize(
    "action, warning, message",
    [pytest.param(*case[1:], id=case[0]) for case in WARNING_CASES],
)
def test_bad_input_gets_the_intended_warning(
    tmp_path, capsys, action, warning, message
):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        action(tmp_path)
    said = [
        w for w in caught if warning is not None and issubclass(w.category, warning)
    ]
    texts = [str(w.message) for w in said] + [capsys.readouterr().err]
    assert any(re.search(message, text) for text in texts), texts
    # a library warning points at the caller's line, not at skfeat's
    assert all(
        w.filename == __file__ for w in said if re.search(message, str(w.message))
    )


@pytest.mark.parametrize("header", ["", "3 4\n"], ids=["glove", "word2vec"])
def test_a_word_twice_keeps_its_first_vector_and_no_empty_slot(tmp_path, header):
    path = write(tmp_path, "v.txt", header + GLOVE + "the 9 9 9 9\n")
    with pytest.warns(UserWarning, match="'the'"):
        wv = vectorizer(pretrained=path).fit(WORDS).wv_
    # gensim left a key None with a vector of zeros for the row it dropped
    assert wv.index_to_key == ["the", "cat"]
    np.testing.assert_allclose(wv.vectors, [[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]])


def test_links_to_folders_are_followed_each_folder_once(tmp_path):
    photos = photos_with_links(tmp_path)
    with pytest.warns(UserWarning, match="loop"):
        data = load_folder(photos)
    names = [Path(name).relative_to(photos).as_posix() for name in data.filenames]
    assert names == ["cat/a.png", "cat/more/x.png", "cat/more/y.png", "dog/b.png"]
    assert data.target.tolist() == [0, 0, 0, 1]
    np.testing.assert_array_equal(data.images[1], 9)


def test_docs_table_lists_every_case():
    table = DOCS_TABLE.read_text(encoding="utf-8")
    missing = [case[0] for case in ALL_CASES + WARNING_CASES if case[0] not in table]
    assert not missing, f"add these cases to {DOCS_TABLE}: {missing}"
    assert len(ALL_CASES) >= 40


# --- a damaged file fails fast: no loop runs on past its end ----------------------


@pytest.mark.parametrize("name", ["lee_fasttext.bin", "lee_fasttext_new.bin"])
def test_a_fasttext_bin_cut_anywhere_fails_fast_and_says_so(tmp_path, name):
    size = len(Path(datapath(name)).read_bytes())
    # inside the header (64 bytes), the vocabulary (about 30 KB) and the vectors
    offsets = [0, 3, 8, 40, 63, 64, 71, 80, 95, 120, *range(200, 40_000, 997)]
    for offset in [*offsets, size // 3, size // 2]:
        path = first_bytes(tmp_path, name, offset)
        with pytest.raises(ValueError, match="could not read pretrained vectors"):
            within_time_limit(vectorizer(pretrained=path).fit, WORDS)


# --- nothing is lost: one row per document, in order -------------------------------


def test_every_document_gives_one_row_in_order():
    documents = [
        "the cat sat",
        "",
        "   ",
        "zzz unknown words only",
        "🐈 the cat 🐕 the dog",
        "the\x00cat\x1fsat",
        "THE DOG",
        b"the mat",
        ["the", "log"],
        [],
    ]
    fitted = fitted_vectorizer()
    rows = fitted.transform(documents)
    assert rows.shape == (len(documents), 4)
    one_by_one = np.vstack([fitted.transform([doc]) for doc in documents])
    np.testing.assert_array_equal(rows, one_by_one)
    np.testing.assert_array_equal(rows[[1, 2, 3, 9]], 0)  # nothing known: zeros
    np.testing.assert_array_equal(rows[6], fitted.transform(["the dog"])[0])
    np.testing.assert_array_equal(rows[8], fitted.transform(["the log"])[0])


def test_rows_follow_a_shuffled_order():
    fitted = fitted_vectorizer()
    documents = WORDS * 3 + ["", "cat"]
    order = np.random.default_rng(0).permutation(len(documents))
    rows = fitted.transform(documents)
    shuffled = fitted.transform([documents[i] for i in order])
    np.testing.assert_array_equal(shuffled, rows[order])


def test_cnn_gives_one_row_per_image_in_order():
    model = fitted_cnn()
    order = np.random.default_rng(0).permutation(len(IMAGES))
    proba = model.predict_proba(IMAGES)
    assert proba.shape == (len(IMAGES), 2)
    # float32 sums may round differently in another batch order: 1e-6, not 0
    np.testing.assert_allclose(
        model.predict_proba(IMAGES[order]), proba[order], rtol=1e-6
    )
    features = model.transform(IMAGES)
    assert len(features) == len(IMAGES)
    np.testing.assert_allclose(
        model.transform(IMAGES[order]), features[order], rtol=1e-6
    )
