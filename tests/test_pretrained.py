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
from skfeat.image._pretrained import backbone_alpha, imagenet_weights_file

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
for backbone, alpha, side in [(name, None, 32) for name in BACKBONES] + [
    ("mobilenet_v2", 0.35, 96), ("mobilenet_v3_small", 0.75, 224)
]:
    try:
        PretrainedImageEncoder(backbone=backbone, alpha=alpha,
                               image_size=(side, side)).fit(
            np.zeros((1, 32, 32, 3), np.uint8))
    except OSError as error:
        report[f"{backbone} {alpha} {side}"] = {
            "error": str(error), "url": requested[-1]}
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
    assert len(report) == len(BACKBONES) + 2  # every fit failed with an OSError
    # the width and size of the files asked for, as Keras names them
    assert "_0.35_96_no_top.h5" in report["mobilenet_v2 0.35 96"]["url"]
    assert "_224_0.75_float_no_top" in report["mobilenet_v3_small 0.75 224"]["url"]
    for key, outcome in report.items():
        backbone, alpha, side = key.split()
        wanted = outcome["url"].rsplit("/", 1)[-1]  # the file Keras asked for
        alpha = None if alpha == "None" else float(alpha)
        width = backbone_alpha(backbone, alpha, "imagenet")
        assert wanted == imagenet_weights_file(backbone, width, (int(side),) * 2)
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


# --- MobileNet widths (alpha) ----------------------------------------------------


def test_alpha_sets_the_width_of_a_mobilenet_and_clones_like_any_parameter():
    narrow = encoder(backbone="mobilenet_v2", alpha=0.5)
    assert clone(narrow).get_params()["alpha"] == 0.5
    fitted = clone(narrow).set_params(alpha=0.35).fit(IMAGES)
    # Keras rounds 32 × alpha to a multiple of 8 (32 filters at full width)
    assert fitted.model_.get_layer("Conv1").filters == 16
    assert fitted.transform(IMAGES).shape == (len(IMAGES), 1280)


@pytest.mark.slow
def test_imagenet_weights_of_a_width_load_from_keras_cache(
    tmp_path, mobilenet_v2_035_weights
):
    """The real ImageNet path: the file Keras would download, in its cache."""
    import shutil
    from unittest import mock

    import keras

    (tmp_path / "models").mkdir()
    shutil.copy(mobilenet_v2_035_weights, tmp_path / "models")
    with mock.patch("keras.src.backend.config._KERAS_DIR", str(tmp_path)):
        model = PretrainedImageEncoder(backbone="mobilenet_v2", alpha=0.35).fit(IMAGES)
    reference = keras.applications.MobileNetV2(
        alpha=0.35,
        include_top=False,
        weights=str(mobilenet_v2_035_weights),
        input_shape=(224, 224, 3),
        pooling="avg",
    )
    resized = keras.layers.Resizing(224, 224)(IMAGES.astype(np.float32))
    by_keras = reference(
        keras.applications.mobilenet_v2.preprocess_input(resized), training=False
    )
    assert_same_features(model.transform(IMAGES), np.asarray(by_keras))


# --- a Keras model of the user's own as the backbone -------------------------------


def small_model(channels=3, size=20):
    """A trained-looking classifier of the user's: Conv → pooling → Dense → softmax."""
    import keras

    keras.utils.set_random_seed(0)  # in a test only: fixed weights to compare
    inputs = keras.Input((size, size, channels))
    x = keras.layers.Conv2D(4, 3, name="conv")(inputs)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    x = keras.layers.Dense(5, activation="relu", name="embedding")(x)
    outputs = keras.layers.Dense(2, activation="softmax", name="out")(x)
    return keras.Model(inputs, outputs)


USER_IMAGES = (
    np.random.RandomState(1).randint(0, 256, (6, 24, 28, 3)).astype(np.float32)
)


def by_hand(model, layer, images, size=20):
    """What the layer gives for the images resized to the model's input."""
    import keras

    cut = keras.Model(model.inputs, model.get_layer(layer).output)
    return np.asarray(cut(keras.layers.Resizing(size, size)(images)))


@pytest.fixture(scope="module")
def user_model():
    return small_model()


@pytest.fixture(scope="module")
def user_model_file(user_model, tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "classifier.keras"
    user_model.save(path)
    return path


def test_a_model_gives_the_input_of_its_last_layer_by_default(user_model):
    model = PretrainedImageEncoder(backbone=user_model).fit(USER_IMAGES)
    assert model.image_size_ == (20, 20)
    assert_same_features(
        model.transform(USER_IMAGES), by_hand(user_model, "embedding", USER_IMAGES)
    )
    assert model.get_feature_names_out().shape == (5,)


def test_layer_picks_the_features_and_preprocessing_feeds_them(user_model):
    import keras

    pooled = PretrainedImageEncoder(backbone=user_model, layer="pool")
    features = pooled.fit_transform(USER_IMAGES)
    assert_same_features(features, by_hand(user_model, "pool", USER_IMAGES))
    for preprocessing, preprocessed in [
        ("mobilenet_v2", USER_IMAGES / 127.5 - 1),
        (lambda images: images / 255.0, USER_IMAGES / 255.0),
    ]:
        model = PretrainedImageEncoder(
            backbone=user_model, layer="pool", preprocessing=preprocessing
        )
        expected = keras.Model(user_model.inputs, user_model.get_layer("pool").output)(
            keras.layers.Resizing(20, 20)(preprocessed)
        )
        assert_same_features(model.fit_transform(USER_IMAGES), np.asarray(expected))
        assert not np.allclose(model.transform(USER_IMAGES), features)


def test_a_model_of_any_input_size_is_fed_the_images_as_they_are():
    import keras

    inputs = keras.Input((None, None, 1))
    x = keras.layers.Conv2D(3, 3, name="conv")(inputs)
    outputs = keras.layers.GlobalMaxPooling2D(name="pool")(x)
    grey = keras.Model(inputs, outputs)
    images = USER_IMAGES[..., 0]  # grey, (n, h, w)
    model = PretrainedImageEncoder(backbone=grey, layer="pool").fit(images)
    assert model.image_size_ is None
    np.testing.assert_allclose(
        model.transform(images), np.asarray(grey(images[..., None])), rtol=1e-5
    )
    resized = PretrainedImageEncoder(backbone=grey, layer="pool", image_size=(40, 40))
    assert resized.fit(images).image_size_ == (40, 40)


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_a_model_file_clones_as_its_path_and_gives_the_model_features(
    user_model, tmp_path, suffix
):
    path = str(tmp_path / f"classifier{suffix}")
    user_model.save(path)
    model = PretrainedImageEncoder(backbone=path).fit(USER_IMAGES)
    assert clone(model).backbone == path
    assert_same_features(
        model.transform(USER_IMAGES), by_hand(user_model, "embedding", USER_IMAGES)
    )


def test_a_model_instance_survives_clone_and_pickling(user_model):
    model = PretrainedImageEncoder(backbone=user_model, layer="pool").fit(USER_IMAGES)
    features = model.transform(USER_IMAGES)
    cloned = clone(model)
    assert cloned.backbone is not user_model  # a copy, as clone copies parameters
    np.testing.assert_array_equal(
        cloned.fit(USER_IMAGES).transform(USER_IMAGES), features
    )
    loaded = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(loaded.transform(USER_IMAGES), features)
    refitted = pickle.loads(pickle.dumps(clone(model))).fit(USER_IMAGES)
    np.testing.assert_array_equal(refitted.transform(USER_IMAGES), features)


RELOAD = """
import pickle, sys
import numpy as np
with open(sys.argv[1], "rb") as file:
    encoders = pickle.load(file)
images = np.load(sys.argv[2])
np.save(sys.argv[3], np.stack([encoder.transform(images) for encoder in encoders]))
"""


@pytest.mark.slow
def test_a_pickled_model_backbone_gives_identical_features_in_a_fresh_process(
    user_model, user_model_file, tmp_path
):
    encoders = [
        PretrainedImageEncoder(backbone=str(user_model_file)).fit(USER_IMAGES),
        PretrainedImageEncoder(backbone=user_model).fit(USER_IMAGES),
    ]
    with open(tmp_path / "encoders.pkl", "wb") as file:
        pickle.dump(encoders, file)
    np.save(tmp_path / "images.npy", USER_IMAGES)
    result = subprocess.run(
        [sys.executable, "-c", RELOAD, tmp_path / "encoders.pkl",
         tmp_path / "images.npy", tmp_path / "features.npy"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    reloaded = np.load(tmp_path / "features.npy")
    for encoder_, features in zip(encoders, reloaded, strict=True):
        np.testing.assert_array_equal(features, encoder_.transform(USER_IMAGES))


def test_flip_average_gives_the_mean_of_an_image_and_its_mirror(user_model):
    plain = PretrainedImageEncoder(backbone=user_model).fit(USER_IMAGES)
    flipped = PretrainedImageEncoder(backbone=user_model, flip_average=True)
    flipped.fit(USER_IMAGES)
    mirrors = USER_IMAGES[:, :, ::-1, :]
    expected = (plain.transform(USER_IMAGES) + plain.transform(mirrors)) / 2
    assert_same_features(flipped.transform(USER_IMAGES), expected)
    # an image and its mirror now share their features
    assert_same_features(flipped.transform(mirrors), flipped.transform(USER_IMAGES))
    assert not np.allclose(plain.transform(USER_IMAGES), plain.transform(mirrors))
