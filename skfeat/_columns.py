"""One column of values (text documents, image paths) from whatever holds it."""

import numpy as np


def one_column(X, *, items, column):
    """``X`` as a 1-D collection of ``items``: the single column of a DataFrame or
    2-D array, the values of a pandas Series, or ``X`` itself.

    ``items`` names the values in errors ("documents"), ``column`` the kind of
    column a user should select ("text").
    """
    if hasattr(X, "iloc") and getattr(X, "ndim", 1) == 2:  # a pandas DataFrame
        X = _single_column(X, items, column).iloc[:, 0]
    elif isinstance(X, np.ndarray):
        if X.ndim == 0:
            raise ValueError(f"expected a 1-D array of {items}, got a 0-d array")
        if X.ndim > 1:
            X = _single_column(X, items, column).reshape(-1)
    if hasattr(X, "to_numpy"):  # a pandas Series: an array, not a stream
        X = X.to_numpy()
    return X


def _single_column(X, items, column):
    if X.ndim != 2 or X.shape[1] != 1:
        raise ValueError(
            f"expected a 1-D collection of {items} or a single column, got shape "
            f"{X.shape}; select the {column} column first"
        )
    return X
