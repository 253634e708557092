"""Waveforms to statistics of mel-frequency cepstral coefficients: :class:`MFCC`."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from skfeat.audio._signal import (
    SPECTROGRAM_PARAMETER_CONSTRAINTS,
    SpectrogramSettings,
    in_chunks,
    log_mel,
    traced,
    validated_waveforms,
)

STATISTICS = ("mean", "std", "min", "max")
# frames on each side of the regression that estimates deltas (HTK's and
# librosa's default window of 9 frames)
_DELTA_REACH = 4
_DELTA_PREFIXES = ("", "delta_", "delta2_")


class MFCC(TransformerMixin, BaseEstimator):
    """Mel-frequency cepstral coefficients of waveforms, summarised over time.

    The classic features of speech: each frame's log-mel spectrum (as
    :class:`LogMelSpectrogram` computes it, in dB), its type-II orthonormal DCT
    cut to ``n_mfcc`` coefficients, optionally their deltas (the slope over 9
    frames), and statistics of each over the frames of the clip. One row of
    fixed length per clip, whatever its length, so the classic baseline is one
    line::

        make_pipeline(MFCC(sample_rate=8000), StandardScaler(), SVC())

    Computed for all clips together with TensorFlow ops, a bounded chunk of
    clips per call. The transformer learns nothing: :meth:`fit` only checks
    its input.

    Parameters
    ----------
    sample_rate : int, default=16000
        Samples per second of the waveforms.
    n_mfcc : int, default=13
        Number of coefficients kept, the first of the DCT.
    deltas : {0, 1, 2}, default=1
        0 keeps the coefficients alone; 1 adds their deltas; 2 also the deltas
        of the deltas.
    statistics : tuple of {"mean", "std", "min", "max"}, default=("mean", "std")
        What summarises each coefficient (and delta) over the frames.
    n_mels : int, default=40
        Number of mel bands the DCT is taken over.
    win_length : int or str, default="32ms"
        Window of each frame: samples (an int) or milliseconds (``"25ms"``).
    hop_length : int or str, default="10ms"
        Step between frames, likewise.
    n_fft : int or None, default=None
        Length of the FFT; None is the next power of two at least
        ``win_length``.
    fmin : float, default=0.0
        Lowest frequency (Hz) of the mel filters.
    fmax : float or None, default=None
        Highest frequency (Hz); None is half the sample rate.
    mel_scale : {"htk", "slaney"}, default="htk"
        The mel scale: HTK's (speech toolkits') or Slaney's (librosa's default).
    norm : {"slaney"} or None, default=None
        "slaney" gives the mel filters equal areas (librosa's default).
    top_db : float or None, default=80.0
        Decibels below each clip's loudest value where quiet values are floored.

    Attributes
    ----------
    n_features_in_ : int
        Samples per clip seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the columns of X in :meth:`fit`, when they are all strings.

    See Also
    --------
    LogMelSpectrogram : The spectrograms themselves, for a CNN.

    Notes
    -----
    The coefficients are librosa's ``mfcc(y, sr=sr, n_mfcc=n_mfcc,
    n_mels=n_mels, n_fft=n_fft, win_length=win_length, hop_length=hop_length,
    center=False, htk=True, norm=None)`` (``tests/test_audio_features.py``
    checks it); as in :class:`LogMelSpectrogram`, the HTK mel scale is the
    default (librosa's is Slaney's) and frames are not centred. Deltas are
    HTK's regression over 9 frames, equal to librosa's ``delta`` (a
    Savitzky-Golay filter of the same width) except on the first and last 4
    frames, where HTK repeats the edge frame and librosa interpolates.

    Examples
    --------
    >>> import numpy as np
    >>> from skfeat.audio import MFCC
    >>> rng = np.random.default_rng(0)
    >>> noise = rng.normal(size=(3, 4000))
    >>> mfcc = MFCC(sample_rate=8000).fit(noise)
    >>> mfcc.transform(noise).shape
    (3, 52)
    >>> mfcc.get_feature_names_out()[[0, 13, 26, 51]].tolist()
    ['mfcc0_mean', 'delta_mfcc0_mean', 'mfcc0_std', 'delta_mfcc12_std']
    """

    _parameter_constraints: dict = {
        **SPECTROGRAM_PARAMETER_CONSTRAINTS,
        "n_mfcc": [Interval(Integral, 1, None, closed="left")],
        "deltas": [Interval(Integral, 0, 2, closed="both")],
        "statistics": [tuple, list],
    }

    def __init__(
        self,
        *,
        sample_rate=16000,
        n_mfcc=13,
        deltas=1,
        statistics=("mean", "std"),
        n_mels=40,
        win_length="32ms",
        hop_length="10ms",
        n_fft=None,
        fmin=0.0,
        fmax=None,
        mel_scale="htk",
        norm=None,
        top_db=80.0,
    ):
        self.sample_rate = sample_rate
        self.n_mfcc = n_mfcc
        self.deltas = deltas
        self.statistics = statistics
        self.n_mels = n_mels
        self.win_length = win_length
        self.hop_length = hop_length
        self.n_fft = n_fft
        self.fmin = fmin
        self.fmax = fmax
        self.mel_scale = mel_scale
        self.norm = norm
        self.top_db = top_db

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the settings and the waveforms; nothing is learned.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples)
            Mono waveforms, all of one length.
        y : None
            Ignored.

        Returns
        -------
        self : MFCC
            The transformer.
        """
        validated_waveforms(self, X, self._settings(), reset=True)
        return self

    def transform(self, X):
        """Compute the coefficients of each clip and summarise them over time.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples)
            Mono waveforms, all of one length, at ``sample_rate``.

        Returns
        -------
        features : ndarray of shape (n_clips, n_features_out), float32
            ``len(statistics) * (1 + deltas) * n_mfcc`` columns: for each
            statistic, the coefficients', then their deltas'.
        """
        check_is_fitted(self)
        settings = self._settings()
        waveforms = validated_waveforms(self, X, settings, reset=False)
        n_mfcc, deltas, statistics = self.n_mfcc, self.deltas, tuple(self.statistics)
        graph = traced(
            ("mfcc", settings.key, n_mfcc, deltas, statistics),
            lambda chunk: _features(chunk, settings, n_mfcc, deltas, statistics),
        )
        return in_chunks(waveforms, settings, graph)

    def _settings(self):
        settings = SpectrogramSettings(self)
        if self.n_mfcc > self.n_mels:
            raise ValueError(
                f"n_mfcc={self.n_mfcc} is more than the n_mels={self.n_mels} mel "
                "bands the coefficients come from; use n_mfcc <= n_mels"
            )
        unknown = [s for s in self.statistics if s not in STATISTICS]
        if unknown or not self.statistics:
            raise ValueError(
                f"statistics={self.statistics!r}; expected a non-empty tuple of "
                f"{STATISTICS}"
            )
        return settings

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns, such as ``"delta_mfcc3_std"``.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored: the names come from the settings.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``"{prefix}mfcc{i}_{statistic}"`` in the order of the columns.
        """
        check_is_fitted(self)
        return np.asarray(
            [
                f"{prefix}mfcc{i}_{statistic}"
                for statistic in self.statistics
                for prefix in _DELTA_PREFIXES[: 1 + self.deltas]
                for i in range(self.n_mfcc)
            ],
            dtype=object,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags


def _features(waveforms, settings, n_mfcc, deltas, statistics):
    """Statistics over time of the MFCCs (and deltas) of a tf.Tensor of waveforms."""
    import tensorflow as tf

    coefficients = tf.signal.dct(log_mel(waveforms, settings), type=2, norm="ortho")
    series = [coefficients[..., :n_mfcc]]
    for _ in range(deltas):
        series.append(_delta(series[-1]))
    series = tf.concat(series, axis=-1)
    summaries = {
        "mean": tf.math.reduce_mean,
        "std": tf.math.reduce_std,
        "min": tf.math.reduce_min,
        "max": tf.math.reduce_max,
    }
    return tf.concat([summaries[name](series, axis=1) for name in statistics], axis=-1)


def _delta(series):
    """HTK's deltas of (n, frames, k) along the frames: the least-squares slope
    over 9 frames, the first and last frame repeated beyond the ends."""
    import tensorflow as tf

    first, last = series[:, :1], series[:, -1:]
    padded = tf.concat(
        [
            tf.repeat(first, _DELTA_REACH, axis=1),
            series,
            tf.repeat(last, _DELTA_REACH, axis=1),
        ],
        axis=1,
    )
    n_frames = tf.shape(series)[1]
    slope = tf.zeros_like(series)
    for step in range(1, _DELTA_REACH + 1):
        later = padded[:, _DELTA_REACH + step : _DELTA_REACH + step + n_frames]
        earlier = padded[:, _DELTA_REACH - step : _DELTA_REACH - step + n_frames]
        slope += step * (later - earlier)
    return slope / (2 * sum(step**2 for step in range(1, _DELTA_REACH + 1)))
