"""``skfeat embed``: documents from a file in, one vector per document out.

The input is read as a stream (once to count and check it, then as often as
training needs, then chunk by chunk to transform), and the output is written
chunk by chunk to a temporary file that replaces the target only on success.
"""

import csv
import os
import reprlib
import tempfile
from itertools import islice
from pathlib import Path

import numpy as np
from tqdm import tqdm


class DocumentFile:
    """Documents re-read from a file on every iteration: lines, or a CSV column.

    Parameters
    ----------
    path : path-like
        A UTF-8 text file with one document per line, or a CSV file with a
        header row.
    column : str, default=None
        The CSV column holding the documents; None reads ``path`` as lines.
    """

    def __init__(self, path, column=None):
        self.path = Path(path)
        self.column = column

    def __iter__(self):
        with open(self.path, encoding="utf-8", newline="") as file:
            if self.column is None:
                for line in file:
                    yield line.rstrip("\r\n")
                return
            reader = csv.reader(file)
            position = next(reader).index(self.column)
            for row in reader:
                yield row[position] if position < len(row) else ""

    def check(self):
        """Return the number of documents, or raise a clear error for a bad file."""
        if not self.path.is_file():
            raise FileNotFoundError(f"input file not found: {self.path}")
        if self.column is None and self.path.suffix.lower() == ".csv":
            raise ValueError(
                f"{self.path} looks like a CSV file; say which column holds the "
                f"documents with --column NAME"
            )
        try:
            if self.column is not None:
                with open(self.path, encoding="utf-8", newline="") as file:
                    header = next(csv.reader(file), [])
                if self.column not in header:
                    names = ", ".join(map(reprlib.repr, header[:10]))
                    more = f" and {len(header) - 10} more" if len(header) > 10 else ""
                    raise ValueError(
                        f"{self.path} has no column {self.column!r}; its header row "
                        f"names: {names or 'nothing'}{more}"
                    )
            n_documents = sum(1 for _ in self)
        except UnicodeDecodeError as exc:
            raise ValueError(f"{self.path} is not UTF-8 text ({exc})") from exc
        if n_documents == 0:
            raise ValueError(f"{self.path} holds no documents")
        return n_documents


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


class _ParquetWriter:
    def __init__(self, path, n_rows, columns):
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise ValueError(
                "writing .parquet needs pyarrow: pip install 'skfeat[parquet]', "
                "or write .npy or .csv instead"
            ) from None
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


def embed_file(
    input_path, output_path, vectorizer, *, column=None, chunk_size, show_progress
):
    """Fit ``vectorizer`` on the documents in a file and write their vectors.

    Returns the number of documents written. On any error the output file is
    left as it was: nothing is written there until every row is.
    """
    documents = DocumentFile(input_path, column)
    n_documents = documents.check()
    output_path = Path(output_path)
    writer_class = _WRITERS[output_path.suffix.lower()]
    vectorizer.fit(documents)  # streamed: the file is re-read on each pass
    columns = vectorizer.get_feature_names_out()
    file_descriptor, partial = tempfile.mkstemp(
        dir=output_path.parent, prefix=f".{output_path.name}.", suffix=".partial"
    )
    os.close(file_descriptor)
    try:
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
                while chunk := list(islice(iterator, chunk_size)):
                    writer.write(vectorizer.transform(chunk))
                    progress.update(len(chunk))
        finally:
            writer.close()
        os.replace(partial, output_path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return n_documents
