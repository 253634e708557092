"""CNNRegressor and TextCNNRegressor: the classifiers' networks with a linear
output, trained on standardized targets, on the digits rotated by a known angle
(the angle is the target) and on short texts."""

import pickle
import subprocess
import sys
import threading

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage
from sklearn.base import is_regressor
from sklearn.datasets import load_digits
from sklearn.metrics import r2_score

from skfeat.image import CNNRegressor, ImageLoader
from skfeat.text import TextCNNRegressor, Word2VecVectorizer

SMALL = {"filters": (8,), "epochs": 3, "random_state": 0}


@pytest.fixture(scope="module")
def rotated_digits():
    """400 digits (pixels 0-16) rotated by a seeded angle in [-45, 45] degrees."""
    X, _ = load_digits(return_X_y=True)
    angles = np.random.default_rng(0).uniform(-45, 45, 400)
    images = np.stack(
        [
            ndimage.rotate(x.reshape(8, 8), angle, reshape=False, order=1)
            for x, angle in zip(X[:400], angles, strict=True)
        ]
    )
    return images, angles


def test_regressors_are_regressors():
    assert is_regressor(CNNRegressor())
    assert is_regressor(TextCNNRegressor())


@pytest.mark.slow
def test_cnn_regressor_learns_the_rotation_angle(rotated_digits):
    X, angles = rotated_digits
    reg = CNNRegressor(
        filters=(16,), padding="same", dense_units=(32,), epochs=15, random_state=0
    ).fit(X[:300], angles[:300])
    assert reg.score(X[300:], angles[300:]) > 0.5


def test_targets_in_any_unit_train_the_same_network(rotated_digits):
    # standardized inside, degrees and radians + 100 are the same targets
    X, angles = rotated_digits
    in_degrees = CNNRegressor(**SMALL).fit(X, angles)
    in_radians = CNNRegressor(**SMALL).fit(X, np.deg2rad(angles) + 100)
    np.testing.assert_allclose(in_radians.target_mean_, np.deg2rad(angles).mean() + 100)
    np.testing.assert_allclose(
        in_radians.predict(X), np.deg2rad(in_degrees.predict(X)) + 100, atol=1e-4
    )


def test_predictions_have_the_shape_of_y(rotated_digits):
    X, angles = rotated_digits
    two_targets = np.column_stack([angles, X.mean(axis=(1, 2))])
    for y, shape in [
        (angles, (400,)),
        (angles[:, np.newaxis], (400, 1)),
        (two_targets, (400, 2)),
    ]:
        reg = CNNRegressor(**SMALL).fit(X, y)
        assert reg.predict(X).shape == shape
        assert reg.n_outputs_ == (1 if y.ndim == 1 else y.shape[1])
    # each target in its own unit: the second one, brightness, is near 0-16
    assert 0 < reg.predict(X)[:, 1].mean() < 16
    assert reg.score(X, two_targets) == pytest.approx(
        r2_score(two_targets, reg.predict(X))
    )


def test_predictions_are_the_output_layer_on_the_transformed_features(
    rotated_digits,
):
    X, angles = rotated_digits
    reg = CNNRegressor(**SMALL, dense_units=(16,)).fit(X, angles)
    features = reg.transform(X)
    assert features.shape == (400, 16)
    weights, bias = reg.model_.layers[-1].get_weights()
    standardized = (features @ weights + bias).ravel()
    np.testing.assert_allclose(
        reg.predict(X),
        standardized * reg.target_scale_ + reg.target_mean_,
        atol=1e-3,  # degrees; float32 matrix products in another order
    )


def test_seeded_refits_are_bit_identical(rotated_digits):
    X, angles = rotated_digits
    params = {**SMALL, "dropout": 0.2, "validation_split": 0.2, "loss": "huber"}
    first = CNNRegressor(**params).fit(X, angles)
    second = CNNRegressor(**params).fit(X, angles)
    assert first.history_ == second.history_
    np.testing.assert_array_equal(first.predict(X), second.predict(X))


def test_seeded_fits_in_two_threads_give_the_networks_they_give_alone(
    rotated_digits,
):
    X, angles = rotated_digits

    def fit(seed):
        params = {**SMALL, "dropout": 0.2, "random_state": seed}
        return CNNRegressor(**params).fit(X, angles).predict(X)

    alone = [fit(0), fit(1)]
    side_by_side = [None, None]
    threads = [
        threading.Thread(target=lambda i=i: side_by_side.__setitem__(i, fit(i)))
        for i in (0, 1)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for expected, got in zip(alone, side_by_side, strict=True):
        np.testing.assert_array_equal(got, expected)


def test_huber_loss_is_the_one_trained(rotated_digits):
    X, angles = rotated_digits
    squared = CNNRegressor(**SMALL).fit(X, angles)
    huber = CNNRegressor(**SMALL, loss="huber").fit(X, angles)
    # Huber's loss is at most half the squared error, equal for small errors
    assert huber.history_["loss"][0] < squared.history_["loss"][0] / 2


def test_fit_on_files_is_bit_identical_to_fit_on_images(rotated_digits, tmp_path):
    X, angles = rotated_digits
    images = np.round(X[:48] * 255 / 16).astype(np.uint8)
    paths = []
    for i, pixels in enumerate(images):
        paths.append(str(tmp_path / f"{i:02d}.png"))
        Image.fromarray(pixels).save(paths[-1])
    loader = ImageLoader(image_size=(8, 8), color_mode="grayscale")
    from_files = CNNRegressor(**SMALL, image_loader=loader).fit(paths, angles[:48])
    in_memory = CNNRegressor(**SMALL).fit(images[..., np.newaxis], angles[:48])
    assert from_files.history_ == in_memory.history_
    np.testing.assert_array_equal(
        from_files.predict(paths), in_memory.predict(images[..., np.newaxis])
    )


WORDS = ["good", "bad", "film", "plot", "cast", "the", "a", "long", "short"]


def rated_documents(n=60):
    """Documents whose rating is the count of 'good' minus the count of 'bad'."""
    rng = np.random.default_rng(0)
    documents = [" ".join(rng.choice(WORDS, 8)) for _ in range(n)]
    ratings = [
        doc.split().count("good") - doc.split().count("bad") for doc in documents
    ]
    return documents, np.array(ratings, dtype=float)


def text_regressor(**params):
    return TextCNNRegressor(
        vectorizer=Word2VecVectorizer(vector_size=8, min_count=1, workers=1),
        filters=8,
        random_state=0,
        **params,
    )


def test_text_cnn_regressor_learns_a_rating():
    documents, ratings = rated_documents(200)
    reg = text_regressor(epochs=30, learning_rate=0.01, widths=(1, 2)).fit(
        documents[:150], ratings[:150]
    )
    assert reg.score(documents[150:], ratings[150:]) > 0.5


def test_text_cnn_regressor_shapes_and_seeding():
    documents, ratings = rated_documents()
    targets = np.column_stack([ratings, 10 * ratings])
    reg = text_regressor(epochs=2).fit(documents, targets)
    again = text_regressor(epochs=2).fit(documents, targets)
    assert reg.predict(documents).shape == (60, 2)
    assert reg.transform(documents).shape == (60, 24)
    assert reg.history_ == again.history_
    np.testing.assert_array_equal(reg.predict(documents), again.predict(documents))
    one = text_regressor(epochs=2).fit(documents, ratings)
    assert one.predict(documents).shape == (60,)


# In a fresh interpreter: load the pickled models, save their predictions.
RELOAD = """
import pickle, sys
import numpy as np
models, inputs = pickle.loads(open(sys.argv[1], "rb").read())
for i, (model, X) in enumerate(zip(models, inputs)):
    np.save(f"{sys.argv[2]}{i}.npy", model.predict(X))
"""


def test_pickled_regressors_predict_the_same_in_a_fresh_process(
    rotated_digits, tmp_path
):
    X, angles = rotated_digits
    documents, ratings = rated_documents()
    models = [
        CNNRegressor(**SMALL).fit(X, np.column_stack([angles, -angles])),
        text_regressor(epochs=2).fit(documents, ratings),
    ]
    inputs = [X[:50], documents]
    (tmp_path / "models").write_bytes(pickle.dumps((models, inputs)))
    result = subprocess.run(
        [sys.executable, "-c", RELOAD, str(tmp_path / "models"), str(tmp_path / "y")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    for i, (model, X) in enumerate(zip(models, inputs, strict=True)):
        reloaded = np.load(tmp_path / f"y{i}.npy")
        np.testing.assert_array_equal(reloaded, model.predict(X))
