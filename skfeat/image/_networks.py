"""The image networks' Keras layers: the small CNN, augmentation, and
keras.applications backbones with a head. Imported only inside `fit` or
`predict`, like :mod:`skfeat._keras`, which trains and runs them."""

import contextlib
import functools
import os
import sys
import tempfile
import textwrap
import warnings
from copy import deepcopy

import keras
import numpy as np
from keras.src.backend import config as keras_config

from skfeat._keras import LayerSeeds, dense_head

# importing this module registers all of skfeat's own Keras layers: the
# spectrogram masks there, the preprocessing layer here
from skfeat.audio._networks import spectrogram_augmentation_layers


def _fit_within(spatial, sizes):
    """Shrink kernel or pool sizes so they fit inside the current feature map."""
    return tuple(min(size, extent) for size, extent in zip(sizes, spatial, strict=True))


def augmentation_layers(augmentation, seeds):
    """Keras' random image layers for ``augmentation`` (see CNNClassifier).

    They change images only in training; a fitted network passes images through
    them untouched. The spectrogram keys come from
    :func:`skfeat.audio._networks.spectrogram_augmentation_layers`.
    """
    layers = spectrogram_augmentation_layers(augmentation, seeds)
    if augmentation.get("flip"):
        layers.append(keras.layers.RandomFlip(augmentation["flip"], seed=seeds()))
    if augmentation.get("shift"):
        shift = augmentation["shift"]
        layers.append(keras.layers.RandomTranslation(shift, shift, seed=seeds()))
    if augmentation.get("zoom"):
        layers.append(keras.layers.RandomZoom(augmentation["zoom"], seed=seeds()))
    if augmentation.get("rotation"):
        layers.append(
            keras.layers.RandomRotation(augmentation["rotation"], seed=seeds())
        )
    return layers


def build_image_network(
    input_shape,
    n_outputs,
    *,
    output_activation,
    filters,
    kernel_size,
    pool_size,
    padding,
    convs_per_block,
    batch_normalization,
    pooling,
    dense_units,
    dropout,
    scaling,
    augmentation,
    seed,
):
    """[Normalization] → [augmentation] → Conv blocks → Flatten or global
    pooling → optional Dense layers → output layer.

    ``input_shape`` is (h, w, c) for images (Conv2D) or (length, 1) for flat
    rows without an image shape (Conv1D). A block is ``convs_per_block``
    convolutions (each followed by batch normalisation, if asked, and ReLU) and
    a max-pooling. Kernels and pools larger than the feature map they slide
    over are shrunk to its size, so tiny inputs work. ``scaling`` is None or
    the (mean, variance) of each channel, which a Normalization layer removes.
    """
    seeds = LayerSeeds(seed)
    n_spatial = len(input_shape) - 1
    two_d = n_spatial == 2
    conv = keras.layers.Conv2D if two_d else keras.layers.Conv1D
    max_pool = keras.layers.MaxPooling2D if two_d else keras.layers.MaxPooling1D
    kernel = (kernel_size,) * n_spatial if np.isscalar(kernel_size) else kernel_size
    pool = (pool_size,) * n_spatial if np.isscalar(pool_size) else pool_size

    inputs = keras.Input(shape=input_shape)
    x = inputs
    if scaling is not None:
        mean, variance = scaling
        x = keras.layers.Normalization(axis=-1, mean=mean, variance=variance)(x)
    for layer in augmentation_layers(augmentation or {}, seeds):
        x = layer(x)
    spatial = tuple(input_shape[:-1])
    for width in filters:
        for _ in range(convs_per_block):
            block_kernel = _fit_within(spatial, kernel)
            x = conv(
                width,
                block_kernel,
                padding=padding,
                # batch normalisation has a shift of its own: no bias needed
                use_bias=not batch_normalization,
                activation=None if batch_normalization else "relu",
                kernel_initializer=seeds.initializer(),
            )(x)
            if batch_normalization:
                x = keras.layers.BatchNormalization()(x)
                x = keras.layers.Activation("relu")(x)
            if padding == "valid":
                spatial = tuple(
                    s - k + 1 for s, k in zip(spatial, block_kernel, strict=True)
                )
        block_pool = _fit_within(spatial, pool)
        x = max_pool(block_pool)(x)
        spatial = tuple(s // p for s, p in zip(spatial, block_pool, strict=True))
    if pooling == "avg":
        x = (
            keras.layers.GlobalAveragePooling2D
            if two_d
            else keras.layers.GlobalAveragePooling1D
        )()(x)
    elif pooling == "max":
        x = (
            keras.layers.GlobalMaxPooling2D
            if two_d
            else keras.layers.GlobalMaxPooling1D
        )()(x)
    else:
        x = keras.layers.Flatten()(x)
    return dense_head(
        inputs, x, n_outputs, dense_units, dropout, seeds, output_activation
    )


# --- Pretrained backbones (keras.applications) ------------------------------------
#
# For skfeat.image.PretrainedImageEncoder and CNNClassifier(backbone=...), whose
# table names each backbone's constructor and preprocessing module as strings, so
# that the table and the estimators' parameter checks need no TensorFlow.


def build_backbone(
    constructor, *, image_size, pooling, weights, weights_file, alpha=None, seed=None
):
    """``keras.applications.<constructor>`` without its classification head, its
    last feature map pooled (``"avg"`` or ``"max"``) into one vector per image.

    ``weights`` is None (random), ``"imagenet"`` (Keras downloads
    ``weights_file`` once into its cache) or the path of a weights file. A
    failed download raises an OSError that says where to put the file by hand.
    Random weights are drawn from ``seed`` when it is given. ``alpha`` is the
    width of a MobileNet, None for the other networks.
    """
    build = getattr(keras.applications, constructor)
    if alpha is not None:
        build = functools.partial(build, alpha=alpha)
    try:
        # Keras prints "Downloading data from ..." on standard output, which may
        # be a pipe of results: to stderr, during this call only. And loading a
        # file of another network warns once per part it cannot match (about
        # 80) before the one error that says so.
        with contextlib.redirect_stdout(sys.stderr), warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Skipping nested container")
            backbone = build(
                include_top=False,
                weights=weights,
                input_shape=(*image_size, 3),
                pooling=pooling,
            )
    except Exception as error:
        # keras.utils.get_file raises a bare Exception for a failed download, an
        # OSError for a dropped connection and a ValueError for a corrupt one.
        if weights != "imagenet":
            raise
        folder = _weights_cache_folder()
        raise OSError(
            f"could not get the ImageNet weights of {constructor} ({error}). Without "
            f"network access, download {weights_file} on another machine and put it "
            f"into {folder} (the folder Keras caches weights in: $KERAS_HOME/models, "
            "else ~/.keras/models), or pass weights=<path of that file>."
        ) from error
    if weights is None and seed is not None:
        backbone = _with_seeded_weights(backbone, seed)
    return backbone


def _with_seeded_weights(model, seed):
    """A copy of ``model`` with new random weights drawn from ``seed``.

    keras.applications gives its layers unseeded initialisers, which draw their
    seeds from Python's global ``random`` (see ``LayerSeeds``); in the copy,
    every random initialiser has a seed of its own from ``seed``.
    """
    seeds = LayerSeeds(seed)

    def seeded(layer):
        config = layer.get_config()
        for key, value in config.items():
            # random initialisers are the ones whose configuration has a seed
            if (
                key.endswith("_initializer")
                and isinstance(value, dict)
                and "seed" in value.get("config", {})
            ):
                value["config"]["seed"] = seeds()
        return type(layer).from_config(config)

    return keras.models.clone_model(model, clone_function=seeded, recursive=True)


def _weights_cache_folder():
    """The folder ``keras.utils.get_file`` keeps keras.applications' weights in:
    ``KERAS_HOME`` as read when Keras was imported, else ``~/.keras``, or
    ``/tmp/.keras`` when that is not writable; then ``models``."""
    base = os.path.expanduser(keras_config.keras_home())
    if not os.access(base, os.W_OK):
        base = os.path.join(
            "/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(), ".keras"
        )
    return os.path.join(base, "models")


def image_encoder(backbone, preprocessing, image_size, *, channels=3, flip=False):
    """A model from images of any size to the backbone's features: resized to
    ``image_size`` (bilinear, as Keras resizes; None: not resized), then
    preprocessed, then the backbone; with ``flip``, the mean of the features
    of each image and of its mirror image (left and right swapped).
    ``preprocessing`` is the name of a keras.applications module, whose
    ``preprocess_input`` takes pixels in [0, 255], ``"none"`` or a function of
    a batch of images. For families whose
    preprocessing is a layer of the backbone (MobileNetV3, EfficientNetV2,
    ConvNeXt) their ``preprocess_input`` returns its input."""
    images = keras.Input(shape=(None, None, channels))
    x = images
    if image_size is not None:
        x = keras.layers.Resizing(*image_size, interpolation="bilinear")(x)
    if callable(preprocessing):
        x = Preprocessing(preprocessing)(x)
    elif preprocessing != "none":
        x = getattr(keras.applications, preprocessing).preprocess_input(x)
    features = backbone(x, training=False)
    if flip:
        mirrored = backbone(keras.ops.flip(x, axis=2), training=False)
        features = keras.layers.Average()([features, mirrored])
    return keras.Model(images, features)


@keras.saving.register_keras_serializable(package="skfeat")
class Preprocessing(keras.layers.Layer):
    """A function of a batch of images as a layer, which saves without it.

    The function is Python code, not part of the network: Keras' ``Lambda``
    saves a function by its bare name (no new process finds it) or its
    bytecode (which Keras' safe mode rightly refuses to run). This layer
    saves nothing of it; the estimator that owns the function (its
    ``backbone_preprocessing`` parameter) gives it back with
    :func:`restore_preprocessing` when it is unpickled.
    """

    def __init__(self, function=None, **kwargs):
        super().__init__(**kwargs)
        self.function = function

    def call(self, images):
        if self.function is None:
            raise ValueError(
                "this network's preprocessing function was not restored: it came "
                "from an estimator's backbone_preprocessing function, which is not "
                "saved with the network; unpickle the estimator, not its model_ alone"
            )
        return self.function(images)

    def get_config(self):
        return super().get_config()  # without the function (see above)

    def compute_output_spec(self, images):
        if self.function is None:  # rebuilt from its configuration
            return keras.KerasTensor(images.shape, dtype=self.compute_dtype)
        return super().compute_output_spec(images)


def restore_preprocessing(model, function):
    """Give the :class:`Preprocessing` layers in ``model`` (and in the models
    inside it) their ``function`` back."""
    for layer in model.layers:
        if isinstance(layer, Preprocessing):
            layer.function = function
        elif isinstance(layer, keras.Model):
            restore_preprocessing(layer, function)


def load_model_file(path, *, prefix=""):
    """The Keras model saved at ``path`` (``.keras`` or ``.h5``); ``prefix``
    starts the names of the parameters errors name (``"backbone_"``)."""
    try:
        return keras.saving.load_model(path, compile=False)
    except Exception as error:  # Keras raises ValueError, OSError, KeyError, ...
        reason = textwrap.shorten(str(error), 200, placeholder=" ...")
        raise ValueError(
            f"could not read a Keras model from {path} ({reason}); backbone= takes "
            "a whole model written by model.save('....keras') (or .h5), not a "
            f"weights file: for those, pass the backbone's name and {prefix}weights="
            "PATH"
        ) from error


def load_model_backbone(backbone, layer, *, prefix="", copy=False):
    """A model of the user's own, a keras.Model or the path of a file
    :func:`load_model_file` reads, cut at its features by :func:`feature_model`
    (``prefix`` starts the parameter names errors give: ``"backbone_"``).
    ``copy``: a keras.Model is copied first, so that training the cut model
    leaves the user's as it was."""
    if isinstance(backbone, str | os.PathLike):
        model = load_model_file(os.fspath(backbone), prefix=prefix)
    elif copy and isinstance(backbone, keras.Model):
        model = deepcopy(backbone)  # through Keras' saving: weights and layers
    else:
        model = backbone
    return feature_model(model, layer, parameter=f"{prefix}layer")


def feature_model(model, layer, *, parameter="layer"):
    """``model`` cut at the features: the output of the layer named ``layer``,
    or (None) the input of its last layer. They must be one vector per image.
    ``parameter`` is the name of ``layer`` in errors."""
    if not isinstance(model, keras.Model):
        raise ValueError(
            f"backbone is a {type(model).__name__}, not a keras.Model; pass a "
            "keras.applications backbone name, a .keras or .h5 model file or a "
            "keras.Model"
        )
    if len(model.inputs) != 1 or len(model.inputs[0].shape) != 4:
        raise ValueError(
            f"the model takes inputs of shape {model.input_shape}, but an image "
            "backbone takes one batch of images (n, height, width, channels)"
        )
    vectors = [
        candidate.name
        for candidate in model.layers[1:]
        if len(candidate.output.shape) == 2
    ]
    if layer is None:
        chosen, features = model.layers[-1], model.layers[-1].input
        described = f"the input of the model's last layer {chosen.name!r}"
    else:
        try:
            chosen = model.get_layer(layer)
        except ValueError:
            raise ValueError(
                f"{parameter}={layer!r} names no layer of the model {model.name!r}; "
                f"layers giving one vector per image: {vectors[-5:]}"
            ) from None
        features = chosen.output
        described = f"layer {layer!r}"
    if len(features.shape) != 2:
        raise ValueError(
            f"{described} gives feature maps of shape {tuple(features.shape[1:])}, "
            f"not one vector per image; pass {parameter}= the name of a pooling, "
            f"flattening or Dense layer after it (this model's: {vectors[-5:]})"
        )
    return keras.Model(model.inputs, features, name=f"{model.name}_features")


def build_backbone_network(
    input_shape,
    n_outputs,
    *,
    output_activation,
    backbone,
    preprocessing,
    image_size,
    trainable_layers,
    dense_units,
    dropout,
    augmentation,
    seed,
    channels=3,
):
    """[augmentation] → a pretrained backbone, fed as :func:`image_encoder` feeds
    it → optional Dense layers → output layer: a head on a backbone.

    ``backbone(seed=...)`` builds the headless backbone, its output pooled;
    or ``backbone`` is a model of the user's own, cut at its features
    (:func:`load_model_backbone`), taking images of ``channels`` channels.
    All its layers are frozen but the top ``trainable_layers`` of those that
    hold weights, BatchNormalization layers left out: they stay frozen, with
    the statistics and scales they were trained with. The backbone is called in
    inference mode (``training=False``), so batch normalisation uses those
    statistics, never a batch's own, also in unfrozen layers, as in Keras'
    fine-tuning guide.
    """
    seeds = LayerSeeds(seed)
    network = backbone if isinstance(backbone, keras.Model) else backbone(seed=seeds())
    tunable = [
        layer
        for layer in network.layers
        if layer.weights and not isinstance(layer, keras.layers.BatchNormalization)
    ]
    # layer by layer: a frozen model would hide its unfrozen layers' weights
    for layer in network.layers:
        layer.trainable = False
    for layer in tunable[max(0, len(tunable) - trainable_layers) :]:
        layer.trainable = True
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for layer in augmentation_layers(augmentation or {}, seeds):
        x = layer(x)
    x = image_encoder(network, preprocessing, image_size, channels=channels)(x)
    return dense_head(
        inputs, x, n_outputs, dense_units, dropout, seeds, output_activation
    )
