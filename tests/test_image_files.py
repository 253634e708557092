"""Images read from files: load_image_folder and ImageLoader, on small folders of
real files written with Pillow in every format the loaders promise."""

import os
import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from sklearn.base import clone

from skfeat.datasets import load_image_folder
from skfeat.image import ImageLoader

RNG = np.random.RandomState(0)
# Noise, so that a wrong channel order, crop or resize changes the pixels.
RGB = RNG.randint(0, 256, (12, 10, 3), dtype=np.uint8)
GREY = RNG.randint(0, 256, (12, 10), dtype=np.uint8)
ALPHA = RNG.randint(0, 256, (12, 10), dtype=np.uint8)


def save(path, pixels, **options):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path, **options)
    return path


def palette_image(path):
    """A GIF of four colours, and the RGB pixels it stands for."""
    colours = np.array([[255, 0, 0], [0, 128, 0], [0, 0, 255], [250, 250, 10]])
    index = RNG.randint(0, 4, (12, 10)).astype(np.uint8)
    image = Image.fromarray(index, mode="P")
    image.putpalette(colours.astype(np.uint8).ravel().tolist())
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path, colours[index].astype(np.uint8)


@pytest.fixture
def folder(tmp_path):
    """Two classes of 12×10 images, in lossless formats, with known pixels."""
    root = tmp_path / "images"
    save(root / "cat" / "b.png", RGB)
    save(root / "cat" / "a.bmp", RGB[::-1])
    save(root / "cat" / "nested" / "c.webp", RGB[:, ::-1], lossless=True)
    save(root / "dog" / "grey.png", GREY)
    palette_image(root / "dog" / "palette.gif")
    (root / "dog" / "README.txt").write_text("not an image")
    (root / "dog" / ".DS_Store").write_bytes(b"\x00\x01")
    return root


def test_classes_are_sorted_subfolders_and_their_files_are_read_in_order(folder):
    data = load_image_folder(folder, image_size=None)
    assert data.target_names == ["cat", "dog"]
    names = [path.replace(str(folder), "") for path in data.filenames]
    assert names == [
        "/cat/a.bmp",
        "/cat/b.png",
        "/cat/nested/c.webp",
        "/dog/grey.png",
        "/dog/palette.gif",
    ]
    assert data.target.tolist() == [0, 0, 0, 1, 1]
    assert data.images.shape == (5, 12, 10, 3) and data.images.dtype == np.uint8
    assert "5 images in 2 classes" in data.DESCR


def test_lossless_formats_decode_to_their_exact_pixels(folder):
    images = load_image_folder(folder, image_size=None).images
    np.testing.assert_array_equal(images[0], RGB[::-1])  # BMP
    np.testing.assert_array_equal(images[1], RGB)  # PNG
    np.testing.assert_array_equal(images[2], RGB[:, ::-1])  # lossless WebP


def test_grey_images_are_repeated_into_three_channels(folder):
    grey = load_image_folder(folder, image_size=None).images[3]
    np.testing.assert_array_equal(grey, np.repeat(GREY[..., None], 3, axis=2))


def test_palette_images_are_expanded_to_their_colours(tmp_path):
    path, expected = palette_image(tmp_path / "p" / "palette.gif")
    images, _ = load_image_folder(tmp_path, image_size=None, return_X_y=True)
    np.testing.assert_array_equal(images[0], expected)


def test_grayscale_mode_gives_one_channel_and_keeps_grey_values(tmp_path):
    save(tmp_path / "a" / "grey_as_rgb.png", np.repeat(GREY[..., None], 3, axis=2))
    images, _ = load_image_folder(
        tmp_path, image_size=None, color_mode="grayscale", return_X_y=True
    )
    assert images.shape == (1, 12, 10, 1)
    np.testing.assert_array_equal(images[0, ..., 0], GREY)


def test_rgba_mode_keeps_the_alpha_channel_and_rgb_drops_it(tmp_path):
    save(tmp_path / "a" / "rgba.png", np.dstack([RGB, ALPHA]))
    rgba, _ = load_image_folder(
        tmp_path, image_size=None, color_mode="rgba", return_X_y=True
    )
    rgb, _ = load_image_folder(tmp_path, image_size=None, return_X_y=True)
    np.testing.assert_array_equal(rgba[0], np.dstack([RGB, ALPHA]))
    np.testing.assert_array_equal(rgb[0], RGB)


def test_opaque_images_get_an_opaque_alpha_channel(folder):
    images = load_image_folder(folder, image_size=None, color_mode="rgba").images
    assert images.shape[-1] == 4
    np.testing.assert_array_equal(images[..., 3], 255)


def test_sixteen_bit_images_are_scaled_to_eight_bits_not_clipped(tmp_path):
    wide = np.array([[0, 257, 32896], [65535, 1000, 40000]], dtype=np.uint16)
    save(tmp_path / "a" / "deep.png", wide)
    images, _ = load_image_folder(
        tmp_path, image_size=None, color_mode="grayscale", return_X_y=True
    )
    assert images[0, ..., 0].tolist() == [[0, 1, 128], [255, 4, 156]]


def test_jpeg_is_decoded_close_to_its_pixels(tmp_path):
    smooth = np.broadcast_to(np.linspace(0, 255, 16).astype(np.uint8), (16, 16))
    save(tmp_path / "a" / "photo.jpg", np.dstack([smooth] * 3), quality=95)
    images, _ = load_image_folder(tmp_path, image_size=None, return_X_y=True)
    difference = np.abs(images[0].astype(int) - smooth[..., None])
    assert difference.max() <= 8  # lossy, but the same picture


@pytest.mark.parametrize("color_mode", ["rgb", "grayscale", "rgba"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic", "box"])
@pytest.mark.parametrize("crop", [False, True])
def test_resizing_gives_what_keras_load_img_gives(
    tmp_path, color_mode, interpolation, crop
):
    import keras

    paths = [
        save(tmp_path / "a" / "rgb.png", RGB),
        save(tmp_path / "a" / "rgba.png", np.dstack([RGB, ALPHA])),
        palette_image(tmp_path / "a" / "palette.gif")[0],
        save(tmp_path / "a" / "wide.png", RNG.randint(0, 256, (7, 31), np.uint8)),
    ]
    loaded = ImageLoader(
        image_size=(9, 13),
        color_mode=color_mode,
        interpolation=interpolation,
        crop_to_aspect_ratio=crop,
    ).transform(paths)
    by_keras = [
        keras.utils.img_to_array(
            keras.utils.load_img(
                path,
                color_mode=color_mode,
                target_size=(9, 13),
                interpolation=interpolation,
                keep_aspect_ratio=crop,
            )
        )
        for path in paths
    ]
    np.testing.assert_array_equal(loaded, np.stack(by_keras))


def test_mixed_sizes_are_resized_to_image_size(folder):
    save(folder / "dog" / "large.png", RNG.randint(0, 256, (300, 200, 3), np.uint8))
    data = load_image_folder(folder, image_size=(16, 24))
    assert data.images.shape == (6, 16, 24, 3)


def test_mixed_sizes_without_image_size_name_both_files(folder):
    save(folder / "dog" / "large.png", RNG.randint(0, 256, (30, 20, 3), np.uint8))
    with pytest.raises(ValueError, match=r"large\.png is 30×20 .*/a\.bmp is 12×10"):
        load_image_folder(folder, image_size=None)


def corrupt_files(folder):
    """A truncated PNG, a text file named .jpg and an empty .png, among good ones."""
    data = (folder / "cat" / "b.png").read_bytes()
    truncated = folder / "cat" / "truncated.png"
    truncated.write_bytes(data[: len(data) // 2])
    text = folder / "dog" / "notes.jpg"
    text.write_text("this is not a JPEG")
    empty = folder / "dog" / "empty.png"
    empty.write_bytes(b"")
    return [truncated, text, empty]


def test_an_unreadable_file_raises_an_error_that_names_it(folder):
    truncated = corrupt_files(folder)[0]
    with pytest.raises(OSError, match=f"cannot read image file {truncated}: .*trunc"):
        load_image_folder(folder)


def test_a_folder_that_cannot_be_listed_is_an_error_not_left_out(folder, monkeypatch):
    # chmod cannot lock out root, who runs some test machines: refuse in scandir
    nested = folder / "cat" / "nested"
    scandir = os.scandir

    def refusing_scandir(path):
        if Path(path) == nested:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    with pytest.raises(OSError, match=f"cannot list the folder {nested}: Permission"):
        load_image_folder(folder)


def test_skipping_leaves_bad_files_out_with_one_warning_listing_them(folder):
    bad = corrupt_files(folder)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = load_image_folder(folder, image_size=(8, 8), on_error="skip")
    assert len(caught) == 1
    message = str(caught[0].message)
    assert message.startswith("skipped 3 of 8 image files")
    assert all(str(path) in message for path in bad)
    assert caught[0].filename == __file__  # points at the caller
    assert len(data.images) == len(data.target) == len(data.filenames) == 5
    assert not set(map(str, bad)) & set(data.filenames)
    # the good files keep their labels
    assert data.target.tolist() == [0, 0, 0, 1, 1]


def test_return_X_y_gives_the_bunch_images_and_target(folder):
    images, target = load_image_folder(folder, image_size=(8, 8), return_X_y=True)
    data = load_image_folder(folder, image_size=(8, 8))
    np.testing.assert_array_equal(images, data.images)
    np.testing.assert_array_equal(target, data.target)


# --- ImageLoader ---------------------------------------------------------------


def test_loader_gives_the_images_load_image_folder_gives(folder):
    data = load_image_folder(folder, image_size=(8, 8), interpolation="lanczos")
    loader = ImageLoader(image_size=(8, 8), interpolation="lanczos")
    np.testing.assert_array_equal(loader.transform(data.filenames), data.images)


@pytest.mark.parametrize(
    "container",
    [
        list,
        lambda paths: [Path(path) for path in paths],
        np.asarray,
        lambda paths: np.asarray(paths, dtype=object).reshape(-1, 1),
        lambda paths: pd.Series(paths, name="path"),
        lambda paths: pd.DataFrame({"path": paths}),
        lambda paths: (path for path in paths),
    ],
    ids=["list", "Path", "1-D array", "column array", "Series", "DataFrame", "gen"],
)
def test_loader_takes_paths_in_any_one_column_container(folder, container):
    paths = list(load_image_folder(folder, image_size=None).filenames)
    expected = ImageLoader(image_size=(6, 6)).transform(paths)
    images = ImageLoader(image_size=(6, 6)).fit_transform(container(paths))
    np.testing.assert_array_equal(images, expected)


def test_loader_reads_files_in_the_order_given(folder):
    paths = list(load_image_folder(folder, image_size=None).filenames)
    loader = ImageLoader(image_size=None)
    order = [4, 0, 3, 1, 2, 0]
    np.testing.assert_array_equal(
        loader.transform([paths[i] for i in order]), loader.transform(paths)[order]
    )


def test_loader_learns_nothing_and_needs_no_fit(folder):
    paths = load_image_folder(folder, image_size=None).filenames
    loader = ImageLoader(image_size=(5, 5))
    before = dict(vars(loader))
    assert loader.fit(paths) is loader
    assert vars(loader) == before
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(loader)).transform(paths),
        clone(loader).transform(paths),
    )


def test_loader_never_skips_an_unreadable_file(folder):
    paths = [*load_image_folder(folder, image_size=None).filenames]
    truncated = corrupt_files(folder)[0]
    with pytest.raises(OSError, match=str(truncated)):
        ImageLoader().transform([*paths, truncated])


def test_loader_checks_its_parameters_without_fit(folder):
    paths = load_image_folder(folder, image_size=None).filenames
    with pytest.raises(ValueError, match="'color_mode' parameter"):
        ImageLoader(color_mode="cmyk").transform(paths)


def test_loader_names_its_column_of_images_after_the_paths():
    assert ImageLoader().get_feature_names_out(["photo"]).tolist() == ["photo"]
    assert ImageLoader().get_feature_names_out().tolist() == ["image"]
    with pytest.raises(ValueError, match="one column of paths, got 2"):
        ImageLoader().get_feature_names_out(["a", "b"])
