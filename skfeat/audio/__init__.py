"""Audio feature extraction: recordings read from files into waveforms.

The estimators live in private modules, one per estimator, and are re-exported
here. Importing this package does not import TensorFlow.
"""

from skfeat.audio._loader import AudioLoader

__all__ = ["AudioLoader"]
