"""CNNClassifier with a pretrained backbone: a classification head on a
keras.applications network, its top layers fine-tuned. Offline, so the backbones
have random weights (``backbone_weights=None``) or weights saved to a file here,
and see 32×32 images, the smallest keras.applications allows."""

import os
import pickle
import subprocess
import sys

import joblib
import numpy as np
import pytest
from PIL import Image
from sklearn.base import clone

import skfeat
from skfeat.image import (
    CNNClassifier,
    CNNRegressor,
    ImageLoader,
    PretrainedImageEncoder,
)

SOURCE_ROOT = os.path.dirname(os.path.dirname(skfeat.__file__))
SMALL = (32, 32)
RNG = np.random.RandomState(0)
LABELS = np.arange(24) % 2
IMAGES = RNG.randint(0, 256, (24, 32, 32, 3), dtype=np.uint8)
IMAGES[LABELS == 1, :16] //= 4


def fine_tuned(**params):
    defaults = {
        "backbone": "mobilenet_v3_small",
        "backbone_weights": None,
        "backbone_image_size": SMALL,
        "epochs": 2,
        "batch_size": 8,
        "learning_rate": 0.01,
        "random_state": 0,
    }
    return CNNClassifier(**{**defaults, **params})


@pytest.fixture(scope="module")
def weights_file(tmp_path_factory):
    """Random MobileNetV3Small weights, as a weights file stands in for ImageNet's."""
    path = tmp_path_factory.mktemp("weights") / "mobilenet_v3_small.weights.h5"
    encoder = PretrainedImageEncoder(weights=None, image_size=SMALL).fit(IMAGES)
    encoder.model_.save_weights(path)
    return path


def backbone_of(model):
    """The keras.applications network inside a fitted classifier."""
    import keras

    encoder = next(
        layer for layer in model.model_.layers if isinstance(layer, keras.Model)
    )
    return next(layer for layer in encoder.layers if isinstance(layer, keras.Model))


def changed_layers(backbone, reference):
    """Names of the layers whose weights differ between two backbones."""
    return [
        layer.name
        for layer, before in zip(backbone.layers, reference.layers, strict=True)
        if any(
            not np.array_equal(now, then)
            for now, then in zip(layer.get_weights(), before.get_weights(), strict=True)
        )
    ]


def tunable_layers(backbone):
    import keras

    return [
        layer.name
        for layer in backbone.layers
        if layer.weights and not isinstance(layer, keras.layers.BatchNormalization)
    ]


@pytest.fixture(scope="module")
def starting_backbone(weights_file):
    encoder = PretrainedImageEncoder(weights=weights_file, image_size=SMALL)
    return encoder.fit(IMAGES).model_


@pytest.mark.parametrize("trainable_layers", [0, 3])
def test_only_the_top_trainable_layers_change_in_training(
    weights_file, starting_backbone, trainable_layers
):
    model = fine_tuned(
        backbone_weights=weights_file, trainable_layers=trainable_layers
    ).fit(IMAGES, LABELS)
    backbone = backbone_of(model)
    top = tunable_layers(backbone)[len(tunable_layers(backbone)) - trainable_layers :]
    assert changed_layers(backbone, starting_backbone) == top
    head = model.model_.layers[-1]
    assert len(model.model_.trainable_weights) == 2 + sum(
        len(backbone.get_layer(name).trainable_weights) for name in top
    )
    assert len(head.trainable_weights) == 2


def test_batch_normalization_keeps_its_statistics_when_all_layers_train(
    weights_file, starting_backbone
):
    model = fine_tuned(backbone_weights=weights_file, trainable_layers=1000)
    backbone = backbone_of(model.fit(IMAGES, LABELS))
    changed = set(changed_layers(backbone, starting_backbone))
    assert changed == set(tunable_layers(backbone))  # every one but the BN layers
    assert "conv" in changed


def test_seeded_fits_with_random_backbones_repeat_bit_identically():
    params = {
        "trainable_layers": 2,
        "dense_units": (8,),
        "dropout": 0.2,
        "augmentation": {"flip": "horizontal", "shift": 0.1},
    }
    first = fine_tuned(**params).fit(IMAGES, LABELS)
    again = fine_tuned(**params).fit(IMAGES, LABELS)
    assert first.history_ == again.history_
    np.testing.assert_array_equal(
        first.predict_proba(IMAGES), again.predict_proba(IMAGES)
    )
    other = fine_tuned(**params, random_state=1).fit(IMAGES, LABELS)
    assert changed_layers(backbone_of(other), backbone_of(first))  # other weights


def test_images_are_resized_and_preprocessed_as_the_encoder_does(tmp_path):
    # MobileNetV2 scales pixels to [-1, 1] in its preprocess_input; images of
    # 40×40 are resized to the backbone's 32×32.
    images = RNG.randint(0, 256, (24, 40, 40, 3), dtype=np.uint8)
    encoder = PretrainedImageEncoder(
        backbone="mobilenet_v2", weights=None, image_size=SMALL, pooling="max"
    ).fit(images)
    encoder.model_.save_weights(tmp_path / "mobilenet_v2.weights.h5")
    model = fine_tuned(
        backbone="mobilenet_v2",
        backbone_weights=tmp_path / "mobilenet_v2.weights.h5",
        pooling="max",
    ).fit(images, LABELS)
    features = encoder.transform(images)
    scale = np.abs(features).max()
    np.testing.assert_allclose(
        model.transform(images), features, rtol=1e-5, atol=1e-6 * scale
    )


def test_input_scaling_does_not_scale_a_second_time():
    standardized = fine_tuned(epochs=1).fit(IMAGES, LABELS)
    unscaled = fine_tuned(epochs=1, input_scaling=None).fit(IMAGES, LABELS)
    np.testing.assert_array_equal(
        standardized.predict_proba(IMAGES), unscaled.predict_proba(IMAGES)
    )
    assert not hasattr(standardized, "channel_mean_")
    kinds = [type(layer).__name__ for layer in standardized.model_.layers]
    assert kinds == ["InputLayer", "Functional", "Dense"]


def test_dense_head_and_features():
    model = fine_tuned(dense_units=(16,), dropout=0.5, epochs=1).fit(IMAGES, LABELS)
    kinds = [type(layer).__name__ for layer in model.model_.layers]
    assert kinds == ["InputLayer", "Functional", "Dropout", "Dense", "Dropout", "Dense"]
    assert model.transform(IMAGES[:3]).shape == (3, 16)
    assert fine_tuned(epochs=1).fit(IMAGES, LABELS).transform(IMAGES[:3]).shape == (
        3,
        576,  # MobileNetV3Small's pooled features
    )


def test_grey_images_train_as_their_rgb_repeat():
    grey = IMAGES[..., 0]
    from_grey = fine_tuned(epochs=1).fit(grey, LABELS)
    from_rgb = fine_tuned(epochs=1).fit(np.repeat(grey[..., None], 3, axis=-1), LABELS)
    np.testing.assert_array_equal(
        from_grey.predict_proba(grey), from_rgb.predict_proba(np.stack([grey] * 3, -1))
    )


def test_files_are_decoded_at_the_backbone_input_size(tmp_path):
    paths = []
    for i, pixels in enumerate(RNG.randint(0, 256, (24, 40, 40, 3), dtype=np.uint8)):
        paths.append(str(tmp_path / f"{i}.png"))
        Image.fromarray(pixels).save(paths[-1])
    from_files = fine_tuned(epochs=1).fit(paths, LABELS)
    assert from_files.input_shape_ == (32, 32, 3)
    decoded = ImageLoader(image_size=SMALL).transform(paths)
    in_memory = fine_tuned(epochs=1).fit(decoded, LABELS)
    np.testing.assert_array_equal(
        from_files.predict_proba(paths), in_memory.predict_proba(decoded)
    )


def test_pixels_scaled_to_one_are_warned_about():
    with pytest.warns(UserWarning, match="multiply images scaled to"):
        fine_tuned(epochs=1).fit(IMAGES / 255, LABELS)


@pytest.mark.parametrize(
    "params, message",
    [
        (
            {"filters": (64,), "padding": "same"},
            r"do not apply: filters=\(64,\), padding='same'; leave them",
        ),
        ({"batch_normalization": True}, "replaces the convolution blocks"),
    ],
)
def test_convolution_block_parameters_with_a_backbone_are_rejected(params, message):
    with pytest.raises(ValueError, match=message):
        fine_tuned(**params).fit(IMAGES, LABELS)


def test_backbone_parameters_without_a_backbone_are_rejected():
    with pytest.raises(ValueError, match="need a backbone .*: trainable_layers=2"):
        CNNClassifier(trainable_layers=2).fit(IMAGES, LABELS)


def test_pickled_fine_tuned_model_predicts_the_same_in_a_fresh_process(tmp_path):
    model = fine_tuned(trainable_layers=2, epochs=1).fit(IMAGES, LABELS)
    joblib.dump(model, tmp_path / "model.joblib")
    np.save(tmp_path / "X.npy", IMAGES)
    code = (
        "import sys, joblib, numpy as np\n"
        "model = joblib.load(sys.argv[1])\n"
        "np.save(sys.argv[3], model.predict_proba(np.load(sys.argv[2])))\n"
    )
    subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(tmp_path / "model.joblib"),
            str(tmp_path / "X.npy"),
            str(tmp_path / "proba.npy"),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": SOURCE_ROOT},
    )
    np.testing.assert_array_equal(
        np.load(tmp_path / "proba.npy"), model.predict_proba(IMAGES)
    )


def test_backbone_alpha_sets_the_width_of_the_tuned_mobilenet():
    model = fine_tuned(backbone="mobilenet_v2", backbone_alpha=0.35, epochs=1)
    assert clone(model).get_params()["backbone_alpha"] == 0.35
    model.fit(IMAGES, LABELS)
    # Keras rounds 32 × alpha to a multiple of 8
    assert backbone_of(model).get_layer("Conv1").filters == 16
    assert model.transform(IMAGES).shape == (len(IMAGES), 1280)


# --- a Keras model of the user's own as the backbone -------------------------------
#
# A tiny classifier on 16×16×3 images, saved or passed as a keras.Model.

USER_IMAGES = RNG.randint(0, 256, (40, 16, 16, 3), dtype=np.uint8)
USER_LABELS = np.arange(40) % 2
USER_IMAGES[USER_LABELS == 1, :8] //= 4


def users_model(channels=3):
    """A trained-looking classifier of the user's: Conv → Conv → pooling →
    Dense → softmax, its weights drawn from a fixed seed."""
    import keras

    seeded = {"kernel_initializer": keras.initializers.GlorotUniform(seed=0)}
    inputs = keras.Input((16, 16, channels))
    x = keras.layers.Conv2D(4, 3, activation="relu", name="conv1", **seeded)(inputs)
    x = keras.layers.Conv2D(4, 3, activation="relu", name="conv2", **seeded)(x)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    x = keras.layers.Dense(6, activation="relu", name="embedding", **seeded)(x)
    outputs = keras.layers.Dense(3, activation="softmax", name="out", **seeded)(x)
    return keras.Model(inputs, outputs, name="users")


def on_model(backbone, **params):
    defaults = {"epochs": 2, "batch_size": 8, "learning_rate": 0.01, "random_state": 0}
    return CNNClassifier(backbone=backbone, **{**defaults, **params})


def layer_output(model, layer, images):
    """What the user's model gives at ``layer`` for ``images``, by hand."""
    import keras

    cut = keras.Model(model.inputs[0], model.get_layer(layer).output)
    return np.asarray(cut(images.astype(np.float32)))


def weights_and_flags(model):
    return [w.copy() for w in model.get_weights()], [
        layer.trainable for layer in model.layers
    ]


def test_a_model_backbone_frozen_feeds_the_head_its_last_layers_input():
    model = users_model()
    clf = on_model(model).fit(USER_IMAGES, USER_LABELS)
    kinds = [type(layer).__name__ for layer in clf.model_.layers]
    assert kinds == ["InputLayer", "Functional", "Dense"]
    np.testing.assert_allclose(
        clf.transform(USER_IMAGES),
        layer_output(model, "embedding", USER_IMAGES),
        rtol=1e-5,
        atol=1e-5,
    )
    assert clf.predict(USER_IMAGES).shape == (40,)


def test_trainable_layers_tune_a_copy_and_leave_the_users_model_as_it_was():
    model = users_model()
    model.get_layer("conv1").trainable = False  # the user's own choice, kept
    weights, flags = weights_and_flags(model)
    clf = on_model(model, trainable_layers=2).fit(USER_IMAGES, USER_LABELS)
    backbone = backbone_of_model(clf)
    assert changed_layers(backbone, cut_at(model, "embedding")) == [
        "conv2",
        "embedding",
    ]
    after_weights, after_flags = weights_and_flags(model)
    assert after_flags == flags
    assert all(map(np.array_equal, after_weights, weights))


def backbone_of_model(clf):
    """The user's model, cut at its features, inside a fitted classifier."""
    import keras

    encoder = next(
        layer for layer in clf.model_.layers if isinstance(layer, keras.Model)
    )
    return next(layer for layer in encoder.layers if isinstance(layer, keras.Model))


def cut_at(model, layer):
    import keras

    return keras.Model(model.inputs, model.get_layer(layer).output)


def test_backbone_layer_and_preprocessing_pick_and_feed_the_features():
    import keras

    model = users_model()
    expected = layer_output(model, "pool", USER_IMAGES / 127.5 - 1)
    for preprocessing in [
        "mobilenet_v2",
        keras.applications.mobilenet_v2.preprocess_input,
    ]:
        clf = on_model(
            model, backbone_layer="pool", backbone_preprocessing=preprocessing
        ).fit(USER_IMAGES, USER_LABELS)
        np.testing.assert_allclose(
            clf.transform(USER_IMAGES), expected, rtol=1e-5, atol=1e-5
        )
    reg = CNNRegressor(
        backbone=model, backbone_layer="pool", dense_units=(), epochs=1, random_state=0
    ).fit(USER_IMAGES, USER_LABELS * 10.0)
    np.testing.assert_allclose(
        reg.transform(USER_IMAGES),
        layer_output(model, "pool", USER_IMAGES),
        rtol=1e-5,
        atol=1e-5,
    )


def test_a_model_file_clones_as_its_path_and_trains_as_the_model_does(tmp_path):
    model = users_model()
    from_model = on_model(model).fit(USER_IMAGES, USER_LABELS)
    for suffix in (".keras", ".h5"):
        path = str(tmp_path / f"users{suffix}")
        model.save(path)
        from_file = on_model(path)
        assert clone(from_file).get_params()["backbone"] == path
        np.testing.assert_array_equal(
            from_file.fit(USER_IMAGES, USER_LABELS).predict_proba(USER_IMAGES),
            from_model.predict_proba(USER_IMAGES),
        )


def test_a_model_instance_survives_clone_params_and_pickling_and_refits_the_same():
    model = users_model()
    clf = on_model(model, trainable_layers=1)
    unfitted = pickle.loads(pickle.dumps(clf))
    clf.fit(USER_IMAGES, USER_LABELS)
    proba = clf.predict_proba(USER_IMAGES)
    cloned = clone(clf)
    assert cloned.backbone is not model
    assert cloned.get_params()["backbone"].name == "users"
    # seeded fits repeat bit-identically, from a clone or an unpickled copy
    for refitted in [cloned, unfitted, clone(clf).set_params(backbone=model)]:
        refitted.fit(USER_IMAGES, USER_LABELS)
        assert refitted.history_ == clf.history_
        np.testing.assert_array_equal(refitted.predict_proba(USER_IMAGES), proba)
    loaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(loaded.predict_proba(USER_IMAGES), proba)


@pytest.mark.slow
def test_a_pickled_model_backbone_classifier_predicts_the_same_in_a_fresh_process(
    tmp_path,
):
    import keras

    model = on_model(
        users_model(),
        trainable_layers=1,
        backbone_preprocessing=keras.applications.mobilenet_v2.preprocess_input,
    ).fit(USER_IMAGES, USER_LABELS)
    joblib.dump(model, tmp_path / "model.joblib")
    np.save(tmp_path / "X.npy", USER_IMAGES)
    code = (
        "import sys, joblib, numpy as np\n"
        "model = joblib.load(sys.argv[1])\n"
        "np.save(sys.argv[3], model.predict_proba(np.load(sys.argv[2])))\n"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "model.joblib"),
         str(tmp_path / "X.npy"), str(tmp_path / "proba.npy")],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": SOURCE_ROOT},
    )  # fmt: skip
    np.testing.assert_array_equal(
        np.load(tmp_path / "proba.npy"), model.predict_proba(USER_IMAGES)
    )


def test_a_grey_model_backbone_reads_files_grey_at_its_input_size(tmp_path):
    paths = []
    for i, pixels in enumerate(USER_IMAGES[:8]):
        paths.append(str(tmp_path / f"{i}.png"))
        Image.fromarray(np.kron(pixels, np.ones((2, 2, 1), np.uint8))).save(paths[-1])
    clf = on_model(users_model(channels=1), epochs=1).fit(paths, USER_LABELS[:8])
    assert clf.input_shape_ == (16, 16, 1)
    decoded = ImageLoader(image_size=(16, 16), color_mode="grayscale").transform(paths)
    np.testing.assert_array_equal(clf.predict_proba(paths), clf.predict_proba(decoded))
