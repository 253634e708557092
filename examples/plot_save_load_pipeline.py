"""
Saving and loading a fitted pipeline
====================================

Fitted skfeat estimators pickle like any scikit-learn estimator (the CNN with
Keras' own serialisation), so a whole pipeline is saved with :mod:`joblib` and
predicts identically after loading.
"""

import os
import tempfile
from pathlib import Path

import joblib
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVC

from skfeat import CNNClassifier, Word2VecVectorizer
from skfeat.datasets import load_digit_images, load_mini_sentence_polarity

quick = os.environ.get("SKFEAT_DOCS_QUICK") == "1"  # short training for CI
folder = Path(tempfile.mkdtemp())

# %%
# A text pipeline.
reviews, sentiment = load_mini_sentence_polarity(return_X_y=True)
text_model = make_pipeline(
    Word2VecVectorizer(min_count=1, workers=1, random_state=0),
    LogisticRegression(max_iter=1000),
).fit(reviews, sentiment)
joblib.dump(text_model, folder / "text_model.joblib")
loaded = joblib.load(folder / "text_model.joblib")
print(np.array_equal(loaded.predict_proba(reviews), text_model.predict_proba(reviews)))

# %%
# An image pipeline: CNN features feeding an SVC.
images, digits = load_digit_images(return_X_y=True)
image_model = make_pipeline(
    CNNClassifier(epochs=2 if quick else 10, random_state=0), SVC()
).fit(images, digits)
joblib.dump(image_model, folder / "image_model.joblib")
loaded = joblib.load(folder / "image_model.joblib")
print(np.array_equal(loaded.predict(images), image_model.predict(images)))
