"""What LogMelSpectrogram and MFCC share: their settings, the mel filterbank and
the batched TensorFlow computation of log-mel spectrograms.

TensorFlow is imported inside the functions that compute, never at import.
"""

import re
import threading
from collections import OrderedDict
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import validate_data

# The settings both transformers take, with librosa's and torchaudio's names.
SPECTROGRAM_PARAMETER_CONSTRAINTS = {
    "sample_rate": [Interval(Integral, 1, None, closed="left")],
    "n_mels": [Interval(Integral, 1, None, closed="left")],
    "win_length": [Interval(Integral, 1, None, closed="left"), str],
    "hop_length": [Interval(Integral, 1, None, closed="left"), str],
    "n_fft": [Interval(Integral, 1, None, closed="left"), None],
    "fmin": [Interval(Real, 0, None, closed="left")],
    "fmax": [Interval(Real, 0, None, closed="neither"), None],
    "mel_scale": [StrOptions({"htk", "slaney"})],
    "norm": [StrOptions({"slaney"}), None],
    "top_db": [Interval(Real, 0, None, closed="neither"), None],
}

_MILLISECONDS = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*ms\s*$")
# rows of waveforms per TensorFlow call are capped so that one call's complex
# spectrogram stays near 8 MiB, whatever the number of clips: it then stays in
# the caches, 3 times faster than chunks of 32 MiB
_SPECTROGRAM_VALUES = 2**20
# the TensorFlow graphs of the latest settings, each traced once
_TRACED_GRAPHS = 32
_AMIN = 1e-10  # the power floor before the logarithm (librosa's amin)
# the smallest standard deviation divided by, in dB: a band that is constant but
# for float32 rounding (digital silence) stays near 0 instead of becoming noise
_STD_FLOOR = 0.01


def samples(value, sample_rate, name):
    """A length given in samples (an int) or milliseconds (``"25ms"``), in samples."""
    if isinstance(value, Integral):
        return int(value)
    match = _MILLISECONDS.match(value)
    if match is None:
        raise ValueError(
            f"{name}={value!r} is neither a number of samples (an int) nor a "
            "duration in milliseconds such as '25ms'"
        )
    length = round(float(match.group(1)) * sample_rate / 1000)
    if length < 1:
        raise ValueError(
            f"{name}={value!r} is less than one sample at sample_rate={sample_rate}; "
            "give a longer duration"
        )
    return length


def hz_to_mel(frequencies, mel_scale):
    """Frequencies in Hz on the mel scale, as ``librosa.hz_to_mel`` computes them."""
    frequencies = np.asanyarray(frequencies, dtype=np.float64)
    if mel_scale == "htk":
        return 2595.0 * np.log10(1.0 + frequencies / 700.0)
    # Slaney's Auditory Toolbox: linear below 1 kHz, logarithmic above
    mels = frequencies / (200.0 / 3)
    log_step = np.log(6.4) / 27.0
    above = frequencies >= 1000.0
    return np.where(
        above,
        15.0 + np.log(np.maximum(frequencies, 1000.0) / 1000.0) / log_step,
        mels,
    )


def mel_to_hz(mels, mel_scale):
    """The inverse of :func:`hz_to_mel`."""
    mels = np.asanyarray(mels, dtype=np.float64)
    if mel_scale == "htk":
        return 700.0 * (10.0 ** (mels / 2595.0) - 1.0)
    log_step = np.log(6.4) / 27.0
    return np.where(
        mels >= 15.0,
        1000.0 * np.exp(log_step * (mels - 15.0)),
        mels * (200.0 / 3),
    )


def mel_filterbank(sample_rate, n_fft, n_mels, fmin, fmax, mel_scale, norm):
    """Triangular mel filters, (n_mels, 1 + n_fft // 2), as ``librosa.filters.mel``.

    Each triangle rises and falls linearly in Hz between mel-spaced edges;
    ``norm="slaney"`` divides each by its width so that all have the same area.
    """
    bin_frequencies = np.linspace(0, sample_rate / 2, 1 + n_fft // 2)
    edges = mel_to_hz(
        np.linspace(hz_to_mel(fmin, mel_scale), hz_to_mel(fmax, mel_scale), n_mels + 2),
        mel_scale,
    )
    widths = np.diff(edges)
    ramps = np.subtract.outer(edges, bin_frequencies)
    rising = -ramps[:-2] / widths[:-1, np.newaxis]
    falling = ramps[2:] / widths[1:, np.newaxis]
    weights = np.maximum(0, np.minimum(rising, falling))
    if norm == "slaney":
        weights *= (2.0 / (edges[2:] - edges[:-2]))[:, np.newaxis]
    return weights.astype(np.float32)


class SpectrogramSettings:
    """The checked settings of one transformer, in samples, and its filterbank."""

    def __init__(self, estimator):
        params = estimator.get_params()
        self.sample_rate = params["sample_rate"]
        self.win_length = samples(params["win_length"], self.sample_rate, "win_length")
        self.hop_length = samples(params["hop_length"], self.sample_rate, "hop_length")
        n_fft = params["n_fft"]
        if n_fft is None:  # the next power of two, as tf.signal.stft chooses
            n_fft = 1 << max(0, (self.win_length - 1).bit_length())
        if n_fft < self.win_length:
            raise ValueError(
                f"n_fft={n_fft} is shorter than the window (win_length="
                f"{params['win_length']!r}, {self.win_length} samples); use "
                f"n_fft >= {self.win_length}, or None for the next power of two"
            )
        self.n_fft = n_fft
        nyquist = self.sample_rate / 2
        fmax = nyquist if params["fmax"] is None else params["fmax"]
        if fmax > nyquist:
            raise ValueError(
                f"fmax={fmax} is above the highest frequency of sample_rate="
                f"{self.sample_rate} ({nyquist:g} Hz); lower it, or pass None"
            )
        if params["fmin"] >= fmax:
            raise ValueError(f"fmin={params['fmin']} must be below fmax ({fmax:g} Hz)")
        self.n_mels = params["n_mels"]
        self.key = (
            self.sample_rate,
            self.win_length,
            self.hop_length,
            n_fft,
            self.n_mels,
            float(params["fmin"]),
            float(fmax),
            params["mel_scale"],
            params["norm"],
            params["top_db"],
        )
        self.top_db = params["top_db"]
        self.filterbank = mel_filterbank(
            self.sample_rate,
            n_fft,
            self.n_mels,
            params["fmin"],
            fmax,
            params["mel_scale"],
            params["norm"],
        )

    def n_frames(self, n_samples):
        return 1 + (n_samples - self.win_length) // self.hop_length


def validated_waveforms(estimator, X, settings, *, reset):
    """X as float32 waveforms (n_clips, n_samples), checked to hold a frame."""
    if getattr(X, "ndim", 2) == 3 or (isinstance(X, list | tuple) and np.ndim(X) == 3):
        raise ValueError(
            f"X has shape {np.shape(X)}; {type(estimator).__name__} takes mono "
            "waveforms (n_clips, n_samples): mix the channels, e.g. "
            "X.mean(axis=-1) for (n_clips, n_samples, n_channels), or read the "
            "files with AudioLoader, which mixes them"
        )
    X = validate_data(estimator, X, reset=reset, dtype=np.float32)
    if X.shape[1] < settings.win_length:
        raise ValueError(
            f"the clips are {X.shape[1]} samples long, shorter than one frame "
            f"(win_length={estimator.win_length!r}, {settings.win_length} samples "
            f"at sample_rate={settings.sample_rate}): pad the clips (AudioLoader's "
            "duration= does), or use a shorter win_length"
        )
    return X


_graphs = OrderedDict()
_graphs_lock = threading.Lock()


def traced(key, compute):
    """``compute`` (a function of a tf.Tensor of waveforms) as a TensorFlow
    graph, traced once for each ``key``, which must say all it computes.

    A graph runs about 3 times faster than the same ops one by one, and a
    transformer's settings rarely change, so the latest graphs are kept.
    """
    import tensorflow as tf

    with _graphs_lock:
        if key not in _graphs:
            _graphs[key] = tf.function(
                compute, input_signature=[tf.TensorSpec([None, None], tf.float32)]
            )
            if len(_graphs) > _TRACED_GRAPHS:
                _graphs.popitem(last=False)
        _graphs.move_to_end(key)
        return _graphs[key]


def in_chunks(waveforms, settings, graph):
    """A traced ``graph`` of waveforms (see :func:`traced`) over the rows of
    ``waveforms``, a bounded chunk at a time, concatenated as float32."""
    import tensorflow as tf

    n_values = settings.n_frames(waveforms.shape[1]) * (1 + settings.n_fft // 2)
    rows = max(1, _SPECTROGRAM_VALUES // max(1, n_values))
    chunks = [
        graph(tf.constant(waveforms[start : start + rows])).numpy()
        for start in range(0, len(waveforms), rows)
    ]
    return np.concatenate(chunks).astype(np.float32, copy=False)


def log_mel(waveforms, settings):
    """Log-mel spectrograms in dB of a tf.Tensor of waveforms, (n, frames, n_mels).

    Power spectrum of Hann-windowed frames (``win_length`` samples, zero-padded
    to ``n_fft``), mel filters, ``10 log10(max(power, 1e-10))``, and the floor
    raised to ``top_db`` below each clip's loudest value: librosa's
    ``power_to_db(melspectrogram(...), top_db=80)`` on uncentred frames.
    """
    import tensorflow as tf

    spectrum = tf.signal.stft(
        waveforms,
        frame_length=settings.win_length,
        frame_step=settings.hop_length,
        fft_length=settings.n_fft,
        window_fn=tf.signal.hann_window,
    )
    power = tf.math.square(tf.math.real(spectrum)) + tf.math.square(
        tf.math.imag(spectrum)
    )
    mel = tf.linalg.matmul(power, tf.constant(settings.filterbank), transpose_b=True)
    decibels = (10.0 / np.log(10.0)) * tf.math.log(tf.math.maximum(mel, _AMIN))
    if settings.top_db is not None:
        loudest = tf.math.reduce_max(decibels, axis=(1, 2), keepdims=True)
        decibels = tf.math.maximum(decibels, loudest - settings.top_db)
    return decibels


def normalized(spectrograms, normalize):
    """Spectrograms (n, frames, bands) with each recording's mean and standard
    deviation taken away: over all its values ("per_recording") or each band's
    own ("per_band")."""
    import tensorflow as tf

    if normalize is None:
        return spectrograms
    axes = (1, 2) if normalize == "per_recording" else (1,)
    mean, variance = tf.nn.moments(spectrograms, axes=axes, keepdims=True)
    return (spectrograms - mean) / tf.math.maximum(tf.math.sqrt(variance), _STD_FLOOR)
