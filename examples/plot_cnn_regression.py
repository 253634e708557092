"""
Regression with a CNN: the angle of rotated digits
==================================================

:class:`~skfeat.CNNRegressor` predicts numbers from images. Here each of
scikit-learn's 8×8 digits is rotated by a random angle between -45° and 45°,
and the network learns to read the angle back, against an SVR on the pixels.
The targets are standardized inside the regressor, so the angles go in and come
out in degrees.
"""

import numpy as np
from matplotlib import pyplot as plt
from scipy import ndimage
from sklearn.metrics import root_mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR

from skfeat import CNNRegressor
from skfeat.datasets import load_digit_images

# %%
# Each digit is rotated about its centre (bilinear interpolation, the corners
# filled with black) by an angle drawn with a fixed seed.
digits, _ = load_digit_images(return_X_y=True)
angles = np.random.default_rng(0).uniform(-45, 45, len(digits))
images = np.stack(
    [
        ndimage.rotate(digit, angle, reshape=False, order=1)
        for digit, angle in zip(digits, angles, strict=True)
    ]
)
X_train, X_test, y_train, y_test = train_test_split(
    images, angles, test_size=0.25, random_state=0
)

# %%
# ``CNNRegressor`` at its defaults: two convolution blocks, a dense layer, 30
# epochs. The user guide's recommended configuration trains longer for a lower
# error (:doc:`/user_guide/regression`).
cnn = CNNRegressor(random_state=0).fit(X_train, y_train)
svr = make_pipeline(StandardScaler(), SVR(C=100)).fit(
    X_train.reshape(len(X_train), -1), y_train
)
predicted = cnn.predict(X_test)
cnn_error = root_mean_squared_error(y_test, predicted)
svr_error = root_mean_squared_error(
    y_test, svr.predict(X_test.reshape(len(X_test), -1))
)
print(f"RMSE: CNNRegressor {cnn_error:.2f}°, SVR on pixels {svr_error:.2f}°")

# %%
# Predicted against true angles of the test digits: the closer to the
# diagonal, the better.
fig, ax = plt.subplots(figsize=(5, 5))
ax.scatter(y_test, predicted, s=8, alpha=0.5)
ax.plot([-45, 45], [-45, 45], color="black", linewidth=1)
ax.set(
    xlabel="true angle (°)",
    ylabel="predicted angle (°)",
    title=f"CNNRegressor on rotated digits (RMSE {cnn_error:.1f}°)",
    aspect="equal",
)
plt.show()
