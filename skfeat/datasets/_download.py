"""Downloading once into scikit-learn's data home, and reading what was
cached without running code from it."""

import codecs
import os
import pickle
import tempfile
import urllib.error
import urllib.request

import numpy as np

# numpy's array-unpickling helper, looked up without naming its private home
_NUMPY_RECONSTRUCT = np.ndarray.__reduce__(np.zeros(1))[0]


class _RestrictedUnpickler(pickle.Unpickler):
    """Unpickle only arrays, plain containers and the few globals listed.

    ``pickle.load`` would import and call whatever the file names; this
    resolves only ``_GLOBALS``, so a tampered file cannot run code.
    """

    _GLOBALS = {
        ("numpy", "ndarray"): np.ndarray,
        ("numpy", "dtype"): np.dtype,
        # the helper's home before and since NumPy 2
        ("numpy.core.multiarray", "_reconstruct"): _NUMPY_RECONSTRUCT,
        ("numpy._core.multiarray", "_reconstruct"): _NUMPY_RECONSTRUCT,
        # how Python 3's protocol 2 writes bytes; it can only encode text
        ("_codecs", "encode"): codecs.encode,
    }
    _WHAT = "this file"

    def find_class(self, module, name):
        try:
            return self._GLOBALS[module, name]
        except KeyError:
            raise pickle.UnpicklingError(
                f"refusing to load {module}.{name} from {self._WHAT}"
            ) from None


def _download(url, what, advice):
    """The bytes at ``url``; an OSError naming ``what`` and ``advice`` if the
    download fails."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read()
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise OSError(
            f"Could not download {what} from {url}: {reason}. Connect to the "
            f"network and try again, or {advice}"
        ) from exc


def _write_atomically(path, write):
    """Call ``write(file)`` on a file beside ``path``, then rename it to
    ``path``: a crash never leaves half a file there."""
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
        try:
            write(tmp)
        except BaseException:
            tmp.close()
            os.unlink(tmp.name)
            raise
    os.replace(tmp.name, path)
