"""Files standing in for the array their loader decodes them into.

The one mechanism that streams files into a network, whatever they hold:
:class:`LoadedFiles` describes the array of decoded files without reading them,
and decodes the files of a batch when it is indexed. The loader says how a file
is decoded: :class:`~skfeat.image.ImageLoader`,
:class:`~skfeat.audio.AudioLoader`, or a pipeline that starts with one and
transforms the decoded batch (waveforms into spectrograms).
"""

import copy
import functools
import os
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline


class FileReader(NamedTuple):
    """How a loader decodes one file of a collection: ``read(path)`` gives an
    array of ``sample_shape`` and ``dtype``, the same for every file."""

    read: object
    sample_shape: tuple
    dtype: np.dtype


class LoadedFiles:
    """Files standing in for the array ``loader.transform(paths)`` would give.

    ``len``, ``shape``, ``ndim`` and ``dtype`` describe that array without
    reading more than one file. Indexing with a slice or an array of positions
    decodes those files, each on its own, in a pool of threads (Pillow,
    libsndfile and soxr release the GIL while they decode), then runs the
    loader's later steps, if it is a pipeline, on the batch. A network can so
    run over a collection larger than memory, a batch at a time, where it
    would index an array.

    The loader, or a pipeline's first step, says how it reads a collection
    of files with a ``_file_reader(paths)`` method returning a
    :class:`FileReader`: ImageLoader and AudioLoader have one. Any other
    transformer from paths to arrays is called on one path at a time, the
    first file deciding the shape of every sample. The later steps of a
    pipeline must need no fitting and treat each sample on its own.

    With ``channel_axis``, samples of one or two dimensions (waveforms,
    spectrograms, grey images) get a trailing axis of length one, as a
    network takes them; ``sample_shape`` stays the loader's.
    """

    def __init__(self, paths, loader, *, channel_axis=False):
        self.paths = np.empty(len(paths), dtype=object)  # fancy indexing, 1-D
        self.paths[:] = paths
        first, self._steps = _reader_and_steps(loader)
        self._reader = _file_reader(first, self.paths)
        self.sample_shape = self._reader.sample_shape
        self.dtype = np.dtype(self._reader.dtype)
        if self._steps is not None and len(self.paths):
            probe = self._transformed(self._decoded(self.paths[:1]))
            self.sample_shape, self.dtype = probe.shape[1:], probe.dtype
        self._channel = channel_axis and len(self.sample_shape) in (1, 2)
        self.shape = (len(self.paths), *self.sample_shape, *(1,) * self._channel)

    @property
    def ndim(self):
        return len(self.shape)

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        paths = self.paths[index]
        samples = self._decoded(paths)
        if self._steps is not None:
            samples = self._transformed(samples)
            if samples.shape[1:] != self.sample_shape:
                raise ValueError(
                    f"the loader's steps after decoding give samples of shape "
                    f"{samples.shape[1:]} for the files from {paths[0]} on, but "
                    f"{self.sample_shape} for {self.paths[0]}; every file must give "
                    "the same shape (fix its length or size in the first step)"
                )
            samples = samples.astype(self.dtype, copy=False)
        return samples[..., np.newaxis] if self._channel else samples

    def _decoded(self, paths):
        samples = np.empty((len(paths), *self._reader.sample_shape), self._reader.dtype)

        def read(position):
            samples[position] = self._reader.read(paths[position])

        # list() so that the first file that fails raises here
        list(self._threads.map(read, range(len(paths))))
        return samples

    def _transformed(self, samples):
        try:
            return np.asarray(self._steps.transform(samples))
        except NotFittedError as error:
            raise NotFittedError(
                f"the loader's steps after decoding must need no fitting, since "
                f"they run on each batch of files as it is decoded; {error}"
            ) from error

    def subset(self, positions):
        """The files at ``positions``, still not read, decoded the same way."""
        part = copy.copy(self)
        part.__dict__.pop("_threads", None)
        part.paths = self.paths[positions]
        part.shape = (len(part.paths), *self.shape[1:])
        return part

    @functools.cached_property
    def _threads(self):
        # Decoding is short and the network waits for it: as many threads as
        # cores, at most 8. They end when this object is garbage collected.
        return ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1))


def _reader_and_steps(loader):
    """The step that reads files, and the pipeline of the later steps or None."""
    if isinstance(loader, Pipeline) and hasattr(loader.steps[0][1], "_file_reader"):
        return loader.steps[0][1], (loader[1:] if len(loader.steps) > 1 else None)
    return loader, None


def _file_reader(loader, paths):
    if hasattr(loader, "_file_reader"):
        return loader._file_reader(paths)
    if not len(paths):
        return FileReader(None, (), np.float64)
    first = np.asarray(loader.transform(paths[:1]))[0]

    def read(path):
        sample = np.asarray(loader.transform([path]))[0]
        if sample.shape != first.shape:
            raise ValueError(
                f"file {path} gives a sample of shape {sample.shape}, but "
                f"{paths[0]} gives {first.shape}; the loader must give every file "
                "the same shape"
            )
        return sample

    return FileReader(read, first.shape, first.dtype)
