"""Pickles that remember which skfeat wrote them."""

import warnings

from skfeat.exceptions import InconsistentVersionWarning

_VERSION_KEY = "_skfeat_version"


class VersionedPickleMixin:
    """Store the skfeat version in pickles; warn when another version loads one."""

    def __getstate__(self):
        import skfeat

        return {**super().__getstate__(), _VERSION_KEY: skfeat.__version__}

    def __setstate__(self, state):
        import skfeat

        original = state.pop(_VERSION_KEY, "unknown (before 0.1.0)")
        if original != skfeat.__version__:
            warnings.warn(
                InconsistentVersionWarning(
                    estimator_name=type(self).__name__,
                    current_version=skfeat.__version__,
                    original_version=original,
                ),
                stacklevel=2,
            )
        super().__setstate__(state)
