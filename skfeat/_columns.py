"""One column of values (text documents, file paths) from whatever holds it."""

import inspect
import os

import numpy as np
import scipy.sparse as sp


def one_column(X, *, items, column):
    """Check that ``X`` holds one column of ``items`` and return it as one.

    A DataFrame or 2-D array must have a single column, which is returned; a
    pandas Series gives its values; other iterables (a list, a 1-D array, a
    generator) are returned as they are. ``items`` names the values in errors
    ("text documents"), ``column`` the kind of column to select ("text").
    """
    if sp.issparse(X):
        raise TypeError(f"a sparse matrix was given, but {items} were expected")
    if inspect.isgenerator(X) and inspect.getgeneratorstate(X) == "GEN_CLOSED":
        raise ValueError(
            "X is a generator that has already been used up; generators can be "
            "read only once, so pass a list (or a new generator) to each call"
        )
    if hasattr(X, "iloc") and getattr(X, "ndim", 1) == 2:  # a pandas DataFrame
        X = _single_column(X, items, column).iloc[:, 0]
    elif isinstance(X, np.ndarray):
        if X.ndim == 0:
            raise ValueError(f"expected a 1-D array of {items}, got a 0-d array")
        if X.ndim > 1:
            X = _single_column(X, items, column).reshape(-1)
    if not hasattr(X, "__iter__"):
        raise TypeError(f"expected an iterable of {items}, got {type(X).__name__}")
    if hasattr(X, "to_numpy"):  # a pandas Series: an array, not a stream
        X = X.to_numpy()
    return X


def describe(value):
    """A value that is not of the expected type, for an error message."""
    if value is None:
        return "None"
    if isinstance(value, float) and np.isnan(value):
        return "NaN (a missing value)"
    return f"of type {type(value).__name__}"


def _single_column(X, items, column):
    if X.ndim != 2 or X.shape[1] != 1:
        raise ValueError(
            f"expected a 1-D collection of {items} or a single column, got shape "
            f"{X.shape}; select the {column} column first"
        )
    return X


def file_paths(X, *, kind):
    """Check that ``X`` is a collection of file paths and return it as a list.

    ``kind`` ("image", "audio") names the files in errors.
    """
    reject_single_path(X, kind=kind)
    paths = list(one_column(X, items=f"{kind} paths", column="path"))
    for position, path in enumerate(paths):
        if not isinstance(path, str | os.PathLike):
            raise TypeError(
                f"path {position} is {describe(path)}; expected a str or path-like"
            )
    return paths


def reject_single_path(X, *, kind):
    """Raise, with advice, when ``X`` is one path instead of a collection."""
    if isinstance(X, str | bytes | os.PathLike):
        raise ValueError(
            f"expected a collection of {kind} paths, got the single path {X!r}; "
            "wrap it in a list: [path]"
        )
