"""Audio feature extraction: recordings read from files into waveforms,
log-mel spectrograms for the image CNN, and MFCC statistics for classic models.

The estimators live in private modules, one per estimator, and are re-exported
here. Importing this package does not import TensorFlow; transforming does.
"""

from skfeat.audio._loader import AudioLoader
from skfeat.audio._mfcc import MFCC
from skfeat.audio._spectrogram import LogMelSpectrogram

__all__ = ["MFCC", "AudioLoader", "LogMelSpectrogram"]
