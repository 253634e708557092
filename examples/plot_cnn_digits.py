"""
Tuning a CNN on handwritten digits
==================================

:class:`~skfeat.CNNClassifier` is tuned with
:class:`~sklearn.model_selection.GridSearchCV` like any scikit-learn classifier,
then its learning curves are read from ``history_``.
"""

import os

from matplotlib import pyplot as plt
from matplotlib.ticker import MaxNLocator
from sklearn.model_selection import GridSearchCV, train_test_split

from skfeat import CNNClassifier
from skfeat.datasets import load_digit_images

quick = os.environ.get("SKFEAT_DOCS_QUICK") == "1"  # fewer folds for CI

# %%
# The 1,797 digits are 8×8 grey images scaled to [0, 1]. ``GridSearchCV`` hands
# flat rows to the estimator, so we give it flat rows and ``image_shape``.
images, labels = load_digit_images(return_X_y=True)
pixels = images.reshape(len(images), -1)
X_train, X_test, y_train, y_test = train_test_split(
    pixels, labels, test_size=0.25, stratify=labels, random_state=0
)

# Each network trains until its loss on a held-out tenth of its training data
# stops improving, at most 30 epochs; both learning rates get there.
cnn = CNNClassifier(image_shape=(8, 8), epochs=30, validation_split=0.1, random_state=0)
grid = {"filters": [(16,), (32,)], "learning_rate": [3e-3, 1e-2]}
search = GridSearchCV(cnn, grid, cv=2 if quick else 3).fit(X_train, y_train)
print("best parameters:", search.best_params_)
print(f"test accuracy: {search.score(X_test, y_test):.3f}")

# %%
# Learning curves of the refitted best network. With ``validation_split``,
# training stops once the held-out loss stops improving, and the weights of the
# best epoch are kept.
history = search.best_estimator_.history_
fig, ax = plt.subplots()
for metric, values in history.items():
    ax.plot(range(1, len(values) + 1), values, marker="o", label=metric)
ax.xaxis.set_major_locator(MaxNLocator(integer=True))
ax.set(xlabel="epoch", ylabel="cross-entropy loss", title="CNN learning curves")
ax.legend()
plt.show()
