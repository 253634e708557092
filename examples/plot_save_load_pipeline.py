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
from matplotlib import pyplot as plt
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skfeat import CNNClassifier, Word2VecVectorizer
from skfeat.datasets import load_digit_images, load_mini_sentence_polarity

# CI fits the CNN briefly: its accuracy is not this example's point
quick = os.environ.get("SKFEAT_DOCS_QUICK") == "1"
folder = Path(tempfile.mkdtemp())

# %%
# A text pipeline.
reviews, sentiment = load_mini_sentence_polarity(return_X_y=True)
text_model = make_pipeline(
    Word2VecVectorizer(min_count=1, workers=1, random_state=0),
    StandardScaler(),
    LogisticRegression(max_iter=1000),
).fit(reviews, sentiment)
joblib.dump(text_model, folder / "text_model.joblib")
text_loaded = joblib.load(folder / "text_model.joblib")
text_before = text_model.predict_proba(reviews)[:, 1]
text_after = text_loaded.predict_proba(reviews)[:, 1]
print(np.array_equal(text_after, text_before))

# %%
# An image pipeline: CNN features feeding an SVC.
images, digits = load_digit_images(return_X_y=True)
image_model = make_pipeline(
    CNNClassifier(epochs=2 if quick else 10, random_state=0), SVC()
).fit(images, digits)
joblib.dump(image_model, folder / "image_model.joblib")
image_loaded = joblib.load(folder / "image_model.joblib")
image_before = image_model.decision_function(images)
image_after = image_loaded.decision_function(images)
print(np.array_equal(image_after, image_before))

# %%
# Every output before saving against the same output after loading: all on the
# diagonal, and the largest difference is exactly zero.
fig, axes = plt.subplots(1, 2, figsize=(8, 4), layout="constrained")
panels = [
    ("text pipeline: P(positive review)", text_before, text_after),
    ("image pipeline: SVC decision values", image_before, image_after),
]
for ax, (title, before, after) in zip(axes, panels, strict=True):
    ax.scatter(before.ravel(), after.ravel(), s=4, alpha=0.3)
    ax.axline((0, 0), slope=1, color="grey", linewidth=0.8, linestyle=":")
    ax.set(
        title=f"{title}\nlargest difference: {np.abs(after - before).max():g}",
        xlabel="before saving",
        ylabel="after loading",
    )
    ax.title.set_fontsize(10)
plt.show()
