"""What skfeat's Keras estimators share: training through SciKeras, the fast
batched forward pass, transform and pickling, with a classifier half and a
regressor half on top. No TensorFlow import at module level."""

import functools
import importlib
import os
import sys
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    ClassifierMixin,
    ClassNamePrefixFeaturesOutMixin,
    RegressorMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils import check_array, check_consistent_length, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import (
    _check_partial_fit_first_call,
    check_classification_targets,
    type_of_target,
)
from sklearn.utils.validation import _check_sample_weight, column_or_1d

OPTIMIZERS = {"adam", "adamw", "nadam", "adamax", "rmsprop", "sgd", "adagrad"}

# The training parameters that every network estimator has.
TRAINING_PARAMETER_CONSTRAINTS = {
    "optimizer": [StrOptions(OPTIMIZERS)],
    "momentum": [Interval(Real, 0, 1, closed="left")],
    "nesterovs_momentum": ["boolean"],
    "learning_rate": [Interval(Real, 0, None, closed="neither")],
    "learning_rate_schedule": [StrOptions({"constant", "cosine"})],
    "epochs": [Interval(Integral, 1, None, closed="left")],
    "batch_size": [Interval(Integral, 1, None, closed="left")],
    "validation_split": [Interval(Real, 0, 1, closed="left")],
    "patience": [Interval(Integral, 1, None, closed="left")],
    "callbacks": [list, None],
    "verbose": ["verbose"],
    "random_state": ["random_state"],
    "warm_start": ["boolean"],
}

# What may change between fits that train one network further (warm_start,
# partial_fit): how the network trains, not what it is.
TRAINING_ONLY_PARAMETERS = frozenset(
    {
        "epochs",
        "batch_size",
        "learning_rate",
        "validation_split",
        "patience",
        "class_weight",
        "callbacks",
        "verbose",
        "random_state",
        "warm_start",
    }
)

# The parameters a classifier has beside the training ones.
CLASSIFIER_PARAMETER_CONSTRAINTS = {
    "class_weight": [dict, StrOptions({"balanced"}), None],
}

# The parameters a regressor has beside the training ones.
REGRESSOR_PARAMETER_CONSTRAINTS = {
    "loss": [StrOptions({"squared_error", "huber"})],
}


_KERAS_LAYERS_KEY = "_skfeat_keras_layers"


def _outside_stacklevel():
    """``stacklevel`` for a warning raised by this function's caller that points
    at the user's line: the first frame outside skfeat and scikit-learn's fit
    wrapper, however many of skfeat's own calls (fit, partial_fit, warm_start)
    lie between."""
    package = os.path.dirname(os.path.abspath(__file__))
    wrapper = os.path.join("sklearn", "base.py")
    frame, level = sys._getframe(1), 1
    while frame is not None and (
        os.path.abspath(frame.f_code.co_filename).startswith(package)
        or frame.f_code.co_filename.endswith(wrapper)
    ):
        frame, level = frame.f_back, level + 1
    return level


def fit_seed(random_state):
    """The int seed of one fit from an estimator's ``random_state``: the int
    itself, or a draw from a RandomState or (None) from a fresh one."""
    if isinstance(random_state, Integral):
        return int(random_state)
    return int(check_random_state(random_state).randint(2**31 - 1))


class _KerasLayersRegistration:
    """Unpickles as the module that registers skfeat's own Keras layers
    (spectrogram masks, a preprocessing function) with Keras, importing it."""

    def __reduce__(self):
        return importlib.import_module, ("skfeat.image._networks",)


class _NetworkMixin(ClassNamePrefixFeaturesOutMixin, TransformerMixin):
    """Train, run, transform and pickle a network that ``_keras`` trains.

    ``transform`` gives the learned features (with ``get_feature_names_out``
    and ``set_output``). ``fit`` and ``partial_fit`` go through :meth:`_fit`,
    which trains the fitted network further (``warm_start``, ``partial_fit``)
    or has the subclass's ``_fit_new`` learn what it needs from the data,
    build the network and call :meth:`_fit_network`; the subclass checks y
    with :meth:`_checked_target` and weights with
    :meth:`_checked_sample_weight`. :meth:`_network_input` turns the X given
    to ``predict`` and ``transform`` (and to training further) into the
    network's input. The subclass has the training parameters
    (``optimizer``, ``learning_rate``, ``epochs``, ``batch_size``,
    ``warm_start`` and the rest) that :func:`skfeat._keras.train` takes.
    :class:`NetworkClassifierMixin` and :class:`NetworkRegressorMixin` are the
    two halves that say what the network predicts.
    """

    # what the diverged-training and non-finite-output errors advise
    _scaling_advice = "lower learning_rate"

    def _fit(self, X, y, sample_weight, *, partial):
        """``fit`` (``partial`` False) and ``partial_fit``: train the fitted
        network further, or a new one."""
        further = hasattr(self, "model_") and (partial or self.warm_start)
        if (partial or further) and self.learning_rate_schedule == "cosine":
            raise ValueError(
                "learning_rate_schedule='cosine' plans its decay over one fit, "
                f"which {'partial_fit' if partial else 'warm_start=True'} would go "
                "on past its end (at a learning rate of 0); use "
                "learning_rate_schedule='constant' to train further"
            )
        if not further:
            self._fit_new(X, y, sample_weight, partial=partial)
            self._architecture = self._architecture_parameters()
            return self
        self._check_architecture_unchanged(partial)
        inputs = self._network_input(X)  # checks X as predict does
        y = self._checked_target(y)
        check_consistent_length(inputs, y)
        sample_weight = self._checked_sample_weight(sample_weight, len(y))
        self._fit_network(
            inputs, y, None, self._seed(), sample_weight=sample_weight, partial=partial
        )
        return self

    def _architecture_parameters(self):
        """The parameters that make the network what it is, as they are now."""
        return {
            name: repr(value)
            for name, value in self.get_params(deep=True).items()
            if name not in TRAINING_ONLY_PARAMETERS
        }

    def _check_architecture_unchanged(self, partial):
        built = getattr(self, "_architecture", {})
        changed = [
            f"{name}={now} (was {built[name]})"
            for name, now in self._architecture_parameters().items()
            if name in built and built[name] != now
        ]
        if changed:
            method = "partial_fit" if partial else "warm_start=True"
            raise ValueError(
                f"{method} goes on training the fitted network, but these "
                f"parameters changed since: {', '.join(changed)}; set them back, "
                "or fit with warm_start=False to build a new network"
            )

    def _checked_sample_weight(self, sample_weight, n_samples):
        """``sample_weight`` as float32 weights, None for none; scikit-learn's
        checks: one finite, non-negative weight per sample, not all zero."""
        if sample_weight is None:
            return None
        return _check_sample_weight(
            sample_weight,
            np.empty((n_samples, 0)),
            dtype=np.float32,
            ensure_non_negative=True,
        )

    def _train_network(
        self,
        inputs,
        y,
        build,
        seed,
        *,
        output_activation,
        regression_loss=None,
        sample_weight=None,
        n_classes=None,
        multilabel=False,
        partial=False,
    ):
        """Train ``build(n_outputs, output_activation=...)`` on (inputs, y)
        through :func:`skfeat._keras.train`, or with ``build`` None the fitted
        network further; one epoch when ``partial``. Returns SciKeras' fitted
        wrapper."""
        from skfeat import _keras

        further = build is None
        trained = _keras.train(
            inputs,
            y,
            build=(
                None
                if further
                else functools.partial(build, output_activation=output_activation)
            ),
            model=self.model_ if further else None,
            initial_epoch=len(self.history_["loss"]) if further else 0,
            sample_weight=sample_weight,
            n_classes=n_classes,
            multilabel=multilabel,
            regression_loss=regression_loss,
            optimizer=self.optimizer,
            optimizer_params=(
                {"momentum": self.momentum, "nesterov": self.nesterovs_momentum}
                if self.optimizer == "sgd"
                else {}
            ),
            learning_rate=self.learning_rate,
            learning_rate_schedule=self.learning_rate_schedule,
            # partial_fit: one pass over the chunk, all of it
            epochs=1 if partial else self.epochs,
            batch_size=self.batch_size,
            validation_split=0.0 if partial else self.validation_split,
            patience=self.patience,
            callbacks=self.callbacks,
            verbose=self.verbose,
            seed=seed,
        )
        losses = trained.history_["loss"]
        if not np.isfinite(losses).all():
            raise ValueError(
                "training diverged: the loss became NaN or infinite; "
                f"{self._scaling_advice}"
            )
        if len(losses) > 1 and np.ptp(losses) == 0:
            # a warning, not an error: the fitted network still predicts
            warnings.warn(
                f"the training loss did not change in {len(losses)} epochs (it "
                f"stayed at {losses[0]:.6g}): the network learned nothing and "
                "predicts the same for every input; check learning_rate and the "
                "scale of the input",
                UserWarning,
                stacklevel=_outside_stacklevel(),
            )
        if further:
            for key, values in trained.history_.items():
                self.history_.setdefault(key, []).extend(values)
            return trained
        self.model_ = trained.model_
        self.history_ = dict(trained.history_)
        self._forward = _keras.Forward(self.model_)
        self._n_features_out = self._forward.n_features()
        return trained

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags

    def _seed(self):
        """An int seed for every random draw of one fit; None draws a new one."""
        return fit_seed(self.random_state)

    def _missing_target(self, y):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None"
            )

    def transform(self, X):
        """Learned features: the activations feeding the output layer.

        Parameters
        ----------
        X : array-like
            Samples of the kind :meth:`fit` took.

        Returns
        -------
        features : ndarray of shape (n_samples, n_features_out), float32
            One row of learned features per sample.
        """
        return self._forward_pass(X, "features")

    def _forward_pass(self, X, output):
        """The network's ``output`` ("outputs" or "features") for X."""
        inputs = self._network_input(X)
        out = getattr(self._forward, output)(inputs, self.batch_size)
        not_finite = ~np.isfinite(out).all(axis=1)
        if not_finite.any():
            raise ValueError(
                f"the network's output is not finite for {not_finite.sum()} sample(s) "
                f"(first: {np.flatnonzero(not_finite)[:5].tolist()}): their values "
                f"are too large for it; {self._scaling_advice}"
            )
        return out

    def __getstate__(self):
        # a copy: object.__getstate__ can hand back the instance's own __dict__
        state = dict(super().__getstate__())
        state.pop("_forward", None)  # traced TensorFlow functions don't pickle
        if "model_" not in state:
            return state
        # first in the state, so unpickled before the network, which Keras can
        # load only once skfeat's own layers are registered with it
        return {_KERAS_LAYERS_KEY: _KerasLayersRegistration(), **state}

    def __setstate__(self, state):
        state.pop(_KERAS_LAYERS_KEY, None)
        super().__setstate__(state)
        if hasattr(self, "model_"):
            from skfeat import _keras

            self._forward = _keras.Forward(self.model_)


class NetworkClassifierMixin(ClassifierMixin, _NetworkMixin):
    """The classifier half: a softmax output trained with cross-entropy, or
    for a 0/1 indicator y (several labels per sample) one sigmoid output per
    label trained with binary cross-entropy; ``predict``, ``predict_proba``
    and ``partial_fit``; the subclass has ``class_weight``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # a few epochs of a small network on the checks' toy data are not accurate
        tags.classifier_tags.poor_score = True
        tags.classifier_tags.multi_label = True
        return tags

    def _checked_target(self, y):
        """Class labels y as a 1-D array, or a 0/1 indicator matrix of shape
        (n_samples, n_labels)."""
        self._missing_target(y)
        shape = np.asarray(y).shape
        if len(shape) == 2 and shape[1] > 1:
            y = check_array(y, dtype=None, input_name="y")
            if type_of_target(y) != "multilabel-indicator":
                raise ValueError(
                    f"y of shape {y.shape} is read as several labels per sample, "
                    "which must be a 0/1 indicator matrix, but it holds other "
                    f"values ({np.unique(y)[:5].tolist()}...); pass one label per "
                    "sample as y of shape (n_samples,), or 0s and 1s (e.g. from "
                    "MultiLabelBinarizer)"
                )
            return y
        if len(shape) > 2:
            raise ValueError(
                f"y has shape {shape}; a classifier takes labels of shape "
                "(n_samples,), or a 0/1 indicator matrix of shape (n_samples, "
                "n_labels) for several labels per sample"
            )
        y = column_or_1d(y, warn=True)
        try:
            check_classification_targets(y)
        except ValueError as error:
            if type_of_target(y, input_name="y") != "continuous":
                raise
            regressor = type(self).__name__.replace("Classifier", "Regressor")
            raise ValueError(
                f"{error} {type(self).__name__} predicts classes, but y holds "
                f"continuous values such as {y[0]!r}: for a numeric target use "
                f"{regressor}"
            ) from None
        return y

    @_fit_context(prefer_skip_nested_validation=False)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train one pass over X and y: the network goes on from where it was.

        The first call builds the network and fixes what :meth:`fit` would
        learn from all the data (the classes, the input's shape and scaling,
        a vocabulary); later calls train it further, one pass over their chunk
        each, as :class:`~sklearn.linear_model.SGDClassifier` does. ``epochs``,
        ``validation_split`` and ``patience`` do not apply.

        Parameters
        ----------
        X : array-like
            A chunk of samples of the kind :meth:`fit` takes.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Their labels, among ``classes``.
        classes : array-like of shape (n_classes,), default=None
            Every class of the whole data (for a 0/1 indicator y, the label
            positions ``0 … n_labels - 1``). Required on the first call, which
            fixes them; later calls may leave it out.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss; see :meth:`fit`.

        Returns
        -------
        self : object
            The estimator, trained one more pass.

        Examples
        --------
        >>> import numpy as np
        >>> from skfeat.image import CNNClassifier
        >>> X, y = np.random.RandomState(0).rand(40, 6, 6), [0, 1] * 20
        >>> clf = CNNClassifier(filters=(4,), random_state=0)
        >>> for start in (0, 20):  # chunks of 20 images
        ...     clf = clf.partial_fit(X[start:start + 20], y[start:start + 20],
        ...                           classes=[0, 1])
        >>> len(clf.history_["loss"])  # one pass per call
        2
        """
        _check_partial_fit_first_call(self, classes)
        if self.class_weight == "balanced":
            raise ValueError(
                "class_weight='balanced' does not apply to partial_fit, whose "
                "chunks do not show the classes' frequencies; compute the weights "
                "from all the labels (sklearn.utils.class_weight."
                "compute_class_weight) and pass them as a dict"
            )
        return self._fit(X, y, sample_weight, partial=True)

    def _fit_network(
        self, inputs, y, build, seed, *, sample_weight=None, partial=False
    ):
        """Train on labels y, with ``build`` None the fitted network further;
        the classes are those of y unless already fixed (``partial_fit``, or a
        network trained further)."""
        multilabel = y.ndim == 2
        kept = slice(None) if sample_weight is None else sample_weight != 0
        if build is None or partial:
            classes = np.asarray(self.classes_)
        elif multilabel:
            classes = np.arange(y.shape[1])
        else:
            classes = np.unique(y[kept])
            if classes.size < 2:
                raise ValueError(
                    "Classifier can't train when only one class is present"
                    + (
                        ""
                        if sample_weight is None
                        else " (only one class has non-zero weight)"
                    )
                    + "."
                )
        if build is None and multilabel != (
            getattr(self, "_indicator_dtype", None) is not None
        ):
            raise ValueError(
                "y holds "
                + ("several labels" if multilabel else "one label")
                + " per sample, but the network was built for "
                + ("one" if multilabel else "several")
                + "; fit with warm_start=False to build a new network"
            )
        if multilabel:
            if self.class_weight is not None:
                raise ValueError(
                    "class_weight does not apply to multilabel y; pass "
                    "sample_weight (one weight per sample) instead"
                )
            if len(classes) != y.shape[1]:
                raise ValueError(
                    f"y has {y.shape[1]} labels per sample, but the network has "
                    f"{len(classes)} outputs (classes={classes.tolist()})"
                )
            targets = y.astype(np.float32)
        else:
            targets = self._class_codes(y, classes, sample_weight)
        weights = sample_weight
        if self.class_weight is not None and not multilabel:
            per_class = compute_class_weight(
                self.class_weight,
                classes=classes,
                y=y[kept],
                sample_weight=None if sample_weight is None else sample_weight[kept],
            )
            weights = per_class[targets].astype(np.float32)
            if sample_weight is not None:
                weights *= sample_weight  # a new array: the caller's stays
        self._train_network(
            inputs,
            targets,
            build,
            seed,
            output_activation="sigmoid" if multilabel else "softmax",
            sample_weight=weights,
            n_classes=len(classes),
            multilabel=multilabel,
            partial=partial,
        )
        self.classes_ = classes
        self._indicator_dtype = y.dtype if multilabel else None

    @staticmethod
    def _class_codes(y, classes, sample_weight):
        """Position of each label of y in ``classes``, as int32; a label not
        among them is an error, but in a row of weight zero, never trained."""
        known = np.isin(y, classes)
        if sample_weight is not None:
            known |= sample_weight == 0
        if not known.all():
            unknown = np.unique(y[~known])
            raise ValueError(
                f"y holds the label(s) {unknown[:10].tolist()}, not among the "
                f"classes {classes.tolist()} that the network has outputs for; "
                "pass every class in classes= on the first call to partial_fit, "
                "or fit with warm_start=False to build a new network"
            )
        codes = np.searchsorted(classes, y)
        return np.minimum(codes, len(classes) - 1).astype(np.int32)

    def predict_proba(self, X):
        """Class probabilities, columns in the order of ``classes_``.

        Parameters
        ----------
        X : array-like
            Samples of the kind :meth:`fit` took.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class; rows sum to 1. For a 0/1 indicator y,
            the probability of each label, independently.
        """
        proba = self._forward_pass(X, "outputs").astype(np.float64)
        if self._multilabel:
            return proba
        return proba / proba.sum(axis=1, keepdims=True)

    def predict(self, X):
        """Most probable class of each sample.

        Parameters
        ----------
        X : array-like
            Samples of the kind :meth:`fit` took.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_labels)
            Predicted labels, taken from ``classes_``. For a 0/1 indicator y,
            the indicator matrix of the labels whose probability is above 0.5.
        """
        proba = self._forward_pass(X, "outputs")  # checks it is fitted first
        if self._multilabel:
            return (proba > 0.5).astype(self._indicator_dtype)
        return self.classes_[proba.argmax(axis=1)]

    @property
    def _multilabel(self):
        return getattr(self, "_indicator_dtype", None) is not None


class NetworkRegressorMixin(RegressorMixin, _NetworkMixin):
    """The regressor half: a linear output trained with ``loss`` on the
    targets standardized (each to mean 0 and standard deviation 1, as
    :class:`~sklearn.compose.TransformedTargetRegressor` with a
    :class:`~sklearn.preprocessing.StandardScaler` would), which ``predict``
    restores; y of shape (n_samples,) or (n_samples, n_targets)."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        # a few epochs of a small network on the checks' toy data are not accurate
        tags.regressor_tags.poor_score = True
        return tags

    def _checked_target(self, y):
        """Targets y as a float64 array of one or two dimensions, all finite."""
        self._missing_target(y)
        name = type(self).__name__
        try:
            y = check_array(
                y,
                ensure_2d=False,
                allow_nd=True,
                dtype=np.float64,
                ensure_all_finite=False,
                ensure_min_samples=0,
                input_name="y",
            )
        except ValueError as error:
            raise ValueError(
                f"{name} needs numeric targets, but y holds values that are not "
                f"numbers ({error}); to predict class labels, use a classifier"
            ) from error
        if y.ndim not in (1, 2):
            raise ValueError(
                f"y has shape {y.shape}; {name} takes one target per sample, y of "
                "shape (n_samples,), or several, y of shape (n_samples, n_targets)"
            )
        not_finite = ~np.isfinite(y.reshape(len(y), -1)).all(axis=1)
        if not_finite.any():
            raise ValueError(
                f"y holds NaN or infinite targets for {not_finite.sum()} sample(s) "
                f"(first: {np.flatnonzero(not_finite)[:5].tolist()}); drop those "
                "samples or fill in their targets"
            )
        return y

    @_fit_context(prefer_skip_nested_validation=False)
    def partial_fit(self, X, y, sample_weight=None):
        """Train one pass over X and y: the network goes on from where it was.

        The first call builds the network and fixes what :meth:`fit` would
        learn from all the data (the number of targets and their scaling, the
        input's shape and scaling, a vocabulary); later calls train it
        further, one pass over their chunk each, as
        :class:`~sklearn.linear_model.SGDRegressor` does. ``epochs``,
        ``validation_split`` and ``patience`` do not apply.

        Parameters
        ----------
        X : array-like
            A chunk of samples of the kind :meth:`fit` takes.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Their targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss; see :meth:`fit`.

        Returns
        -------
        self : object
            The estimator, trained one more pass.
        """
        return self._fit(X, y, sample_weight, partial=True)

    def _fit_network(
        self, inputs, y, build, seed, *, sample_weight=None, partial=False
    ):
        """Train on targets y, standardized as the first fit of the network
        (or first ``partial_fit`` call) standardized its targets."""
        targets = y.reshape(len(y), -1)
        if build is not None:
            mean = np.average(targets, axis=0, weights=sample_weight)
            variance = np.average((targets - mean) ** 2, axis=0, weights=sample_weight)
            std = np.sqrt(variance)
            # a constant target stays constant
            self.target_mean_, self.target_scale_ = mean, np.where(std > 0, std, 1.0)
            self.n_outputs_ = targets.shape[1]
            self._one_target = y.ndim == 1
        elif targets.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {targets.shape[1]} target(s) per sample, but the network "
                f"was built for {self.n_outputs_}; fit with warm_start=False to "
                "build a new network"
            )
        self._train_network(
            inputs,
            ((targets - self.target_mean_) / self.target_scale_).astype(np.float32),
            build,
            seed,
            output_activation="linear",
            regression_loss=self.loss,
            sample_weight=sample_weight,
            partial=partial,
        )

    def predict(self, X):
        """Predicted targets, in the units of the :meth:`fit` targets.

        Parameters
        ----------
        X : array-like
            Samples of the kind :meth:`fit` took.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Predictions; 1-D when :meth:`fit` got a 1-D y.
        """
        standardized = self._forward_pass(X, "outputs").astype(np.float64)
        predictions = standardized * self.target_scale_ + self.target_mean_
        return predictions.ravel() if self._one_target else predictions
