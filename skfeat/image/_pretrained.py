"""Pretrained Keras networks as feature extractors: :class:`PretrainedImageEncoder`."""

import os
import textwrap
import warnings
from numbers import Integral
from typing import NamedTuple

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils import check_array
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from skfeat._images import check_image_size
from skfeat._persistence import VersionedPickleMixin


class Backbone(NamedTuple):
    """How to build one ``keras.applications`` network and feed it."""

    constructor: str  # the function in keras.applications
    preprocessing: str  # the keras.applications module whose preprocess_input it uses
    image_size: tuple  # (height, width) its ImageNet weights were trained at
    weights_file: str  # the headless ImageNet weights file Keras downloads


BACKBONES = {
    "mobilenet_v2": Backbone(
        "MobileNetV2",
        "mobilenet_v2",
        (224, 224),
        "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5",
    ),
    "mobilenet_v3_small": Backbone(
        "MobileNetV3Small",
        "mobilenet_v3",
        (224, 224),
        "weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5",
    ),
    "mobilenet_v3_large": Backbone(
        "MobileNetV3Large",
        "mobilenet_v3",
        (224, 224),
        "weights_mobilenet_v3_large_224_1.0_float_no_top_v2.h5",
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


# how the last feature map becomes one vector: global average or max pooling
POOLINGS = ("avg", "max")
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
"densenet121", "convnext_tiny"}, default="mobilenet_v3_small"
        The network; see the user guide for sizes and speeds.
    weights : "imagenet", str, path-like or None, default="imagenet"
        ``"imagenet"``: the ImageNet weights, downloaded by Keras on first use
        into its cache (``$KERAS_HOME/models``, else ``~/.keras/models``) and
        read from there afterwards. A path: a weights file for this backbone
        without its head (Keras' ``*_notop.h5`` file, or one written by
        ``model_.save_weights``). None: random weights, for tests only.
    pooling : {"avg", "max"}, default="avg"
        How the last feature map becomes one vector: global average or max
        pooling.
    image_size : (int, int) or None, default=None
        ``(height, width)`` the images are resized to before the network. None
        uses the size the ImageNet weights were trained at (224×224; 384×384
        for ``"efficientnet_v2_s"``). At least 32×32.
    batch_size : int, default=32
        Images per forward pass.

    Attributes
    ----------
    model_ : keras.Model
        The headless backbone, its output pooled. It expects images already
        resized and preprocessed; :meth:`transform` does both.
    image_size_ : tuple of int
        ``(height, width)`` the images are resized to.

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
        "backbone": [StrOptions(set(BACKBONES))],
        "weights": [str, os.PathLike, None],
        "pooling": [StrOptions(set(POOLINGS))],
        "image_size": [tuple, list, None],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        backbone="mobilenet_v3_small",
        weights="imagenet",
        pooling="avg",
        image_size=None,
        batch_size=32,
    ):
        self.backbone = backbone
        self.weights = weights
        self.pooling = pooling
        self.image_size = image_size
        self.batch_size = batch_size

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Build the backbone with its weights; the images are only checked.

        Parameters
        ----------
        X : array-like of shape (n_images, height, width, 3), (n_images, \
height, width, 1) or (n_images, height, width)
            Images, pixel values in [0, 255].
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
        image_size = backbone_image_size(self.backbone, self.image_size)
        _images(X)
        self.model_ = load_backbone(
            self.backbone,
            weights=checked_weights(self.weights),
            pooling=self.pooling,
            image_size=image_size,
        )
        self.image_size_ = image_size
        self._set_forward()
        return self

    def transform(self, X):
        """Pooled features of the backbone for each image.

        Parameters
        ----------
        X : array-like of shape (n_images, height, width, 3), (n_images, \
height, width, 1) or (n_images, height, width)
            Images of any size, pixel values in [0, 255].

        Returns
        -------
        features : ndarray of shape (n_images, n_features_out), float32
            One row per image, in order.
        """
        check_is_fitted(self)
        return self._forward.outputs(_images(X), self.batch_size)

    @property
    def _n_features_out(self):
        check_is_fitted(self)
        return int(self.model_.output_shape[-1])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True  # images (n, h, w) and (n, h, w, c)
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []  # float32 whatever came in
        tags.non_deterministic = self.weights is None
        return tags

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_forward", None)  # traced TensorFlow functions don't pickle
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if hasattr(self, "model_"):
            self._set_forward()

    def _set_forward(self):
        from skfeat import _keras
        from skfeat.image._networks import image_encoder

        encoder = image_encoder(
            self.model_, BACKBONES[self.backbone].preprocessing, self.image_size_
        )
        self._forward = _keras.Forward(encoder)


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


def load_backbone(backbone, *, weights, pooling, image_size, seed=None):
    """The headless ``backbone`` network with ``weights`` (from
    :func:`checked_weights`); random weights are drawn from ``seed``, if given.
    A weights file of another network raises a ValueError that names it."""
    from skfeat.image._networks import build_backbone

    spec = BACKBONES[backbone]
    try:
        return build_backbone(
            spec.constructor,
            image_size=image_size,
            pooling=pooling,
            weights=weights,
            weights_file=spec.weights_file,
            seed=seed,
        )
    except (OSError, ValueError) as error:
        if weights in (None, "imagenet"):
            raise
        # Keras lists every layer it could not load: thousands of characters,
        # kept whole in the chained error
        reason = textwrap.shorten(str(error), 300, placeholder=" ...")
        raise ValueError(
            f"could not load the weights in {weights} into the {backbone} "
            f"backbone ({reason}); the file must hold the weights of that "
            "network without its classification head"
        ) from error


def _images(X):
    """Check images for a backbone: (n, h, w, 3) with pixels in [0, 255]; grey
    images come back as a view repeating their one channel three times."""
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
    rgb = as_rgb(images)
    check_pixel_range(images, stacklevel=4)
    return rgb


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
