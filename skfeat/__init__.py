"""Deep-learning feature extraction as ordinary scikit-learn estimators.

Public names are imported lazily: ``import skfeat`` stays cheap, and TensorFlow
is only imported when a CNN is actually fitted or used.
"""

import importlib
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("skfeat")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

# public name -> module that defines it
_LAZY_NAMES = {
    "Word2VecVectorizer": "skfeat.text",
    "TextCNNClassifier": "skfeat.text",
    "NgramCNNClassifier": "skfeat.text",
    "CNNClassifier": "skfeat.image",
    "ImageLoader": "skfeat.image",
    "PretrainedImageEncoder": "skfeat.image",
    "AudioLoader": "skfeat.audio",
    "LogMelSpectrogram": "skfeat.audio",
    "MFCC": "skfeat.audio",
    "CNNRegressor": "skfeat.image",
    "TextCNNRegressor": "skfeat.text",
}

__all__ = [*_LAZY_NAMES, "__version__"]


def __getattr__(name):
    if name in _LAZY_NAMES:
        value = getattr(importlib.import_module(_LAZY_NAMES[name]), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module 'skfeat' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
