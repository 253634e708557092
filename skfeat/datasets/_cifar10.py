"""CIFAR-10, fetched once and kept as arrays."""

import io
import pickle
import tarfile
import zlib
from itertools import chain
from pathlib import Path

import numpy as np
from sklearn.datasets import get_data_home
from sklearn.utils import Bunch

from skfeat.datasets._download import _download, _RestrictedUnpickler, _write_atomically

CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
# the batches the python archive holds for each subset, and their image counts
_CIFAR10_BATCHES = {
    "train": [f"data_batch_{i}" for i in range(1, 6)],
    "test": ["test_batch"],
}
_CIFAR10_SIZES = {"train": 50_000, "test": 10_000}
_CIFAR10_SUBSETS = {"train": ["train"], "test": ["test"], "all": ["train", "test"]}


class _Cifar10Unpickler(_RestrictedUnpickler):
    _WHAT = "the CIFAR-10 archive"


def _download_cifar10(folder):
    """Download the CIFAR-10 python archive and keep its images as arrays.

    Each subset becomes ``folder/<subset>.npz`` (uint8 images of shape
    (n, 32, 32, 3), channels last, and int labels), and ``label_names.txt``.
    """
    archive = _download(
        CIFAR10_URL,
        "CIFAR-10",
        f"download cifar-10-python.tar.gz elsewhere and call "
        f"skfeat.datasets.fetch_cifar10(data_home=...) there, then copy "
        f"{folder} here.",
    )
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            # read only the members we need, by name: nothing is unpacked
            members = {Path(m.name).name: m for m in tar.getmembers() if m.isfile()}
            needed = [*chain.from_iterable(_CIFAR10_BATCHES.values()), "batches.meta"]
            missing = [name for name in needed if name not in members]
            if missing:
                raise OSError(
                    f"The archive downloaded from {CIFAR10_URL} lacks "
                    f"{', '.join(missing)}; it is not the CIFAR-10 python archive."
                )
            batches = {
                name: _Cifar10Unpickler(
                    tar.extractfile(members[name]), encoding="bytes"
                ).load()
                for name in needed
            }
    except (tarfile.TarError, EOFError, zlib.error, pickle.UnpicklingError) as exc:
        raise OSError(
            f"The file downloaded from {CIFAR10_URL} is not a readable CIFAR-10 "
            f"archive ({exc})."
        ) from exc
    folder.mkdir(parents=True, exist_ok=True)
    for subset, names in _CIFAR10_BATCHES.items():
        # rows are 3,072 bytes: the red plane, then green, then blue, 32 × 32 each
        planes = np.concatenate([batches[name][b"data"] for name in names])
        images = np.ascontiguousarray(
            planes.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        )
        labels = np.concatenate([batches[name][b"labels"] for name in names])
        _write_atomically(
            folder / f"{subset}.npz",
            lambda file, i=images, y=labels: np.savez(file, images=i, labels=y),
        )
    names = [name.decode("ascii") for name in batches["batches.meta"][b"label_names"]]
    _write_atomically(
        folder / "label_names.txt",
        lambda file: file.write("\n".join(names).encode("ascii")),
    )


def fetch_cifar10(
    *, subset="train", data_home=None, download_if_missing=True, return_X_y=False
):
    """Load the CIFAR-10 colour images, downloading them the first time.

    60,000 photos of 32×32 pixels in 10 classes (airplane, automobile, bird,
    cat, deer, dog, frog, horse, ship, truck): 50,000 for training, 10,000 for
    testing. Krizhevsky, "Learning Multiple Layers of Features from Tiny
    Images", 2009. The first call downloads the official python archive
    (163 MB) and keeps the images as arrays in ``data_home/cifar10``; later
    calls read them from there.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which images: the 50,000 training ones, the 10,000 test ones, or all,
        training first.
    data_home : str or path-like, default=None
        Where to cache the data. By default the folder that
        :func:`sklearn.datasets.get_data_home` names: the ``SCIKIT_LEARN_DATA``
        environment variable if set, else ``~/scikit_learn_data``.
    download_if_missing : bool, default=True
        If False, raise :class:`OSError` instead of downloading when the data
        is not in the cache.
    return_X_y : bool, default=False
        Return ``(images, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``images`` (uint8 ndarray of shape (n, 32, 32, 3), RGB, channels last,
        as users hold images), ``target`` (ndarray of int, 0 to 9),
        ``target_names`` (list of str) and ``DESCR`` (str).
    (images, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    OSError
        If the data is not cached and cannot be downloaded, or if what was
        downloaded or cached is not CIFAR-10.

    Examples
    --------
    >>> import tempfile
    >>> from skfeat.datasets import fetch_cifar10
    >>> fetch_cifar10(data_home=tempfile.mkdtemp(), download_if_missing=False)
    Traceback (most recent call last):
    ...
    OSError: CIFAR-10 is not in .../cifar10 ...
    """
    if subset not in _CIFAR10_SUBSETS:
        raise ValueError(f"subset={subset!r} is not one of {sorted(_CIFAR10_SUBSETS)}")
    folder = Path(get_data_home(data_home)) / "cifar10"
    files = [folder / f"{name}.npz" for name in _CIFAR10_SIZES]
    if not all(path.is_file() for path in [*files, folder / "label_names.txt"]):
        if not download_if_missing:
            raise OSError(
                f"CIFAR-10 is not in {folder} and download_if_missing=False; call "
                "fetch_cifar10() once with network access to download it."
            )
        _download_cifar10(folder)
    images, target = [], []
    for name in _CIFAR10_SUBSETS[subset]:
        with np.load(folder / f"{name}.npz") as arrays:
            part, labels = arrays["images"], arrays["labels"].astype(np.int64)
        if part.shape != (_CIFAR10_SIZES[name], 32, 32, 3) or len(labels) != len(part):
            raise OSError(
                f"{folder / name}.npz holds images of shape {part.shape}, not "
                f"CIFAR-10's ({_CIFAR10_SIZES[name]}, 32, 32, 3); delete {folder} "
                "and fetch again."
            )
        images.append(part)
        target.append(labels)
    images = images[0] if len(images) == 1 else np.concatenate(images)
    target = np.concatenate(target)
    if return_X_y:
        return images, target
    return Bunch(
        images=images,
        target=target,
        target_names=(folder / "label_names.txt").read_text().split(),
        DESCR=(
            "CIFAR-10: 60,000 colour images of 32x32 pixels in 10 classes, "
            "50,000 for training and 10,000 for testing. Alex Krizhevsky, "
            "'Learning Multiple Layers of Features from Tiny Images', 2009."
        ),
    )
