"""Image files to arrays inside a pipeline: :class:`ImageLoader`."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import StrOptions

from skfeat._columns import file_paths, reject_single_path
from skfeat._images import COLOR_MODES, INTERPOLATIONS, check_image_size, read_images


class ImageLoader(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Read image files, given by path, into a uint8 array of images.

    The first step of a pipeline on images kept as files: paths in, images of
    shape (n_images, height, width, channels) out, one per path and in order,
    for :class:`PretrainedImageEncoder` or :class:`CNNClassifier`. Every file is
    decoded with Pillow (PNG, JPEG, BMP, GIF, WebP and whatever else it reads),
    converted to ``color_mode`` and resized to ``image_size``, exactly as
    :func:`skfeat.datasets.load_image_folder` does.

    The loader learns nothing: :meth:`fit` only checks its input, and
    :meth:`transform` works without it.

    Parameters
    ----------
    image_size : (int, int) or None, default=(256, 256)
        ``(height, width)`` every image is resized to, as in Keras. None keeps
        each image's own size; all images of one call must then have the same
        size.
    color_mode : {"rgb", "grayscale", "rgba"}, default="rgb"
        Channels of the images: 3, 1 or 4, converted with Pillow as
        ``keras.utils.load_img`` does (see
        :func:`~skfeat.datasets.load_image_folder`).
    interpolation : {"bilinear", "nearest", "bicubic", "lanczos", "box", \
"hamming"}, default="bilinear"
        Pillow's resampling filter used to resize.
    crop_to_aspect_ratio : bool, default=False
        Crop the centre of each image to the aspect ratio of ``image_size``
        before resizing, instead of stretching it.

    See Also
    --------
    skfeat.datasets.load_image_folder : Load a folder of images, one sub-folder
        per class.
    PretrainedImageEncoder : Features of images from a pretrained network.

    Notes
    -----
    A file that cannot be read (missing, damaged, not an image) raises an error
    naming it. The loader never leaves a file out, since that would misalign
    the images with their labels; use
    :func:`~skfeat.datasets.load_image_folder` with ``on_error="skip"`` to
    load a collection that has bad files.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from PIL import Image
    >>> from skfeat.image import ImageLoader
    >>> folder = Path(tempfile.mkdtemp())
    >>> Image.fromarray(np.zeros((48, 64, 3), np.uint8)).save(folder / "a.png")
    >>> Image.fromarray(np.zeros((20, 20), np.uint8)).save(folder / "b.jpg")
    >>> images = ImageLoader(image_size=(32, 32)).transform(
    ...     [folder / "a.png", folder / "b.jpg"])
    >>> images.shape, images.dtype
    ((2, 32, 32, 3), dtype('uint8'))
    """

    _parameter_constraints: dict = {
        "image_size": [tuple, list, None],
        "color_mode": [StrOptions(set(COLOR_MODES))],
        "interpolation": [StrOptions(set(INTERPOLATIONS))],
        "crop_to_aspect_ratio": ["boolean"],
    }

    def __init__(
        self,
        *,
        image_size=(256, 256),
        color_mode="rgb",
        interpolation="bilinear",
        crop_to_aspect_ratio=False,
    ):
        self.image_size = image_size
        self.color_mode = color_mode
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the parameters; nothing is learned and no file is read.

        Parameters
        ----------
        X : sequence of str or path-like
            Paths of image files: a list, a 1-D array, or a single column of a
            2-D array or DataFrame.
        y : None
            Ignored.

        Returns
        -------
        self : ImageLoader
            The loader, unchanged.
        """
        check_image_size(self.image_size)
        reject_single_path(X, kind="image")  # without iterating: a generator
        return self

    def transform(self, X):
        """Read each file into an image.

        Parameters
        ----------
        X : sequence of str or path-like
            Paths of image files, as in :meth:`fit`.

        Returns
        -------
        images : ndarray of shape (n_paths, height, width, channels), dtype uint8
            One image per path, in order.
        """
        images, _ = read_images(file_paths(X, kind="image"), **self._decoding())
        return images

    def _decoding(self):
        """The options of :func:`~skfeat._images.read_image` that the parameters
        set, once checked (the loader needs no fit, so they are checked here)."""
        self._validate_params()
        check_image_size(self.image_size)
        return {
            "image_size": None if self.image_size is None else tuple(self.image_size),
            "color_mode": self.color_mode,
            "interpolation": self.interpolation,
            "crop": self.crop_to_aspect_ratio,
        }

    def get_feature_names_out(self, input_features=None):
        """The name of the one column of images: the name of the path column.

        Lets a pipeline that starts with the loader name its features inside a
        :class:`~sklearn.compose.ColumnTransformer`.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            The name of the column of paths.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``input_features``, or ``["image"]`` when it is None.
        """
        if input_features is None:
            return np.asarray(["image"], dtype=object)
        if len(input_features) != 1:
            raise ValueError(
                f"ImageLoader reads one column of paths, got {len(input_features)} "
                f"input features: {list(input_features)}"
            )
        return np.asarray(input_features, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        tags.transformer_tags.preserves_dtype = []  # uint8 images whatever came in
        return tags
