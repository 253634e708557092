"""The user's own images, one sub-folder per class."""

import os
import warnings

import numpy as np
from sklearn.utils import Bunch
from sklearn.utils._param_validation import StrOptions, validate_params

from skfeat._folders import list_class_folders
from skfeat._images import (
    COLOR_MODES,
    IMAGE_EXTENSIONS,
    INTERPOLATIONS,
    check_image_size,
    read_images,
)


@validate_params(
    {
        "directory": [str, os.PathLike],
        "image_size": [tuple, list, None],
        "color_mode": [StrOptions(set(COLOR_MODES))],
        "interpolation": [StrOptions(set(INTERPOLATIONS))],
        "crop_to_aspect_ratio": ["boolean"],
        "allowed_extensions": [tuple, list],
        "on_error": [StrOptions({"raise", "skip"})],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_image_folder(
    directory,
    *,
    image_size=(256, 256),
    color_mode="rgb",
    interpolation="bilinear",
    crop_to_aspect_ratio=False,
    allowed_extensions=IMAGE_EXTENSIONS,
    on_error="raise",
    return_X_y=False,
):
    """Load a folder of image files, one sub-folder per class, into memory.

    The layout of :func:`sklearn.datasets.load_files` and Keras'
    ``image_dataset_from_directory``::

        directory/
            cat/
                cat_001.jpg
                ...
            dog/
                dog_001.png
                ...

    Classes are the sub-folders' names in sorted order; ``target`` holds each
    image's class index. Each class's files are read from its sub-folder and the
    folders below it, in sorted order; symbolic links to folders are followed,
    each folder once. Files whose names do not end in one of
    ``allowed_extensions`` (a README, ``.DS_Store``) are not images and are
    ignored. Every image is decoded with Pillow, converted to ``color_mode`` and
    resized to ``image_size``, and the pixels are kept as ``uint8``: a quarter
    of the memory of float32.

    Parameters
    ----------
    directory : str or path-like
        The folder holding one sub-folder per class.
    image_size : (int, int) or None, default=(256, 256)
        ``(height, width)`` every image is resized to, as in Keras. None keeps
        each image's own size; all images must then have the same size.
    color_mode : {"rgb", "grayscale", "rgba"}, default="rgb"
        Channels of the images: 3, 1 or 4. Grey and palette images are expanded
        to RGB, colour images reduced to grey, and transparency dropped for
        ``"rgb"`` (the stored colour of transparent pixels is kept), all as
        Pillow's ``Image.convert`` does it, like ``keras.utils.load_img``.
        16-bit images are scaled to 8 bits.
    interpolation : {"bilinear", "nearest", "bicubic", "lanczos", "box", \
"hamming"}, default="bilinear"
        Pillow's resampling filter used to resize.
    crop_to_aspect_ratio : bool, default=False
        Crop the centre of each image to the aspect ratio of ``image_size``
        before resizing, instead of stretching it; as in Keras.
    allowed_extensions : sequence of str, default=(".bmp", ".gif", ".jpeg", \
".jpg", ".png", ".webp")
        File name endings of the files to read, in any case. Pillow tells the
        format from the file's bytes, so other formats it reads (``".tif"``)
        may be added.
    on_error : {"raise", "skip"}, default="raise"
        What to do with a file that cannot be decoded (damaged, truncated, not
        an image): raise an :class:`OSError` naming it, or leave it out and warn
        once, listing every file left out.
    return_X_y : bool, default=False
        Return ``(images, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``images`` (ndarray of uint8, shape (n_images, height, width,
        channels)), ``target`` (ndarray of int64), ``target_names`` (list of
        str), ``filenames`` (ndarray of str, each image's path) and ``DESCR``
        (str).
    (images, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    FileNotFoundError
        If ``directory`` does not exist.
    ValueError
        If it has no sub-folders or they hold no image files, or if
        ``image_size=None`` and the images differ in size.
    OSError
        If a file cannot be decoded and ``on_error="raise"``; the message
        names the file.

    Warns
    -----
    UserWarning
        Naming what is left out: a class sub-folder without image files (its
        name is in ``target_names``, but no image has its label); a link to a
        folder already listed or above ``directory`` (a loop), which would
        list images twice or without end; with ``on_error="skip"``, the files
        that could not be decoded.

    See Also
    --------
    skfeat.image.ImageLoader : Read images from file paths inside a pipeline.
    sklearn.datasets.load_files : The same layout, for text files.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from PIL import Image
    >>> from skfeat.datasets import load_image_folder
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name, shade in [("dark", 30), ("light", 220)]:
    ...     (folder / name).mkdir()
    ...     for i in range(3):
    ...         pixels = np.full((40, 30, 3), shade + i, dtype=np.uint8)
    ...         Image.fromarray(pixels).save(folder / name / f"{i}.png")
    >>> data = load_image_folder(folder, image_size=(32, 32))
    >>> data.images.shape, data.images.dtype
    ((6, 32, 32, 3), dtype('uint8'))
    >>> data.target_names, data.target.tolist()
    (['dark', 'light'], [0, 0, 0, 1, 1, 1])
    """
    check_image_size(image_size)
    filenames, target, target_names = list_class_folders(
        directory, allowed_extensions=allowed_extensions, kind="image"
    )
    images, unreadable = read_images(
        filenames,
        image_size=None if image_size is None else tuple(image_size),
        color_mode=color_mode,
        interpolation=interpolation,
        crop=crop_to_aspect_ratio,
        skip_unreadable=on_error == "skip",
    )
    if unreadable:
        if len(unreadable) == len(filenames):
            raise OSError(
                f"none of the {len(filenames)} image files in {directory} could "
                f"be read; the first: {unreadable[0][1]}"
            )
        warnings.warn(
            f"skipped {len(unreadable)} of {len(filenames)} image files that "
            "could not be read:\n" + "\n".join(str(error) for _, error in unreadable),
            UserWarning,
            stacklevel=3,  # the caller of validate_params' wrapper
        )
        kept = np.ones(len(filenames), dtype=bool)
        kept[[position for position, _ in unreadable]] = False
        filenames = [name for name, keep in zip(filenames, kept, strict=True) if keep]
        target = target[kept]
    if return_X_y:
        return images, target
    height, width, channels = images.shape[1:]
    return Bunch(
        images=images,
        target=target,
        target_names=target_names,
        filenames=np.asarray(filenames),
        DESCR=(
            f"{len(images)} images in {len(target_names)} classes read from "
            f"{os.fspath(directory)}, one sub-folder per class, as {height}×{width} "
            f"{color_mode} images ({channels} channel(s), uint8)."
        ),
    )
