"""Reading image files into uint8 arrays, with Pillow.

One decoder for every reader of image files: :func:`skfeat.datasets.load_image_folder`,
:class:`skfeat.image.ImageLoader`, and anything that streams files in batches
(:func:`read_image` decodes one file, so a tf.data ``numpy_function`` or a batch
loop can call it). Colour modes, resizing and interpolation names follow
``keras.utils.load_img`` and ``image_dataset_from_directory``.
"""

import functools
import os
from concurrent.futures import ThreadPoolExecutor
from numbers import Integral

import numpy as np
from PIL import Image, UnidentifiedImageError

# The formats the issue promises, by file name as Keras lists them; Pillow tells
# the format from the file's bytes, so a mislabelled file is still read.
IMAGE_EXTENSIONS = (".bmp", ".gif", ".jpeg", ".jpg", ".png", ".webp")

# color_mode -> (Pillow mode, channels)
COLOR_MODES = {"grayscale": ("L", 1), "rgb": ("RGB", 3), "rgba": ("RGBA", 4)}

INTERPOLATIONS = {
    "nearest": Image.Resampling.NEAREST,
    "bilinear": Image.Resampling.BILINEAR,
    "bicubic": Image.Resampling.BICUBIC,
    "lanczos": Image.Resampling.LANCZOS,
    "box": Image.Resampling.BOX,
    "hamming": Image.Resampling.HAMMING,
}


def check_image_size(image_size):
    """Check an ``image_size`` parameter: (height, width) or None."""
    if image_size is None:
        return
    if len(image_size) != 2 or not all(
        isinstance(side, Integral) and not isinstance(side, bool) and side >= 1
        for side in image_size
    ):
        raise ValueError(
            f"image_size must be (height, width) with two positive ints, or None to "
            f"keep each image's own size; got {image_size!r}"
        )


def read_image(
    path, *, image_size, color_mode="rgb", interpolation="bilinear", crop=False
):
    """Decode one image file to a uint8 array of shape (height, width, channels).

    Parameters
    ----------
    path : str or path-like
        The file; Pillow tells its format from its bytes.
    image_size : (int, int) or None
        ``(height, width)`` to resize to; None keeps the image's own size.
    color_mode : {"grayscale", "rgb", "rgba"}
        Converted with Pillow, as ``keras.utils.load_img`` does: grey images are
        repeated into RGB, palette images expanded, alpha dropped for "rgb".
    interpolation : {"nearest", "bilinear", "bicubic", "lanczos", "box", "hamming"}
        Pillow's resampling filter for resizing.
    crop : bool
        Crop the centre to the aspect ratio of ``image_size`` before resizing,
        instead of stretching the image.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    OSError
        If the file is not an image Pillow can decode, is damaged or truncated;
        the message names the file.
    """
    mode, channels = COLOR_MODES[color_mode]
    try:
        with Image.open(path) as image:
            image = _convert(image, mode)
    except FileNotFoundError as error:
        raise FileNotFoundError(f"image file not found: {path}") from error
    except UnidentifiedImageError as error:  # its message repeats the path
        raise OSError(
            f"cannot read image file {path}: not an image format Pillow reads, or "
            "its header is damaged"
        ) from error
    # Pillow's decoders report damage with OSError, SyntaxError, ValueError,
    # EOFError, struct.error, DecompressionBombError...: name the file for all.
    except Exception as error:
        raise OSError(f"cannot read image file {path}: {error}") from error
    if image_size is not None and image.size != (image_size[1], image_size[0]):
        image = image.resize(
            (image_size[1], image_size[0]),
            INTERPOLATIONS[interpolation],
            box=_centre_box(image.size, image_size) if crop else None,
        )
    pixels = np.asarray(image, dtype=np.uint8)
    return pixels.reshape(*pixels.shape[:2], channels)


def _centre_box(width_height, image_size):
    """The largest centred box of the aspect ratio of ``image_size``, in whole
    pixels, as ``keras.utils.load_img(keep_aspect_ratio=True)`` resizes it from."""
    width, height = width_height
    target_height, target_width = image_size
    crop_height = min(height, width * target_height // target_width)
    crop_width = min(width, height * target_width // target_height)
    left, top = (width - crop_width) // 2, (height - crop_height) // 2
    return left, top, left + crop_width, top + crop_height


def _convert(image, mode):
    """The decoded image in Pillow ``mode``; 16-bit images scaled to 8 bits."""
    if image.mode.startswith("I;16"):
        # Pillow clips 16-bit values at 255 when converting to 8 bits (a white
        # image); scale them instead, rounding, 65535 -> 255.
        wide = np.asarray(image).astype(np.uint32)
        image = Image.fromarray(((wide + 128) // 257).astype(np.uint8))
    elif image.mode in ("I", "F"):
        raise ValueError(
            f"it has 32-bit {'float' if image.mode == 'F' else 'integer'} pixels; "
            "8- and 16-bit images are read"
        )
    return image.convert(mode)


def read_images(
    paths,
    *,
    image_size,
    color_mode="rgb",
    interpolation="bilinear",
    crop=False,
    skip_unreadable=False,
):
    """Decode image files into one uint8 array (n_images, height, width, channels).

    With ``image_size=None`` every image keeps its size, which must then be the
    same for all. With ``skip_unreadable``, files that :func:`read_image` cannot
    decode are left out instead of raising.

    Returns
    -------
    images : ndarray of uint8
        The images read, in the order of ``paths``.
    unreadable : list of (int, OSError)
        Position in ``paths`` and error of each file left out.
    """
    paths = list(paths)
    channels = COLOR_MODES[color_mode][1]
    images = None
    if image_size is not None:  # allocated once: memory is the output alone
        images = np.empty((len(paths), *image_size, channels), dtype=np.uint8)
    unreadable = []
    n_read = 0
    first_path = None
    for position, path in enumerate(paths):
        try:
            pixels = read_image(
                path,
                image_size=image_size,
                color_mode=color_mode,
                interpolation=interpolation,
                crop=crop,
            )
        except OSError as error:
            if not skip_unreadable:
                raise
            unreadable.append((position, error))
            continue
        if images is None:
            images = np.empty((len(paths), *pixels.shape), dtype=np.uint8)
            first_path = path
        elif pixels.shape != images.shape[1:]:
            raise ValueError(
                f"image file {path} is {_size(pixels.shape)} but {first_path} is "
                f"{_size(images.shape[1:])}; pass image_size=(height, width) to "
                "resize them all to one size"
            )
        images[n_read] = pixels
        n_read += 1
    if images is None:  # no paths, or none readable
        images = np.empty((0, *(image_size or (0, 0)), channels), dtype=np.uint8)
    return images[:n_read], unreadable


def _size(shape):
    return f"{shape[0]}×{shape[1]} (height × width)"


class ImageFiles:
    """Image files standing in for the uint8 array of their decoded images.

    ``len``, ``shape`` (n_files, height, width, channels), ``ndim`` and
    ``dtype`` describe that array without reading a file. Indexing with a slice
    or an array of positions decodes those files (with :func:`read_image`), in
    a pool of threads since Pillow releases the GIL while it decodes, into a
    new array. A network can so run over a collection larger than memory, a
    batch at a time, where it would index an array of images.

    ``image_size=None`` keeps the images' own size, which the first file
    decides and every other file must have.
    """

    dtype = np.dtype(np.uint8)
    ndim = 4

    def __init__(
        self,
        paths,
        *,
        image_size,
        color_mode="rgb",
        interpolation="bilinear",
        crop=False,
    ):
        self.paths = np.empty(len(paths), dtype=object)  # fancy indexing, 1-D
        self.paths[:] = paths
        self._options = {
            "color_mode": color_mode,
            "interpolation": interpolation,
            "crop": crop,
        }
        self._image_size = image_size
        channels = COLOR_MODES[color_mode][1]
        if image_size is None and len(paths):
            image_size = read_image(paths[0], image_size=None, **self._options).shape[
                :2
            ]
        self.shape = (len(paths), *image_size, channels)

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        paths = self.paths[index]
        images = np.empty((len(paths), *self.shape[1:]), dtype=np.uint8)

        def read(position):
            pixels = read_image(
                paths[position], image_size=self._image_size, **self._options
            )
            if pixels.shape != images.shape[1:]:  # only without an image_size
                raise ValueError(
                    f"image file {paths[position]} is {_size(pixels.shape)} but "
                    f"{self.paths[0]} is {_size(images.shape[1:])}; resize them all "
                    "to one size with image_size=(height, width)"
                )
            images[position] = pixels

        # list() so that the first file that fails raises here
        list(self._threads.map(read, range(len(paths))))
        return images

    def subset(self, positions):
        """The files at ``positions``, still not read."""
        return ImageFiles(
            self.paths[positions], image_size=self.shape[1:3], **self._options
        )

    @functools.cached_property
    def _threads(self):
        # Decoding is short and the network waits for it: as many threads as
        # cores, at most 8. They end when this object is garbage collected.
        return ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1))
