"""Reading audio files into float32 waveforms, with soundfile and soxr.

One decoder for every reader of audio files: :func:`skfeat.datasets.load_audio_folder`,
:class:`skfeat.audio.AudioLoader`, and anything that streams files in batches
(:meth:`Waveforms.read` decodes one file to its row). soundfile (libsndfile)
decodes WAV, FLAC, OGG, MP3 and the rest, and scales integer PCM of any width
to [-1, 1] (8-bit unsigned centred on 0); float files keep their values.
Channels are averaged to mono, as librosa does; soxr resamples.

The length of the rows is decided from the files' headers, before any file is
decoded: ``duration`` seconds, or else the longest clip. Reading a collection
and streaming it a batch at a time so give the same rows.
"""

import os
import warnings

import numpy as np
import soundfile
import soxr

# The formats the issue promises and libsndfile's common others, by file name;
# libsndfile tells the format from the file's bytes.
AUDIO_EXTENSIONS = (".aif", ".aiff", ".flac", ".mp3", ".ogg", ".wav")

ALIGNMENTS = ("start", "center")


def read_header(path):
    """The number of frames and the sample rate of an audio file, from its header.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    OSError
        If libsndfile cannot open it (not audio, empty, damaged).
    ValueError
        If it holds no samples.
    """
    _check_exists(path)
    try:
        info = soundfile.info(os.fspath(path))
    except Exception as error:
        raise OSError(f"cannot read audio file {path}: {_reason(error)}") from error
    if info.frames == 0:
        raise ValueError(
            f"audio file {path} holds no samples (a clip of length 0); remove it, "
            "or use on_error='skip' where the reader offers it"
        )
    return info.frames, info.samplerate


def read_audio(path, *, sample_rate=None):
    """Decode one audio file to a mono float32 waveform.

    Parameters
    ----------
    path : str or path-like
        The file; libsndfile tells its format from its bytes.
    sample_rate : int or None
        Rate (Hz) to resample to with soxr; None keeps the file's own.

    Returns
    -------
    waveform : ndarray of float32, shape (n_samples,)
        Integer PCM scaled to [-1, 1]; channels averaged.
    rate : int
        The file's own sample rate.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    OSError
        If the file is not audio libsndfile decodes, or is damaged.
    ValueError
        If it holds no samples, or NaN or infinite ones; the message names it.
    """
    _check_exists(path)
    try:
        samples, rate = soundfile.read(os.fspath(path), dtype="float32", always_2d=True)
    except Exception as error:
        raise OSError(f"cannot read audio file {path}: {_reason(error)}") from error
    if len(samples) == 0:
        raise ValueError(
            f"audio file {path} holds no samples (a clip of length 0); remove it, "
            "or use on_error='skip' where the reader offers it"
        )
    finite = np.isfinite(samples).all(axis=1)
    if not finite.all():
        first = np.flatnonzero(~finite)[0]
        raise ValueError(
            f"audio file {path} holds {int((~finite).sum())} NaN or infinite "
            f"sample(s), the first at {first / rate:.3f} s (frame {first}); the "
            "file is damaged: fix or remove it"
        )
    waveform = samples.mean(axis=1, dtype=np.float32)  # mono, as librosa mixes
    if sample_rate is not None and rate != sample_rate:
        waveform = soxr.resample(waveform, rate, sample_rate)
    return waveform, rate


def resampled_length(n_frames, rate, sample_rate):
    """The length soxr gives ``n_frames`` at ``rate`` resampled to ``sample_rate``."""
    if sample_rate is None or rate == sample_rate:
        return n_frames
    return int(n_frames * sample_rate / rate + 0.5)


class Waveforms:
    """How a collection of audio files becomes float32 rows of one length.

    Built from the files' headers alone (no file is decoded): the common
    sample rate (``sample_rate``, or the files' own, which must then be the
    same for all) and the length of every row (``duration`` seconds, or the
    longest clip, with a warning when the clips differ in length).
    :meth:`read` then decodes one file into its row, padded with zeros or
    cropped as ``align`` says.

    With ``skip_unreadable``, files whose header cannot be read are left out of
    that decision and listed in ``unreadable`` (position, error) instead of
    raising.
    """

    def __init__(
        self,
        paths,
        *,
        sample_rate=None,
        duration=None,
        align="start",
        skip_unreadable=False,
        stacklevel=2,
    ):
        self.align = align
        self.unreadable = []
        lengths, first = [], None
        for position, path in enumerate(paths):
            try:
                n_frames, rate = read_header(path)
            except (OSError, ValueError) as error:
                if not skip_unreadable:
                    raise
                self.unreadable.append((position, error))
                continue
            if first is None:
                first = (path, rate)
            elif sample_rate is None and rate != first[1]:
                raise ValueError(
                    f"audio file {path} has a sample rate of {rate} Hz, but "
                    f"{first[0]} has {first[1]} Hz; pass sample_rate=<Hz> to "
                    "resample every clip to one rate"
                )
            lengths.append(resampled_length(n_frames, rate, sample_rate))
        self.sample_rate = sample_rate or (first and first[1])
        self.fixed_length = duration is not None
        if duration is not None and self.sample_rate is not None:
            self.n_samples = round(duration * self.sample_rate)
            if self.n_samples < 1:
                raise ValueError(
                    f"duration={duration!r} s is less than one sample at "
                    f"{self.sample_rate} Hz; give a longer duration"
                )
        else:
            self.n_samples = max(lengths, default=0)
        if duration is None and len(set(lengths)) > 1:
            warnings.warn(
                self._padding_message(min(lengths)), UserWarning, stacklevel=stacklevel
            )

    def _padding_message(self, shortest):
        where = "at the end" if self.align == "start" else "on both sides"
        return (
            f"the audio clips differ in length, from {shortest / self.sample_rate:.3g}"
            f" s to {self.n_samples / self.sample_rate:.3g} s: each is padded with "
            f"zeros {where} to the longest ({self.n_samples} samples at "
            f"{self.sample_rate} Hz); pass duration=<seconds> to pad or crop every "
            "clip to a length of your choice"
        )

    def read(self, path):
        """Decode one file into a row of ``n_samples`` float32 values.

        Raises as :func:`read_audio` does, and, without a ``duration``, if the
        file decodes to more samples than the headers promised.
        """
        waveform, _ = read_audio(path, sample_rate=self.sample_rate)
        if not self.fixed_length and len(waveform) > self.n_samples:
            raise ValueError(
                f"audio file {path} decodes to {len(waveform)} samples, more than "
                f"the {self.n_samples} its header and the others' promised (it "
                "changed since, or its header is wrong); pass duration=<seconds> "
                "to crop every clip to one length"
            )
        return place(waveform, self.n_samples, self.align)

    def read_all(self, paths, *, skip_unreadable=False):
        """Decode ``paths`` (those :meth:`__init__` got) into an array of rows.

        Files left out by the header scan stay out; with ``skip_unreadable``,
        files that fail to decode join them in ``unreadable``.

        Returns
        -------
        waveforms : ndarray of float32, shape (n_read, n_samples)
        """
        skipped = {position for position, _ in self.unreadable}
        waveforms = np.empty((len(paths) - len(skipped), self.n_samples), np.float32)
        n_read = 0
        for position, path in enumerate(paths):
            if position in skipped:
                continue
            try:
                waveforms[n_read] = self.read(path)
            except (OSError, ValueError) as error:
                if not skip_unreadable:
                    raise
                self.unreadable.append((position, error))
                continue
            n_read += 1
        self.unreadable.sort(key=lambda item: item[0])
        return waveforms[:n_read]


def place(waveform, n_samples, align):
    """``waveform`` padded with zeros or cropped to ``n_samples``: keeping its
    start (padding or cropping the end) or its centre (both ends equally)."""
    row = np.zeros(n_samples, dtype=np.float32)
    excess = len(waveform) - n_samples
    if excess >= 0:
        start = 0 if align == "start" else excess // 2
        row[:] = waveform[start : start + n_samples]
    else:
        start = 0 if align == "start" else -excess // 2
        row[start : start + len(waveform)] = waveform
    return row


def _check_exists(path):
    if not os.path.exists(path):
        raise FileNotFoundError(f"audio file not found: {path}")


def _reason(error):
    # soundfile's own message repeats the path: keep libsndfile's reason alone
    return getattr(error, "error_string", None) or str(error)
