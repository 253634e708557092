"""Image feature extraction: convolutional networks trained through Keras,
pretrained networks as feature extractors, and image files read into arrays.

The estimators live in private modules, one per estimator, and are re-exported
here. Importing this package does not import TensorFlow; fitting does.
"""

from skfeat.image._cnn import CNNClassifier, CNNRegressor
from skfeat.image._loader import ImageLoader
from skfeat.image._pretrained import BACKBONES, PretrainedImageEncoder

__all__ = [
    "BACKBONES",
    "CNNClassifier",
    "CNNRegressor",
    "ImageLoader",
    "PretrainedImageEncoder",
]
