"""What every network shares: seeds, training through SciKeras, the forward pass.

Each domain builds its own layers next to its estimators
(:mod:`skfeat.image._networks`, :mod:`skfeat.text._networks`); this module
trains and runs them all, with one training loop and one batched forward pass.
These modules are the only ones that import TensorFlow, Keras or SciKeras, and
the estimators import them inside `fit`/`predict` only, so that
``import skfeat`` never pays TensorFlow's import time.

Seeding touches no process-wide state. A fit draws every random number from
its own seed: each random layer (initialisers, dropout, augmentation) gets a
seed of its own from a private generator, and the order of the training rows
in each epoch is a stateless shuffle of (seed, epoch). TensorFlow's, Keras',
NumPy's and Python's global seeds and TensorFlow's op-determinism switch are
never set, so fits running side by side in one process, in threads, cannot
change each other's networks. TensorFlow's CPU kernels for the ops these
networks use are deterministic without that switch
(``tests/test_threads.py``).
"""

import copy
import functools
import multiprocessing
import os
import random

import keras
import numpy as np
import tensorflow as tf
from keras.src.trainers.data_adapters.array_slicing import train_validation_split
from scikeras.wrappers import KerasClassifier, KerasRegressor
from sklearn.base import BaseEstimator, TransformerMixin

# Rows per forward call are capped so that one batch of inputs stays near 4 MiB
# of float32: small images go through in one call, large ones in `batch_size`.
_FORWARD_FLOATS = 2**20


def _limit_threads_in_joblib_worker():
    """Give TensorFlow the thread budget joblib gave this worker process.

    joblib's loky workers get ``OMP_NUM_THREADS = cpu_count // n_jobs`` so that
    parallel workers do not oversubscribe the cores, but TensorFlow's thread
    pools ignore that variable. Only loky worker processes are touched: the
    user's own process keeps TensorFlow's defaults.
    """
    worker = type(multiprocessing.current_process()).__module__
    n_threads = os.environ.get("OMP_NUM_THREADS", "")
    if not worker.startswith("joblib.externals.loky") or not n_threads.isdigit():
        return
    try:
        tf.config.threading.set_intra_op_parallelism_threads(int(n_threads))
        tf.config.threading.set_inter_op_parallelism_threads(int(n_threads))
    except RuntimeError:  # TensorFlow already ran an op in this worker
        pass


_limit_threads_in_joblib_worker()


class LayerSeeds:
    """Seeds for a network's random layers, drawn in order from ``seed``.

    Keras would draw them from Python's process-wide ``random`` module, which
    any other thread can advance between the seeding and the draw (a Dask
    worker's event loop does, and so does a second fit).
    """

    def __init__(self, seed):
        self._draws = random.Random(seed)

    def __call__(self):
        return self._draws.randint(1, int(1e9))

    def initializer(self):
        return keras.initializers.GlorotUniform(seed=self())


def dense_head(inputs, x, n_outputs, dense_units, dropout, seeds, output_activation):
    """Optional Dense (ReLU) layers, each after dropout, then dropout and the
    output layer: ``n_outputs`` units with ``output_activation`` ("softmax" for
    a classifier, "linear" for a regressor)."""
    for units in dense_units:
        if dropout:
            x = keras.layers.Dropout(dropout, seed=seeds())(x)
        x = keras.layers.Dense(
            units, activation="relu", kernel_initializer=seeds.initializer()
        )(x)
    if dropout:
        x = keras.layers.Dropout(dropout, seed=seeds())(x)
    outputs = keras.layers.Dense(
        n_outputs, activation=output_activation, kernel_initializer=seeds.initializer()
    )(x)
    return keras.Model(inputs, outputs)


def _build_compiled(meta, compile_kwargs, *, build, n_outputs, steps_per_execution):
    """SciKeras' model-building callback: SciKeras supplies what it learned
    from y (``meta[n_outputs]``: the class count of a classifier, the target
    count of a regressor) and the optimizer/loss it compiled from our
    parameters; ``build(meta[n_outputs])`` makes the network."""
    model = build(meta[n_outputs])
    model.compile(**compile_kwargs, steps_per_execution=steps_per_execution)
    # Left to itself, Keras creates the optimizer's variables inside the first
    # call of the compiled train step, and TensorFlow then traces that step a
    # second time (about 0.6 s per fit); created here, it is traced once.
    model.optimizer.build(model.trainable_variables)
    model.make_train_function()
    model.make_test_function()
    _without_retracing_warnings(model.train_function)
    _without_retracing_warnings(model.test_function)
    return model


def _continued(meta, compile_kwargs, *, model, learning_rate):
    """SciKeras' model-building callback when a fitted network trains further:
    the network as it is, its optimizer's state (moments, step count) kept, at
    the ``learning_rate`` asked for now."""
    model.optimizer.learning_rate = learning_rate
    return model


def _without_retracing_warnings(keras_function):
    """Keep TensorFlow from warning that ``keras_function`` "retraced".

    TensorFlow counts the traces of every Keras train (or test) step in the
    process as one function's, since they share Keras' code, and warns when 5
    of their last 10 calls traced. Each fit builds its own network and traces
    its step once, so a search of small fits, or scikit-learn's estimator
    checks, would draw warnings a user can do nothing about. The warning stays
    on for every other function, the user's own Keras models included.
    """
    for cell in keras_function.__closure__ or ():
        traced = cell.cell_contents
        if hasattr(traced, "_omit_frequent_tracing_warning"):
            traced._omit_frequent_tracing_warning = True


_BATCH_HOOKS = tuple(
    f"on_{stage}batch_{moment}"
    for stage in ("", "train_", "test_")
    for moment in ("begin", "end")
)


# Compiled Keras calls per epoch when nothing watches single batches.
_CALLS_PER_EPOCH = 8


def _steps_per_execution(n_rows, batch_size, verbose, callbacks):
    """Batches that Keras runs per call of its compiled train step.

    Keras pays about 2 ms of Python per call; on small images that is more than
    the step itself. Running an eighth of an epoch per call trains the same
    network (the same batches in the same order) about 30% faster on the
    digits, and a whole epoch per call would gain only a few percent more.
    Eight calls per epoch also keep TensorFlow from warning about "retracing"
    in a grid search: it warns when 5 of a function's last 10 calls traced it,
    counting every network's train step as one function.

    Per-batch hooks then see only every few batches, so a progress bar
    (``verbose=1``) or a callback with a batch hook of its own keeps one batch
    per call.
    """
    if verbose == 1 or any(
        _has_own_hook(callback, hook) for callback in callbacks for hook in _BATCH_HOOKS
    ):
        return 1
    n_batches = -(-n_rows // batch_size)
    return max(1, n_batches // _CALLS_PER_EPOCH)


def _has_own_hook(callback, hook):
    """Whether ``callback.hook`` is more than the empty one of keras' Callback,
    as a method of a subclass or a function given to LambdaCallback."""
    method = getattr(callback, hook, None)
    return getattr(method, "__func__", method) is not getattr(
        keras.callbacks.Callback, hook
    )


class _PlainPipeline:
    """Feeds SciKeras' ``Model.fit`` a plain tf.data pipeline; the first base of
    :class:`_Classifier` and :class:`_Regressor`.

    For NumPy input Keras builds a pipeline with a parallel map and tf.data's
    autotuning, whose background threads hand work back and forth with the
    training thread. Two such fits side by side on two cores (GridSearchCV with
    ``n_jobs=2``) then wait on each other for about 15% of their time. This
    pipeline runs on the training thread alone and does what Keras' does (a
    new shuffle of the rows each epoch, ``validation_split`` rows held out,
    sample weights, the held-out rows keeping theirs for the validation loss)
    with four differences: X stays in the dtype it came in (uint8 images stay
    uint8) and is cast one batch at a time; the held-out rows are drawn at
    random, not the last ones; every order comes from ``shuffle_seed`` and the
    epoch's number alone, never from a global seed; and rows of weight zero are
    left out of the batches (as scikit-learn's estimators ignore them) without
    copying X.

    X may also be read a batch at a time (``lazy_X``, image files); SciKeras,
    which checks X as an array of numbers, then gets only its row numbers.
    """

    shuffle_seed = 0
    lazy_X = None

    @staticmethod
    def _validate_sample_weight(X, y, sample_weight):
        # checked by the estimator already; SciKeras would drop the rows of
        # weight zero by copying X, which _fit_keras_model leaves out instead
        return X, y, sample_weight

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs
    ):
        if self.lazy_X is not None:
            X = self.lazy_X
        # TensorFlow keeps a traced pipeline's numpy_function after the fit, so
        # the pipeline reaches the data through this list, emptied afterwards:
        # else X (and the threads of image files) would outlive the fit.
        arrays = [X, y] if sample_weight is None else [X, y, sample_weight]
        input_dtype = self.model_.inputs[0].dtype
        rows = (
            np.arange(len(X))
            if sample_weight is None
            else np.flatnonzero(sample_weight)
        )
        validation, failures = None, []
        if self.validation_split:
            # row numbers, not rows, are split: X is never copied
            order = rows[
                np.random.default_rng(self.shuffle_seed).permutation(len(rows))
            ]
            (rows,), (held_out,) = train_validation_split(
                (order,), self.validation_split
            )
            validation = _batches(
                arrays, held_out, self.batch_size, input_dtype, failures=failures
            )
        train = _batches(
            arrays,
            rows,
            self.batch_size,
            input_dtype,
            shuffle_seed=self.shuffle_seed,
            first_pass=initial_epoch,
            failures=failures,
        )
        try:
            super()._fit_keras_model(
                train,
                None,
                None,
                warm_start,
                epochs,
                initial_epoch,
                **kwargs,
                batch_size=None,
                validation_split=0.0,
                validation_data=validation,
                shuffle=False,
            )
        except tf.errors.OpError:
            if failures:  # TensorFlow's error only quotes it: raise it as it was
                raise failures[0] from None
            raise
        finally:
            arrays.clear()


class _Classifier(_PlainPipeline, KerasClassifier):
    """SciKeras' KerasClassifier, trained on :class:`_PlainPipeline`'s batches.

    The estimator encodes the labels itself, with the classes it fixed (by a
    first ``partial_fit`` call, say, whose chunk may lack some): y holds class
    codes 0 … ``n_classes`` - 1, or a 0/1 indicator matrix of ``n_classes``
    labels, which SciKeras passes on as they are.
    """

    n_classes = None

    @property
    def target_encoder(self):
        return _ClassCodes(self.n_classes)


class _ClassCodes(TransformerMixin, BaseEstimator):
    """SciKeras' target encoder for labels encoded already: y as it is, and the
    number of outputs the network needs."""

    def __init__(self, n_classes=None):
        self.n_classes = n_classes

    def fit(self, y):
        return self

    def transform(self, y):
        return y

    def get_metadata(self):
        return {"n_classes_": self.n_classes, "n_outputs_expected_": 1}


class _Regressor(_PlainPipeline, KerasRegressor):
    """SciKeras' KerasRegressor, trained on :class:`_PlainPipeline`'s batches;
    y holds float targets of shape (n_samples, n_targets)."""


def _batches(
    arrays,
    rows,
    batch_size,
    input_dtype,
    *,
    shuffle_seed=None,
    first_pass=0,
    failures=None,
):
    """A tf.data pipeline of batches of ``rows`` of ``arrays`` (X, y[, weight]),
    X cast to ``input_dtype`` one batch at a time; without prefetching or
    autotuning. X is indexed with an array of row numbers per batch: an array,
    taken without parallel maps, or files (``skfeat._files.LoadedFiles``),
    which decode the batch then, two batches at a time.

    Exceptions raised while taking rows (a file that cannot be read) are
    appended to ``failures``, a list, if given.

    With a ``shuffle_seed``, each pass over the pipeline (Keras makes one per
    epoch) takes the rows in a new order: a stateless shuffle by
    (shuffle_seed, pass number), which no global seed or other thread affects.
    Passes are numbered from ``first_pass`` + 1, the epochs a network trained
    before (so training further goes on with new orders).
    """
    rows = tf.constant(rows, dtype=tf.int64)
    if shuffle_seed is None:
        batches_of_rows = tf.data.Dataset.from_tensor_slices(rows).batch(batch_size)
    else:
        passes = tf.Variable(first_pass, dtype=tf.int64, trainable=False)

        def shuffled(_):
            seed = tf.stack([tf.constant(shuffle_seed, tf.int64), passes.assign_add(1)])
            order = tf.random.experimental.stateless_shuffle(rows, seed=seed)
            return tf.data.Dataset.from_tensor_slices(order).batch(batch_size)

        # Keras reads the epoch's length from the cardinality, which flat_map hides
        n_batches = -(-len(rows) // batch_size)
        batches_of_rows = (
            tf.data.Dataset.range(1)
            .flat_map(shuffled)
            .apply(tf.data.experimental.assert_cardinality(n_batches))
        )

    # Rows are taken from the NumPy arrays themselves, a batch at a time: a
    # TensorFlow constant of X would be a full copy of the data (146 MiB more
    # for 50,000 images of 32×32×3 uint8).
    dtypes = [tf.as_dtype(array.dtype) for array in arrays]

    def take(index):
        try:
            return tuple(array[index] for array in arrays)
        except Exception as error:
            if failures is not None:
                failures.append(error)
            raise

    def gather(index):
        X, *rest = tf.numpy_function(take, [index], dtypes, stateful=False)
        X.set_shape((None, *arrays[0].shape[1:]))
        for part, array in zip(rest, arrays[1:], strict=True):
            part.set_shape((None, *array.shape[1:]))
        return (tf.cast(X, input_dtype), *rest)

    if isinstance(arrays[0], np.ndarray):
        batches = batches_of_rows.map(gather)
    else:
        # Files take longer to decode than a small network takes to train on
        # them: the next two batches decode while it trains, kept in order.
        batches = batches_of_rows.map(gather, num_parallel_calls=2, deterministic=True)
    options = tf.data.Options()
    options.autotune.enabled = False
    options.experimental_optimization.apply_default_optimizations = False
    return batches.with_options(options)


# what each training loss of a regressor is in Keras
_REGRESSION_LOSSES = {"squared_error": "mean_squared_error", "huber": "huber"}


def train(
    X,
    y,
    *,
    build,
    regression_loss,
    optimizer,
    optimizer_params,
    learning_rate,
    learning_rate_schedule,
    epochs,
    batch_size,
    validation_split,
    patience,
    callbacks,
    verbose,
    seed,
    sample_weight=None,
    n_classes=None,
    multilabel=False,
    model=None,
    initial_epoch=0,
):
    """Train the network ``build(n_outputs)`` through SciKeras.

    With ``regression_loss`` None, a classifier: y holds class codes 0 …
    ``n_classes`` - 1, trained with cross-entropy, or with ``multilabel`` a
    0/1 float indicator matrix of ``n_classes`` labels, trained with binary
    cross-entropy; ``n_outputs`` is ``n_classes``. Else a regressor on float
    targets y of shape (n, n_targets), trained by a KerasRegressor with
    ``regression_loss`` ("squared_error" or "huber"). ``sample_weight`` (None,
    or float32 weights, the class weights multiplied in) weighs each row's
    loss; rows of weight zero are left out. SciKeras compiles the network, runs
    ``Model.fit`` with the callbacks and records the history of this call. It
    gets no ``random_state``: with one, it would set global seeds; ``build``
    seeds the layers and ``seed`` the order of the rows.

    Given a fitted ``model`` instead of ``build``, training goes on from its
    weights and its optimizer's state, for ``epochs`` more epochs after the
    ``initial_epoch`` it trained already. Returns the fitted wrapper.
    """
    fit_callbacks = copy.deepcopy(list(callbacks or []))  # never mutate params
    if validation_split:
        fit_callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=patience, restore_best_weights=True
            )
        )
    n_rows = len(X) if sample_weight is None else np.count_nonzero(sample_weight)
    if learning_rate_schedule == "cosine":
        n_training_rows = n_rows - int(n_rows * validation_split)
        learning_rate = keras.optimizers.schedules.CosineDecay(
            learning_rate, decay_steps=epochs * -(-n_training_rows // batch_size)
        )
    if regression_loss is None:
        wrapper, n_outputs = _Classifier, "n_classes_"
        # integer labels + sparse loss: categorical cross-entropy without one-hot
        loss = (
            "binary_crossentropy" if multilabel else "sparse_categorical_crossentropy"
        )
    else:
        wrapper, n_outputs = _Regressor, "n_outputs_"
        loss = _REGRESSION_LOSSES[regression_loss]
    if model is None:
        build_model = functools.partial(
            _build_compiled,
            build=build,
            n_outputs=n_outputs,
            steps_per_execution=_steps_per_execution(
                n_rows, batch_size, verbose, fit_callbacks
            ),
        )
    else:
        build_model = functools.partial(
            _continued, model=model, learning_rate=learning_rate
        )
    estimator = wrapper(
        model=build_model,
        loss=loss,
        optimizer=optimizer,
        optimizer__learning_rate=learning_rate,
        **{f"optimizer__{name}": value for name, value in optimizer_params.items()},
        epochs=epochs,
        batch_size=batch_size,
        validation_split=validation_split,
        callbacks=fit_callbacks,
        verbose=verbose,
    )
    # attributes, not constructor arguments: SciKeras hands those to `model`
    estimator.shuffle_seed = seed
    if regression_loss is None:
        estimator.n_classes = n_classes
    if not isinstance(X, np.ndarray):
        estimator.lazy_X, X = X, np.arange(len(X))[:, np.newaxis]
    estimator.fit(X, y, sample_weight=sample_weight, initial_epoch=initial_epoch)
    return estimator


class Forward:
    """Runs a fitted network on NumPy batches through one traced
    ``tf.function`` per output, instead of Keras' per-call ``predict()``
    machinery (data adapter, callbacks, progress bar). Each batch is cast to
    the network's input dtype on its own, so uint8 images are never converted
    whole; X may also be files (``skfeat._files.LoadedFiles``), which
    decode one batch at a time. ``sample_values``: how many values one sample
    becomes inside the network, when it resizes its input (a pretrained
    backbone's 224×224×3), so that batches are sized by what it computes on.
    """

    def __init__(self, model, *, sample_values=None):
        self.model = model
        self.sample_values = sample_values

    @functools.cached_property
    def _outputs(self):
        return self._compile(self.model)

    @functools.cached_property
    def _features(self):
        # the output layer's input: learned features of each sample (the
        # output of the layer before it, unless that is a nested model, such as
        # a backbone, whose own output tensor lies in its own graph)
        features = keras.Model(self.model.inputs, self.model.layers[-1].input)
        return self._compile(features)

    @property
    def _input_dtype(self):
        return np.dtype(self.model.inputs[0].dtype)

    def _compile(self, network):
        signature = tf.TensorSpec(
            (None, *self.model.input_shape[1:]), self.model.inputs[0].dtype
        )
        # A partial, not a lambda: TensorFlow counts traces per code object, so
        # one lambda shared by every fitted network would have it warn about
        # "retracing" once a process has fitted five (as in a grid search).
        return tf.function(
            functools.partial(network, training=False), input_signature=[signature]
        )

    def _run(self, function, X, batch_size, n_outputs):
        if len(X) == 0:  # kernels such as oneDNN's convolutions reject empty batches
            return np.zeros((0, n_outputs), dtype=np.float32)
        per_sample = self.sample_values or int(np.prod(X.shape[1:]))
        rows = max(batch_size, _FORWARD_FLOATS // per_sample)
        dtype = self._input_dtype
        outputs = [
            function(np.asarray(X[start : start + rows], dtype=dtype)).numpy()
            for start in range(0, len(X), rows)
        ]
        return outputs[0] if len(outputs) == 1 else np.concatenate(outputs)

    @functools.cached_property
    def _n_outputs(self):
        # looked up once: Keras recomputes a functional model's output shape
        return self.model.output_shape[-1]

    def outputs(self, X, batch_size):
        """The whole model's output: class probabilities of a classifier,
        standardized targets of a regressor, features of an encoder."""
        return self._run(self._outputs, X, batch_size, self._n_outputs)

    def features(self, X, batch_size):
        return self._run(self._features, X, batch_size, self.n_features())

    def n_features(self):
        return int(np.prod(self.model.layers[-1].input.shape[1:]))
