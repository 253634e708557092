"""What skfeat's Keras estimators share: training through SciKeras, the fast
batched forward pass, transform and pickling, with a classifier half and a
regressor half on top. No TensorFlow import at module level."""

import functools
from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    ClassifierMixin,
    ClassNamePrefixFeaturesOutMixin,
    RegressorMixin,
    TransformerMixin,
)
from sklearn.utils import check_array, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

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
}

# The parameters a classifier has beside the training ones.
CLASSIFIER_PARAMETER_CONSTRAINTS = {
    "class_weight": [dict, StrOptions({"balanced"}), None],
}

# The parameters a regressor has beside the training ones.
REGRESSOR_PARAMETER_CONSTRAINTS = {
    "loss": [StrOptions({"squared_error", "huber"})],
}


class _NetworkMixin(ClassNamePrefixFeaturesOutMixin, TransformerMixin):
    """Train, run, transform and pickle a network that ``_keras`` trains.

    ``transform`` gives the learned features (with ``get_feature_names_out``
    and ``set_output``). A subclass validates its input and builds the
    network in ``fit``, checks y with :meth:`_checked_target`, then calls
    :meth:`_fit_network`; :meth:`_network_input` turns the X given to
    ``predict`` and ``transform`` into the network's input. The subclass has
    the training parameters (``optimizer``, ``learning_rate``, ``epochs``,
    ``batch_size`` and the rest) that :func:`skfeat._keras.train` takes.
    :class:`NetworkClassifierMixin` and :class:`NetworkRegressorMixin` are the
    two halves that say what the network predicts.
    """

    # what the diverged-training and non-finite-output errors advise
    _scaling_advice = "lower learning_rate"

    def _train_network(
        self,
        inputs,
        y,
        build,
        seed,
        *,
        output_activation,
        regression_loss=None,
        class_weight=None,
    ):
        """Train ``build(n_outputs, output_activation=...)`` on (inputs, y)
        through :func:`skfeat._keras.train`; returns SciKeras' fitted wrapper."""
        from skfeat import _keras

        trained = _keras.train(
            inputs,
            y,
            build=functools.partial(build, output_activation=output_activation),
            regression_loss=regression_loss,
            optimizer=self.optimizer,
            optimizer_params=(
                {"momentum": self.momentum, "nesterov": self.nesterovs_momentum}
                if self.optimizer == "sgd"
                else {}
            ),
            learning_rate=self.learning_rate,
            learning_rate_schedule=self.learning_rate_schedule,
            epochs=self.epochs,
            batch_size=self.batch_size,
            validation_split=self.validation_split,
            patience=self.patience,
            class_weight=class_weight,
            callbacks=self.callbacks,
            verbose=self.verbose,
            seed=seed,
        )
        if not np.isfinite(trained.history_["loss"]).all():
            raise ValueError(
                "training diverged: the loss became NaN or infinite; "
                f"{self._scaling_advice}"
            )
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
        if isinstance(self.random_state, Integral):
            return int(self.random_state)
        return int(check_random_state(self.random_state).randint(2**31 - 1))

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
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if hasattr(self, "model_"):
            from skfeat import _keras

            self._forward = _keras.Forward(self.model_)


class NetworkClassifierMixin(ClassifierMixin, _NetworkMixin):
    """The classifier half: a softmax output trained with cross-entropy,
    ``predict`` and ``predict_proba``; the subclass has ``class_weight``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # a few epochs of a small network on the checks' toy data are not accurate
        tags.classifier_tags.poor_score = True
        return tags

    def _checked_target(self, y):
        """Class labels y as a 1-D array, with at least two classes."""
        self._missing_target(y)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if np.unique(y).size < 2:
            raise ValueError("Classifier can't train when only one class is present.")
        return y

    def _fit_network(self, inputs, y, build, seed):
        trained = self._train_network(
            inputs,
            y,
            build,
            seed,
            output_activation="softmax",
            class_weight=self.class_weight,
        )
        self.classes_ = trained.classes_

    def predict_proba(self, X):
        """Class probabilities, columns in the order of ``classes_``.

        Parameters
        ----------
        X : array-like
            Samples of the kind :meth:`fit` took.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class; rows sum to 1.
        """
        proba = self._forward_pass(X, "outputs").astype(np.float64)
        return proba / proba.sum(axis=1, keepdims=True)

    def predict(self, X):
        """Most probable class of each sample.

        Parameters
        ----------
        X : array-like
            Samples of the kind :meth:`fit` took.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted labels, taken from ``classes_``.
        """
        proba = self._forward_pass(X, "outputs")  # checks it is fitted first
        return self.classes_[proba.argmax(axis=1)]


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

    def _fit_network(self, inputs, y, build, seed):
        targets = y.reshape(len(y), -1)
        mean, std = targets.mean(axis=0), targets.std(axis=0)
        scale = np.where(std > 0, std, 1.0)  # a constant target stays constant
        self._train_network(
            inputs,
            ((targets - mean) / scale).astype(np.float32),
            build,
            seed,
            output_activation="linear",
            regression_loss=self.loss,
        )
        self.target_mean_, self.target_scale_ = mean, scale
        self.n_outputs_ = targets.shape[1]
        self._one_target = y.ndim == 1

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
