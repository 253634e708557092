"""``skfeat embed-images``: a folder of image files in, one feature row per image out.

The files are listed first (the folder and every folder below it, in a fixed
order), then decoded, encoded and written one chunk at a time, so memory holds
one chunk of images however large the folder. The output is written as
``skfeat embed`` writes it: to temporary files that replace the outputs only on
success. Errors name the command's flags and the user's paths: only the command
uses this module.
"""

import os
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from tqdm import tqdm

from skfeat._embed import (
    check_not_an_input,
    replaced_on_success,
    writer_class,
    writing,
)
from skfeat._folders import find_files
from skfeat._images import IMAGE_EXTENSIONS, read_images
from skfeat._tensorflow_startup import import_tensorflow_quietly


def paths_file(output_path):
    """The text file beside a ``.npy`` output that names the file of each row."""
    output_path = Path(output_path)
    return output_path.with_name(output_path.stem + ".paths.txt")


class EmbeddedImages(NamedTuple):
    """What :func:`embed_image_folder` wrote."""

    n_images: int  # rows written
    n_files: int  # image files found
    skipped: list  # the OSError of each file left out, in file order


def embed_image_folder(
    folder,
    output_path,
    encoder,
    *,
    chunk_size,
    skip_unreadable,
    show_progress,
):
    """Encode every image file under ``folder`` and write one row per file.

    ``encoder`` is an unfitted :class:`~skfeat.image.PretrainedImageEncoder`
    with its ``image_size`` set. Files are decoded with Pillow at that size, as
    :class:`~skfeat.image.ImageLoader` decodes them, ``chunk_size`` at a time,
    and the encoder is fitted on the first chunk.

    Each row is named by its file's path relative to ``folder``: in a first
    ``path`` column of a CSV or parquet output, or one per line in
    :func:`paths_file` beside a ``.npy`` output.
    """
    output_path = Path(output_path)
    writer_type = writer_class(output_path)
    with_paths_file = output_path.suffix.lower() == ".npy"
    outputs = (
        [output_path, paths_file(output_path)] if with_paths_file else [output_path]
    )
    with replaced_on_success(*outputs) as partials:
        filenames = _image_files(folder)
        check_not_an_input(outputs, filenames, what="image file")
        names = [
            Path(filename).relative_to(folder).as_posix() for filename in filenames
        ]
        _check_names_fit(names, folder, output_path)
        skipped = []
        chunks = _decoded_chunks(
            filenames,
            names,
            image_size=encoder.image_size,
            chunk_size=chunk_size,
            skip_unreadable=skip_unreadable,
            skipped=skipped,
            show_progress=show_progress,
        )
        first = next(chunks, None)
        if first is None:
            raise OSError(
                f"none of the {len(filenames)} image files under {folder} could be "
                f"read; the first: {skipped[0]}"
            )
        import_tensorflow_quietly()  # this process is ours: no start-up lines
        encoder.fit(first.images)
        columns = encoder.get_feature_names_out()
        with writing(output_path):
            if with_paths_file:
                writer = _RowsAndPathsFile(
                    writer_type(partials[0], columns), partials[1]
                )
            else:
                writer = writer_type(partials[0], columns, path_column=True)
        n_images = 0
        try:
            for chunk in chain([first], chunks):
                rows = encoder.transform(chunk.images)
                with writing(output_path):
                    writer.write(rows, chunk.names)
                n_images += len(rows)
        finally:
            with writing(output_path):
                writer.close()
    return EmbeddedImages(n_images, len(filenames), skipped)


class _RowsAndPathsFile:
    """A ``.npy`` writer, and the path of each of its rows, one per line, in a
    text file."""

    def __init__(self, rows_writer, paths_path):
        self._rows = rows_writer
        # surrogateescape: a file name that is not UTF-8 keeps its bytes
        self._paths = open(
            paths_path, "w", encoding="utf-8", errors="surrogateescape", newline=""
        )

    def write(self, rows, paths):
        self._rows.write(rows)
        self._paths.writelines(path + "\n" for path in paths)

    def close(self):
        with self._paths:
            self._rows.close()


def _image_files(folder):
    if not os.path.exists(folder):
        raise FileNotFoundError(f"image folder not found: {folder}")
    if not os.path.isdir(folder):
        raise NotADirectoryError(
            f"{folder} is a file; give the folder that holds the image files "
            "(to embed one image, put it in a folder of its own)"
        )
    filenames = find_files(folder, allowed_extensions=IMAGE_EXTENSIONS)
    if not filenames:
        raise ValueError(
            f"found no image files in {folder} or the folders below it; file names "
            f"must end in one of {', '.join(IMAGE_EXTENSIONS)} (in any case)"
        )
    return filenames


def _check_names_fit(names, folder, output_path):
    """Check that the output can name every file, before any work."""
    suffix = output_path.suffix.lower()
    for name in names:
        if suffix == ".npy" and ("\n" in name or "\r" in name):
            raise ValueError(
                f"the name of {os.path.join(folder, name)!r} holds a line break, so "
                f"{paths_file(output_path)} (one path per line) cannot hold it; "
                "rename the file, or write .csv or .parquet, which quote it"
            )
        if suffix == ".parquet":
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError(
                    f"the name of {os.path.join(folder, name)!r} is not UTF-8 "
                    "text, which parquet needs; rename the file, or write .csv or "
                    ".npy, which keep its bytes"
                ) from None


class _Chunk(NamedTuple):
    images: object  # uint8 array (n, height, width, 3)
    names: list  # each image's path relative to the folder


def _decoded_chunks(
    filenames,
    names,
    *,
    image_size,
    chunk_size,
    skip_unreadable,
    skipped,
    show_progress,
):
    """The images decoded ``chunk_size`` files at a time, chunks left wholly
    unreadable left out; the error of each file left out goes to ``skipped``."""
    progress = tqdm(
        total=len(filenames),
        unit="image",
        desc="embedding",
        disable=not show_progress or None,
    )
    with progress:
        for start in range(0, len(filenames), chunk_size):
            images, unreadable = read_images(
                filenames[start : start + chunk_size],
                image_size=image_size,
                skip_unreadable=skip_unreadable,
            )
            left_out = {position for position, _ in unreadable}
            skipped += [error for _, error in unreadable]
            progress.update(min(chunk_size, len(filenames) - start))
            if len(images):
                kept = [
                    name
                    for position, name in enumerate(names[start : start + chunk_size])
                    if position not in left_out
                ]
                yield _Chunk(images, kept)
