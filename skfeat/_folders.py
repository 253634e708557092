"""Listing the files of a folder in a fixed order: the data files below it, or
one sub-folder per class.

One listing for every reader of folders (image folders, audio folders, the
``skfeat embed-images`` command), so that they all find the same files in the
same order.
"""

import os

import numpy as np


def list_class_folders(directory, *, allowed_extensions, kind):
    """The files of a folder that holds one sub-folder per class.

    Classes are the sub-folders' names in sorted order; each class's files are
    found in its sub-folder and the folders below it, in sorted order, keeping
    those whose names end in one of ``allowed_extensions`` (any case), as
    Keras' ``image_dataset_from_directory`` does. ``kind`` ("image", "audio")
    names the files in errors.

    Returns
    -------
    filenames : list of str
    target : ndarray of int64
    target_names : list of str
    """
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"{kind} folder not found: {directory}")
    target_names = sorted(
        entry.name for entry in os.scandir(directory) if entry.is_dir()
    )
    if not target_names:
        raise ValueError(
            f"{directory} has no sub-folders; put the {kind} files of each class "
            "in a sub-folder named after the class"
        )
    filenames, target = [], []
    for label, name in enumerate(target_names):
        found = find_files(
            os.path.join(directory, name), allowed_extensions=allowed_extensions
        )
        filenames += found
        target += [label] * len(found)
    if not filenames:
        raise ValueError(
            f"found no {kind} files in the sub-folders of {directory}; file names "
            f"must end in one of {', '.join(suffixes(allowed_extensions))}"
        )
    return filenames, np.asarray(target, dtype=np.int64), target_names


def find_files(directory, *, allowed_extensions):
    """The files in ``directory`` and every folder below it, in a fixed order.

    A folder's own files come first, sorted by name, then each of its sub-folders
    in sorted order, the same way down; only names ending in one of
    ``allowed_extensions`` (any case) are kept. A sub-folder that cannot be
    listed raises instead of being left out.

    Returns
    -------
    filenames : list of str
        Each file's path: ``directory`` joined with its path below it.
    """
    endings = suffixes(allowed_extensions)
    filenames = []
    for root, folders, files in os.walk(directory, onerror=_cannot_list):
        folders.sort()  # os.walk visits them in this order
        filenames += [
            os.path.join(root, file)
            for file in sorted(files)
            if file.lower().endswith(endings)
        ]
    return filenames


def suffixes(allowed_extensions):
    """File name endings, lower case, as ``str.endswith`` takes them."""
    return tuple(extension.lower() for extension in allowed_extensions)


def _cannot_list(error):
    # os.walk leaves out, without a word, any folder it cannot list
    raise OSError(
        f"cannot list the folder {error.filename}: {error.strerror}"
    ) from error
