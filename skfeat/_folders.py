"""Listing the files of a folder in a fixed order: the data files below it, or
one sub-folder per class.

One listing for every reader of folders (image folders, audio folders, the
``skfeat embed-images`` command), so that they all find the same files in the
same order.
"""

import os
import warnings

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
    filenames, target, empty = [], [], []
    for label, name in enumerate(target_names):
        found = find_files(
            os.path.join(directory, name), allowed_extensions=allowed_extensions
        )
        filenames += found
        target += [label] * len(found)
        if not found:
            empty.append(name)
    if not filenames:
        raise ValueError(
            f"found no {kind} files in the sub-folders of {directory}; file names "
            f"must end in one of {', '.join(suffixes(allowed_extensions))}"
        )
    if empty:
        warnings.warn(
            f"class folders in {directory} without {kind} files: "
            f"{', '.join(map(repr, empty))} ({len(empty)} of {len(target_names)}); "
            "target_names lists them, but no file has their label; file names "
            f"must end in one of {', '.join(suffixes(allowed_extensions))}",
            UserWarning,
            stacklevel=4,  # the caller of load_*_folder's validate_params wrapper
        )
    return filenames, np.asarray(target, dtype=np.int64), target_names


def find_files(directory, *, allowed_extensions):
    """The files in ``directory`` and every folder below it, in a fixed order.

    A folder's own files come first, sorted by name, then each of its sub-folders
    in sorted order, the same way down; only names ending in one of
    ``allowed_extensions`` (any case) are kept. A sub-folder that cannot be
    listed raises instead of being left out.

    Symbolic links to folders are followed, each folder listed once: a link to a
    folder already listed or above ``directory`` (a loop, or a second way to the
    same folder) is left out with a warning naming it.

    Returns
    -------
    filenames : list of str
        Each file's path: ``directory`` joined with its path below it.
    """
    endings = suffixes(allowed_extensions)
    filenames = []
    # the folders above count as listed: a link to one of them is a loop
    listed = {_folder_identity(folder) for folder in _with_parents(directory)}
    listed_before = []
    walk = os.walk(directory, onerror=_cannot_list, followlinks=True)
    for root, folders, files in walk:
        folders.sort()  # os.walk visits them in this order
        new_folders = []
        for folder in folders:
            identity = _folder_identity(os.path.join(root, folder))
            if identity in listed:
                listed_before.append(os.path.join(root, folder))
            else:
                listed.add(identity)
                new_folders.append(folder)
        folders[:] = new_folders
        filenames += [
            os.path.join(root, file)
            for file in sorted(files)
            if file.lower().endswith(endings)
        ]
    if listed_before:
        warnings.warn(
            f"left out {len(listed_before)} link(s) to folders already listed (a "
            "loop, or a second way to the same folder), so that no file is read "
            f"twice: {', '.join(listed_before[:5])}"
            + (", ..." if len(listed_before) > 5 else ""),
            UserWarning,
            stacklevel=5,  # load_*_folder's caller, through its helpers
        )
    return filenames


def _with_parents(directory):
    folder = os.path.realpath(directory)
    yield folder
    while os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
        yield folder


def _folder_identity(path):
    """Device and inode: the same folder, whatever the links to it."""
    try:
        status = os.stat(path)
    except OSError as error:
        _cannot_list(error)
    return status.st_dev, status.st_ino


def suffixes(allowed_extensions):
    """File name endings, lower case, as ``str.endswith`` takes them."""
    return tuple(extension.lower() for extension in allowed_extensions)


def _cannot_list(error):
    # os.walk leaves out, without a word, any folder it cannot list
    raise OSError(
        f"cannot list the folder {error.filename}: {error.strerror}"
    ) from error
