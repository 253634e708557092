"""Reading pretrained word vectors from the file formats people actually have."""

import mmap
import os
import struct
import warnings

from gensim.models import KeyedVectors
from gensim.models.fasttext import load_facebook_vectors

PRETRAINED_FORMATS = ("auto", "word2vec", "word2vec_binary", "glove", "fasttext")

# First int32 of a Facebook fastText .bin file (newer releases write it).
_FASTTEXT_MAGIC = 793712314
# The newest .bin version fastText writes; fastText itself refuses newer ones.
_FASTTEXT_VERSION = 12
# int32 fields after the magic number and version (dim ... lr_update_rate), then
# one float64; files without the magic number start at dim.
_FASTTEXT_INT_FIELDS = 12
_FASTTEXT_SUPERVISED = 3  # the `model` field of `fasttext supervised`
# file name endings that smart_open, and so gensim, decompresses
_COMPRESSED = (".gz", ".bz2", ".xz", ".zst")
# duplicated words a warning names
_DUPLICATES_SHOWN = 5
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
    if os.path.isdir(path):
        raise IsADirectoryError(
            f"pretrained vector file {path!r} is a folder; give the path of the "
            "vector file in it (.vec, .txt or .bin)"
        )
    if not os.path.isfile(path):
        raise FileNotFoundError(f"pretrained vector file not found: {path!r}")
    file_format = (
        detect_format(path) if pretrained_format == "auto" else pretrained_format
    )
    try:
        if file_format == "fasttext":
            # gensim reads a compressed file through smart_open, by its name
            if not path.endswith(_COMPRESSED):
                _check_fasttext_file(path)
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
        if file_format in ("word2vec", "glove"):
            _raise_for_a_row_of_another_length(
                path, has_header=file_format == "word2vec"
            )
        reason = (
            f"it is not a complete fastText model: {exc}"
            if isinstance(exc, _NotFastText)
            else f"{type(exc).__name__}: {exc}"
        )
        raise ValueError(
            f"could not read pretrained vectors from {path!r} as {file_format!r} "
            f"format ({reason}); the file may be truncated or corrupt, or pass "
            "pretrained_format= to name its format"
        ) from exc
    if len(vectors) == 0:
        raise ValueError(f"pretrained vector file {path!r} holds no vectors")
    return _without_duplicates(vectors, path, file_format)


def _text_rows(path, has_header):
    """(line number, word, number of values) of each row of a text vector file,
    split as gensim splits it."""
    with open(path, "rb") as file:
        if has_header:
            file.readline()
        for number, line in enumerate(file, start=2 if has_header else 1):
            word, *values = line.rstrip().split(b" ")
            yield number, word.decode("utf-8", "replace"), len(values)


def _raise_for_a_row_of_another_length(path, *, has_header):
    """Name the first row whose number of values differs from the vector size,
    where gensim says only "could not broadcast input array"."""
    with open(path, "rb") as file:
        head = file.read(4096)
        file.seek(0)
        first = file.readline().split()
    if not _is_text(head):
        return  # a binary file read as text: the generic error names the format
    if has_header:
        header = len(first) == 2 and first[1].isdigit()
        where, size = "its header line", int(first[1]) if header else None
    else:
        where, size = "line 1", len(first) - 1
    if size is None:
        return
    for number, word, n_values in _text_rows(path, has_header):
        if n_values != size:
            raise ValueError(
                f"line {number:,} of pretrained vector file {path!r} holds "
                f"{n_values} values for the word {word!r}, but {where} says vectors "
                f"have {size}; the line is damaged, or its word holds a space, "
                "which the format cannot tell from the space between values"
            )


def _without_duplicates(vectors, path, file_format):
    """gensim keeps a word's first vector and drops the later ones, saying so
    only to its logger, and leaves an empty slot (key None, a vector of zeros)
    for each: warn naming the words, and drop the empty slots."""
    n_words = len(vectors.key_to_index)
    n_dropped = len(vectors) - n_words
    if n_dropped == 0:
        return vectors
    if file_format == "word2vec_binary":
        words = _binary_words(path)
    else:
        words = (word for _, word, _ in _text_rows(path, file_format == "word2vec"))
    seen, duplicates, more = set(), [], ""
    for word in words:
        if word in seen and word not in duplicates:
            if len(duplicates) == _DUPLICATES_SHOWN:
                more = ", ..."
                break
            duplicates.append(word)
        seen.add(word)
    warnings.warn(
        f"pretrained vector file {path!r} holds {n_dropped:,} rows for words it "
        f"has a vector for already ({', '.join(map(repr, duplicates))}{more}): the "
        "first vector of each word is kept, the later ones are ignored",
        UserWarning,
        stacklevel=6,  # Word2VecVectorizer.fit's caller
    )
    kept = KeyedVectors(vectors.vector_size, count=0, dtype=vectors.vectors.dtype)
    kept.add_vectors(vectors.index_to_key[:n_words], vectors.vectors[:n_words])
    return kept


def _binary_words(path):
    """The words of a binary word2vec file, in order: each is followed by a space
    and its vector of float32 values."""
    with (
        open(path, "rb") as file,
        mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        n_rows, size = map(int, data.readline().split())
        position = data.tell()
        for _ in range(n_rows):
            space = data.find(b" ", position)
            yield data[position:space].lstrip(b"\n").decode("utf-8", "replace")
            position = space + 1 + 4 * size


def _check_fasttext_file(path):
    """Check that a fastText .bin file holds all that its sizes announce.

    gensim's reader loops forever on a file that ends inside its vocabulary (it
    reads a byte at a time to a marker that never comes), so walk the file's
    structure first: the header, each word's end, then the sizes of the vector
    table against the file's length. Raises ValueError naming what is missing.
    """
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size == 0:
            raise _NotFastText("the file is empty")
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            _walk_fasttext(data, size)


class _NotFastText(ValueError):
    pass


def _walk_fasttext(data, size):
    position = 0

    def read(fmt, what):
        nonlocal position
        end = position + struct.calcsize(fmt)
        if end > size:
            raise _NotFastText(f"the file ends inside its {what}, at byte {size:,}")
        values = struct.unpack_from(fmt, data, position)
        position = end
        return values

    magic, version = read("<2i", "header")
    new_format = magic == _FASTTEXT_MAGIC
    if new_format and not 0 < version <= _FASTTEXT_VERSION:
        raise _NotFastText(
            f"it says it is of fastText file version {version}; fastText writes "
            f"versions up to {_FASTTEXT_VERSION}"
        )
    # without the magic number the first two fields were dim and ws
    fields = read(f"<{_FASTTEXT_INT_FIELDS - (0 if new_format else 2)}i", "header")
    model = fields[7 if new_format else 5]
    read("<d", "header")
    n_entries, n_words, n_labels = read("<3i", "vocabulary header")
    if n_labels > 0 and model == _FASTTEXT_SUPERVISED:
        return  # a classifier: gensim's reader says so
    read("<q", "vocabulary header")  # tokens seen in training
    n_pruned = read("<q", "vocabulary header")[0] if new_format else 0
    # each entry: the word's bytes, a 0 byte, an int64 count and an int8 type
    if min(n_entries, n_words, n_labels) < 0 or n_entries * 10 > size - position:
        raise _NotFastText(
            f"its vocabulary of {n_entries:,} words cannot fit in the "
            f"{size - position:,} bytes that follow"
        )
    for number in range(n_entries):
        end = data.find(b"\0", position)
        if end < 0 or end + 10 > size:
            raise _NotFastText(
                f"the file ends inside its vocabulary, in word {number + 1:,} of "
                f"{n_entries:,}"
            )
        position = end + 10
    if n_pruned < -1 or n_pruned * 8 > size - position:
        raise _NotFastText(
            f"its {n_pruned:,} pruned n-gram entries cannot fit in the "
            f"{size - position:,} bytes that follow"
        )
    position += max(n_pruned, 0) * 8
    if new_format and read("<?", "vector table header")[0]:
        raise _NotFastText(
            "it is a quantized model (.ftz, from `fasttext quantize`), whose vectors "
            "gensim cannot read; use the .bin or .vec file it was quantized from"
        )
    n_rows, n_columns = read("<2q", "vector table header")
    if min(n_rows, n_columns) < 0 or n_rows * n_columns * 4 > size - position:
        raise _NotFastText(
            f"its table of {n_rows:,} × {n_columns:,} vectors cannot fit in the "
            f"{size - position:,} bytes that follow"
        )


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
