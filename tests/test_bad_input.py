"""Bad input, case by case: the intended exception and a message naming the problem.

Every case here is listed in the docs (docs/user_guide/reliability.rst); the last
test keeps the two in step. Cases that nothing must lose (row counts and order)
follow the table.
"""

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from gensim.test.utils import datapath
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from skfeat.cli import main
from skfeat.image import CNNClassifier
from skfeat.text import Word2VecVectorizer

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
        "image: pixels so large that training diverges",
        lambda t: cnn(optimizer="sgd", learning_rate=1e30, epochs=3).fit(
            IMAGES * 1e30, LABELS
        ),
        ValueError,
        "training diverged",
    ),
    (
        "image: validation_split of 1",
        lambda t: cnn(validation_split=1.0).fit(IMAGES, LABELS),
        InvalidParameterError,
        "'validation_split' parameter",
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
]


@pytest.mark.parametrize(
    "action, error, message",
    [
        pytest.param(*case[1:], id=case[0])
        for case in TEXT_CASES + IMAGE_CASES + CLI_CASES
    ],
)
def test_bad_input_gets_the_intended_error(
    tmp_path, capsys, supervised_fasttext_model, action, error, message
):
    # tmp_path holds classifier.bin, a supervised fastText model, for the cases
    # that read one
    with pytest.raises(error) as raised:
        action(tmp_path)
    if error is CliError:
        assert raised.value.args[0] in (1, 2)  # exit status: failure or usage
        text = capsys.readouterr().err
    else:
        text = str(raised.value)
    assert re.search(message, text), text


def test_docs_table_lists_every_case():
    table = DOCS_TABLE.read_text(encoding="utf-8")
    missing = [
        case[0] for case in TEXT_CASES + IMAGE_CASES + CLI_CASES if case[0] not in table
    ]
    assert not missing, f"add these cases to {DOCS_TABLE}: {missing}"
    assert len(TEXT_CASES + IMAGE_CASES + CLI_CASES) >= 40


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
