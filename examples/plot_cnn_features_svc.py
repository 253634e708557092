"""
CNN features feeding an SVC
===========================

:class:`~skfeat.CNNClassifier` is also a transformer: ``transform`` returns the
network's learned features, so a CNN can be the first step of a pipeline whose
last step is another classifier.
"""

from matplotlib import pyplot as plt
from sklearn.decomposition import PCA
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVC

from skfeat import CNNClassifier
from skfeat.datasets import load_digit_images

images, labels = load_digit_images(return_X_y=True)
# trained until the loss on a held-out tenth stops improving
cnn = CNNClassifier(
    learning_rate=0.003, epochs=30, validation_split=0.1, random_state=0
)

# %%
# The pipeline fits the CNN on the labels, then the SVC on the CNN's features.
pipeline = make_pipeline(cnn, SVC())
scores = cross_val_score(pipeline, images, labels, cv=3)
print(f"CNN features -> SVC: {scores.mean():.3f} ± {scores.std():.3f}")

# %%
# What the features look like: a 2-D projection, coloured by digit.
features = cnn.fit(images, labels).transform(images)
points = PCA(n_components=2).fit_transform(features)
fig, ax = plt.subplots(layout="constrained")
scatter = ax.scatter(*points.T, c=labels, cmap="tab10", s=8)
# beside the axes, not over the points
fig.legend(*scatter.legend_elements(), title="digit", loc="outside right upper")
ax.set(
    title=f"The CNN's {features.shape[1]} features of each digit, PCA",
    xlabel="first principal component",
    ylabel="second principal component",
)
plt.show()
