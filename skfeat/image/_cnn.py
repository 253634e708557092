"""A Keras convolutional network as a scikit-learn classifier or regressor, and
transformer."""

import functools
import inspect
import os
from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    _fit_context,
)
from sklearn.utils import check_consistent_length
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from skfeat._columns import file_paths
from skfeat._files import LoadedFiles
from skfeat._network import (
    CLASSIFIER_PARAMETER_CONSTRAINTS,
    REGRESSOR_PARAMETER_CONSTRAINTS,
    TRAINING_PARAMETER_CONSTRAINTS,
    NetworkClassifierMixin,
    NetworkRegressorMixin,
)
from skfeat._persistence import VersionedPickleMixin
from skfeat.image._loader import ImageLoader
from skfeat.image._pretrained import (
    ALPHA_CONSTRAINT,
    PREPROCESSINGS,
    as_channels,
    backbone_alpha,
    backbone_image_size,
    backbone_preprocessing,
    check_model_backbone,
    check_model_parameters,
    check_named_backbone_layer,
    check_pixel_range,
    checked_weights,
    checks_pixel_range,
    is_named_backbone,
    load_backbone,
    model_image_size,
)

_FLIPS = (None, "horizontal", "vertical", "horizontal_and_vertical")
# augmentation key -> bound of its value (fractions of the size or of a turn)
_AUGMENTATION_RANGES = {
    "shift": 1.0,
    "zoom": 1.0,
    "rotation": 1.0,
    # spectrograms (frames, bands): fractions of the frames or bands
    "time_shift": 1.0,
    "time_mask": 1.0,
    "frequency_mask": 1.0,
}
# channel statistics are summed over chunks of about this many values (8 MiB
# of float64), so that their temporaries stay small beside the images
_STATISTICS_CHUNK = 2**20
# channel statistics of image files come from a seeded sample of this many
_STATISTICS_FILES = 2000
# what builds the convolution blocks, which a backbone replaces
_CONV_BLOCK_PARAMETERS = (
    "filters",
    "kernel_size",
    "pool_size",
    "padding",
    "convs_per_block",
    "batch_normalization",
)
# the ImageLoader color_mode of images with this many channels
_COLOR_MODES = {1: "grayscale", 3: "rgb", 4: "rgba"}
# what only a backbone uses
_BACKBONE_PARAMETERS = (
    "backbone_weights",
    "backbone_alpha",
    "backbone_image_size",
    "trainable_layers",
    "backbone_layer",
    "backbone_preprocessing",
)
# what only a keras.applications backbone uses, not a model of the user's own
_NAMED_BACKBONE_PARAMETERS = ("backbone_weights", "backbone_alpha", "pooling")


class _BaseCNN:
    """The convolutional network of :class:`CNNClassifier` and
    :class:`CNNRegressor`: parameters, input checks and network building; the
    network half (classifier or regressor) chooses the output layer and the
    loss. It goes left of that half in the bases, so that its tags and its
    advice for large values come last and first."""

    _scaling_advice = "scale the input (e.g. with MinMaxScaler) or lower learning_rate"

    _parameter_constraints: dict = {
        "filters": [tuple, list],
        "kernel_size": [Interval(Integral, 1, None, closed="left"), tuple],
        "pool_size": [Interval(Integral, 1, None, closed="left"), tuple],
        "padding": [StrOptions({"valid", "same"})],
        "convs_per_block": [Interval(Integral, 1, None, closed="left")],
        "batch_normalization": ["boolean"],
        "pooling": [StrOptions({"avg", "max"}), None],
        "dense_units": [tuple, list],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "input_scaling": [StrOptions({"standardize"}), None],
        "augmentation": [dict, None],
        **TRAINING_PARAMETER_CONSTRAINTS,
        "image_shape": [tuple, None],
        "image_loader": [HasMethods(["transform"]), None],
        "backbone": [str, os.PathLike, HasMethods(["get_layer", "save"]), None],
        "backbone_weights": [str, os.PathLike, None],
        "backbone_alpha": ALPHA_CONSTRAINT,
        "backbone_image_size": [tuple, list, None],
        "trainable_layers": [Interval(Integral, 0, None, closed="left")],
        "backbone_layer": [str, None],
        "backbone_preprocessing": [
            StrOptions(PREPROCESSINGS | {"none"}),
            callable,
            None,
        ],
    }

    def __init__(
        self,
        *,
        filters=(32,),
        kernel_size=3,
        pool_size=2,
        padding="valid",
        convs_per_block=1,
        batch_normalization=False,
        pooling=None,
        dense_units=(),
        dropout=0.0,
        input_scaling="standardize",
        augmentation=None,
        optimizer="adam",
        momentum=0.9,
        nesterovs_momentum=True,
        learning_rate=0.001,
        learning_rate_schedule="constant",
        epochs=10,
        batch_size=32,
        validation_split=0.0,
        patience=3,
        callbacks=None,
        verbose=0,
        random_state=None,
        warm_start=False,
        image_shape=None,
        image_loader=None,
        backbone=None,
        backbone_weights="imagenet",
        backbone_alpha=None,
        backbone_image_size=None,
        trainable_layers=0,
        backbone_layer=None,
        backbone_preprocessing=None,
    ):
        self.filters = filters
        self.kernel_size = kernel_size
        self.pool_size = pool_size
        self.padding = padding
        self.convs_per_block = convs_per_block
        self.batch_normalization = batch_normalization
        self.pooling = pooling
        self.dense_units = dense_units
        self.dropout = dropout
        self.input_scaling = input_scaling
        self.augmentation = augmentation
        self.optimizer = optimizer
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.learning_rate = learning_rate
        self.learning_rate_schedule = learning_rate_schedule
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.patience = patience
        self.callbacks = callbacks
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start
        self.image_shape = image_shape
        self.image_loader = image_loader
        self.backbone = backbone
        self.backbone_weights = backbone_weights
        self.backbone_alpha = backbone_alpha
        self.backbone_image_size = backbone_image_size
        self.trainable_layers = trainable_layers
        self.backbone_layer = backbone_layer
        self.backbone_preprocessing = backbone_preprocessing

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Train the network on images X and targets y.

        Parameters
        ----------
        X : array-like of shape (n_samples, h, w, c), (n_samples, h, w) or \
(n_samples, n_features), or sequence of str or path-like
            Training images, flat rows (see ``image_shape``), or the paths of
            image or audio files (see ``image_loader``).
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Class labels of any kind (ints, strings, ...) for a classifier, or
            a 0/1 indicator matrix of several labels per sample; numbers for a
            regressor, one or several per sample.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss (multiplied by ``class_weight``'s
            for a classifier). Samples of weight 0 are left out, also of the
            channel statistics.

        Returns
        -------
        self : object
            The fitted estimator; with ``warm_start``, the fitted network
            trained ``epochs`` more.
        """
        return self._fit(X, y, sample_weight, partial=False)

    def _fit_new(self, X, y, sample_weight, *, partial):
        """Learn the input's shape and scaling, build the network and train it."""
        for name in ("filters", "dense_units"):
            widths = getattr(self, name)
            if not all(isinstance(w, Integral) and w >= 1 for w in widths):
                raise ValueError(f"{name} must hold positive ints, got {widths!r}.")
        self._check_parameters_apply()
        features = self._model_backbone()
        paths = _path_column(X)
        if paths is None:
            X = self._validate_data(X, reset=True)
            y = self._checked_target(y)
            check_consistent_length(X, y)
            images = self._network_images(X)
            self.input_shape_ = X.shape[1:]
        else:
            y = self._checked_target(y)
            check_consistent_length(paths, y)
            self.__dict__.pop("n_features_in_", None)
            self.__dict__.pop("feature_names_in_", None)
            images = self._image_files(paths)
            self.input_shape_ = images.sample_shape
        sample_weight = self._checked_sample_weight(sample_weight, len(y))
        augmentation = self._checked_augmentation(images)
        seed = self._seed()
        scaling = None
        self.__dict__.pop("channel_mean_", None)
        self.__dict__.pop("channel_std_", None)
        if self.backbone is None and self.input_scaling == "standardize":
            kept = None  # every image, unless some weigh nothing
            if sample_weight is not None and not sample_weight.all():
                kept = np.flatnonzero(sample_weight)
            mean, variance = _channel_statistics(
                *_statistics_sample(images, seed, kept)
            )
            self.channel_mean_, self.channel_std_ = mean, np.sqrt(variance)
            scaling = (mean, variance)

        from skfeat.image import _networks

        if self.backbone is None:
            build = functools.partial(
                _networks.build_image_network,
                images.shape[1:],
                filters=tuple(self.filters),
                kernel_size=self.kernel_size,
                pool_size=self.pool_size,
                padding=self.padding,
                convs_per_block=self.convs_per_block,
                batch_normalization=self.batch_normalization,
                pooling=self.pooling,
                dense_units=tuple(self.dense_units),
                dropout=self.dropout,
                scaling=scaling,
                augmentation=augmentation,
                seed=seed,
            )
        else:
            image_size, channels = self._backbone_input()
            if features is None:
                weights = checked_weights(self.backbone_weights)
                features = functools.partial(
                    load_backbone,
                    self.backbone,
                    weights=weights,
                    alpha=backbone_alpha(
                        self.backbone,
                        self.backbone_alpha,
                        weights,
                        parameter="backbone_alpha",
                    ),
                    pooling=self.pooling or "avg",
                    image_size=image_size,
                )
            build = functools.partial(
                _networks.build_backbone_network,
                images.shape[1:],
                backbone=features,
                preprocessing=self._preprocessing(),
                image_size=image_size,
                channels=channels,
                trainable_layers=self.trainable_layers,
                dense_units=tuple(self.dense_units),
                dropout=self.dropout,
                augmentation=augmentation,
                seed=seed,
            )
        self._fit_network(
            images, y, build, seed, sample_weight=sample_weight, partial=partial
        )
        self.image_shape_ = images.shape[1:]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True  # images (n, h, w) and (n, h, w, c)
        return tags

    def _checked_augmentation(self, images):
        """``augmentation`` as a dict, after checking its keys and values."""
        if not self.augmentation:
            return {}
        unknown = set(self.augmentation) - set(_AUGMENTATION_RANGES) - {"flip"}
        if unknown:
            raise ValueError(
                f"augmentation has unknown key(s) {sorted(unknown)}; use 'flip', "
                "'shift', 'zoom' and 'rotation' (images), 'time_shift', "
                "'time_mask' and 'frequency_mask' (spectrograms)"
            )
        flip = self.augmentation.get("flip")
        if flip not in _FLIPS:
            raise ValueError(
                f"augmentation['flip'] is {flip!r}; use one of "
                f"{[mode for mode in _FLIPS if mode]} (or leave it out)"
            )
        for key, limit in _AUGMENTATION_RANGES.items():
            value = self.augmentation.get(key, 0)
            if not isinstance(value, Real) or not 0 <= value < limit:
                raise ValueError(
                    f"augmentation[{key!r}] is {value!r}; expected a number from 0 "
                    f"up to (not including) {limit}"
                )
        if images.ndim != 4:
            raise ValueError(
                "augmentation needs images, but X holds flat rows of "
                f"{images.shape[1]} features: pass X of shape (n, height, width"
                "[, channels]), or set image_shape"
            )
        return dict(self.augmentation)

    def _validate_data(self, X, *, reset):
        try:
            # X keeps its dtype (uint8 images stay uint8): the network casts one
            # batch at a time, so memory holds no float copy of the images
            X = validate_data(self, X, reset=reset, allow_nd=True, dtype="numeric")
        except ValueError as error:
            if "could not convert" in str(error) or "strings" in str(error):
                raise ValueError(
                    f"{type(self).__name__} needs numeric pixel values; {error}. "
                    "Encode non-numeric columns before the CNN."
                ) from error
            if "inhomogeneous" in str(error) and _sizes_differ(X):
                raise ValueError(_sizes_differ(X)) from error
            raise
        if X.dtype.kind == "f" and X.size:
            largest = float(max(X.max(), -X.min()))
            # the channel variance (and the network's sums of squares) must fit too
            if largest > _LARGEST_SQUARABLE:
                raise ValueError(
                    f"X holds values too large for float32 (up to {largest:.3g}), "
                    "which the network computes in: their squares must stay below "
                    f"{np.finfo(np.float32).max:.3g}, so values below "
                    f"{_LARGEST_SQUARABLE:.3g}; scale X down, e.g. with MinMaxScaler"
                )
        return X

    def _network_input(self, X):
        check_is_fitted(self)
        if isinstance(X, list | tuple) and not X:
            raise ValueError(
                f"no images given: X is an empty {type(X).__name__}; pass at least "
                "one image (or image file path)"
            )
        paths = _path_column(X)
        if paths is not None:
            files = self._image_files(paths)
            self._check_sample_shape(files.sample_shape)
            return files
        # Images of another size: say so before validate_data's check of the
        # second dimension alone (it reports "features"), which stays for rows.
        shape = getattr(X, "shape", ())
        if len(shape) > 1 and (len(shape) != 2 or len(self.input_shape_) != 1):
            self._check_sample_shape(tuple(shape[1:]))
        X = self._validate_data(X, reset=False)
        self._check_sample_shape(X.shape[1:])
        return self._network_images(X)

    def _network_images(self, X):
        """Validated X as the network takes it; for a backbone, with its number
        of channels (RGB: grey images repeated into three channels, a view),
        pixels in [0, 255] for a keras.applications family's preprocessing."""
        images = self._to_images(X)
        if self.backbone is None:
            return images
        channels = self._backbone_input()[1]
        fed = as_channels(images, channels)
        if checks_pixel_range(self._preprocessing(), channels):
            check_pixel_range(images, stacklevel=4)
        return fed

    def _image_files(self, paths):
        """The files at ``paths``, decoded as ``image_loader`` says when they
        are indexed."""
        loader = self.image_loader
        if loader is None and self.backbone is None:
            loader = ImageLoader()
        elif loader is None:  # decoded at the size and colours the backbone takes
            image_size, channels = self._backbone_input()
            loader = ImageLoader(
                image_size=image_size or (256, 256),
                color_mode=_COLOR_MODES.get(channels, "rgb"),
            )
        files = LoadedFiles(paths, loader, channel_axis=True)
        if self.backbone is None:
            return files
        channels = self._backbone_input()[1]
        if files.ndim != 4 or files.shape[-1] != channels:
            decodes = (
                f"decodes the files with color_mode={loader.color_mode!r}; use "
                f"ImageLoader(color_mode={_COLOR_MODES.get(channels, 'rgb')!r})"
                if isinstance(loader, ImageLoader)
                else f"gives samples of shape {files.sample_shape}"
            )
            takes = (
                "RGB images" if channels == 3 else f"images of {channels} channel(s)"
            )
            backbone = (
                repr(self.backbone) if isinstance(self.backbone, str) else "the model"
            )
            raise ValueError(
                f"backbone={backbone} takes {takes}, but image_loader {decodes}"
            )
        return files

    def _model_backbone(self):
        """For a model of the user's own as the backbone: a copy cut at its
        features (None for other backbones); records the image size and
        channels it takes."""
        self.__dict__.pop("_model_input", None)
        if self.backbone is None or is_named_backbone(self.backbone):
            return None
        from skfeat.image._networks import load_model_backbone

        features = load_model_backbone(
            self.backbone, self.backbone_layer, prefix="backbone_", copy=True
        )
        image_size = model_image_size(
            features, self.backbone_image_size, parameter="backbone_image_size"
        )
        self._model_input = (image_size, int(features.input_shape[-1]))
        return features

    def _backbone_input(self):
        """(image size, channels) the backbone takes; image size None: any."""
        if is_named_backbone(self.backbone):
            return backbone_image_size(self.backbone, self.backbone_image_size), 3
        return self._model_input

    def _preprocessing(self):
        """What the images get before the backbone."""
        return backbone_preprocessing(self.backbone, self.backbone_preprocessing)

    def _check_parameters_apply(self):
        """A backbone replaces the convolution blocks; its own parameters need
        one. Raise when parameters are set that do not apply."""
        defaults = {
            name: parameter.default
            for name, parameter in inspect.signature(type(self)).parameters.items()
        }
        if self.backbone is None:
            names = _BACKBONE_PARAMETERS
            problem = "these need a backbone and do not apply without one"
        else:
            names = _CONV_BLOCK_PARAMETERS
            problem = (
                f"backbone={self.backbone!r} replaces the convolution blocks, so "
                "these do not apply"
            )
        changed = [
            f"{name}={getattr(self, name)!r}"
            for name in names
            if not _same(getattr(self, name), defaults[name])
        ]
        if changed:
            raise ValueError(
                f"{problem}: {', '.join(changed)}; leave them at their defaults"
            )
        if self.backbone is None:
            return
        if is_named_backbone(self.backbone):
            check_named_backbone_layer(
                self.backbone, self.backbone_layer, parameter="backbone_layer"
            )
            return
        check_model_backbone(self.backbone)
        check_model_parameters(
            [
                (name, getattr(self, name), defaults[name])
                for name in _NAMED_BACKBONE_PARAMETERS
            ],
            layer_parameter="backbone_layer",
        )

    def __setstate__(self, state):
        super().__setstate__(state)
        if hasattr(self, "model_") and callable(self.backbone_preprocessing):
            from skfeat.image._networks import restore_preprocessing

            restore_preprocessing(self.model_, self.backbone_preprocessing)

    def _check_sample_shape(self, sample_shape):
        if sample_shape != self.input_shape_:
            raise ValueError(
                f"X has samples of shape {sample_shape}, but {type(self).__name__} "
                f"was fitted on samples of shape {self.input_shape_}: pass X of "
                f"shape (n_samples, {', '.join(map(str, self.input_shape_))})."
            )

    def _to_images(self, X):
        """Reshape validated X to the network's input: (n, h, w, c) or (n, L, 1)."""
        if X.ndim > 4:
            raise ValueError(
                f"X has shape {X.shape}; expected images (n, h, w, c), "
                "greyscale images (n, h, w) or flat rows (n, n_features)."
            )
        if X.ndim > 2 and self.image_shape is not None:
            if np.prod(X.shape[1:]) != np.prod(self.image_shape):
                raise ValueError(
                    f"X holds images of shape {X.shape[1:]} but image_shape="
                    f"{tuple(self.image_shape)}; image_shape is for flat rows: drop "
                    "it, or pass rows of shape (n_samples, height * width * channels)."
                )
        if X.ndim == 2 and self.image_shape is not None:
            shape = tuple(self.image_shape)
            if len(shape) not in (2, 3) or X.shape[1] != np.prod(shape):
                raise ValueError(
                    f"X has shape {X.shape} but image_shape={shape} needs "
                    f"{int(np.prod(shape))} features per row; image_shape must be "
                    "(height, width) or (height, width, channels)."
                )
            return X.reshape(len(X), *shape, *(() if len(shape) == 3 else (1,)))
        if X.ndim == 2 or X.ndim == 3:
            return X[..., np.newaxis]  # 1-D signals or greyscale images
        return X


class CNNClassifier(
    VersionedPickleMixin, _BaseCNN, NetworkClassifierMixin, BaseEstimator
):
    """Convolutional neural network classifier, trained with Keras through SciKeras.

    The network standardizes its input, optionally augments it while training,
    then runs ``len(filters)`` blocks of Conv (ReLU) → MaxPooling, then Flatten
    or global pooling, optional Dense (ReLU) layers, and a softmax layer with one
    unit per class, trained with categorical cross-entropy. With a ``backbone``,
    a pretrained network takes the place of the convolution blocks and the
    standardization, and its top layers can be fine-tuned. The defaults are the
    classic network: one Conv2D(32, 3×3) → MaxPooling2D(2×2) → Flatten →
    Dense(softmax), Adam, 10 epochs. Training is done by a SciKeras
    ``KerasClassifier`` built in :meth:`fit`; prediction runs the fitted network
    directly, in batches, which is much faster than Keras' ``predict()`` for
    small batches.

    As a transformer, :meth:`transform` returns the learned features (the input
    of the softmax layer), so the CNN can feed another estimator in a pipeline.

    Parameters
    ----------
    filters : tuple of int, default=(32,)
        Number of filters of each convolution block; one block per entry.
    kernel_size : int or tuple of int, default=3
        Size of the convolution kernels. Kernels larger than the feature map
        they slide over are shrunk to fit.
    pool_size : int or tuple of int, default=2
        Size of the max-pooling window after each convolution, shrunk likewise.
    padding : {"valid", "same"}, default="valid"
        Convolution padding: "valid" shrinks each feature map by the kernel
        size minus one, "same" pads with zeros to keep its size.
    convs_per_block : int, default=1
        Convolutions before each max-pooling. Two per block (as in VGG) see
        larger patterns at the same cost in pooling.
    batch_normalization : bool, default=False
        Normalize the output of every convolution over each batch (Ioffe and
        Szegedy 2015) before its ReLU; it speeds up and steadies the training
        of deeper networks.
    pooling : {None, "avg", "max"}, default=None
        How the last block's feature maps become one vector: None flattens them
        (``h × w × filters`` features), "avg" and "max" take each filter's mean
        or maximum over the image (``filters[-1]`` features, whatever the image
        size), as ``pooling`` does in ``keras.applications``. With a
        ``backbone``, None means "avg".
    dense_units : tuple of int, default=()
        Width of each hidden Dense (ReLU) layer between the pooling and softmax.
    dropout : float, default=0.0
        Dropout rate applied before each Dense layer; 0 means no dropout.
    input_scaling : {"standardize"} or None, default="standardize"
        "standardize" learns each channel's mean and standard deviation in
        :meth:`fit` and makes the network's first layer (a Keras
        ``Normalization`` layer, kept in pickles) subtract and divide by them.
        Raw uint8 pixels and pixels already scaled to [0, 1] then train the same
        network, and :meth:`predict` takes images as :meth:`fit` got them.
        None feeds the values as they are: scale them yourself. For image
        files, the statistics come from a seeded sample of at most 2,000 of
        them. A ``backbone`` has its own preprocessing, which replaces this.
    augmentation : dict or None, default=None
        Random changes to the training images, made anew in every epoch by
        Keras' preprocessing layers and only while training (prediction sees
        the images as they are). Keys, each optional:

        - ``"flip"``: "horizontal", "vertical" or "horizontal_and_vertical";
        - ``"shift"``: the largest shift, as a fraction of the height and width;
        - ``"zoom"``: the largest zoom in or out, as a fraction;
        - ``"rotation"``: the largest rotation, as a fraction of a full turn;

        and for spectrograms (:class:`~skfeat.LogMelSpectrogram`'s
        (n, frames, bands), time down the image):

        - ``"time_shift"``: the largest shift along time, as a fraction of the
          frames, the frames shifted out coming back at the other end (clips
          padded with silence move within it);
        - ``"time_mask"``: SpecAugment's time mask (Park et al. 2019): one band
          of consecutive frames per spectrogram, up to this fraction of them,
          set to the mean value (0 after ``input_scaling``);
        - ``"frequency_mask"``: likewise one band of consecutive mel bands.

        For photos, ``{"flip": "horizontal", "shift": 0.1}`` is a good start;
        for spoken words, ``{"time_mask": 0.2, "frequency_mask": 0.2,
        "time_shift": 0.1}`` (see :class:`~skfeat.LogMelSpectrogram`).
        Flips are wrong for digits and text, where a mirror image is another
        symbol (or none); small shifts suit almost all images. Needs images:
        (n, h, w[, c]) arrays or ``image_shape``. With ``random_state`` set,
        the changes are the same on every fit.
    optimizer : {"adam", "adamw", "nadam", "adamax", "rmsprop", "sgd", \
"adagrad"}, default="adam"
        Keras optimizer.
    momentum : float, default=0.9
        Momentum of ``optimizer="sgd"``, as in
        :class:`~sklearn.neural_network.MLPClassifier`; other optimizers
        ignore it.
    nesterovs_momentum : bool, default=True
        Whether ``optimizer="sgd"`` uses Nesterov's momentum.
    learning_rate : float, default=0.001
        Learning rate of the optimizer (the initial one, with a schedule).
    learning_rate_schedule : {"constant", "cosine"}, default="constant"
        "cosine" lowers the learning rate from ``learning_rate`` to 0 along half
        a cosine over all the training steps (Loshchilov and Hutter 2017): large
        steps first, fine ones at the end. On small photo collections it gains
        several points over a constant rate for the same number of epochs.
    epochs : int, default=10
        Number of passes over the training data.
    batch_size : int, default=32
        Number of samples per gradient step, also the smallest batch used
        at prediction.
    validation_split : float, default=0.0
        Fraction of the (shuffled) training data held out to monitor the
        validation loss. When greater than 0, training stops once the validation
        loss has not improved for ``patience`` epochs, and the best weights are
        kept.
    patience : int, default=3
        Epochs without improvement before early stopping; used only when
        ``validation_split > 0``.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss, as in
        :class:`~sklearn.linear_model.LogisticRegression`.
    callbacks : list of keras.callbacks.Callback or None, default=None
        Extra Keras callbacks for training. They are copied, never modified.
        Keras runs an eighth of an epoch per call of its compiled train step
        unless a callback has a batch hook (``on_train_batch_end`` and the
        like) or ``verbose=1``; then it runs one batch per call, so that every
        batch is seen. The network trained is the same either way; one batch per
        call is slower on small images.
    verbose : int, default=0
        Keras' verbosity during training: 0 silent, 1 progress bar, 2 one line
        per epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, shuffling, dropout and augmentation. With a
        fixed value, fitting twice gives the same network, also while other
        fits run in other threads of the process. No global seed (Python's,
        NumPy's, TensorFlow's or Keras') is set or read.
    warm_start : bool, default=False
        When True, :meth:`fit` on a fitted estimator trains its network further,
        from its weights and its optimizer's state, for ``epochs`` more epochs,
        instead of building a new one: two fits of 5 epochs train what one fit
        of 10 trains. The architecture parameters must stay as they were
        (training ones such as ``epochs`` and ``learning_rate`` may change), the
        data of the same kind; the channel statistics of the first fit stay.
        :meth:`partial_fit` trains further too, one pass per call. See
        :ref:`training-further`.
    image_shape : tuple of int or None, default=None
        ``(height, width)`` or ``(height, width, channels)`` of each image when X
        is given as flat rows. When None, X of shape (n, h, w, c) or (n, h, w) is
        used as images, and flat rows (n, n_features) as 1-D signals (Conv1D).
    image_loader : transformer or None, default=None
        How files are decoded into the network's input when X holds their
        paths; the name says what the network takes, images, whatever the
        files hold. An :class:`ImageLoader` (its ``image_size``,
        ``color_mode``, ``interpolation`` and ``crop_to_aspect_ratio``); an
        :class:`~skfeat.audio.AudioLoader` (waveforms, which the network
        takes as 1-D signals); or a :class:`~sklearn.pipeline.Pipeline` whose
        first step is one of them and whose later steps transform each
        decoded batch, and so must need no fitting and treat each sample on
        its own: ``make_pipeline(AudioLoader(sample_rate=8000, duration=1.0),
        <a spectrogram transformer>)`` trains on spectrograms of audio files
        as one-channel images. Any other transformer from paths to arrays is
        called on one path at a time. Every file must decode to the same
        shape. None stands for ``ImageLoader()`` (256×256 RGB, Keras' default
        size) or, with a ``backbone``, ``ImageLoader(image_size=<the
        backbone's input size>)``. A grid search can tune
        ``image_loader__image_size`` and the like.
    backbone : {"mobilenet_v3_small", "mobilenet_v3_large", "mobilenet_v2", \
"efficientnet_v2_b0", "efficientnet_v2_s", "resnet50", "resnet50_v2", \
"densenet121", "convnext_tiny"}, str, path-like, keras.Model or None, \
default=None
        A pretrained ``keras.applications`` network (as in
        :class:`PretrainedImageEncoder`) to put the classification head on, in
        place of the convolution blocks. Its last feature map is pooled
        (``pooling``: "avg" when None, or "max"), then come the Dense layers of
        ``dense_units`` and ``dropout``, and the softmax layer. Images, pixel
        values in [0, 255], are resized to ``backbone_image_size`` and
        preprocessed with the backbone's own ``preprocess_input`` inside the
        network, exactly as :class:`PretrainedImageEncoder` does, so
        ``input_scaling`` does not apply. Grey images are repeated into three
        channels. The convolution-block parameters (``filters``,
        ``kernel_size``, ``pool_size``, ``padding``, ``convs_per_block``,
        ``batch_normalization``) do not apply either: setting them raises.

        Or a Keras model of your own, as the path of a file written by
        ``model.save`` (``.keras`` or ``.h5``; it clones as that path) or as
        a ``keras.Model`` (:meth:`fit` trains a copy and leaves yours as it
        was): the head goes on the features ``backbone_layer`` picks, the
        images are resized to the model's input size, fed as
        ``backbone_preprocessing`` says, with the model's number of
        channels. ``backbone_weights``, ``backbone_alpha`` and ``pooling`` do
        not apply to it: setting them raises.
    backbone_weights : "imagenet", str, path-like or None, default="imagenet"
        The backbone's weights before training: ``"imagenet"``, downloaded by
        Keras on first use into its cache (offline, :meth:`fit` says which file
        to put where); the path of a weights file for this backbone without its
        head; or None for random weights drawn from ``random_state`` (for tests
        only).
    backbone_alpha : float or None, default=None
        The width of a MobileNet backbone (its ``alpha``): the number of
        filters of every layer is multiplied by it. None means 1.0. ImageNet
        weights exist for 0.35, 0.5, 0.75, 1.0, 1.3 and 1.4 (``"mobilenet_v2"``)
        and for 0.75 and 1.0 (``"mobilenet_v3_small"``, ``"mobilenet_v3_large"``);
        the other backbones have no width (leave it None). Offline, :meth:`fit`
        names the weights file Keras looks for at that width and size.
    backbone_image_size : (int, int) or None, default=None
        ``(height, width)`` the images are resized to before the backbone. None
        uses the size its ImageNet weights were trained at (224×224; 384×384 for
        ``"efficientnet_v2_s"``). At least 32×32. For a model of your own,
        its input size; set it only for a model that takes any size (None:
        the images as they are).
    trainable_layers : int, default=0
        How many of the backbone's top layers train with the head, counting
        the layers that hold weights, except BatchNormalization layers: they
        stay frozen, and the backbone runs in inference mode, so that batch
        normalization keeps the statistics it was trained with. 0 trains the
        head alone, on the frozen backbone's features (with ``dense_units=()``
        a linear probe). Larger numbers than the backbone has unfreeze it all.
        For a model of your own, its layers up to ``backbone_layer`` count.
    backbone_layer : str or None, default=None
        For a model of your own as ``backbone``: the name of the layer whose
        output are the features the head is put on, one vector per image (a
        pooling, flattening or Dense layer). None takes the input of the
        model's last layer (for a classifier, what its softmax layer sees),
        as ``layer`` does in :class:`PretrainedImageEncoder`.
    backbone_preprocessing : str, callable or None, default=None
        What the images get inside the network before the backbone: the name
        of a ``keras.applications`` module whose ``preprocess_input`` takes
        pixels in [0, 255] (``"mobilenet_v2"``, ``"resnet50"``, ...),
        ``"none"`` (the values as they are) or a function of a batch of
        images. None: a ``keras.applications`` backbone's own preprocessing,
        ``"none"`` for a model of your own. As ``preprocessing`` in
        :class:`PretrainedImageEncoder`. A function is kept by the
        estimator, not inside ``model_``: to pickle the estimator, define it
        at the top level of a module (not a lambda).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels; for a 0/1 indicator y (several labels per sample), the
        label positions ``0 … n_labels - 1``, as
        :class:`~sklearn.neural_network.MLPClassifier` sets them.
    model_ : keras.Model
        The trained network.
    history_ : dict of str to list of float
        Per-epoch training loss (and ``val_loss`` with ``validation_split``) of
        every epoch since the network was built (``warm_start`` and
        :meth:`partial_fit` add theirs), as recorded by SciKeras.
    input_shape_ : tuple of int
        Shape of one sample of X seen in :meth:`fit`; for image files, of one
        decoded image.
    channel_mean_ : ndarray of shape (n_channels,)
        Mean of each channel of the :meth:`fit` images; only with
        ``input_scaling="standardize"`` and no ``backbone``.
    channel_std_ : ndarray of shape (n_channels,)
        Standard deviation of each channel likewise.
    image_shape_ : tuple of int
        Shape of one sample as the network sees it: (h, w, c) or (length, 1).
    n_features_in_ : int
        ``X.shape[1]`` seen in :meth:`fit`; not set when X held file paths.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen in :meth:`fit`, when X has string column names;
        not set when X held file paths.

    See Also
    --------
    ImageLoader : Read image files; here, it says how to decode them.
    PretrainedImageEncoder : The features of a frozen backbone, for any model.
    sklearn.neural_network.MLPClassifier : Fully connected network classifier.
    sklearn.svm.SVC : Kernel classifier, a strong baseline on small images.

    Notes
    -----
    On scikit-learn's 8×8 digits (pixels / 16; 5-fold stratified CV shuffled
    with seed 0) the defaults with ``image_shape=(8, 8)`` score 0.966 ± 0.003
    over ``random_state`` 0 to 2. The configuration we recommend there, found
    with :class:`~sklearn.model_selection.GridSearchCV`
    (``benchmarks/tune_image.py``), scores 0.989 ± 0.001 (0.988 to 0.991),
    level with ``SVC(C=10, gamma=0.05)`` at 0.989::

        CNNClassifier(image_shape=(8, 8), filters=(64,), padding="same",
                      dense_units=(512,), dropout=0.5, learning_rate=0.002,
                      epochs=40, random_state=0)

    For small colour photos (CIFAR-10's 32×32×3, uint8 as they come) we
    recommend, from a search on a 3,728-image CIFAR-10 sample
    (``benchmarks/tune_image_colour.py``; 5-fold CV 0.708 against 0.528 for HOG
    + SVC; 263 s per fold on 2 CPU cores)::

        CNNClassifier(filters=(32, 64, 128), convs_per_block=2, padding="same",
                      batch_normalization=True, pooling="avg",
                      augmentation={"flip": "horizontal", "shift": 0.1},
                      learning_rate=0.003, learning_rate_schedule="cosine",
                      epochs=50, batch_size=64, random_state=0)

    On the same sample and folds, a network pretrained on ImageNet does better
    without training: the features of ``PretrainedImageEncoder(backbone=
    "mobilenet_v2", alpha=0.5, flip_average=True)`` (224×224), a
    ``StandardScaler()`` and ``LogisticRegression(C=0.01)`` score 0.832 ± 0.016
    (0.790 ± 0.012 at ``alpha=0.35``; ``benchmarks/tune_pretrained.py``).
    Prefer them for photos of everyday objects and few labels; train from
    scratch for images unlike ImageNet's photos or when 224-pixel inference is
    too slow. Fine-tuning the top 8 layers of the 0.35 network at 160 pixels
    scores 0.810 ± 0.007 on the same folds (its frozen features 0.790, the
    0.5 network's 0.832), in 26 to 39 s per fold on 2 CPU cores::

        CNNClassifier(backbone="mobilenet_v2", backbone_alpha=0.35,
                      backbone_image_size=(160, 160), trainable_layers=8,
                      learning_rate=3e-4, learning_rate_schedule="cosine",
                      epochs=4, augmentation={"flip": "horizontal"},
                      random_state=0)

    Pickling stores the Keras network with Keras' own serialisation; a pickled
    classifier predicts identically after loading in another process.

    X may also be image or audio files: a list or 1-D array of their paths,
    or a single column of them (a DataFrame column, say). They are decoded
    (as ``image_loader`` says) a batch at a time, in :meth:`fit` (in
    parallel threads, two batches ahead of the training), :meth:`predict`,
    :meth:`predict_proba` and :meth:`transform`, so memory does not grow
    with the number of files; a seeded fit trains the same network as on the
    same images (or waveforms, or spectrograms) held in memory. With
    ``input_scaling="standardize"``, the channel statistics come from a seeded
    sample of at most 2,000 of the files. A file that cannot be read raises an
    error naming it. A classifier fitted on files predicts from files or from
    arrays of the decoded shape, and one fitted on arrays predicts from files
    that ``image_loader`` decodes to that shape.

    Examples
    --------
    >>> import numpy as np
    >>> from skfeat.image import CNNClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.rand(40, 6, 6)
    >>> y = np.where(X[:, :3].mean(axis=(1, 2)) > X[:, 3:].mean(axis=(1, 2)),
    ...              "top", "bottom")
    >>> clf = CNNClassifier(filters=(4,), epochs=2, random_state=0).fit(X, y)
    >>> clf.classes_
    array(['bottom', 'top'], dtype='<U6')
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    >>> clf.transform(X[:2]).shape
    (2, 16)

    Image files train the same network, read a batch at a time:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from PIL import Image
    >>> from skfeat.image import ImageLoader
    >>> folder = Path(tempfile.mkdtemp())
    >>> paths = [folder / f"{i}.png" for i in range(len(X))]
    >>> for path, image in zip(paths, X):
    ...     Image.fromarray((image * 255).astype(np.uint8)).save(path)
    >>> clf = CNNClassifier(filters=(4,), epochs=2, random_state=0,
    ...                     image_loader=ImageLoader(image_size=(6, 6)))
    >>> clf.fit(paths, y).predict_proba(paths[:2]).shape
    (2, 2)

    A classification head on a pretrained backbone, its top two layers
    fine-tuned; random weights and tiny images keep this example offline and
    quick (use ``backbone_weights="imagenet"``, the default, for real work):

    >>> photos = rng.randint(0, 256, (8, 40, 40, 3), dtype=np.uint8)
    >>> tuned = CNNClassifier(backbone="mobilenet_v3_small", backbone_weights=None,
    ...                       backbone_image_size=(32, 32), trainable_layers=2,
    ...                       epochs=1, random_state=0)
    >>> tuned.fit(photos, [0, 1] * 4).transform(photos[:2]).shape
    (2, 576)

    Or a Keras model of your own (a ``keras.Model``, or the path of its
    ``.keras`` file), its top layer fine-tuned with the new head:

    >>> import keras
    >>> inputs = keras.Input((40, 40, 3))
    >>> x = keras.layers.Conv2D(4, 3, activation="relu")(inputs)
    >>> x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    >>> mine = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(x))
    >>> own = CNNClassifier(backbone=mine, backbone_layer="pool",
    ...                     backbone_preprocessing="mobilenet_v2",
    ...                     trainable_layers=1, epochs=1, random_state=0)
    >>> own.fit(photos, [0, 1] * 4).transform(photos[:2]).shape
    (2, 4)
    """

    _parameter_constraints: dict = {
        **_BaseCNN._parameter_constraints,
        **CLASSIFIER_PARAMETER_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        filters=(32,),
        kernel_size=3,
        pool_size=2,
        padding="valid",
        convs_per_block=1,
        batch_normalization=False,
        pooling=None,
        dense_units=(),
        dropout=0.0,
        input_scaling="standardize",
        augmentation=None,
        optimizer="adam",
        momentum=0.9,
        nesterovs_momentum=True,
        learning_rate=0.001,
        learning_rate_schedule="constant",
        epochs=10,
        batch_size=32,
        validation_split=0.0,
        patience=3,
        class_weight=None,
        callbacks=None,
        verbose=0,
        random_state=None,
        warm_start=False,
        image_shape=None,
        image_loader=None,
        backbone=None,
        backbone_weights="imagenet",
        backbone_alpha=None,
        backbone_image_size=None,
        trainable_layers=0,
        backbone_layer=None,
        backbone_preprocessing=None,
    ):
        super().__init__(
            filters=filters,
            kernel_size=kernel_size,
            pool_size=pool_size,
            padding=padding,
            convs_per_block=convs_per_block,
            batch_normalization=batch_normalization,
            pooling=pooling,
            dense_units=dense_units,
            dropout=dropout,
            input_scaling=input_scaling,
            augmentation=augmentation,
            optimizer=optimizer,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            learning_rate=learning_rate,
            learning_rate_schedule=learning_rate_schedule,
            epochs=epochs,
            batch_size=batch_size,
            validation_split=validation_split,
            patience=patience,
            callbacks=callbacks,
            verbose=verbose,
            random_state=random_state,
            warm_start=warm_start,
            image_shape=image_shape,
            image_loader=image_loader,
            backbone=backbone,
            backbone_weights=backbone_weights,
            backbone_alpha=backbone_alpha,
            backbone_image_size=backbone_image_size,
            trainable_layers=trainable_layers,
            backbone_layer=backbone_layer,
            backbone_preprocessing=backbone_preprocessing,
        )
        self.class_weight = class_weight


class CNNRegressor(
    VersionedPickleMixin, _BaseCNN, NetworkRegressorMixin, BaseEstimator
):
    """Convolutional neural network regressor, trained with Keras through SciKeras.

    The network of :class:`CNNClassifier` (input standardization, optional
    augmentation, ``len(filters)`` blocks of Conv (ReLU) → MaxPooling, Flatten
    or global pooling, optional Dense (ReLU) layers, or a pretrained
    ``backbone`` in place of the blocks) with a linear output layer of one unit
    per target. The targets are standardized inside the estimator (each to
    mean 0 and standard deviation 1, as
    :class:`~sklearn.compose.TransformedTargetRegressor` with a
    :class:`~sklearn.preprocessing.StandardScaler` would do), so that targets in
    any unit train alike, and :meth:`predict` gives them back in their own
    unit. y may hold one target per sample or several, (n_samples,
    n_targets). Training is done by a SciKeras ``KerasRegressor`` built in
    :meth:`fit`; prediction runs the fitted network directly, in batches.

    As a transformer, :meth:`transform` returns the learned features (the input
    of the output layer), so the CNN can feed another estimator in a pipeline.

    Parameters
    ----------
    filters : tuple of int, default=(32, 64)
        Number of filters of each convolution block; one block per entry.
    kernel_size : int or tuple of int, default=3
        Size of the convolution kernels. Kernels larger than the feature map
        they slide over are shrunk to fit.
    pool_size : int or tuple of int, default=2
        Size of the max-pooling window after each convolution, shrunk likewise.
    padding : {"valid", "same"}, default="same"
        Convolution padding: "valid" shrinks each feature map by the kernel
        size minus one, "same" pads with zeros to keep its size.
    convs_per_block : int, default=1
        Convolutions before each max-pooling. Two per block (as in VGG) see
        larger patterns at the same cost in pooling.
    batch_normalization : bool, default=False
        Normalize the output of every convolution over each batch (Ioffe and
        Szegedy 2015) before its ReLU; it speeds up and steadies the training
        of deeper networks.
    pooling : {None, "avg", "max"}, default=None
        How the last block's feature maps become one vector: None flattens them
        (``h × w × filters`` features), "avg" and "max" take each filter's mean
        or maximum over the image (``filters[-1]`` features, whatever the image
        size), as ``pooling`` does in ``keras.applications``. With a
        ``backbone``, None means "avg".
    dense_units : tuple of int, default=(128,)
        Width of each hidden Dense (ReLU) layer between the pooling and the
        output layer.
    dropout : float, default=0.0
        Dropout rate applied before each Dense layer; 0 means no dropout.
    input_scaling : {"standardize"} or None, default="standardize"
        "standardize" learns each channel's mean and standard deviation in
        :meth:`fit` and makes the network's first layer (a Keras
        ``Normalization`` layer, kept in pickles) subtract and divide by them.
        Raw uint8 pixels and pixels already scaled to [0, 1] then train the same
        network, and :meth:`predict` takes images as :meth:`fit` got them.
        None feeds the values as they are: scale them yourself. For image
        files, the statistics come from a seeded sample of at most 2,000 of
        them. A ``backbone`` has its own preprocessing, which replaces this.
    augmentation : dict or None, default=None
        Random changes to the training images, made anew in every epoch by
        Keras' preprocessing layers and only while training (prediction sees
        the images as they are). Keys, each optional:

        - ``"flip"``: "horizontal", "vertical" or "horizontal_and_vertical";
        - ``"shift"``: the largest shift, as a fraction of the height and width;
        - ``"zoom"``: the largest zoom in or out, as a fraction;
        - ``"rotation"``: the largest rotation, as a fraction of a full turn;

        and for spectrograms ``"time_shift"``, ``"time_mask"`` and
        ``"frequency_mask"``, as :class:`CNNClassifier` describes them.

        For photos, ``{"flip": "horizontal", "shift": 0.1}`` is a good start.
        Flips are wrong for digits and text, where a mirror image is another
        symbol (or none); small shifts suit almost all images. Needs images:
        (n, h, w[, c]) arrays or ``image_shape``. With ``random_state`` set,
        the changes are the same on every fit.
    loss : {"squared_error", "huber"}, default="squared_error"
        What training minimizes, on the standardized targets: their mean
        squared error, or Huber's loss (squared for errors within one standard
        deviation of the target, absolute beyond), which outliers among the
        targets pull less.
    optimizer : {"adam", "adamw", "nadam", "adamax", "rmsprop", "sgd", \
"adagrad"}, default="adam"
        Keras optimizer.
    momentum : float, default=0.9
        Momentum of ``optimizer="sgd"``, as in
        :class:`~sklearn.neural_network.MLPClassifier`; other optimizers
        ignore it.
    nesterovs_momentum : bool, default=True
        Whether ``optimizer="sgd"`` uses Nesterov's momentum.
    learning_rate : float, default=0.001
        Learning rate of the optimizer (the initial one, with a schedule).
    learning_rate_schedule : {"constant", "cosine"}, default="constant"
        "cosine" lowers the learning rate from ``learning_rate`` to 0 along half
        a cosine over all the training steps (Loshchilov and Hutter 2017): large
        steps first, fine ones at the end. On small photo collections it gains
        several points over a constant rate for the same number of epochs.
    epochs : int, default=30
        Number of passes over the training data.
    batch_size : int, default=32
        Number of samples per gradient step, also the smallest batch used
        at prediction.
    validation_split : float, default=0.0
        Fraction of the (shuffled) training data held out to monitor the
        validation loss. When greater than 0, training stops once the validation
        loss has not improved for ``patience`` epochs, and the best weights are
        kept.
    patience : int, default=3
        Epochs without improvement before early stopping; used only when
        ``validation_split > 0``.
    callbacks : list of keras.callbacks.Callback or None, default=None
        Extra Keras callbacks for training. They are copied, never modified.
        Keras runs an eighth of an epoch per call of its compiled train step
        unless a callback has a batch hook (``on_train_batch_end`` and the
        like) or ``verbose=1``; then it runs one batch per call, so that every
        batch is seen. The network trained is the same either way; one batch per
        call is slower on small images.
    verbose : int, default=0
        Keras' verbosity during training: 0 silent, 1 progress bar, 2 one line
        per epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, shuffling, dropout and augmentation. With a
        fixed value, fitting twice gives the same network, also while other
        fits run in other threads of the process. No global seed (Python's,
        NumPy's, TensorFlow's or Keras') is set or read.
    warm_start : bool, default=False
        When True, :meth:`fit` on a fitted estimator trains its network further,
        from its weights and its optimizer's state, for ``epochs`` more epochs,
        instead of building a new one. The architecture parameters must stay as
        they were (training ones such as ``epochs`` and ``learning_rate`` may
        change), the data of the same kind; the channel statistics and the
        target scaling of the first fit stay. :meth:`partial_fit` trains
        further too, one pass per call. See :ref:`training-further`.
    image_shape : tuple of int or None, default=None
        ``(height, width)`` or ``(height, width, channels)`` of each image when X
        is given as flat rows. When None, X of shape (n, h, w, c) or (n, h, w) is
        used as images, and flat rows (n, n_features) as 1-D signals (Conv1D).
    image_loader : transformer or None, default=None
        How files are decoded into the network's input when X holds their
        paths, as for :class:`CNNClassifier`: an :class:`ImageLoader`, an
        :class:`~skfeat.audio.AudioLoader`, or a pipeline that starts with one
        and transforms each decoded batch (into spectrograms, say). None
        stands for ``ImageLoader()`` (256×256 RGB, Keras' default size) or,
        with a ``backbone``, ``ImageLoader(image_size=<the backbone's input
        size>)``. A grid search can tune ``image_loader__image_size``.
    backbone : {"mobilenet_v3_small", "mobilenet_v3_large", "mobilenet_v2", \
"efficientnet_v2_b0", "efficientnet_v2_s", "resnet50", "resnet50_v2", \
"densenet121", "convnext_tiny"}, str, path-like, keras.Model or None, \
default=None
        A pretrained ``keras.applications`` network (as in
        :class:`PretrainedImageEncoder`) to put the regression head on, in
        place of the convolution blocks. Its last feature map is pooled
        (``pooling``: "avg" when None, or "max"), then come the Dense layers of
        ``dense_units`` and ``dropout``, and the linear output layer. Images, pixel
        values in [0, 255], are resized to ``backbone_image_size`` and
        preprocessed with the backbone's own ``preprocess_input`` inside the
        network, exactly as :class:`PretrainedImageEncoder` does, so
        ``input_scaling`` does not apply. Grey images are repeated into three
        channels. The convolution-block parameters (``filters``,
        ``kernel_size``, ``pool_size``, ``padding``, ``convs_per_block``,
        ``batch_normalization``) do not apply either: setting them raises.

        Or a Keras model of your own, as the path of a file written by
        ``model.save`` (``.keras`` or ``.h5``; it clones as that path) or as
        a ``keras.Model`` (:meth:`fit` trains a copy and leaves yours as it
        was): the head goes on the features ``backbone_layer`` picks, the
        images are resized to the model's input size, fed as
        ``backbone_preprocessing`` says, with the model's number of
        channels. ``backbone_weights``, ``backbone_alpha`` and ``pooling`` do
        not apply to it: setting them raises.
    backbone_weights : "imagenet", str, path-like or None, default="imagenet"
        The backbone's weights before training: ``"imagenet"``, downloaded by
        Keras on first use into its cache (offline, :meth:`fit` says which file
        to put where); the path of a weights file for this backbone without its
        head; or None for random weights drawn from ``random_state`` (for tests
        only).
    backbone_alpha : float or None, default=None
        The width of a MobileNet backbone, as for :class:`CNNClassifier`.
    backbone_image_size : (int, int) or None, default=None
        ``(height, width)`` the images are resized to before the backbone. None
        uses the size its ImageNet weights were trained at (224×224; 384×384 for
        ``"efficientnet_v2_s"``). At least 32×32. For a model of your own,
        its input size; set it only for a model that takes any size (None:
        the images as they are).
    trainable_layers : int, default=0
        How many of the backbone's top layers train with the head, counting
        the layers that hold weights, except BatchNormalization layers: they
        stay frozen, and the backbone runs in inference mode, so that batch
        normalization keeps the statistics it was trained with. 0 trains the
        head alone, on the frozen backbone's features (with ``dense_units=()``
        a linear probe). Larger numbers than the backbone has unfreeze it all.
        For a model of your own, its layers up to ``backbone_layer`` count.
    backbone_layer : str or None, default=None
        For a model of your own as ``backbone``: the layer whose output are
        the features, as for :class:`CNNClassifier`.
    backbone_preprocessing : str, callable or None, default=None
        What the images get before the backbone, as for
        :class:`CNNClassifier`.

    Attributes
    ----------
    n_outputs_ : int
        Number of targets: 1 for a 1-D y.
    target_mean_ : ndarray of shape (`n_outputs_`,)
        Mean of each target in :meth:`fit`, which :meth:`predict` adds back.
    target_scale_ : ndarray of shape (`n_outputs_`,)
        Standard deviation of each target in :meth:`fit` (1 for a constant
        target), which :meth:`predict` multiplies back.
    model_ : keras.Model
        The trained network; it predicts standardized targets.
    history_ : dict of str to list of float
        Per-epoch training loss (and ``val_loss`` with ``validation_split``),
        on the standardized targets, of every epoch since the network was
        built (``warm_start`` and :meth:`partial_fit` add theirs), as recorded
        by SciKeras.
    input_shape_ : tuple of int
        Shape of one sample of X seen in :meth:`fit`; for image files, of one
        decoded image.
    channel_mean_ : ndarray of shape (n_channels,)
        Mean of each channel of the :meth:`fit` images; only with
        ``input_scaling="standardize"`` and no ``backbone``.
    channel_std_ : ndarray of shape (n_channels,)
        Standard deviation of each channel likewise.
    image_shape_ : tuple of int
        Shape of one sample as the network sees it: (h, w, c) or (length, 1).
    n_features_in_ : int
        ``X.shape[1]`` seen in :meth:`fit`; not set when X held file paths.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen in :meth:`fit`, when X has string column names;
        not set when X held file paths.

    See Also
    --------
    CNNClassifier : The same network for class labels.
    sklearn.neural_network.MLPRegressor : Fully connected network regressor.
    sklearn.svm.SVR : Kernel regressor, a strong baseline on small images.

    Notes
    -----
    The defaults differ from :class:`CNNClassifier`'s: two convolution
    blocks, a ``Dense(128)`` layer and 30 epochs, where the classifier has one
    block straight into its output and 10 epochs. A class needs only the
    largest output to be right; a continuous target needs the output itself,
    and a linear output on one block's features is a linear function of them.
    On scikit-learn's digits rotated by a random angle in [-45°, 45°] (the
    angle as target; 5-fold RMSE, ``benchmarks/results/regression.md``) the
    defaults miss by 4.03°, the classifier's network by 7.51°,
    ``SVR(C=100)`` on standardized pixels by 4.10° and ``RidgeCV`` by 8.12°.
    The configuration we recommend there, from a search of nine candidates on
    those folds (``benchmarks/tune_regression.py``), misses by 2.93°, 0.71
    times the SVR's; on another draw of the angles, 3.02° against 4.03° (the
    defaults 4.05°, level with the SVR)::

        CNNRegressor(filters=(64,), padding="same", dense_units=(512,),
                     dropout=0.5, learning_rate=0.002,
                     learning_rate_schedule="cosine", epochs=150,
                     random_state=0)

    Pickling, image files (read a batch at a time), seeding and threads work
    as for :class:`CNNClassifier`: a pickled regressor predicts identically
    after loading in another process, and a seeded fit repeats bit-identically.

    Examples
    --------
    >>> import numpy as np
    >>> from skfeat.image import CNNRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.rand(40, 6, 6)
    >>> y = 100 * X[:, :3].mean(axis=(1, 2))  # brightness of the top half
    >>> reg = CNNRegressor(filters=(4,), epochs=2, random_state=0).fit(X, y)
    >>> reg.predict(X[:2]).shape
    (2,)
    >>> reg.transform(X[:2]).shape  # the default Dense(128) layer's output
    (2, 128)

    Several targets at once:

    >>> Y = np.column_stack([y, 100 * X[:, 3:].mean(axis=(1, 2))])
    >>> reg.fit(X, Y).predict(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints: dict = {
        **_BaseCNN._parameter_constraints,
        **REGRESSOR_PARAMETER_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        filters=(32, 64),
        kernel_size=3,
        pool_size=2,
        padding="same",
        convs_per_block=1,
        batch_normalization=False,
        pooling=None,
        dense_units=(128,),
        dropout=0.0,
        input_scaling="standardize",
        augmentation=None,
        loss="squared_error",
        optimizer="adam",
        momentum=0.9,
        nesterovs_momentum=True,
        learning_rate=0.001,
        learning_rate_schedule="constant",
        epochs=30,
        batch_size=32,
        validation_split=0.0,
        patience=3,
        callbacks=None,
        verbose=0,
        random_state=None,
        warm_start=False,
        image_shape=None,
        image_loader=None,
        backbone=None,
        backbone_weights="imagenet",
        backbone_alpha=None,
        backbone_image_size=None,
        trainable_layers=0,
        backbone_layer=None,
        backbone_preprocessing=None,
    ):
        super().__init__(
            filters=filters,
            kernel_size=kernel_size,
            pool_size=pool_size,
            padding=padding,
            convs_per_block=convs_per_block,
            batch_normalization=batch_normalization,
            pooling=pooling,
            dense_units=dense_units,
            dropout=dropout,
            input_scaling=input_scaling,
            augmentation=augmentation,
            optimizer=optimizer,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            learning_rate=learning_rate,
            learning_rate_schedule=learning_rate_schedule,
            epochs=epochs,
            batch_size=batch_size,
            validation_split=validation_split,
            patience=patience,
            callbacks=callbacks,
            verbose=verbose,
            random_state=random_state,
            warm_start=warm_start,
            image_shape=image_shape,
            image_loader=image_loader,
            backbone=backbone,
            backbone_weights=backbone_weights,
            backbone_alpha=backbone_alpha,
            backbone_image_size=backbone_image_size,
            trainable_layers=trainable_layers,
            backbone_layer=backbone_layer,
            backbone_preprocessing=backbone_preprocessing,
        )
        self.loss = loss


def _same(value, default):
    """Whether a parameter is at its default: lists and tuples alike."""
    if isinstance(value, list | tuple) and isinstance(default, tuple):
        return tuple(value) == default
    return value == default


def _sizes_differ(X):
    """What numpy calls "an inhomogeneous shape": images of several sizes; None
    if that is not what X holds."""
    try:
        shapes = [np.shape(image) for image in X]
    except ValueError:  # ragged inside an image too
        return None
    other = next((i for i, shape in enumerate(shapes) if shape != shapes[0]), None)
    if other is None:
        return None
    return (
        f"the images in X differ in size: image 0 has shape {shapes[0]}, image "
        f"{other} has shape {shapes[other]}; give images of one size, e.g. read "
        "the files with load_image_folder(image_size=(height, width)), or pass "
        "their paths with image_loader=ImageLoader(image_size=(height, width))"
    )


def _path_column(X):
    """The paths X holds when it is one column of image file paths, else None."""
    if isinstance(X, str | bytes | os.PathLike):
        return file_paths(X, kind="file")  # rejects a single path, with advice
    if isinstance(X, list | tuple):
        values = X
    elif getattr(X, "ndim", None) == 1 or getattr(X, "shape", ())[1:] == (1,):
        values = np.asarray(X).ravel()  # an array, Series or DataFrame column
        if values.dtype.kind not in "OU":
            return None
    else:
        return None
    if any(isinstance(value, str | os.PathLike) for value in values):
        return file_paths(X, kind="file")
    return None


# the largest value whose square a float32 holds
_LARGEST_SQUARABLE = float(np.sqrt(np.finfo(np.float32).max))


def _statistics_sample(images, seed, kept):
    """(images, kept) for :func:`_channel_statistics`: the ``kept`` rows of
    ``images`` (None for all), or a seeded sample of them when they are many
    files."""
    if not isinstance(images, LoadedFiles):
        return images, kept
    if kept is not None:
        images = images.subset(kept)
    if len(images) > _STATISTICS_FILES:
        rows = np.random.default_rng(seed).choice(
            len(images), _STATISTICS_FILES, replace=False
        )
        images = images.subset(np.sort(rows))
    return images, None


def _channel_statistics(images, kept=None):
    """Mean and variance of each channel (the last axis) of the ``kept`` rows
    of ``images`` (None for all), in float64.

    Computed a chunk of images at a time and merged (Chan et al.'s pairwise
    update), so uint8 images are never converted whole.
    """
    n_channels = images.shape[-1]
    rows = max(1, _STATISTICS_CHUNK // int(np.prod(images.shape[1:])))
    n_images = len(images) if kept is None else len(kept)
    count, mean, squares = 0, np.zeros(n_channels), np.zeros(n_channels)
    for start in range(0, n_images, rows):
        chunk = (
            slice(start, start + rows) if kept is None else kept[start : start + rows]
        )
        chunk = images[chunk].reshape(-1, n_channels)
        chunk = chunk.astype(np.float64)
        chunk_mean = chunk.mean(axis=0)
        chunk_squares = ((chunk - chunk_mean) ** 2).sum(axis=0)
        total = count + len(chunk)
        delta = chunk_mean - mean
        squares += chunk_squares + delta**2 * count * len(chunk) / total
        mean += delta * len(chunk) / total
        count = total
    return mean.astype(np.float32), (squares / count).astype(np.float32)
