"""Everything that imports TensorFlow, Keras or SciKeras.

The estimators import this module inside `fit`/`predict` only, so that
``import skfeat`` never pays TensorFlow's import time.
"""

import contextlib
import copy
import functools
import multiprocessing
import os
import random
import tempfile

import keras
import numpy as np
import tensorflow as tf
from keras.src.backend import config as keras_config
from keras.src.backend.common import global_state
from keras.src.random import seed_generator
from keras.src.trainers.data_adapters.array_slicing import train_validation_split
from keras.src.utils import rng_utils
from scikeras.wrappers import KerasClassifier
from tensorflow.python.eager import context
from tensorflow.python.framework import config as tf_config

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


@contextlib.contextmanager
def scoped_random_state(seed):
    """Seed Python, NumPy, TensorFlow and Keras, and make TensorFlow ops
    deterministic, for the duration of the block only.

    With ``seed=None`` nothing is seeded, but the global state is still put
    back afterwards (SciKeras may change it).
    """
    python_state = random.getstate()
    numpy_state = np.random.get_state()
    tf_seed = context.global_seed()
    determinism = tf_config.is_op_determinism_enabled()
    deterministic_ops_env = os.environ.get("TF_DETERMINISTIC_OPS")
    keras_seed = global_state.get_global_attribute(rng_utils.GLOBAL_RANDOM_SEED)
    keras_generator = global_state.get_global_attribute(
        seed_generator.GLOBAL_SEED_GENERATOR
    )
    try:
        if seed is not None:
            keras.utils.set_random_seed(seed)
            tf_config.enable_op_determinism()
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)
        tf.random.set_seed(tf_seed)
        if determinism:
            tf_config.enable_op_determinism()
        else:
            tf_config.disable_op_determinism()
        if deterministic_ops_env is None:
            os.environ.pop("TF_DETERMINISTIC_OPS", None)
        else:
            os.environ["TF_DETERMINISTIC_OPS"] = deterministic_ops_env
        global_state.set_global_attribute(rng_utils.GLOBAL_RANDOM_SEED, keras_seed)
        global_state.set_global_attribute(
            seed_generator.GLOBAL_SEED_GENERATOR, keras_generator
        )


def _fit_within(spatial, sizes):
    """Shrink kernel or pool sizes so they fit inside the current feature map."""
    return tuple(min(size, extent) for size, extent in zip(sizes, spatial, strict=True))


def build_network(
    input_shape,
    n_classes,
    *,
    filters,
    kernel_size,
    pool_size,
    padding,
    dense_units,
    dropout,
    seed=None,
):
    """Conv/MaxPool blocks → Flatten → optional Dense layers → softmax.

    ``input_shape`` is (h, w, c) for images (Conv2D) or (length, 1) for flat
    rows without an image shape (Conv1D). Kernels and pools larger than the
    feature map they slide over are shrunk to its size, so tiny inputs work.

    With a ``seed``, every random layer gets its own seed from a private
    generator. Keras would draw them from Python's process-wide ``random``
    module, which any other thread can advance between the seeding and the
    draw (a Dask worker's event loop does), giving another network.
    """
    # Same draws, in the same order, as Keras' own `make_default_seed` after
    # `random.seed(seed)`: seeded networks are the ones Keras builds alone.
    draws = None if seed is None else random.Random(seed)

    def layer_seed():
        return None if draws is None else draws.randint(1, int(1e9))

    def initializer():
        return keras.initializers.GlorotUniform(seed=layer_seed())

    n_spatial = len(input_shape) - 1
    conv = keras.layers.Conv2D if n_spatial == 2 else keras.layers.Conv1D
    pool = keras.layers.MaxPooling2D if n_spatial == 2 else keras.layers.MaxPooling1D
    kernel = (kernel_size,) * n_spatial if np.isscalar(kernel_size) else kernel_size
    pooling = (pool_size,) * n_spatial if np.isscalar(pool_size) else pool_size

    inputs = keras.Input(shape=input_shape)
    x = inputs
    spatial = tuple(input_shape[:-1])
    for width in filters:
        block_kernel = _fit_within(spatial, kernel)
        x = conv(
            width,
            block_kernel,
            padding=padding,
            activation="relu",
            kernel_initializer=initializer(),
        )(x)
        if padding == "valid":
            spatial = tuple(
                s - k + 1 for s, k in zip(spatial, block_kernel, strict=True)
            )
        block_pool = _fit_within(spatial, pooling)
        x = pool(block_pool)(x)
        spatial = tuple(s // p for s, p in zip(spatial, block_pool, strict=True))
    x = keras.layers.Flatten()(x)
    for units in dense_units:
        if dropout:
            x = keras.layers.Dropout(dropout, seed=layer_seed())(x)
        x = keras.layers.Dense(
            units, activation="relu", kernel_initializer=initializer()
        )(x)
    if dropout:
        x = keras.layers.Dropout(dropout, seed=layer_seed())(x)
    outputs = keras.layers.Dense(
        n_classes, activation="softmax", kernel_initializer=initializer()
    )(x)
    return keras.Model(inputs, outputs)


def _build_compiled(
    meta, compile_kwargs, *, input_shape, network, seed, steps_per_execution
):
    """SciKeras' model-building callback: SciKeras supplies the class count it
    learned from y and the optimizer/loss it compiled from our parameters."""
    model = build_network(input_shape, meta["n_classes_"], **network, seed=seed)
    model.compile(**compile_kwargs, steps_per_execution=steps_per_execution)
    # Left to itself, Keras creates the optimizer's variables inside the first
    # call of the compiled train step, and TensorFlow then traces that step a
    # second time (about 0.6 s per fit); created here, it is traced once.
    model.optimizer.build(model.trainable_variables)
    return model


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


class _Classifier(KerasClassifier):
    """SciKeras' KerasClassifier, feeding ``Model.fit`` a plain tf.data pipeline.

    For NumPy input Keras builds a pipeline with a parallel map and tf.data's
    autotuning, whose background threads hand work back and forth with the
    training thread. Two such fits side by side on two cores (GridSearchCV with
    ``n_jobs=2``) then wait on each other for about 15% of their time. This
    pipeline does what Keras' does (a new shuffle of the rows each epoch, the
    last ``validation_split`` rows held out, sample weights from
    ``class_weight``) on the training thread alone.
    """

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs
    ):
        arrays = (X, y) if sample_weight is None else (X, y, sample_weight)
        validation = None
        if self.validation_split:  # Keras' own split: the last rows held out
            arrays, held_out = train_validation_split(arrays, self.validation_split)
            validation = _batches(held_out, self.batch_size, shuffle=False)
        train = _batches(arrays, self.batch_size, shuffle=True, seed=self._random_state)
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


def _batches(arrays, batch_size, *, shuffle, seed=None):
    """A tf.data pipeline of batches of the rows of ``arrays`` (X, y[, weight]),
    in a new order each epoch when ``shuffle``; without parallel maps,
    prefetching or autotuning."""
    n_rows = len(arrays[0])
    rows = tf.data.Dataset.range(n_rows)
    if shuffle:
        rows = rows.shuffle(n_rows, seed=seed, reshuffle_each_iteration=True)
    batches = tf.data.Dataset.zip(
        rows.batch(batch_size), tf.data.Dataset.from_tensors(tuple(arrays)).repeat()
    ).map(lambda index, data: tuple(tf.gather(a, index) for a in data))
    options = tf.data.Options()
    options.autotune.enabled = False
    options.experimental_optimization.apply_default_optimizations = False
    return batches.with_options(options)


def train(
    images,
    y,
    *,
    network,
    optimizer,
    learning_rate,
    epochs,
    batch_size,
    validation_split,
    patience,
    class_weight,
    callbacks,
    verbose,
    seed,
):
    """Train the network through SciKeras' KerasClassifier.

    SciKeras encodes the labels, compiles the network, runs ``Model.fit`` with
    the callbacks and records the history. Returns the fitted KerasClassifier.
    """
    fit_callbacks = copy.deepcopy(list(callbacks or []))  # never mutate params
    if validation_split:
        fit_callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=patience, restore_best_weights=True
            )
        )
    classifier = _Classifier(
        model=functools.partial(
            _build_compiled,
            input_shape=images.shape[1:],
            network=network,
            seed=seed,
            steps_per_execution=_steps_per_execution(
                len(images), batch_size, verbose, fit_callbacks
            ),
        ),
        # integer labels + sparse loss: categorical cross-entropy without one-hot
        loss="sparse_categorical_crossentropy",
        optimizer=optimizer,
        optimizer__learning_rate=learning_rate,
        epochs=epochs,
        batch_size=batch_size,
        validation_split=validation_split,
        class_weight=class_weight,
        callbacks=fit_callbacks,
        verbose=verbose,
        random_state=seed,
    )
    with scoped_random_state(seed):
        classifier.fit(images, y)
    return classifier


class Forward:
    """Runs a fitted network on NumPy batches through one traced
    ``tf.function`` per output, instead of Keras' per-call ``predict()``
    machinery (data adapter, callbacks, progress bar)."""

    def __init__(self, model):
        self.model = model

    @functools.cached_property
    def _probabilities(self):
        return self._compile(self.model)

    @functools.cached_property
    def _features(self):
        # the layer feeding the softmax: learned features of each sample
        features = keras.Model(self.model.inputs, self.model.layers[-2].output)
        return self._compile(features)

    def _compile(self, network):
        signature = tf.TensorSpec((None, *self.model.input_shape[1:]), tf.float32)
        # A partial, not a lambda: TensorFlow counts traces per code object, so
        # one lambda shared by every fitted network would have it warn about
        # "retracing" once a process has fitted five (as in a grid search).
        return tf.function(
            functools.partial(network, training=False), input_signature=[signature]
        )

    def _run(self, function, images, batch_size):
        per_sample = int(np.prod(images.shape[1:]))
        rows = max(batch_size, _FORWARD_FLOATS // per_sample)
        if len(images) <= rows:
            return function(images).numpy()
        return np.concatenate(
            [
                function(images[start : start + rows]).numpy()
                for start in range(0, len(images), rows)
            ]
        )

    def probabilities(self, images, batch_size):
        return self._run(self._probabilities, images, batch_size)

    def features(self, images, batch_size):
        return self._run(self._features, images, batch_size)

    def outputs(self, images, batch_size):
        """The whole model's output, for a network that is not a classifier."""
        return self._run(self._probabilities, images, batch_size)

    def n_features(self):
        return int(np.prod(self.model.layers[-2].output.shape[1:]))


# --- Pretrained backbones (keras.applications) ------------------------------------
#
# For skfeat.image.PretrainedImageEncoder, whose table names each backbone's
# constructor and preprocessing module as strings, so that the table and the
# estimator's parameter checks need no TensorFlow.


def build_backbone(constructor, *, image_size, pooling, weights, weights_file):
    """``keras.applications.<constructor>`` without its classification head, its
    last feature map pooled (``"avg"`` or ``"max"``) into one vector per image.

    ``weights`` is None (random), ``"imagenet"`` (Keras downloads
    ``weights_file`` once into its cache) or the path of a weights file. A
    failed download raises an OSError that says where to put the file by hand.
    """
    build = getattr(keras.applications, constructor)
    try:
        return build(
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


def image_encoder(backbone, preprocessing_module, image_size):
    """A model from images of any size, pixels in [0, 255], to the backbone's
    pooled features: resized (bilinear, as Keras resizes), then the family's own
    ``keras.applications.<preprocessing_module>.preprocess_input``, then the
    backbone. For families whose preprocessing is a layer of the backbone
    (MobileNetV3, EfficientNetV2, ConvNeXt) that function returns its input."""
    preprocess = getattr(keras.applications, preprocessing_module).preprocess_input
    images = keras.Input(shape=(None, None, 3))
    resized = keras.layers.Resizing(*image_size, interpolation="bilinear")(images)
    return keras.Model(images, backbone(preprocess(resized), training=False))
