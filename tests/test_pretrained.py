"""PretrainedImageEncoder, offline: random weights (weights=None), weights files
written here, and a failed ImageNet download. Backbones see 32×32 images, the
smallest keras.applications allows, to keep the tests quick."""

import json
import os
import pickle
import subprocess
import sys
import warnings

import h5py
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skfeat.image import BACKBONES, ImageLoader, PretrainedImageEncoder

SMALL = (32, 32)
IMAGES = np.random.RandomState(0).randint(0, 256, (6, 32, 32, 3), dtype=np.uint8)


def encoder(**params):
    return PretrainedImageEncoder(**{"weights": None, "image_size": SMALL, **params})


@pytest.fixture(scope="module")
def fitted():
    return encoder().fit(IMAGES)


def assert_same_features(actual, expected):
    """Equal up to float32 rounding: the traced forward pass and an eager Keras
    call may sum in another order (random weights make features of any scale)."""
    scale = np.abs(expected).max()
    np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-5 * scale)


@pytest.mark.slow
@pytest.mark.parametrize("backbone", sorted(BACKBONES))
def test_each_backbone_is_fed_by_its_own_keras_preprocess_input(backbone):
    import keras

    family = BACKBONES[backbone].preprocessing
    model = encoder(backbone=backbone).fit(IMAGES)
    by_keras = model.model_(
        getattr(keras.applications, family).preprocess_input(IMAGES.astype(np.float32)),
        training=False,
    ).numpy()
    features = model.transform(IMAGES)
    assert features.dtype == np.float32
    assert features.shape == (len(IMAGES), model.model_.output_shape[-1])
    assert_same_features(features, by_keras)


def test_images_are_resized_to_the_backbone_input_size(fitted):
    import keras

    large = np.random.RandomState(1).randint(0, 256, (3, 50, 41, 3), dtype=np.uint8)
    resized = keras.layers.Resizing(*SMALL)(large.astype(np.float32))
    assert_same_features(
        fitted.transform(large), fitted.model_(resized, training=False).numpy()
    )


def test_default_image_size_is_the_one_of_the_imagenet_weights():
    model = PretrainedImageEncoder(weights=None).fit(IMAGES[:1])
    assert model.image_size_ == (224, 224)
    assert model.model_.input_shape == (None, 224, 224, 3)


def test_grey_images_give_the_features_of_their_rgb_repeat(fitted):
    grey = IMAGES[..., 0]
    as_rgb = np.repeat(grey[..., None], 3, axis=-1)
    np.testing.assert_array_equal(fitted.transform(grey), fitted.transform(as_rgb))
    np.testing.assert_array_equal(
        fitted.transform(grey[..., None]), fitted.transform(as_rgb)
    )


def test_uint8_and_float_pixels_give_the_same_features(fitted):
    np.testing.assert_array_equal(
        fitted.transform(IMAGES), fitted.transform(IMAGES.astype(np.float64))
    )


def test_features_do_not_depend_on_batching(fitted):
    # images this large go through batch_size at a time (see _keras.Forward)
    large = np.random.RandomState(2).randint(0, 256, (5, 600, 600, 3), np.uint8)
    in_pairs = pickle.loads(pickle.dumps(fitted)).set_params(batch_size=2)
    assert_same_features(in_pairs.transform(large), fitted.transform(large))


def test_max_pooling_gives_other_features_of_the_same_width():
    average = encoder().fit(IMAGES)
    maximum = encoder(pooling="max").fit(IMAGES)
    maximum.model_.set_weights(average.model_.get_weights())
    assert average.transform(IMAGES).shape == maximum.transform(IMAGES).shape
    assert (maximum.transform(IMAGES) >= average.transform(IMAGES) - 1e-6).all()


def test_feature_names_are_numbered_after_the_encoder(fitted):
    names = fitted.get_feature_names_out()
    assert len(names) == 576  # MobileNetV3Small's last feature map
    assert names[0] == "pretrainedimageencoder0"


def test_pixels_scaled_to_one_are_warned_about(fitted):
    with pytest.warns(UserWarning, match=r"expect \[0, 255\]; multiply"):
        fitted.transform(IMAGES / 255.0)


def test_images_in_range_raise_no_warning(fitted):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fitted.transform(IMAGES.astype(np.float32))


def test_clone_drops_the_backbone(fitted):
    assert not hasattr(clone(fitted), "model_")
    assert clone(fitted).get_params() == fitted.get_params()


# --- weights from a file -----------------------------------------------------------


def save_legacy_h5(model, path):
    """Write weights the way Keras' downloaded ImageNet files are written."""
    from keras.src.legacy.saving import legacy_h5_format

    with h5py.File(path, "w") as file:
        legacy_h5_format.save_weights_to_hdf5_group(file, model)
    return path


@pytest.mark.parametrize("file_format", ["keras", "legacy_h5"])
@pytest.mark.parametrize("backbone", ["mobilenet_v3_small", "resnet50"])
def test_weights_saved_to_a_file_load_back_to_identical_features(
    tmp_path, backbone, file_format
):
    random = encoder(backbone=backbone).fit(IMAGES)
    if file_format == "keras":
        path = tmp_path / "backbone.weights.h5"
        random.model_.save_weights(path)
    else:
        path = save_legacy_h5(random.model_, tmp_path / f"{backbone}_notop.h5")
    loaded = encoder(backbone=backbone, weights=path).fit(IMAGES)
    np.testing.assert_array_equal(loaded.transform(IMAGES), random.transform(IMAGES))
    # and not merely another random network: a fresh one differs
    fresh = encoder(backbone=backbone).fit(IMAGES)
    assert not np.array_equal(fresh.transform(IMAGES), random.transform(IMAGES))


# Keras warns about each part it cannot match before it gives up with an error
@pytest.mark.filterwarnings("ignore:Skipping nested container:UserWarning")
def test_weights_of_another_backbone_are_rejected(tmp_path):
    path = tmp_path / "resnet.weights.h5"
    encoder(backbone="resnet50").fit(IMAGES).model_.save_weights(path)
    with pytest.raises(ValueError, match="could not load the weights in .*resnet"):
        encoder(backbone="mobilenet_v3_small", weights=path).fit(IMAGES)


# --- ImageNet weights without network ------------------------------------------

# In a fresh interpreter, KERAS_HOME set before Keras is imported, as a user sets
# it: every backbone's download fails at once, and what Keras asked for is kept.
OFFLINE_FIT = """
import json, sys, urllib.error
import numpy as np
from keras.src.utils import file_utils
from skfeat.image import BACKBONES, PretrainedImageEncoder

requested = []
def no_network(url, *args, **kwargs):
    requested.append(url)
    raise urllib.error.URLError("no network in this test")
file_utils.urlretrieve = no_network
report = {}
for backbone in BACKBONES:
    try:
        PretrainedImageEncoder(backbone=backbone, image_size=(32, 32)).fit(
            np.zeros((1, 32, 32, 3), np.uint8))
    except OSError as error:
        report[backbone] = {"error": str(error), "url": requested[-1]}
print(json.dumps(report))
"""


@pytest.mark.slow
def test_imagenet_weights_offline_say_which_file_to_put_where(tmp_path):
    keras_home = tmp_path / "keras_home"
    result = subprocess.run(
        [sys.executable, "-c", OFFLINE_FIT],
        capture_output=True,
        text=True,
        env={**os.environ, "KERAS_HOME": str(keras_home)},
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert sorted(report) == sorted(BACKBONES)  # every fit failed with an OSError
    for backbone, outcome in report.items():
        wanted = outcome["url"].rsplit("/", 1)[-1]  # the file Keras asked for
        assert wanted == BACKBONES[backbone].weights_file
        assert f"download {wanted} on another machine" in outcome["error"]
        assert f"put it into {keras_home / 'models'}" in outcome["error"]
        assert "no network in this test" in outcome["error"]
        assert "weights=<path of that file>" in outcome["error"]
    assert not list((keras_home / "models").iterdir())  # nothing half-written


# --- in pipelines -------------------------------------------------------------------


@pytest.fixture
def photo_folder(tmp_path):
    """Eight images in two classes, JPEG and PNG, of two sizes."""
    rng = np.random.RandomState(0)
    paths, labels = [], []
    for label, shade in enumerate([60, 190]):
        for i in range(4):
            pixels = np.clip(rng.normal(shade, 30, (40 + 8 * i, 36, 3)), 0, 255)
            path = tmp_path / f"class{label}" / f"{i}.{'jpg' if i % 2 else 'png'}"
            path.parent.mkdir(exist_ok=True)
            Image.fromarray(pixels.astype(np.uint8)).save(path)
            paths.append(str(path))
            labels.append(label)
    return paths, np.array(labels)


def test_pipeline_from_paths_to_predictions_runs_each_step_in_turn(photo_folder):
    paths, labels = photo_folder
    pipeline = make_pipeline(
        ImageLoader(image_size=SMALL),
        encoder(),
        LogisticRegression(max_iter=1000),
    ).fit(paths, labels)
    features = pipeline[1].transform(ImageLoader(image_size=SMALL).transform(paths))
    np.testing.assert_array_equal(pipeline[:-1].transform(paths), features)
    np.testing.assert_array_equal(
        pipeline.predict(paths), pipeline[-1].predict(features)
    )
    assert pipeline.predict_proba(paths[:3]).shape == (3, 2)


@pytest.mark.parametrize("column", ["path", ["path"]], ids=["name", "list"])
def test_column_transformer_encodes_a_path_column_beside_numbers(photo_folder, column):
    paths, labels = photo_folder
    frame = pd.DataFrame({"path": paths, "size_kb": np.arange(len(paths)) * 1.5})
    columns = ColumnTransformer(
        [
            ("image", make_pipeline(ImageLoader(image_size=SMALL), encoder()), column),
            ("size", StandardScaler(), ["size_kb"]),
        ]
    )
    rows = columns.fit_transform(frame)
    assert rows.shape == (len(paths), 576 + 1)
    np.testing.assert_array_equal(
        rows[:, :576], columns.named_transformers_["image"].transform(frame[["path"]])
    )
    names = columns.get_feature_names_out()
    assert names[0] == "image__pretrainedimageencoder0"
    assert names[-1] == "size__size_kb"
