"""scikit-learn's digits as images."""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.utils import Bunch


def load_digit_images(*, return_X_y=False):
    """Load scikit-learn's handwritten digits as 8x8 images scaled to [0, 1].

    The 1,797 images of :func:`sklearn.datasets.load_digits`, shaped for a CNN:
    ``(n_images, 8, 8)`` float32, grey levels divided by 16.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (ndarray of shape (1797, 8, 8)), ``target`` (ndarray of int),
        ``target_names`` (ndarray of int, 0 to 9) and ``DESCR`` (str).
    (data, target) : tuple if ``return_X_y`` is True

    Examples
    --------
    >>> from skfeat.datasets import load_digit_images
    >>> digits = load_digit_images()
    >>> digits.data.shape, digits.data.dtype, float(digits.data.max())
    ((1797, 8, 8), dtype('float32'), 1.0)
    """
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)
    if return_X_y:
        return images, digits.target
    return Bunch(
        data=images,
        target=digits.target,
        target_names=digits.target_names,
        DESCR=digits.DESCR,
    )
