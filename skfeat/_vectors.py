"""Reading pretrained word vectors from the file formats people actually have."""

import os
import struct

from gensim.models import KeyedVectors
from gensim.models.fasttext import load_facebook_vectors

PRETRAINED_FORMATS = ("auto", "word2vec", "word2vec_binary", "glove", "fasttext")

# First int32 of a Facebook fastText .bin file (newer releases write it).
_FASTTEXT_MAGIC = 793712314
# Errors gensim's readers raise on corrupt or truncated files (AssertionError:
# its fastText reader checks array sizes with assert).
_READ_ERRORS = (
    AssertionError,
    ValueError,
    EOFError,
    UnicodeDecodeError,
    struct.error,
    IndexError,
)


def load_keyed_vectors(pretrained, pretrained_format="auto"):
    """Return gensim ``KeyedVectors`` for a model, vectors object or file path."""
    if isinstance(pretrained, KeyedVectors):
        return pretrained
    if isinstance(getattr(pretrained, "wv", None), KeyedVectors):  # a gensim model
        return pretrained.wv
    path = os.fspath(pretrained)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"pretrained vector file not found: {path!r}")
    file_format = (
        detect_format(path) if pretrained_format == "auto" else pretrained_format
    )
    try:
        if file_format == "fasttext":
            vectors = load_facebook_vectors(path)
        else:
            vectors = KeyedVectors.load_word2vec_format(
                path,
                binary=file_format == "word2vec_binary",
                no_header=file_format == "glove",
            )
    except NotImplementedError as exc:  # gensim's only one: a supervised model
        raise ValueError(
            f"{path!r} is a supervised fastText model (a text classifier, from "
            "`fasttext supervised`), whose .bin gensim cannot read; use the .vec "
            "file of word vectors that fastText saved beside it, or vectors from "
            "`fasttext skipgram` or `fasttext cbow`"
        ) from exc
    except _READ_ERRORS as exc:
        raise ValueError(
            f"could not read pretrained vectors from {path!r} as {file_format!r} "
            f"format ({type(exc).__name__}: {exc}); the file may be truncated or "
            "corrupt, or pass pretrained_format= to name its format"
        ) from exc
    if len(vectors) == 0:
        raise ValueError(f"pretrained vector file {path!r} holds no vectors")
    return vectors


def detect_format(path):
    """Guess a vector file's format from its first bytes (see PRETRAINED_FORMATS)."""
    with open(path, "rb") as file:
        head = file.read(4096)
    if len(head) >= 4 and struct.unpack("<i", head[:4])[0] == _FASTTEXT_MAGIC:
        return "fasttext"
    first_line, _, rest = head.partition(b"\n")
    fields = first_line.split()
    if len(fields) == 2 and all(field.isdigit() for field in fields):
        # word2vec header "n_words n_dims": text or binary body follows
        return "word2vec" if _is_text(rest) else "word2vec_binary"
    if len(fields) >= 2 and _is_text(first_line) and _are_numbers(fields[1:]):
        return "glove"
    if path.endswith(".bin"):
        return "fasttext"  # older fastText .bin files start without the magic number
    raise ValueError(
        f"could not tell the format of pretrained vector file {path!r}; pass "
        f"pretrained_format= one of {PRETRAINED_FORMATS[1:]}"
    )


def _is_text(data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sniffed block is still text
        if exc.start < len(data) - 3:
            return False
        text = data[: exc.start].decode("utf-8")
    return all(char.isprintable() or char.isspace() for char in text)


def _are_numbers(fields):
    try:
        [float(field) for field in fields]
    except ValueError:
        return False
    return True
