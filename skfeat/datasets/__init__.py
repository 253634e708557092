"""Small real data sets: the ones installed packages ship, MR and CIFAR-10
fetched once; and the user's own images and recordings, one folder per class.

Every loader returns a :class:`sklearn.utils.Bunch` like scikit-learn's own
``load_*`` and ``fetch_*`` functions. Nothing here downloads anything except
:func:`fetch_sentence_polarity` and :func:`fetch_cifar10`, and each only once:
later calls read its cache.
"""

from skfeat.datasets._audio_folder import load_audio_folder
from skfeat.datasets._cifar10 import fetch_cifar10
from skfeat.datasets._digits import load_digit_images
from skfeat.datasets._image_folder import load_image_folder
from skfeat.datasets._text import (
    fetch_sentence_polarity,
    load_mini_newsgroups,
    load_mini_sentence_polarity,
    load_wikipedia_sample,
)

__all__ = [
    "fetch_cifar10",
    "load_audio_folder",
    "fetch_sentence_polarity",
    "load_digit_images",
    "load_image_folder",
    "load_mini_newsgroups",
    "load_mini_sentence_polarity",
    "load_wikipedia_sample",
]
