"""``skfeat embed``: documents from a file in, one vector per document out.

The input is read as a stream (once to count and check it, then as often as
training needs, then chunk by chunk to transform), and the output is written
chunk by chunk to a temporary file that replaces the target only on success.
Errors name the command's flags and the user's paths: only the command uses
this module.
"""

import contextlib
import csv
import os
import reprlib
import secrets
import shutil
import sys
import tempfile
from itertools import islice
from pathlib import Path
from typing import NamedTuple

import numpy as np
from tqdm import tqdm

# rows of a CSV file looked at to tell whether it is CSV at all
_SNIFFED_ROWS = 50


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
        """The file's lines, decoded one by one so that an error can say where."""
        with open(self.path, "rb") as file:
            offset = 0
            for number, line in enumerate(file, start=1):
                try:
                    yield line.decode(self.encoding, self.decode_error)
                except UnicodeDecodeError as exc:
                    raise ValueError(
                        f"{self.name}, line {number}: byte {line[exc.start]:#04x} at "
                        f"offset {offset + exc.start:,} is not {self.encoding} text; "
                        "name the file's encoding with --encoding (often latin-1 or "
                        "cp1252), or pass --decode-error replace to keep going"
                    ) from None
                offset += len(line)

    def __iter__(self):
        if self.column is None:
            for line in self._lines():
                yield line.rstrip("\r\n")
            return
        reader = csv.reader(self._lines())
        position = next(reader).index(self.column)
        for row in reader:
            yield row[position] if position < len(row) else ""

    def check(self):
        """Return the number of documents, or raise a clear error for a bad file."""
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
        n_documents = sum(1 for _ in self)
        if n_documents == 0:
            raise ValueError(f"{self.name} holds no documents")
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
    def __init__(self, path, n_rows, columns):
        self._array = np.lib.format.open_memmap(
            path, mode="w+", dtype=np.float32, shape=(n_rows, len(columns))
        )
        self._start = 0

    def write(self, rows):
        self._array[self._start : self._start + len(rows)] = rows
        self._start += len(rows)

    def close(self):
        self._array.flush()
        del self._array  # release the memory map before the file is renamed


class _CsvWriter:
    def __init__(self, path, n_rows, columns):
        self._file = open(path, "w", encoding="utf-8", newline="")
        self._file.write(",".join(columns) + "\n")

    def write(self, rows):
        # %.9g keeps every bit of a float32
        np.savetxt(self._file, rows, fmt="%.9g", delimiter=",")

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
    def __init__(self, path, n_rows, columns):
        pa, pq = _import_pyarrow()
        self._pa = pa
        self._columns = list(columns)
        schema = pa.schema([(name, pa.float32()) for name in self._columns])
        self._writer = pq.ParquetWriter(path, schema)

    def write(self, rows):
        table = self._pa.Table.from_arrays(list(rows.T), names=self._columns)
        self._writer.write_table(table)

    def close(self):
        self._writer.close()


_WRITERS = {".npy": _NpyWriter, ".csv": _CsvWriter, ".parquet": _ParquetWriter}


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
    output_path = Path(output_path)
    writer_class = _WRITERS[output_path.suffix.lower()]
    if writer_class is _ParquetWriter:
        _import_pyarrow()
    partial = _create_partial(output_path)
    try:
        n_documents = documents.check()
        vectorizer.fit(documents)  # streamed: the file is re-read on each pass
        columns = vectorizer.get_feature_names_out()
        zero_rows = []
        with _writing(output_path):
            writer = writer_class(partial, n_documents, columns)
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
                    with _writing(output_path):
                        writer.write(rows)
                    start += len(chunk)
                    progress.update(len(chunk))
        finally:
            with _writing(output_path):
                writer.close()
        with _writing(output_path):
            os.replace(partial, output_path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Embedded(n_documents, np.concatenate(zero_rows))


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
def _writing(output_path):
    """Report a failed write (disk full, say) under the user's output path."""
    try:
        yield
    except OSError as exc:
        raise OSError(f"could not write {output_path}: {exc.strerror or exc}") from exc
