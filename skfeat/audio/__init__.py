"""Audio feature extraction: log-mel spectrograms for the image CNN, and MFCC
statistics for classic models.

The transformers live in private modules, one per transformer, and are
re-exported here. Importing this package does not import TensorFlow;
transforming does.
"""

from skfeat.audio._mfcc import MFCC
from skfeat.audio._spectrogram import LogMelSpectrogram

__all__ = ["MFCC", "LogMelSpectrogram"]
