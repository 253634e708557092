"""What skfeat's Keras classifiers share: training through SciKeras, the fast
batched forward pass, and pickling. No TensorFlow import at module level."""

import importlib
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    ClassifierMixin,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

OPTIMIZERS = {"adam", "adamw", "nadam", "adamax", "rmsprop", "sgd", "adagrad"}

# The training parameters that every NetworkClassifierMixin estimator has.
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
    "class_weight": [dict, StrOptions({"balanced"}), None],
    "callbacks": [list, None],
    "verbose": ["verbose"],
    "random_state": ["random_state"],
}


_KERAS_LAYERS_KEY = "_skfeat_keras_layers"


class _KerasLayersRegistration:
    """Unpickles as the module that registers skfeat's own Keras layers
    (spectrogram masks) with Keras, importing it."""

    def __reduce__(self):
        return importlib.import_module, ("skfeat.audio._networks",)


class NetworkClassifierMixin(
    ClassifierMixin, ClassNamePrefixFeaturesOutMixin, TransformerMixin
):
    """Fit, predict, transform and pickle a network that ``_keras`` trains.

    A classifier whose ``transform`` gives the learned features (with
    ``get_feature_names_out`` and ``set_output``).

    A subclass validates its input and builds the network in ``fit``, then
    calls :meth:`_fit_network`; :meth:`_network_input` turns the X given to
    ``predict``, ``predict_proba`` and ``transform`` into the network's input.
    The subclass has the training parameters (``optimizer``, ``learning_rate``,
    ``epochs``, ``batch_size`` and the rest) that :func:`skfeat._keras.train`
    takes.
    """

    # what the diverged-training and non-finite-output errors advise
    _scaling_advice = "lower learning_rate"

    def _fit_network(self, inputs, y, build, seed):
        from skfeat import _keras

        trained = _keras.train(
            inputs,
            y,
            build=build,
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
            class_weight=self.class_weight,
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
                stacklevel=4,  # fit's caller, through scikit-learn's wrapper
            )
        self.classes_ = trained.classes_
        self.model_ = trained.model_
        self.history_ = dict(trained.history_)
        self._forward = _keras.Forward(self.model_)
        self._n_features_out = self._forward.n_features()

    def _seed(self):
        """An int seed for every random draw of one fit; None draws a new one."""
        if isinstance(self.random_state, Integral):
            return int(self.random_state)
        return int(check_random_state(self.random_state).randint(2**31 - 1))

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
        proba = self._forward_pass(X, "probabilities").astype(np.float64)
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
        proba = self._forward_pass(X, "probabilities")  # checks it is fitted first
        return self.classes_[proba.argmax(axis=1)]

    def transform(self, X):
        """Learned features: the activations feeding the softmax layer.

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
        """The network's ``output`` ("probabilities" or "features") for X."""
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
