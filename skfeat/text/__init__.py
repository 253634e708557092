"""Text feature extraction: word vectors pooled per document, and a CNN over them.

The estimators live in private modules, one per estimator, and are re-exported
here, as scikit-learn's ``feature_extraction`` does.
"""

from skfeat.text._cnn import TextCNNClassifier, TextCNNRegressor
from skfeat.text._ngram_cnn import NgramCNNClassifier
from skfeat.text._word2vec import POOLINGS, Word2VecVectorizer

__all__ = [
    "POOLINGS",
    "NgramCNNClassifier",
    "TextCNNClassifier",
    "TextCNNRegressor",
    "Word2VecVectorizer",
]
