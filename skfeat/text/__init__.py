"""Text feature extraction: word vectors pooled per document.

The estimators live in private modules, one per estimator, and are re-exported
here, as scikit-learn's ``feature_extraction`` does.
"""

from skfeat.text._word2vec import POOLINGS, Word2VecVectorizer

__all__ = ["POOLINGS", "Word2VecVectorizer"]
