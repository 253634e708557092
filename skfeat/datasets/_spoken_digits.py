"""The Free Spoken Digit Dataset, fetched once and kept as its WAV files."""

import io
import os
import re
import shutil
import tarfile
import zlib
from collections import Counter
from numbers import Integral, Real
from pathlib import Path

import numpy as np
from sklearn.datasets import get_data_home
from sklearn.utils import Bunch
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from skfeat._audio import ALIGNMENTS, read_header
from skfeat.datasets._audio_folder import _labels_from_names, load_audio_folder
from skfeat.datasets._download import _download, _write_atomically

# a tagged release, so that every download gives the same recordings (the
# repository keeps growing)
SPOKEN_DIGITS_VERSION = "v1.0.10"
SPOKEN_DIGITS_URL = (
    "https://github.com/Jakobovski/free-spoken-digit-dataset/archive/refs/tags/"
    f"{SPOKEN_DIGITS_VERSION}.tar.gz"
)
# what that release holds: 50 recordings of each digit by each speaker
_SPEAKERS = ("george", "jackson", "lucas", "nicolas", "theo", "yweweler")
_PER_DIGIT_AND_SPEAKER = 50
_NAME = re.compile(r"(?P<label>\d)_(?P<speaker>[a-z]+)_(?P<index>\d+)")
# the cache: data_home/spoken_digits/recordings/*.wav, and this file, written
# last, which says where the recordings came from
_SOURCE_FILE = "source.txt"


def _cache_folder(data_home):
    return Path(get_data_home(data_home)) / "spoken_digits"


def _download_spoken_digits(folder):
    """Download the release archive and keep its recordings in ``folder``."""
    archive = _download(
        SPOKEN_DIGITS_URL,
        "the Free Spoken Digit Dataset",
        f"download {SPOKEN_DIGITS_URL} elsewhere, unpack it, and seed the cache "
        "from its recordings folder with "
        "skfeat.datasets._spoken_digits.seed_spoken_digits(folder).",
    )
    recordings = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            # read only the recordings, by name: nothing is unpacked
            for member in tar:
                path = Path(member.name)
                if member.isfile() and path.parent.name == "recordings":
                    recordings[path.name] = tar.extractfile(member).read()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise OSError(
            f"The file downloaded from {SPOKEN_DIGITS_URL} is not a readable "
            f"Free Spoken Digit Dataset archive ({exc}); nothing was cached."
        ) from exc
    _check_release(recordings)
    _fill_cache(
        folder,
        recordings,
        f"downloaded from {SPOKEN_DIGITS_URL} (release {SPOKEN_DIGITS_VERSION})",
    )


def _check_release(recordings):
    """Raise unless ``recordings`` (name -> bytes) are the release's own."""
    counts = Counter()
    for name, data in recordings.items():
        match = _NAME.fullmatch(Path(name).stem)
        if not name.endswith(".wav") or match is None or not data.startswith(b"RIFF"):
            raise OSError(
                f"The archive downloaded from {SPOKEN_DIGITS_URL} holds "
                f"recordings/{name}, which is not a recording of the Free Spoken "
                "Digit Dataset; nothing was cached."
            )
        counts[match["speaker"]] += 1
    expected = dict.fromkeys(_SPEAKERS, 10 * _PER_DIGIT_AND_SPEAKER)
    if dict(counts) != expected:
        found = dict(sorted(counts.items()))
        raise OSError(
            f"The archive downloaded from {SPOKEN_DIGITS_URL} holds "
            f"{sum(counts.values())} recordings by speaker {found}, not release "
            f"{SPOKEN_DIGITS_VERSION}'s {expected}; nothing was cached."
        )


def _fill_cache(folder, recordings, source):
    """Replace the cache by ``recordings`` (name -> bytes, or name -> path of a
    file to copy); the source file, written last, marks it complete."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "recordings").mkdir(parents=True)
    for name, data in recordings.items():
        target = folder / "recordings" / name
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            shutil.copyfile(data, target)
    speakers = sorted(
        {_NAME.fullmatch(Path(name).stem)["speaker"] for name in recordings}
    )
    _write_atomically(
        folder / _SOURCE_FILE,
        lambda file: file.write(f"{source}\nspeakers: {' '.join(speakers)}\n".encode()),
    )


def seed_spoken_digits(recordings, *, data_home=None):
    """Fill the cache of :func:`fetch_spoken_digits` from a local folder.

    For machines without network access, and for the documentation, which
    never downloads: the WAV files of a folder of FSDD recordings
    (``{digit}_{speaker}_{index}.wav``, such as the ``recordings`` folder of
    the unpacked release archive) are copied into the cache, replacing what
    it held. The folder may hold only some of the speakers; the data set that
    :func:`fetch_spoken_digits` then returns holds those, and its ``DESCR``
    says so.

    Parameters
    ----------
    recordings : str or path-like
        The folder of recordings.
    data_home : str or path-like, default=None
        The cache's home, as for :func:`fetch_spoken_digits`.

    Returns
    -------
    folder : pathlib.Path
        The cache folder filled.
    """
    recordings = Path(recordings)
    names = sorted(path.name for path in recordings.glob("*.wav"))
    unnamed = [name for name in names if not _NAME.fullmatch(Path(name).stem)]
    if not names or unnamed:
        raise ValueError(
            f"{recordings} must hold FSDD recordings named "
            "{digit}_{speaker}_{index}.wav"
            + (f"; these are not: {', '.join(unnamed[:5])}" if unnamed else "")
        )
    folder = _cache_folder(data_home)
    _fill_cache(
        folder,
        {name: recordings / name for name in names},
        f"seeded from {recordings.resolve()}",
    )
    return folder


@validate_params(
    {
        "sample_rate": [Interval(Integral, 1, None, closed="left"), None],
        "duration": [Interval(Real, 0, None, closed="neither"), None],
        "align": [StrOptions(set(ALIGNMENTS))],
        "load_content": ["boolean"],
        "data_home": [str, os.PathLike, None],
        "download_if_missing": ["boolean"],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def fetch_spoken_digits(
    *,
    sample_rate=None,
    duration=None,
    align="start",
    load_content=True,
    data_home=None,
    download_if_missing=True,
    return_X_y=False,
):
    """Load the Free Spoken Digit Dataset, downloading it the first time.

    Recordings of the digits 0 to 9 spoken in English, 50 of each digit by
    each of six speakers (george, jackson, lucas, nicolas, theo, yweweler):
    3,000 mono WAV files at 8 kHz, trimmed to little silence (most last
    under a second). Release v1.0.10 of Zohar Jackson's FSDD,
    github.com/Jakobovski/free-spoken-digit-dataset, licensed CC BY-SA 4.0.
    The first call downloads the release archive (about 16 MB) and keeps the
    recordings in ``data_home/spoken_digits``; later calls read them there.

    Each recording's speaker is in ``speaker``: to measure accuracy on voices a
    model has not heard, group the folds by it
    (:class:`~sklearn.model_selection.GroupKFold` or
    :class:`~sklearn.model_selection.LeaveOneGroupOut` with
    ``groups=data.speaker``). A random split puts every voice in training and
    test alike and scores far higher than new speakers will.

    Parameters
    ----------
    sample_rate : int or None, default=None
        Rate in Hz to resample to; None keeps the recordings' 8,000 Hz.
    duration : float or None, default=None
        Length in seconds of every waveform: shorter recordings are padded with
        zeros, longer ones cropped. None pads every recording to the longest,
        with a warning that says how long that is. 1.0 keeps almost every
        recording whole (99% of those of george, jackson, lucas and nicolas).
    align : {"start", "center"}, default="start"
        Where each recording sits in its row: "start" keeps its beginning,
        "center" its middle.
    load_content : bool, default=True
        Whether to read the recordings. If False, ``waveforms`` is None and
        ``filenames`` lists the cached WAV files, to stream them (with
        :class:`~skfeat.audio.AudioLoader`, or ``image_loader`` of
        :class:`~skfeat.image.CNNClassifier`).
    data_home : str or path-like, default=None
        Where to cache the data. By default the folder that
        :func:`sklearn.datasets.get_data_home` names: the ``SCIKIT_LEARN_DATA``
        environment variable if set, else ``~/scikit_learn_data``.
    download_if_missing : bool, default=True
        If False, raise :class:`OSError` instead of downloading when the data
        is not in the cache.
    return_X_y : bool, default=False
        Return ``(waveforms, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``waveforms`` (ndarray of float32, shape (n_recordings, n_samples);
        None if ``load_content`` is False), ``target`` (ndarray of int64: the
        digit), ``target_names`` (list of str, "0" to "9"), ``speaker``
        (ndarray of str), ``filenames`` (ndarray of str, in the cache),
        ``sample_rate`` (int, Hz) and ``DESCR`` (str, which says where the
        cache came from and which speakers it holds).
    (waveforms, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    OSError
        If the data is not cached and cannot be downloaded, or if what was
        downloaded is not the release's recordings.

    See Also
    --------
    load_audio_folder : Load your own recordings.

    Notes
    -----
    Offline, fill the cache from a folder of the recordings with
    ``skfeat.datasets._spoken_digits.seed_spoken_digits(folder,
    data_home=...)``; the folder may hold only some speakers. The
    documentation builds offline this way.

    Examples
    --------
    >>> import tempfile
    >>> from skfeat.datasets import fetch_spoken_digits
    >>> fetch_spoken_digits(data_home=tempfile.mkdtemp(), download_if_missing=False)
    Traceback (most recent call last):
    ...
    OSError: the Free Spoken Digit Dataset is not in .../spoken_digits ...
    """
    folder = _cache_folder(data_home)
    if not (folder / _SOURCE_FILE).is_file():
        if not download_if_missing:
            raise OSError(
                f"the Free Spoken Digit Dataset is not in {folder} and "
                "download_if_missing=False; call fetch_spoken_digits() once with "
                "network access to download it, or fill the cache from a local "
                "folder of its recordings with "
                "skfeat.datasets._spoken_digits.seed_spoken_digits(folder)."
            )
        _download_spoken_digits(folder)
    recordings = folder / "recordings"
    if load_content:
        data = load_audio_folder(
            recordings,
            sample_rate=sample_rate,
            duration=duration,
            align=align,
            label_pattern=_NAME,
        )
        waveforms, filenames, names = data.waveforms, data.filenames, data.target_names
        speaker, rate = data.speaker, data.sample_rate
        target = data.target
    else:
        filenames, target, names, fields = _labels_from_names(
            recordings, _NAME, (".wav",)
        )
        rate = sample_rate or (read_header(filenames[0])[1] if filenames else None)
        waveforms, speaker, filenames = None, fields["speaker"], np.asarray(filenames)
    target = np.array(names).astype(np.int64)[target]  # the digit itself
    if return_X_y:
        return waveforms, target
    source, _ = (folder / _SOURCE_FILE).read_text(encoding="utf-8").split("\n", 1)
    speakers = sorted(set(speaker))
    held = (
        f"{len(filenames)} recordings by {len(speakers)} speakers "
        f"({', '.join(speakers)})"
    )
    if set(speakers) != set(_SPEAKERS):
        held += (
            f": only {len(speakers)} of the release's {len(_SPEAKERS)} speakers "
            f"({', '.join(_SPEAKERS)}), as this cache was {source}"
        )
    else:
        held += f", {source}"
    return Bunch(
        waveforms=waveforms,
        target=target,
        target_names=[str(digit) for digit in range(10)],
        speaker=speaker,
        filenames=filenames,
        sample_rate=rate,
        DESCR=(
            "Free Spoken Digit Dataset (Zohar Jackson and contributors, "
            "github.com/Jakobovski/free-spoken-digit-dataset, CC BY-SA 4.0): "
            "the digits 0 to 9 spoken in English, mono WAV at 8 kHz. This cache "
            f"holds {held}. Group folds by speaker to measure accuracy on new "
            "voices."
        ),
    )
