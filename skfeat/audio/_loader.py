"""Audio files to waveforms inside a pipeline: :class:`AudioLoader`."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions

from skfeat._audio import ALIGNMENTS, Waveforms
from skfeat._columns import file_paths, reject_single_path


class AudioLoader(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Read audio files, given by path, into a float32 array of waveforms.

    The first step of a pipeline on recordings kept as files: paths in, one
    row of samples per path out, in order, of shape (n_files, n_samples). Every
    file is decoded with soundfile (libsndfile: WAV, FLAC, OGG, MP3, AIFF and
    more), its channels averaged to mono, integer samples scaled to [-1, 1]
    (float files keep their values), resampled to ``sample_rate`` with soxr,
    and padded with zeros or cropped to ``duration``, exactly as
    :func:`skfeat.datasets.load_audio_folder` does.

    The loader learns nothing: :meth:`fit` only checks its input, and
    :meth:`transform` works without it. As ``image_loader`` of
    :class:`~skfeat.image.CNNClassifier` (alone, or as the first step of a
    pipeline that turns waveforms into spectrograms) it makes the classifier
    read the files a batch at a time while it trains.

    Parameters
    ----------
    sample_rate : int or None, default=None
        Rate in Hz every clip is resampled to. None keeps the files' own rate,
        which must then be the same for all the files of one call.
    duration : float or None, default=None
        Length in seconds of every row: shorter clips are padded with zeros,
        longer ones cropped. None pads every clip to the longest of the call
        (and warns when they differ, saying how long that is): rows then
        depend on which files a call reads, so set a duration for a model
        that will see other files.
    align : {"start", "center"}, default="start"
        Where each clip sits in its row: "start" keeps its beginning (pads or
        crops the end, as Keras' ``audio_dataset_from_directory`` and
        ``librosa.util.fix_length`` do); "center" keeps its middle (pads or
        crops both ends equally).

    See Also
    --------
    skfeat.datasets.load_audio_folder : Load a folder of recordings, labelled
        by sub-folder or by file name.
    skfeat.image.ImageLoader : The same for image files.

    Notes
    -----
    A file that cannot be read (missing, damaged, not audio, no samples, NaN
    or infinite samples) raises an error naming it, and so do files of
    different sample rates when ``sample_rate`` is None. The loader never
    leaves a file out, since that would misalign the waveforms with their
    labels; use :func:`~skfeat.datasets.load_audio_folder` with
    ``on_error="skip"`` to load a collection that has bad files.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> import soundfile
    >>> from skfeat.audio import AudioLoader
    >>> folder = Path(tempfile.mkdtemp())
    >>> tone = np.sin(2 * np.pi * 440 * np.arange(16000) / 16000)
    >>> soundfile.write(folder / "a.wav", tone, 16000)
    >>> soundfile.write(folder / "b.flac", tone[:4000], 16000)
    >>> loader = AudioLoader(sample_rate=8000, duration=0.5)
    >>> waveforms = loader.transform([folder / "a.wav", folder / "b.flac"])
    >>> waveforms.shape, waveforms.dtype
    ((2, 4000), dtype('float32'))
    """

    _parameter_constraints: dict = {
        "sample_rate": [Interval(Integral, 1, None, closed="left"), None],
        "duration": [Interval(Real, 0, None, closed="neither"), None],
        "align": [StrOptions(set(ALIGNMENTS))],
    }

    def __init__(self, *, sample_rate=None, duration=None, align="start"):
        self.sample_rate = sample_rate
        self.duration = duration
        self.align = align

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the parameters; nothing is learned and no file is read.

        Parameters
        ----------
        X : sequence of str or path-like
            Paths of audio files: a list, a 1-D array, or a single column of a
            2-D array or DataFrame.
        y : None
            Ignored.

        Returns
        -------
        self : AudioLoader
            The loader, unchanged.
        """
        reject_single_path(X, kind="audio")  # without iterating: a generator
        return self

    def transform(self, X):
        """Read each file into a row of samples.

        Parameters
        ----------
        X : sequence of str or path-like
            Paths of audio files, as in :meth:`fit`.

        Returns
        -------
        waveforms : ndarray of shape (n_paths, n_samples), dtype float32
            One waveform per path, in order.
        """
        paths = file_paths(X, kind="audio")
        return self._waveforms(paths, stacklevel=3).read_all(paths)

    def _waveforms(self, paths, *, stacklevel=2):
        """How ``paths`` become rows, decided from their headers; the loader's
        parameters are checked here, since it needs no fit."""
        self._validate_params()
        return Waveforms(
            paths,
            sample_rate=self.sample_rate,
            duration=self.duration,
            align=self.align,
            stacklevel=stacklevel + 1,
        )

    def get_feature_names_out(self, input_features=None):
        """Names of the samples of each row: ``audioloader0``, ``audioloader1``...

        The number of samples is known without reading a file only when both
        ``sample_rate`` and ``duration`` are set.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            The name of the column of paths; only checked.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per sample.
        """
        if input_features is not None and len(input_features) != 1:
            raise ValueError(
                f"AudioLoader reads one column of paths, got {len(input_features)} "
                f"input features: {list(input_features)}"
            )
        if self.sample_rate is None or self.duration is None:
            raise ValueError(
                "AudioLoader knows how many samples it gives per file only when "
                "both sample_rate and duration are set; set them to name its "
                "output features"
            )
        n_samples = round(self.duration * self.sample_rate)
        return np.asarray([f"audioloader{i}" for i in range(n_samples)], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        tags.transformer_tags.preserves_dtype = []  # float32 whatever came in
        return tags
