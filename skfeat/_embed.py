"""``skfeat embed``: documents from a file in, one vector per document out.

The input is read as a stream (once to count and check it, then as often as
training needs, then chunk by chunk to transform), and the output is written
chunk by chunk to a temporary file that replaces the target only on success;
``skfeat embed-images`` writes its output the same way, with the writers and
:func:`replaced_on_success` of this module. Errors name the command's flags and
the user's paths: only the command uses this module.
"""

import codecs
import contextlib
import csv
import os
import re
import reprlib
import secrets
import shutil
import signal
import sys
import tempfile
from itertools import islice
from pathlib import Path
from typing import NamedTuple

import numpy as np
from tqdm import tqdm

# rows of a CSV file looked at to tell whether it is CSV at all
_SNIFFED_ROWS = 50
# the first column of a CSV or parquet output that names each row's file
PATH_COLUMN = "path"


class DocumentFile:
    """Documents re-read from a file on every iteration: lines, or a CSV column.

    Parameters
    ----------
    path : path-like
        A text file with one document per line, or a CSV file with a header row.
    column : str, default=None
        The CSV column holding the documents; None reads ``path`` as lines.
    encoding : str, default="utf-8"
        The file's encoding; one that writes ASCII as ASCII, since lines end at
        the byte ``\\n``.
    decode_error : {"strict", "ignore", "replace"}, default="strict"
        What to do with bytes that are not valid in ``encoding``.
    name : str, default=None
        What errors call the file; ``path`` when None.
    """

    def __init__(
        self, path, column=None, *, encoding="utf-8", decode_error="strict", name=None
    ):
        self.path = Path(path)
        self.column = column
        self.encoding = encoding
        self.decode_error = decode_error
        self.name = str(path) if name is None else name

    def _lines(self):
        """The file's lines, decoded one by one so that an error can say where.

        A UTF-8 byte-order mark (Excel's "CSV UTF-8" writes one) is not text: left
        in, it would be part of the first column's name.
        """
        with open(self.path, "rb") as file:
            offset = 0
            for number, line in enumerate(file, start=1):
                raw = line
                if number == 1 and codecs.lookup(self.encoding).name == "utf-8":
                    line = line.removeprefix(codecs.BOM_UTF8)
                try:
                    yield line.decode(self.encoding, self.decode_error)
                except UnicodeDecodeError as exc:
                    in_file = offset + len(raw) - len(line) + exc.start
                    raise ValueError(
                        f"{self.name}, line {number}: byte {line[exc.start]:#04x} at "
                        f"offset {in_file:,} is not {self.encoding} text; "
                        "name the file's encoding with --encoding (often latin-1 or "
                        "cp1252), or pass --decode-error replace to keep going"
                    ) from None
                offset += len(raw)

    def __iter__(self):
        if self.column is None:
            for line in self._lines():
                yield line.rstrip("\r\n")
            return
        reader = csv.reader(self._lines())
        position = next(reader).index(self.column)
        for row in reader:
            yield row[position] if position < len(row) else ""

    def check(self, token_pattern=None):
        """Return the number of documents, or raise a clear error for a bad file.

        With ``token_pattern``, a file none of whose documents holds a match (a
        word) is an error too: it gives nothing to learn from.
        """
        if self.path.is_dir():
            raise IsADirectoryError(
                f"{self.name} is a folder; give a text file with one document per "
                "line, or a CSV file with --column NAME"
            )
        if not self.path.is_file():
            raise FileNotFoundError(f"input file not found: {self.name}")
        self._check_encoding()
        if self.column is None and self.path.suffix.lower() == ".csv":
            raise ValueError(
                f"{self.name} looks like a CSV file; say which column holds the "
                f"documents with --column NAME"
            )
        if self.column is not None:
            self._check_column()
        words = re.compile(token_pattern) if token_pattern is not None else None
        n_documents = n_blank = n_with_words = 0
        for document in self:
            n_documents += 1
            n_blank += not document.strip()
            n_with_words += words is None or words.search(document) is not None
        if n_documents == 0:
            raise ValueError(f"{self.name} holds no documents")
        if n_blank == n_documents:
            raise ValueError(
                f"{self.name} holds {n_documents} lines, all of them blank: no "
                "document to embed"
                if self.column is None
                else f"{self.name}: the column {self.column!r} is blank in all "
                f"{n_documents} rows: no document to embed"
            )
        if n_with_words == 0:
            raise ValueError(
                f"{self.name} holds {n_documents} documents, but not one word in "
                "them (two or more letters or digits in a row)"
            )
        return n_documents

    def _check_encoding(self):
        try:
            newline = b"\n".decode(self.encoding)
        except LookupError:
            raise ValueError(f"--encoding {self.encoding}: no such encoding") from None
        except UnicodeDecodeError:
            newline = None
        if newline != "\n":
            raise ValueError(
                f"--encoding {self.encoding} is not supported: lines end at the byte "
                "\\n, so the encoding must write ASCII as ASCII (UTF-8, Latin-1, "
                f"cp1252 and most others do); convert the file first, e.g. with "
                f"iconv -f {self.encoding} -t utf-8"
            )

    def _check_column(self):
        rows = list(islice(csv.reader(self._lines()), _SNIFFED_ROWS))
        if not rows:
            raise ValueError(f"{self.name} holds no documents")
        header = rows[0]
        if self.column in header:
            return
        widths = sorted({len(row) for row in rows})
        named_csv = self.path.suffix.lower() == ".csv"
        if len(widths) > 1 or (len(header) == 1 and not named_csv):
            shape = (
                f"its lines hold between {widths[0]} and {widths[-1]} comma-separated "
                "fields"
                if len(widths) > 1
                else "its lines hold no commas"
            )
            raise ValueError(
                f"{self.name} is not a CSV file ({shape}), so it has no column "
                f"{self.column!r}; --column reads a CSV file with a header row, and "
                "without --column every line is one document"
            )
        names = ", ".join(map(reprlib.repr, header[:10]))
        more = f" and {len(header) - 10} more" if len(header) > 10 else ""
        raise ValueError(
            f"{self.name} has no column {self.column!r}; its header row names: "
            f"{names or 'nothing'}{more}"
        )

    def where(self, positions):
        """Where a user finds the documents at ``positions`` (0-based) in the file."""
        numbers = ", ".join(str(position + 1) for position in positions)
        if self.column is None:
            return f"lines {numbers}"
        return f"CSV rows {numbers} (row 1 follows the header)"


@contextlib.contextmanager
def standard_input_file():
    """Standard input, copied to a temporary file that is removed afterwards.

    Embedding reads its documents several times (to count them, in each training
    pass, to transform them) and a pipe can be read only once.
    """
    with tempfile.TemporaryDirectory(prefix="skfeat-embed-") as folder:
        path = Path(folder) / "stdin"
        with open(path, "wb") as file:
            shutil.copyfileobj(sys.stdin.buffer, file)
        yield path


class _NpyWriter:
    """Rows appended after a header that gets their count when the file is closed,
    so that rows need not be counted before they are written (files that cannot
    be read leave ``skfeat embed-images`` fewer rows than files).

    NumPy pads the header with room for the first dimension to grow in place
    (``numpy.lib.format.GROWTH_AXIS_MAX_DIGITS``): the header for the final
    count fills the same bytes as the one for none.
    """

    def __init__(self, path, columns):
        self._file = open(path, "wb")
        self._shape = [0, len(columns)]
        self._write_header()

    def _write_header(self):
        header = {"descr": "<f4", "fortran_order": False, "shape": tuple(self._shape)}
        np.lib.format.write_array_header_1_0(self._file, header)

    def write(self, rows):
        self._file.write(np.asarray(rows, dtype="<f4").tobytes())
        self._shape[0] += len(rows)

    def close(self):
        with self._file:
            self._file.seek(0)
            self._write_header()


class _CsvWriter:
    """A header row of column names, then the rows; ``path_column`` puts each
    row's path in a first column, quoted where it holds a comma, a quote or a
    line break."""

    def __init__(self, path, columns, *, path_column=False):
        # surrogateescape: a file name that is not UTF-8 keeps its bytes
        self._file = open(
            path, "w", encoding="utf-8", errors="surrogateescape", newline=""
        )
        self._cells = csv.writer(self._file, lineterminator="\n")
        self._cells.writerow([PATH_COLUMN, *columns] if path_column else columns)

    def write(self, rows, paths=None):
        # %.9g keeps every bit of a float32
        cells = ([f"{value:.9g}" for value in row] for row in rows.tolist())
        if paths is not None:
            cells = ([path, *row] for path, row in zip(paths, cells, strict=True))
        self._cells.writerows(cells)

    def close(self):
        self._file.close()


def _import_pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ValueError(
            "writing .parquet needs pyarrow: pip install pyarrow (or install skfeat "
            "with its parquet extra), or write .npy or .csv instead"
        ) from None
    return pa, pq


class _ParquetWriter:
    """float32 columns; ``path_column`` puts each row's path in a first, string
    column."""

    def __init__(self, path, columns, *, path_column=False):
        pa, pq = _import_pyarrow()
        self._pa = pa
        fields = [(name, pa.float32()) for name in columns]
        if path_column:
            fields.insert(0, (PATH_COLUMN, pa.string()))
        self._schema = pa.schema(fields)
        self._writer = pq.ParquetWriter(path, self._schema)

    def write(self, rows, paths=None):
        columns = list(rows.T)
        if paths is not None:
            columns.insert(0, self._pa.array(paths, self._pa.string()))
        self._writer.write_table(
            self._pa.Table.from_arrays(columns, schema=self._schema)
        )

    def close(self):
        self._writer.close()


def writer_class(output_path):
    """The writer for the format ``output_path``'s suffix names; checked before
    any work, so that a missing pyarrow stops the command at once."""
    writer = {".npy": _NpyWriter, ".csv": _CsvWriter, ".parquet": _ParquetWriter}[
        Path(output_path).suffix.lower()
    ]
    if writer is _ParquetWriter:
        _import_pyarrow()
    return writer


class Embedded(NamedTuple):
    """What :func:`embed_file` wrote."""

    n_documents: int
    zero_rows: np.ndarray  # positions of the documents that got a row of zeros


def embed_file(documents, output_path, vectorizer, *, chunk_size, show_progress):
    """Fit ``vectorizer`` on a :class:`DocumentFile` and write their vectors.

    The output folder and the input are checked before any work. On any error,
    and on an interrupt, the output file is left as it was and no temporary file
    stays behind: nothing is written there until every row is.
    """
    writer_type = writer_class(output_path)
    check_not_an_input([output_path], [documents.path], what="input file")
    with replaced_on_success(output_path) as (partial,):
        # only training needs words; pretrained vectors give any document a row
        training = vectorizer.pretrained is None
        n_documents = documents.check(
            token_pattern=vectorizer.token_pattern if training else None
        )
        vectorizer.fit(documents)  # streamed: the file is re-read on each pass
        zero_rows = []
        with writing(output_path):
            writer = writer_type(partial, vectorizer.get_feature_names_out())
        try:
            progress = tqdm(
                total=n_documents,
                unit="doc",
                desc="embedding",
                disable=not show_progress or None,
            )
            with progress:
                iterator = iter(documents)
                start = 0
                while chunk := list(islice(iterator, chunk_size)):
                    rows = vectorizer.transform(chunk)
                    zero_rows.append(start + np.flatnonzero(~rows.any(axis=1)))
                    with writing(output_path):
                        writer.write(rows)
                    start += len(chunk)
                    progress.update(len(chunk))
        finally:
            with writing(output_path):
                writer.close()
    return Embedded(n_documents, np.concatenate(zero_rows))


def check_not_an_input(output_paths, input_paths, *, what):
    """Refuse to write over a file the command reads, before any work.

    The same file may hide behind another spelling of its path, a symbolic link
    or a hard link: device and inode tell. Only an output that exists already
    can be an input.
    """
    for output_path in output_paths:
        try:
            output = os.stat(output_path)
        except OSError:
            continue
        for input_path in input_paths:
            try:
                same = os.path.samestat(output, os.stat(input_path))
            except OSError:
                continue
            if same:
                link = (
                    ""
                    if os.path.abspath(output_path) == os.path.abspath(input_path)
                    else " (the same file, through a link)"
                )
                raise ValueError(
                    f"{output_path} is the {what} {input_path}{link}, which the "
                    "command reads: writing it would destroy the input; give "
                    "--output another file"
                )


@contextlib.contextmanager
def replaced_on_success(*output_paths):
    """Temporary files, one per output, that replace the outputs if the block
    succeeds.

    Creating them checks each output folder before any work. On any error, and
    on an interrupt, they are removed and the outputs stay as they were. The
    outputs are replaced together, a signal held until all are: files that
    belong together (features and their paths) are never left from two runs.
    """
    partials = []
    try:
        for output_path in output_paths:
            partials.append(_create_partial(output_path))
        yield partials
        with _signals_held():
            for partial, output_path in zip(partials, output_paths, strict=True):
                with writing(output_path):
                    os.replace(partial, output_path)
    except BaseException:
        for partial in partials:
            partial.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _signals_held():
    """SIGINT and SIGTERM noted during the block, and acted on after it.

    Swapping Python's handlers, unlike ``signal.pthread_sigmask``, works on
    Windows too.
    """
    received = []
    held = (signal.SIGINT, signal.SIGTERM)
    previous = [
        signal.signal(number, lambda n, _: received.append(n)) for number in held
    ]
    try:
        yield
    finally:
        for number, handler in zip(held, previous, strict=True):
            signal.signal(number, handler)
        if received:
            signal.raise_signal(received[0])


def _create_partial(output_path):
    """Create the empty temporary file that becomes the output once complete.

    Creating it checks the output folder before any work. Its mode follows the
    umask, as any file a shell command writes does (``tempfile.mkstemp`` would
    make it private to the owner).
    """
    folder = output_path.parent
    if output_path.is_dir():
        raise IsADirectoryError(f"--output {output_path} is a folder")
    while True:
        partial = folder / f".{output_path.name}.{secrets.token_hex(4)}.partial"
        try:
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        except FileNotFoundError:
            raise FileNotFoundError(
                f"cannot write {output_path}: the folder {folder} does not exist"
            ) from None
        except OSError as exc:
            raise OSError(
                f"cannot write {output_path}: {exc.strerror} in the folder {folder}"
            ) from None
        return partial


@contextlib.contextmanager
def writing(output_path):
    """Report a failed write (disk full, say) under the user's output path."""
    try:
        yield
    except OSError as exc:
        raise OSError(f"could not write {output_path}: {exc.strerror or exc}") from exc
