"""Warnings and errors that skfeat raises."""

from sklearn.exceptions import (
    InconsistentVersionWarning as _SklearnInconsistentVersionWarning,
)

__all__ = ["InconsistentVersionWarning"]


class InconsistentVersionWarning(_SklearnInconsistentVersionWarning):
    """An estimator was unpickled by another skfeat version than pickled it.

    A subclass of scikit-learn's warning of the same name, so a filter for that
    one covers skfeat's too.

    Parameters
    ----------
    estimator_name : str
        Estimator name.
    current_version : str
        The skfeat version that loads the pickle.
    original_version : str
        The skfeat version that wrote it.
    """

    def __init__(self, *, estimator_name, current_version, original_version):
        super().__init__(
            estimator_name=estimator_name,
            current_sklearn_version=current_version,
            original_sklearn_version=original_version,
        )

    def __str__(self):
        return (
            f"Unpickling {self.estimator_name} saved by skfeat "
            f"{self.original_sklearn_version} with skfeat "
            f"{self.current_sklearn_version}: it may fail or give different "
            "results. Refit it with this version, or load it with the version "
            "that saved it. Only load pickles you trust."
        )
