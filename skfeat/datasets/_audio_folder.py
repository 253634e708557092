"""The user's own recordings: one sub-folder per class, or labels in file names."""

import os
import re
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from skfeat._audio import ALIGNMENTS, AUDIO_EXTENSIONS, Waveforms
from skfeat._folders import find_files, list_class_folders, suffixes

# what a label_pattern's other named groups may not be called
_BUNCH_KEYS = {"waveforms", "target", "target_names", "filenames", "sample_rate"}


@validate_params(
    {
        "directory": [str, os.PathLike],
        "sample_rate": [Interval(Integral, 1, None, closed="left"), None],
        "duration": [Interval(Real, 0, None, closed="neither"), None],
        "align": [StrOptions(set(ALIGNMENTS))],
        "label_pattern": [str, re.Pattern, None],
        "allowed_extensions": [tuple, list],
        "on_error": [StrOptions({"raise", "skip"})],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_audio_folder(
    directory,
    *,
    sample_rate=None,
    duration=None,
    align="start",
    label_pattern=None,
    allowed_extensions=AUDIO_EXTENSIONS,
    on_error="raise",
    return_X_y=False,
):
    """Load a folder of audio files into memory, labelled by sub-folder or name.

    By default, the layout of :func:`sklearn.datasets.load_files` and Keras'
    ``audio_dataset_from_directory``: one sub-folder per class::

        directory/
            yes/
                yes_001.wav
                ...
            no/
                no_001.flac
                ...

    Classes are the sub-folders' names in sorted order; ``target`` holds each
    recording's class index. Each class's files are read from its sub-folder
    and the folders below it, in sorted order. With ``label_pattern``, the
    label is in each file's name instead (as in the Free Spoken Digit Dataset's
    ``{digit}_{speaker}_{index}.wav``), and every audio file in ``directory``
    and below it is read. Files whose names do not end in one of
    ``allowed_extensions`` (a README, ``.DS_Store``) are not audio and are
    ignored.

    Every file is decoded with soundfile (libsndfile), its channels averaged to
    mono, integer samples scaled to [-1, 1] (float files keep their values),
    resampled to ``sample_rate`` with soxr, and padded with zeros or cropped
    to ``duration``, as :class:`~skfeat.audio.AudioLoader` does.

    Parameters
    ----------
    directory : str or path-like
        The folder holding one sub-folder per class, or, with
        ``label_pattern``, the recordings (in it or in folders below it).
    sample_rate : int or None, default=None
        Rate in Hz every clip is resampled to. None keeps the files' own rate,
        which must then be the same for all.
    duration : float or None, default=None
        Length in seconds of every waveform: shorter clips are padded with
        zeros, longer ones cropped. None pads every clip to the longest, and
        warns when they differ, saying how long that is.
    align : {"start", "center"}, default="start"
        Where each clip sits in its row: "start" keeps its beginning (pads or
        crops the end), "center" its middle (pads or crops both ends equally).
    label_pattern : str, re.Pattern or None, default=None
        A regular expression that each file's name, without its extension,
        must match whole (:func:`re.fullmatch`); its group named ``label`` is
        the file's class, and its other named groups become fields of the
        Bunch, one string per file. For the Free Spoken Digit Dataset,
        ``r"(?P<label>\\d)_(?P<speaker>[a-z]+)_\\d+"`` gives the digit as
        ``target`` and a ``speaker`` field to group folds by. A file whose name
        does not match raises an error naming it. None takes classes from the
        sub-folders.
    allowed_extensions : sequence of str, default=(".aif", ".aiff", ".flac", \
".mp3", ".ogg", ".wav")
        File name endings of the files to read, in any case. libsndfile tells
        the format from the file's bytes.
    on_error : {"raise", "skip"}, default="raise"
        What to do with a file that cannot be read (damaged, not audio, no
        samples, NaN or infinite samples): raise an error naming it, or leave
        it out and warn once, listing every file left out. Files of different
        sample rates raise either way (pass ``sample_rate``).
    return_X_y : bool, default=False
        Return ``(waveforms, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``waveforms`` (ndarray of float32, shape (n_files, n_samples)),
        ``target`` (ndarray of int64), ``target_names`` (list of str, sorted),
        ``filenames`` (ndarray of str, each waveform's path), ``sample_rate``
        (int, Hz) and ``DESCR`` (str); with ``label_pattern``, one more field
        per other named group.
    (waveforms, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    FileNotFoundError
        If ``directory`` does not exist.
    ValueError
        If it holds no audio files (or, without ``label_pattern``, no
        sub-folders), if a file's name does not match ``label_pattern``, or if
        the files' sample rates differ and ``sample_rate`` is None.
    OSError
        If a file cannot be decoded and ``on_error="raise"``; the message
        names the file.

    See Also
    --------
    skfeat.audio.AudioLoader : Read audio files from their paths inside a
        pipeline; for a list of paths.
    fetch_spoken_digits : The Free Spoken Digit Dataset.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> import soundfile
    >>> from skfeat.datasets import load_audio_folder
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name, pitch in [("high", 880), ("low", 220)]:
    ...     (folder / name).mkdir()
    ...     for i in range(3):
    ...         tone = np.sin(2 * np.pi * pitch * np.arange(800 + 100 * i) / 8000)
    ...         soundfile.write(folder / name / f"{i}.wav", tone, 8000)
    >>> data = load_audio_folder(folder, duration=0.125)
    >>> data.waveforms.shape, data.waveforms.dtype, data.sample_rate
    ((6, 1000), dtype('float32'), 8000)
    >>> data.target_names, data.target.tolist()
    (['high', 'low'], [0, 0, 0, 1, 1, 1])

    Labels in the file names, such as ``{digit}_{speaker}_{index}.wav``:

    >>> named = Path(tempfile.mkdtemp())
    >>> for digit, speaker in [(3, "ana"), (7, "ana"), (3, "bo")]:
    ...     soundfile.write(named / f"{digit}_{speaker}_0.wav", tone, 8000)
    >>> data = load_audio_folder(
    ...     named, label_pattern=r"(?P<label>\\d)_(?P<speaker>[a-z]+)_\\d+")
    >>> data.target_names, data.target.tolist(), data.speaker.tolist()
    (['3', '7'], [0, 0, 1], ['ana', 'bo', 'ana'])
    """
    if label_pattern is None:
        filenames, target, target_names = list_class_folders(
            directory, allowed_extensions=allowed_extensions, kind="audio"
        )
        fields = {}
    else:
        filenames, target, target_names, fields = _labels_from_names(
            directory, re.compile(label_pattern), allowed_extensions
        )
    waveforms = Waveforms(
        filenames,
        sample_rate=sample_rate,
        duration=duration,
        align=align,
        skip_unreadable=on_error == "skip",
        stacklevel=4,  # the caller of validate_params' wrapper
    )
    data = waveforms.read_all(filenames, skip_unreadable=on_error == "skip")
    if waveforms.unreadable:
        if len(waveforms.unreadable) == len(filenames):
            raise OSError(
                f"none of the {len(filenames)} audio files in {directory} could "
                f"be read; the first: {waveforms.unreadable[0][1]}"
            )
        warnings.warn(
            f"skipped {len(waveforms.unreadable)} of {len(filenames)} audio files "
            "that could not be read:\n"
            + "\n".join(str(error) for _, error in waveforms.unreadable),
            UserWarning,
            stacklevel=3,
        )
        kept = np.ones(len(filenames), dtype=bool)
        kept[[position for position, _ in waveforms.unreadable]] = False
        filenames = [name for name, keep in zip(filenames, kept, strict=True) if keep]
        target = target[kept]
        fields = {name: values[kept] for name, values in fields.items()}
    if return_X_y:
        return data, target
    labelled = (
        "one sub-folder per class"
        if label_pattern is None
        else f"labels from file names matching {_pattern_text(label_pattern)!r}"
    )
    return Bunch(
        waveforms=data,
        target=target,
        target_names=target_names,
        filenames=np.asarray(filenames),
        sample_rate=waveforms.sample_rate,
        **fields,
        DESCR=(
            f"{len(data)} recordings in {len(target_names)} classes read from "
            f"{os.fspath(directory)}, {labelled}, as mono float32 waveforms of "
            f"{waveforms.n_samples} samples at {waveforms.sample_rate} Hz "
            f"({waveforms.n_samples / waveforms.sample_rate:.3g} s)."
        ),
    )


def _labels_from_names(directory, pattern, allowed_extensions):
    """Every audio file below ``directory``, labelled by ``pattern``'s ``label``
    group; its other named groups as arrays, one value per file."""
    if "label" not in pattern.groupindex:
        raise ValueError(
            f"label_pattern {pattern.pattern!r} has no group named 'label'; mark "
            r"the part of the name that is the class: r'(?P<label>\d)_.*'"
        )
    reserved = _BUNCH_KEYS & set(pattern.groupindex)
    if reserved:
        raise ValueError(
            f"label_pattern names a group {sorted(reserved)[0]!r}, a field the "
            "Bunch already has; rename that group"
        )
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"audio folder not found: {directory}")
    filenames = find_files(directory, allowed_extensions=allowed_extensions)
    if not filenames:
        raise ValueError(
            f"found no audio files in {directory} or the folders below it; file "
            f"names must end in one of {', '.join(suffixes(allowed_extensions))}"
        )
    matches = [
        pattern.fullmatch(os.path.splitext(os.path.basename(name))[0])
        for name in filenames
    ]
    unmatched = [
        name for name, match in zip(filenames, matches, strict=True) if match is None
    ]
    if unmatched:
        raise ValueError(
            f"{len(unmatched)} of {len(filenames)} audio files have names that "
            f"label_pattern {pattern.pattern!r} does not match (without their "
            f"extension, whole): {', '.join(unmatched[:5])}"
            f"{', ...' if len(unmatched) > 5 else ''}; move them out of "
            f"{directory} or widen the pattern"
        )
    labels = [match["label"] for match in matches]
    target_names = sorted(set(labels))
    index = {name: i for i, name in enumerate(target_names)}
    target = np.asarray([index[label] for label in labels], dtype=np.int64)
    fields = {
        name: np.asarray([match[name] for match in matches])
        for name in pattern.groupindex
        if name != "label"
    }
    return filenames, target, target_names, fields


def _pattern_text(label_pattern):
    return getattr(label_pattern, "pattern", label_pattern)
