"""Spectrogram augmentation layers (SpecAugment's masks, a time shift) for the
image CNN, which takes spectrograms as (frames, bands, 1) images. Imported only
inside `fit` or when a network that uses them is loaded, like
:mod:`skfeat.image._networks`.

Keras has no SpecAugment layer, so the masks are a small layer of our own,
registered with Keras so that a pickled network loads in a new process.
"""

import keras

# axis of the (n, frames, bands, channels) images that each mask runs along
_MASK_AXES = {"time_mask": 1, "frequency_mask": 2}


@keras.saving.register_keras_serializable(package="skfeat")
class RandomBandMask(keras.layers.Layer):
    """In training, one band of consecutive rows along ``axis`` set to 0 per sample.

    The band's width is drawn uniformly from 0 to ``max_fraction`` of the axis,
    its start uniformly where it fits (Park et al. 2019's time and frequency
    masks). Behind a Normalization layer, 0 is the mean value. Random numbers
    come from a Keras ``SeedGenerator`` seeded with ``seed``, so a seeded fit
    repeats; outside training the layer passes its input through.
    """

    def __init__(self, axis, max_fraction, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.max_fraction = max_fraction
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        if not training:
            return inputs
        ops = keras.ops
        length = inputs.shape[self.axis]
        n = ops.shape(inputs)[0]
        widest = int(self.max_fraction * length)
        width = keras.random.randint(
            (n,), 0, widest + 1, dtype="int32", seed=self.seed_generator
        )
        room = ops.cast(length - width + 1, "float32")
        start = ops.cast(
            ops.floor(keras.random.uniform((n,), seed=self.seed_generator) * room),
            "int32",
        )
        positions = ops.arange(length, dtype="int32")[None, :]
        keep = ops.logical_or(
            positions < start[:, None], positions >= (start + width)[:, None]
        )
        other_axes = [axis for axis in range(1, inputs.ndim) if axis != self.axis]
        keep = ops.expand_dims(keep, other_axes)  # broadcasts along the others
        return inputs * ops.cast(keep, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "max_fraction": self.max_fraction,
            "seed": self.seed,
        }


def spectrogram_augmentation_layers(augmentation, seeds):
    """Seeded layers for the spectrogram keys of ``augmentation`` (see
    CNNClassifier): a time shift, then a frequency and a time mask."""
    layers = []
    if augmentation.get("time_shift"):
        # frames shifted out at one end come back at the other: clips padded
        # with silence to one length move within their silence
        layers.append(
            keras.layers.RandomTranslation(
                height_factor=augmentation["time_shift"],
                width_factor=0.0,
                fill_mode="wrap",
                interpolation="nearest",
                seed=seeds(),
            )
        )
    for key, axis in _MASK_AXES.items():
        if augmentation.get(key):
            layers.append(RandomBandMask(axis, augmentation[key], seed=seeds()))
    return layers
