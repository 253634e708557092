"""Pretrained Keras networks as feature extractors: :class:`PretrainedImageEncoder`."""

import os
import textwrap
import warnings
from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils import check_array
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from skfeat._images import check_image_size
from skfeat._persistence import VersionedPickleMixin


class Backbone(NamedTuple):
    """How to build one ``keras.applications`` network and feed it."""

    constructor: str  # the function in keras.applications
    preprocessing: str  # the keras.applications module whose preprocess_input it uses
    image_size: tuple  # (height, width) its ImageNet weights were trained at
    # the headless ImageNet weights file Keras downloads, "{alpha}" and "{side}"
    # standing for the width and the square side its weights were trained at
    weights_file: str
    alphas: tuple = ()  # the widths (alpha) with ImageNet weights; () for no width
    weights_sides: tuple = (224,)  # the square sides with ImageNet weights


BACKBONES = {
    "mobilenet_v2": Backbone(
        "MobileNetV2",
        "mobilenet_v2",
        (224, 224),
        "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{alpha}_{side}_no_top.h5",
        (0.35, 0.5, 0.75, 1.0, 1.3, 1.4),
        (96, 128, 160, 192, 224),
    ),
    "mobilenet_v3_small": Backbone(
        "MobileNetV3Small",
        "mobilenet_v3",
        (224, 224),
        "weights_mobilenet_v3_small_224_{alpha}_float_no_top_v2.h5",
        (0.75, 1.0),
    ),
    "mobilenet_v3_large": Backbone(
        "MobileNetV3Large",
        "mobilenet_v3",
        (224, 224),
        "weights_mobilenet_v3_large_224_{alpha}_float_no_top_v2.h5",
        (0.75, 1.0),
    ),
    "efficientnet_v2_b0": Backbone(
        "EfficientNetV2B0", "efficientnet_v2", (224, 224), "efficientnetv2-b0_notop.h5"
    ),
    "efficientnet_v2_s": Backbone(
        "EfficientNetV2S", "efficientnet_v2", (384, 384), "efficientnetv2-s_notop.h5"
    ),
    "resnet50": Backbone(
        "ResNet50",
        "resnet50",
        (224, 224),
        "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5",
    ),
    "resnet50_v2": Backbone(
        "ResNet50V2",
        "resnet_v2",
        (224, 224),
        "resnet50v2_weights_tf_dim_ordering_tf_kernels_notop.h5",
    ),
    "densenet121": Backbone(
        "DenseNet121",
        "densenet",
        (224, 224),
        "densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5",
    ),
    "convnext_tiny": Backbone(
        "ConvNeXtTiny", "convnext", (224, 224), "convnext_tiny_notop.h5"
    ),
}


# a MobileNet's width: None, or a positive number
ALPHA_CONSTRAINT = [Interval(Real, 0, None, closed="neither"), None]
# how the last feature map becomes one vector: global average or max pooling
POOLINGS = ("avg", "max")
# the keras.applications modules whose preprocess_input a model can be fed by
PREPROCESSINGS = {spec.preprocessing for spec in BACKBONES.values()} | {
    "mobilenet",
    "vgg16",
    "vgg19",
    "inception_v3",
    "inception_resnet_v2",
    "xception",
    "efficientnet",
    "nasnet",
}
# the files keras.saving.load_model reads
MODEL_FILE_SUFFIXES = (".keras", ".h5")
# the smallest input keras.applications builds these backbones for
SMALLEST_IMAGE_SIDE = 32


class PretrainedImageEncoder(
    VersionedPickleMixin,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    BaseEstimator,
):
    """Features of images from a pretrained network: a headless Keras backbone.

    :meth:`fit` builds one of the ``keras.applications`` networks without its
    classification head, with its ImageNet weights. :meth:`transform` resizes
    each image to the network's input size, applies the preprocessing that
    network was trained with (its own ``preprocess_input``), runs the network
    in batches and pools its last feature map into one ``float32`` row per
    image. A linear model on these rows is the classic way to reuse a network
    trained on ImageNet for a new image task.

    Parameters
    ----------
    backbone : {"mobilenet_v3_small", "mobilenet_v3_large", "mobilenet_v2", \
"efficientnet_v2_b0", "efficientnet_v2_s", "resnet50", "resnet50_v2", \
"densenet121", "convnext_tiny"}, str, path-like or keras.Model, \
default="mobilenet_v3_small"
        The network: one of ``keras.applications``' (see the user guide for
        sizes and speeds), or a Keras model of your own, as the path of a file
        written by ``model.save`` (``.keras`` or ``.h5``) or as a
        ``keras.Model``; ``layer`` then picks its features.
    weights : "imagenet", str, path-like or None, default="imagenet"
        ``"imagenet"``: the ImageNet weights, downloaded by Keras on first use
        into its cache (``$KERAS_HOME/models``, else ``~/.keras/models``) and
        read from there afterwards. A path: a weights file for this backbone
        without its head (Keras' ``*_notop.h5`` file, or one written by
        ``model_.save_weights``). None: random weights, for tests only. A model
        of your own has its weights: leave this at its default.
    alpha : float or None, default=None
        The width of a MobileNet backbone: the number of filters of every layer
        is multiplied by it. None means 1.0. ImageNet weights exist for 0.35,
        0.5, 0.75, 1.0, 1.3 and 1.4 (``"mobilenet_v2"``) and for 0.75 and 1.0
        (``"mobilenet_v3_small"``, ``"mobilenet_v3_large"``). On a 3,728-image
        CIFAR-10 sample (5-fold CV, features at 224×224, ``flip_average=True``,
        ``StandardScaler()`` + ``LogisticRegression(C=0.01)``),
        ``"mobilenet_v2"`` scored 0.790 at 0.35 and 0.832 at 0.5.
        Offline, :meth:`fit` names the file Keras looks for at that width and
        ``image_size``.
    layer : str or None, default=None
        For a model of your own: the name of the layer whose output are the
        features, one vector per image (a pooling, flattening or Dense layer).
        None takes the input of the model's last layer (for a classifier, what
        its softmax layer sees).
    preprocessing : str, callable or None, default=None
        What the images get before the network: the name of a
        ``keras.applications`` module whose ``preprocess_input`` takes pixels
        in [0, 255] (``"mobilenet_v2"``, ``"resnet50"``, ...), ``"none"`` (the
        values as they are) or a function of a batch of images. None: the
        backbone's own preprocessing, or ``"none"`` for a model of your own.
    pooling : {"avg", "max"}, default="avg"
        How the last feature map becomes one vector: global average or max
        pooling (``keras.applications`` backbones only).
    image_size : (int, int) or None, default=None
        ``(height, width)`` the images are resized to before the network. None
        uses the size the ImageNet weights were trained at (224×224; 384×384
        for ``"efficientnet_v2_s"``), or a model's own input size. At least
        32×32 for the ``keras.applications`` backbones.
    batch_size : int, default=32
        Images per forward pass.
    flip_average : bool, default=False
        Whether each image's features are the mean of its own and of its
        mirror image's (left and right swapped), at twice the cost. Photos
        look as natural mirrored, and the mean is steadier than either: on the
        CIFAR-10 sample, MobileNetV2 (``alpha=0.35``) features +
        ``StandardScaler()`` + ``LogisticRegression(C=0.01)`` scored 0.790
        with it against 0.776 without (5-fold CV,
        ``benchmarks/results/pretrained.md``). Leave it off for images that
        a mirror changes the meaning of (text, digits, some medical images).

    Attributes
    ----------
    model_ : keras.Model
        The headless backbone, its output pooled. It expects images already
        resized and preprocessed; :meth:`transform` does both.
    image_size_ : tuple of int or None
        ``(height, width)`` the images are resized to; None for a model of
        your own that takes images of any size, which get no resizing.

    See Also
    --------
    ImageLoader : Read image files into the arrays this encoder takes.
    CNNClassifier : A small network trained on your own images.

    Notes
    -----
    Images are arrays of shape (n, height, width, 3) with pixel values in
    [0, 255], ``uint8`` (as :class:`ImageLoader` returns them) or float; of any
    size, since they are resized. Grey images, (n, height, width) or (n,
    height, width, 1), are repeated into three channels. Images with an alpha
    channel are rejected: drop it, or load the files with ``color_mode="rgb"``.
    The encoder records no ``n_features_in_``: any image size is accepted.

    Resizing is bilinear, inside the network. For large photos, resize them
    when loading instead (``ImageLoader(image_size=...)`` at the backbone's
    input size), where Pillow filters them properly before shrinking.

    A pickled encoder holds its backbone's weights (Keras' own serialisation)
    and gives identical features after loading in another process.

    Examples
    --------
    Random weights and tiny images keep this example offline and quick; use
    ``weights="imagenet"`` (the default) for real features.

    >>> import numpy as np
    >>> from skfeat.image import PretrainedImageEncoder
    >>> images = np.random.RandomState(0).randint(0, 256, (4, 40, 40, 3),
    ...                                           dtype=np.uint8)
    >>> encoder = PretrainedImageEncoder(weights=None, image_size=(32, 32))
    >>> features = encoder.fit_transform(images)
    >>> features.shape, features.dtype
    ((4, 576), dtype('float32'))
    >>> encoder.get_feature_names_out()[:2]
    array(['pretrainedimageencoder0', 'pretrainedimageencoder1'], dtype=object)
    """

    _parameter_constraints: dict = {
        "backbone": [str, os.PathLike, HasMethods(["get_layer", "save"])],
        "weights": [str, os.PathLike, None],
        "alpha": ALPHA_CONSTRAINT,
        "layer": [str, None],
        "preprocessing": [StrOptions(PREPROCESSINGS | {"none"}), callable, None],
        "pooling": [StrOptions(set(POOLINGS))],
        "image_size": [tuple, list, None],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "flip_average": ["boolean"],
    }

    def __init__(
        self,
        *,
        backbone="mobilenet_v3_small",
        weights="imagenet",
        alpha=None,
        layer=None,
        preprocessing=None,
        pooling="avg",
        image_size=None,
        batch_size=32,
        flip_average=False,
    ):
        self.backbone = backbone
        self.weights = weights
        self.alpha = alpha
        self.layer = layer
        self.preprocessing = preprocessing
        self.pooling = pooling
        self.image_size = image_size
        self.batch_size = batch_size
        self.flip_average = flip_average

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Build the backbone with its weights; the images are only checked.

        Parameters
        ----------
        X : array-like of shape (n_images, height, width, 3), (n_images, \
height, width, 1) or (n_images, height, width)
            Images, pixel values in [0, 255] (for a model of your own, the
            values it takes, with its number of channels).
        y : None
            Ignored.

        Returns
        -------
        self : PretrainedImageEncoder
            The fitted encoder.

        Raises
        ------
        OSError
            If ``weights="imagenet"`` and the weights are neither in Keras'
            cache nor downloadable; the message names the file and where to
            put it.
        """
        if is_named_backbone(self.backbone):
            image_size = backbone_image_size(self.backbone, self.image_size)
            self._check_named_parameters()
            _images(X, pixel_range=self._checks_pixel_range(3))  # before building
            weights = checked_weights(self.weights)
            alpha = backbone_alpha(self.backbone, self.alpha, weights)
            model = load_backbone(
                self.backbone,
                weights=weights,
                alpha=alpha,
                pooling=self.pooling,
                image_size=image_size,
            )
        else:
            self._check_model_parameters()
            from skfeat.image._networks import load_model_backbone

            model = load_model_backbone(self.backbone, self.layer)
            image_size = model_image_size(model, self.image_size)
        self.model_ = model
        self.image_size_ = image_size
        if not is_named_backbone(self.backbone):
            self._images(X)  # with the number of channels the model takes
        self._set_forward()
        return self

    def transform(self, X):
        """Pooled features of the backbone for each image.

        Parameters
        ----------
        X : array-like of shape (n_images, height, width, 3), (n_images, \
height, width, 1) or (n_images, height, width)
            Images of any size, pixel values in [0, 255] (for a model of your
            own, the values it takes, with its number of channels).

        Returns
        -------
        features : ndarray of shape (n_images, n_features_out), float32
            One row per image, in order.
        """
        check_is_fitted(self)
        return self._forward.outputs(self._images(X), self.batch_size)

    @property
    def _n_features_out(self):
        check_is_fitted(self)
        return int(self.model_.output_shape[-1])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True  # images (n, h, w) and (n, h, w, c)
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []  # float32 whatever came in
        tags.non_deterministic = self.weights is None and is_named_backbone(
            self.backbone
        )
        return tags

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_forward", None)  # traced TensorFlow functions don't pickle
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if hasattr(self, "model_"):
            self._set_forward()

    def _check_named_parameters(self):
        check_named_backbone_layer(self.backbone, self.layer)

    def _check_model_parameters(self):
        """A model of the user's own has its weights and its pooling."""
        check_model_backbone(self.backbone)
        check_model_parameters(
            [
                ("weights", self.weights, "imagenet"),
                ("alpha", self.alpha, None),
                ("pooling", self.pooling, "avg"),
            ]
        )

    def _preprocessing(self):
        """The preprocessing the images get before the network."""
        return backbone_preprocessing(self.backbone, self.preprocessing)

    def _images(self, X):
        """Checked images as the network takes them."""
        channels = int(self.model_.input_shape[-1])
        return _images(
            X, channels=channels, pixel_range=self._checks_pixel_range(channels)
        )

    def _checks_pixel_range(self, channels):
        return checks_pixel_range(self._preprocessing(), channels)

    def _set_forward(self):
        from skfeat import _keras
        from skfeat.image._networks import image_encoder

        encoder = image_encoder(
            self.model_,
            self._preprocessing(),
            self.image_size_,
            channels=int(self.model_.input_shape[-1]),
            flip=self.flip_average,
        )
        # batches of batch_size images at the size the backbone runs at
        self._forward = _keras.Forward(
            encoder,
            sample_values=None
            if self.image_size_ is None
            else int(np.prod(self.image_size_)) * int(self.model_.input_shape[-1]),
        )


def is_named_backbone(backbone):
    """Whether ``backbone`` names a keras.applications network of BACKBONES."""
    return isinstance(backbone, str) and backbone in BACKBONES


def check_model_backbone(backbone):
    """A ``backbone`` that names no keras.applications network must be a Keras
    model file (checked here) or a keras.Model."""
    if not isinstance(backbone, str | os.PathLike):
        return
    path = os.fspath(backbone)
    if not path.lower().endswith(MODEL_FILE_SUFFIXES):
        raise ValueError(
            f"backbone={path!r} is neither a keras.applications backbone (one of "
            f"{', '.join(sorted(BACKBONES))}) nor a Keras model file (.keras or "
            ".h5, written by model.save); you can also pass a keras.Model"
        )
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"Keras model file not found: {path}; backbone must be a "
            "keras.applications backbone name, a .keras or .h5 model file or a "
            "keras.Model"
        )


def check_named_backbone_layer(backbone, layer, *, parameter="layer"):
    """A keras.applications backbone gives its pooled last feature map: no
    ``layer`` picks its features."""
    if layer is not None:
        raise ValueError(
            f"{parameter}={layer!r} picks the features of a model of your own; "
            f"the {backbone} backbone gives its pooled last feature map: "
            f"leave {parameter}=None"
        )


def check_model_parameters(parameters, *, layer_parameter="layer"):
    """A model of the user's own has its weights and its layers: raise if any
    of ``parameters``, (name, value, default) triples of what only a
    keras.applications backbone takes, is not at its default."""
    changed = [
        f"{name}={value!r}" for name, value, default in parameters if value != default
    ]
    if changed:
        raise ValueError(
            f"{', '.join(changed)} apply to keras.applications backbones, not "
            "to a model of your own, which has its weights and layers: leave "
            f"them at their defaults (pick the features with {layer_parameter}=)"
        )


def backbone_preprocessing(backbone, preprocessing):
    """What the images get before ``backbone``: ``preprocessing`` if given,
    else a keras.applications backbone's own, else (a model of the user's
    own) ``"none"``."""
    if preprocessing is not None:
        return preprocessing
    if is_named_backbone(backbone):
        return BACKBONES[backbone].preprocessing
    return "none"


def checks_pixel_range(preprocessing, channels):
    """Whether pixels must lie in [0, 255]: what a keras.applications
    family's preprocessing takes."""
    return channels == 3 and isinstance(preprocessing, str) and preprocessing != "none"


def model_image_size(model, image_size, *, parameter="image_size"):
    """The size images are resized to for a model of the user's own: its input
    size, or ``image_size`` when its input takes any size (None: no resizing)."""
    fixed = tuple(model.input_shape[1:3])
    check_image_size(image_size)
    if image_size is not None:
        image_size = tuple(int(side) for side in image_size)
        if None not in fixed and image_size != fixed:
            raise ValueError(
                f"{parameter}={image_size}, but the model takes images of "
                f"{fixed[0]}×{fixed[1]}: leave {parameter}=None to resize to that"
            )
        return image_size
    return None if None in fixed else tuple(int(side) for side in fixed)


def backbone_image_size(backbone, image_size):
    """The checked ``image_size`` as a tuple, or the backbone's own for None."""
    check_image_size(image_size)
    if image_size is None:
        image_size = BACKBONES[backbone].image_size
    image_size = tuple(int(side) for side in image_size)
    if min(image_size) < 32:
        raise ValueError(
            f"image_size={image_size} is too small: keras.applications "
            "backbones need at least 32×32"
        )
    return image_size


def checked_weights(weights):
    """``weights`` as "imagenet", None or the path (str) of an existing file."""
    if weights is None or weights == "imagenet":
        return weights
    weights = os.fspath(weights)
    if not os.path.isfile(weights):
        raise FileNotFoundError(
            f"weights file not found: {weights}; weights must be "
            "'imagenet', None or the path of a weights file"
        )
    return weights


def load_backbone(backbone, *, weights, alpha, pooling, image_size, seed=None):
    """The headless ``backbone`` network with ``weights`` (from
    :func:`checked_weights`) and width ``alpha`` (from :func:`backbone_alpha`);
    random weights are drawn from ``seed``, if given. A weights file of another
    network or width raises a ValueError that names it."""
    from skfeat.image._networks import build_backbone

    spec = BACKBONES[backbone]
    try:
        return build_backbone(
            spec.constructor,
            image_size=image_size,
            pooling=pooling,
            weights=weights,
            weights_file=imagenet_weights_file(backbone, alpha, image_size),
            alpha=alpha,
            seed=seed,
        )
    except (OSError, ValueError) as error:
        if weights in (None, "imagenet"):
            raise
        # Keras lists every layer it could not load: thousands of characters,
        # kept whole in the chained error
        reason = textwrap.shorten(str(error), 300, placeholder=" ...")
        width = "" if alpha is None else f" of width alpha={alpha:g}"
        raise ValueError(
            f"could not load the weights in {weights} into the {backbone} "
            f"backbone{width} ({reason}); the file must hold the weights of that "
            "network, at that width, without its classification head"
        ) from error


def backbone_alpha(backbone, alpha, weights, *, parameter="alpha"):
    """The checked width of a MobileNet ``backbone`` as a float (1.0 for None),
    or None for a backbone without one."""
    spec = BACKBONES[backbone]
    if not spec.alphas:
        if alpha is not None:
            widths = ", ".join(
                name for name, other in BACKBONES.items() if other.alphas
            )
            raise ValueError(
                f"{parameter}={alpha!r} sets a MobileNet's width, but {backbone!r} "
                f"has none; leave {parameter}=None (MobileNets: {widths})"
            )
        return None
    if alpha is None:
        return 1.0
    alpha = float(alpha)
    if weights == "imagenet" and alpha not in spec.alphas:
        raise ValueError(
            f"{backbone} has ImageNet weights for {parameter} in "
            f"{[float(a) for a in spec.alphas]}, not {alpha:g}; pick one of those, "
            "or use random weights (None) or a weights file of that width"
        )
    return alpha


def imagenet_weights_file(backbone, alpha, image_size):
    """The name of the headless ImageNet weights file Keras looks for in its
    cache: for a square ``image_size`` the weights exist for, that size's own,
    else the ones of the backbone's default size (which Keras loads then)."""
    spec = BACKBONES[backbone]
    height, width = image_size
    side = height if height == width and height in spec.weights_sides else None
    return spec.weights_file.format(alpha=alpha, side=side or spec.image_size[0])


def _images(X, *, channels=3, pixel_range=True):
    """Check images for a network taking ``channels`` channels: RGB networks
    get (n, h, w, 3) images, grey ones as a view repeating their one channel
    three times. ``pixel_range``: the pixels must lie in [0, 255]."""
    try:
        # uint8 and float32 images are used as they are, others become float32
        images = check_array(X, allow_nd=True, dtype=[np.float32, np.uint8])
    except ValueError as error:
        if "could not convert" in str(error):
            raise ValueError(
                f"PretrainedImageEncoder needs images as arrays of pixel values; "
                f"{error}. To encode image files, read them first: "
                "make_pipeline(ImageLoader(), PretrainedImageEncoder())"
            ) from error
        raise
    if images.ndim == 3:
        images = images[..., np.newaxis]
    fed = as_channels(images, channels)
    if pixel_range:
        check_pixel_range(images, stacklevel=4)
    return fed


def as_channels(images, channels):
    """Images (n, h, w, c) for a network taking ``channels`` channels: for RGB
    networks as :func:`as_rgb` gives them, for others as they are, if they
    have that many."""
    if channels == 3:
        return as_rgb(images)
    if images.ndim != 4 or images.shape[-1] != channels:
        raise ValueError(
            f"X has shape {images.shape}, but the model takes images of "
            f"{channels} channel(s): pass X of shape (n, height, width, {channels})"
            + (" or (n, height, width)" if channels == 1 else "")
        )
    return images


def as_rgb(images):
    """Images (n, h, w, 3), or grey ones (n, h, w, 1) as a view repeating their
    one channel three times (no copy)."""
    if images.ndim != 4 or images.shape[-1] not in (1, 3):
        raise ValueError(
            f"X has shape {images.shape}; expected RGB images (n, height, width, 3) "
            "or grey ones (n, height, width, 1) or (n, height, width)"
            + (
                ": drop the alpha channel (X[..., :3]) or load the files with "
                "color_mode='rgb'"
                if images.ndim == 4 and images.shape[-1] == 4
                else ""
            )
        )
    if images.shape[-1] == 1:  # a view: no copy of the images
        images = np.broadcast_to(images, (*images.shape[:3], 3))
    return images


def check_pixel_range(images, *, stacklevel):
    """Pixels must lie in [0, 255]; warn when they all lie in [0, 1]."""
    if images.dtype != np.uint8 and images.size:
        low, high = float(images.min()), float(images.max())
        if low < 0 or high > 255:
            raise ValueError(
                f"pixel values must lie in [0, 255], got values from {low:g} to "
                f"{high:g}; pass the images as loaded, not scaled or preprocessed: "
                "the backbone's own preprocessing is applied to them"
            )
        if high <= 1:
            warnings.warn(
                "all pixel values lie in [0, 1], but the pretrained backbones "
                "expect [0, 255]; multiply images scaled to [0, 1] by 255",
                UserWarning,
                stacklevel=stacklevel,
            )
