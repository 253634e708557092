"""Waveforms to log-mel spectrograms in TensorFlow: :class:`LogMelSpectrogram`."""

from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import StrOptions

from skfeat.audio._signal import (
    SPECTROGRAM_PARAMETER_CONSTRAINTS,
    SpectrogramSettings,
    in_chunks,
    log_mel,
    normalized,
    traced,
    validated_waveforms,
)


class LogMelSpectrogram(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Log-mel spectrograms of waveforms, as one-channel images for a CNN.

    Waveforms (n_clips, n_samples) in, spectrograms (n_clips, n_frames,
    n_mels) float32 out: the power spectrum of Hann-windowed frames, summed
    through triangular mel filters, in decibels, then (by default) standardized
    per recording. :class:`~skfeat.CNNClassifier` takes them as
    greyscale images (time down, frequency across), so a spoken-word classifier
    is one pipeline::

        make_pipeline(LogMelSpectrogram(sample_rate=8000), CNNClassifier())

    All clips are computed together with TensorFlow's ``tf.signal`` ops, a
    bounded chunk of clips per call (no Python loop per clip). The transformer
    learns nothing: :meth:`fit` only checks its input.

    Parameters
    ----------
    sample_rate : int, default=16000
        Samples per second of the waveforms (as ``sr`` in librosa).
    n_mels : int, default=40
        Number of mel bands, the width of the spectrogram images.
    win_length : int or str, default="32ms"
        Length of each frame's window: samples (an int), or milliseconds as a
        string such as ``"25ms"``, which then fits any ``sample_rate`` (256
        samples at 8 kHz, 512 at 16 kHz).
    hop_length : int or str, default="10ms"
        Step between the starts of successive frames, likewise.
    n_fft : int or None, default=None
        Length of the FFT; the window is zero-padded to it. None takes the
        next power of two at least ``win_length``.
    fmin : float, default=0.0
        Lowest frequency (Hz) of the mel filters.
    fmax : float or None, default=None
        Highest frequency (Hz); None is half the sample rate.
    mel_scale : {"htk", "slaney"}, default="htk"
        The mel scale: HTK's ``2595 log10(1 + f / 700)``, as Kaldi, HTK,
        TensorFlow and torchaudio use for speech; or Slaney's (linear below
        1 kHz), librosa's default.
    norm : {"slaney"} or None, default=None
        "slaney" divides each filter by its width (equal areas), as librosa does
        by default; None leaves the triangles at height 1, as torchaudio and
        TensorFlow do. Normalization per recording makes the two almost alike.
    top_db : float or None, default=80.0
        Decibels below each clip's loudest value where its quiet values are
        floored (librosa's ``power_to_db(top_db=80)``), so that digital silence
        (padding) does not stretch the scale; None keeps a floor of -100 dB.
    normalize : {"per_band", "per_recording"} or None, default="per_band"
        "per_band" subtracts the mean and divides by the standard deviation of
        each mel band of each recording (cepstral mean and variance
        normalization): loud and quiet recordings look alike, and each
        recording's average spectrum, much of what tells one voice or
        microphone from another, is taken away. "per_recording" does so with
        one mean and one standard deviation per recording, keeping the
        spectrum's shape. None keeps decibels. On new speakers "per_band"
        scored better (see Notes).

    See Also
    --------
    MFCC : Mel-frequency cepstral coefficients and their time statistics.
    CNNClassifier : Classifies the spectrograms as images, with
        spectrogram augmentation (``time_mask``, ``frequency_mask``,
        ``time_shift``).

    Notes
    -----
    The spectrogram is librosa's ``power_to_db(melspectrogram(y, sr=sr,
    n_fft=n_fft, hop_length=hop_length, win_length=win_length, center=False,
    htk=True, norm=None), top_db=80)`` (``tests/test_audio_features.py``
    checks it), with three differences: the mel scale defaults to HTK's (the
    one speech toolkits use; librosa defaults to Slaney's); frames are not
    centred (no reflected padding at the ends, so each frame holds only the
    clip's own samples); and a window shorter than ``n_fft`` is padded at its
    end rather than on both sides, which leaves the power spectrum unchanged.

    For spoken words we recommend, from a leave-one-speaker-out search on four
    speakers of the Free Spoken Digit Dataset (clips padded to 1 s at 8 kHz;
    ``benchmarks/tune_audio.py``, ``benchmarks/results/audio.md``)::

        make_pipeline(
            LogMelSpectrogram(sample_rate=8000),
            CNNClassifier(filters=(32, 64), dense_units=(128,), dropout=0.5,
                          augmentation={"time_mask": 0.2, "frequency_mask": 0.2,
                                        "time_shift": 0.1},
                          epochs=40, random_state=0),
        )

    On speakers it never heard it scores 0.653 (mean of the four held-out
    speakers, 0.56 to 0.69), against 0.603 for the same network in plain Keras
    without augmentation (30 epochs) and 0.463 for MFCC statistics with
    :class:`~sklearn.svm.SVC`; per-recording instead of per-band
    normalization scored 0.651 against 0.687 on the two folds compared. A
    shuffled split, where every voice is in training, scores far higher
    (0.986 for MFCC + SVC) and says little about new speakers.

    A clip gives ``1 + (n_samples - win_length) // hop_length`` frames; all
    clips of one call have one length (pad or crop them first, as
    :class:`AudioLoader`'s ``duration`` does). A clip shorter than one window
    raises an error.

    Examples
    --------
    >>> import numpy as np
    >>> from skfeat.audio import LogMelSpectrogram
    >>> t = np.arange(8000) / 8000
    >>> tones = np.stack([np.sin(2 * np.pi * 440 * t), np.sin(2 * np.pi * 1000 * t)])
    >>> spectrograms = LogMelSpectrogram(sample_rate=8000).fit_transform(tones)
    >>> spectrograms.shape, spectrograms.dtype
    ((2, 97, 40), dtype('float32'))
    >>> decibels = LogMelSpectrogram(sample_rate=8000, normalize=None).transform(tones)
    >>> [int(s.mean(axis=0).argmax()) for s in decibels]  # the loudest band
    [10, 18]
    """

    _parameter_constraints: dict = {
        **SPECTROGRAM_PARAMETER_CONSTRAINTS,
        "normalize": [StrOptions({"per_recording", "per_band"}), None],
    }

    def __init__(
        self,
        *,
        sample_rate=16000,
        n_mels=40,
        win_length="32ms",
        hop_length="10ms",
        n_fft=None,
        fmin=0.0,
        fmax=None,
        mel_scale="htk",
        norm=None,
        top_db=80.0,
        normalize="per_band",
    ):
        self.sample_rate = sample_rate
        self.n_mels = n_mels
        self.win_length = win_length
        self.hop_length = hop_length
        self.n_fft = n_fft
        self.fmin = fmin
        self.fmax = fmax
        self.mel_scale = mel_scale
        self.norm = norm
        self.top_db = top_db
        self.normalize = normalize

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
        self : LogMelSpectrogram
            The transformer, unchanged but for ``n_features_in_``.
        """
        validated_waveforms(self, X, SpectrogramSettings(self), reset=True)
        return self

    def transform(self, X):
        """Compute the log-mel spectrogram of each clip.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples)
            Mono waveforms, all of one length, at ``sample_rate``.

        Returns
        -------
        spectrograms : ndarray of shape (n_clips, n_frames, n_mels), float32
            One spectrogram per clip, in order.
        """
        self._validate_params()
        settings = SpectrogramSettings(self)
        waveforms = validated_waveforms(self, X, settings, reset=False)
        normalize = self.normalize
        graph = traced(
            ("log-mel", settings.key, normalize),
            lambda chunk: normalized(log_mel(chunk, settings), normalize),
        )
        return in_chunks(waveforms, settings, graph)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags
