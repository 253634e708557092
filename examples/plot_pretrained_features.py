"""
Pretrained features against a CNN trained from scratch
======================================================

The features of a small network pretrained on ImageNet, followed by a linear
model, against the colour CNN that :class:`~skfeat.CNNClassifier` trains from
scratch, on CIFAR-10 photos (32×32 pixels, 10 classes).

:class:`~skfeat.PretrainedImageEncoder` runs MobileNetV2 at width 0.35 (its
``alpha``: 2 MB of weights) without its classification head: each image is
resized to 224×224, preprocessed as the network was trained, and its last feature
map pooled into 1,280 numbers. The network is never trained here; only the
logistic regression after it is.

**Getting the weights.** With ``weights="imagenet"`` (the default) Keras
downloads the weights file once into its cache, ``~/.keras/models`` (or
``$KERAS_HOME/models``). On a machine without network access, copy
``mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5`` from
``https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/``
into that folder; without it, ``fit`` says which file to put where. The
documentation build finds the file in its cache and runs this example.
"""

import os
import time

import numpy as np
from matplotlib import pyplot as plt
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skfeat import CNNClassifier, PretrainedImageEncoder
from skfeat.datasets import fetch_cifar10

quick = os.environ.get("SKFEAT_DOCS_QUICK") == "1"  # fewer images for CI

# %%
# CIFAR-10's training photos, as uint8 arrays (downloaded once, 163 MB). The
# documentation build reads a 3,728-image sample of them instead, and in its
# quick mode keeps 600.
sample = os.environ.get("SKFEAT_DOCS_CIFAR10_SAMPLE")
if sample:
    with np.load(sample) as data:
        images, labels = data["images"], data["labels"]
else:
    images, labels = fetch_cifar10(return_X_y=True)
n_images = 600 if quick else 4000
images, labels = images[:n_images], labels[:n_images]
X_train, X_test, y_train, y_test = train_test_split(
    images, labels, test_size=0.25, stratify=labels, random_state=0
)

# %%
# Frozen ImageNet features and a logistic regression. The network runs once
# per image; tuning ``C`` would reuse the features.
frozen = make_pipeline(
    PretrainedImageEncoder(backbone="mobilenet_v2", alpha=0.35),
    StandardScaler(),
    LogisticRegression(C=0.1, max_iter=500),
)
start = time.perf_counter()
frozen.fit(X_train, y_train)
scores = {
    "MobileNetV2 0.35 features\n+ logistic regression": frozen.score(X_test, y_test)
}
seconds = {
    "MobileNetV2 0.35 features\n+ logistic regression": time.perf_counter() - start
}

# %%
# The colour CNN skfeat recommends for small photos, trained from scratch. Its
# recommended 50 epochs take minutes; the quick build trains it for 10.
scratch = CNNClassifier(
    filters=(32, 64, 128),
    convs_per_block=2,
    padding="same",
    batch_normalization=True,
    pooling="avg",
    augmentation={"flip": "horizontal", "shift": 0.1},
    learning_rate=0.003,
    learning_rate_schedule="cosine",
    epochs=10 if quick else 50,
    batch_size=64,
    random_state=0,
)
start = time.perf_counter()
scratch.fit(X_train, y_train)
name = f"CNN from scratch\n({scratch.epochs} epochs)"
scores[name] = scratch.score(X_test, y_test)
seconds[name] = time.perf_counter() - start
for name, score in scores.items():
    print(f"{name.replace(chr(10), ' ')}: {score:.3f} in {seconds[name]:.0f} s")

# %%
# On so few images, the network pretrained on a million ImageNet photos knows
# more about objects than one trained on a few thousand. On 5-fold
# cross-validation over the whole 3,728-image sample (``benchmarks/results``),
# the 0.35 network's features score 0.765 and the 0.5 network's 0.814, against
# 0.708 for the CNN trained from scratch for 50 epochs; with each photo's
# features averaged with its mirror image's (``flip_average=True``) and
# ``LogisticRegression(C=0.01)``, 0.790 and 0.832.
fig, ax = plt.subplots(figsize=(6, 3.5))
bars = ax.barh(list(scores), list(scores.values()), color=["tab:green", "tab:gray"])
ax.bar_label(bars, [f"{s:.3f}  ({seconds[n]:.0f} s)" for n, s in scores.items()])
ax.set(xlim=(0, 1), xlabel="test accuracy (fit time)", title="CIFAR-10 photos")
fig.tight_layout()
plt.show()
