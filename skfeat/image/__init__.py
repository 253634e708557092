"""Image feature extraction: convolutional networks trained through Keras.

The estimators live in private modules, one per estimator, and are re-exported
here. Importing this package does not import TensorFlow; fitting does.
"""

from skfeat.image._cnn import CNNClassifier

__all__ = ["CNNClassifier"]
