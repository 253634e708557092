"""CNNClassifier trained on image files, decoded a batch at a time: the same network
as on the images in memory, on small folders of PNG files written with Pillow."""

import gc
import pickle
import threading
import weakref
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from skfeat._files import LoadedFiles
from skfeat.image import CNNClassifier, ImageLoader

RNG = np.random.RandomState(0)
LABELS = np.arange(48) % 3
# Noise with a class-dependent brightness in the top half, so the network learns
IMAGES = RNG.randint(0, 256, (48, 8, 8, 3), dtype=np.uint8)
IMAGES[LABELS == 1, :4] //= 3
IMAGES[LABELS == 2, :4] = 255 - IMAGES[LABELS == 2, :4] // 3

SMALL = {"filters": (4,), "epochs": 2, "batch_size": 8, "random_state": 0}
LOADER = ImageLoader(image_size=(8, 8))


def write_pngs(folder, images):
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, pixels in enumerate(images):
        paths.append(str(folder / f"{i:03d}.png"))
        Image.fromarray(pixels.squeeze()).save(paths[-1])
    return paths


@pytest.fixture
def paths(tmp_path):
    return write_pngs(tmp_path / "images", IMAGES)


def cnn(**params):
    return CNNClassifier(**{**SMALL, "image_loader": LOADER, **params})


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"validation_split": 0.25, "patience": 1},
        {"class_weight": "balanced"},
        {"augmentation": {"flip": "horizontal", "shift": 0.2}, "dropout": 0.3},
        {"input_scaling": None},
    ],
    ids=["defaults", "validation_split", "class_weight", "augmentation", "unscaled"],
)
def test_fit_on_files_is_bit_identical_to_fit_on_the_images_in_memory(paths, params):
    from_files = cnn(**params).fit(paths, LABELS)
    in_memory = cnn(**params).fit(IMAGES, LABELS)
    assert from_files.history_ == in_memory.history_
    expected = in_memory.predict_proba(IMAGES)
    np.testing.assert_array_equal(from_files.predict_proba(paths), expected)
    np.testing.assert_array_equal(from_files.predict_proba(IMAGES), expected)
    np.testing.assert_array_equal(
        from_files.transform(paths), in_memory.transform(IMAGES)
    )
    np.testing.assert_array_equal(from_files.predict(paths), in_memory.predict(IMAGES))
    if params.get("input_scaling", "standardize"):
        np.testing.assert_array_equal(from_files.channel_mean_, in_memory.channel_mean_)


def test_fit_on_files_learns(paths):
    model = cnn(epochs=15, learning_rate=0.01).fit(paths, LABELS)
    assert model.score(paths, LABELS) > 0.9


@pytest.mark.parametrize(
    "container",
    [
        list,
        tuple,
        np.array,
        lambda paths: np.array(paths, dtype=object)[:, np.newaxis],
        pd.Series,
        lambda paths: pd.DataFrame({"photo": paths}),
    ],
    ids=["list", "tuple", "array", "column", "Series", "DataFrame"],
)
def test_paths_come_in_any_one_column_container(paths, container):
    model = cnn(epochs=1).fit(container(paths), LABELS)
    reference = cnn(epochs=1).fit(paths, LABELS)
    np.testing.assert_array_equal(
        model.predict_proba(container(paths)), reference.predict_proba(paths)
    )


def test_files_are_decoded_a_batch_at_a_time(paths, monkeypatch):
    # Small chunks for the channel statistics and the forward pass, so that
    # reading everything at once would show.
    monkeypatch.setattr("skfeat.image._cnn._STATISTICS_CHUNK", 8 * 8 * 3 * 5)
    monkeypatch.setattr("skfeat._keras._FORWARD_FLOATS", 8 * 8 * 3 * 5)
    reads = []
    read = LoadedFiles.__getitem__

    def counted(self, index):
        images = read(self, index)
        reads.append(len(images))
        return images

    monkeypatch.setattr(LoadedFiles, "__getitem__", counted)
    model = cnn(validation_split=0.25).fit(paths, LABELS)
    assert max(reads) == 8  # batch_size; statistics in chunks of 5
    assert sum(reads) == 48 + 2 * 48  # the statistics, then 2 epochs of all rows
    reads.clear()
    model.predict_proba(paths)
    assert reads == [8] * 6  # chunks of max(batch_size, 5) rows


def test_channel_statistics_of_many_files_come_from_a_seeded_sample(paths, monkeypatch):
    monkeypatch.setattr("skfeat.image._cnn._STATISTICS_FILES", 10)
    first = cnn(epochs=1).fit(paths, LABELS)
    again = cnn(epochs=1).fit(paths, LABELS)
    np.testing.assert_array_equal(first.channel_mean_, again.channel_mean_)
    rows = np.sort(np.random.default_rng(0).choice(48, 10, replace=False))  # seed 0
    np.testing.assert_allclose(
        first.channel_mean_, IMAGES[rows].mean(axis=(0, 1, 2)), rtol=1e-6
    )
    other = cnn(epochs=1, random_state=1).fit(paths, LABELS)
    assert not np.array_equal(first.channel_mean_, other.channel_mean_)
    # all files' statistics differ from those of the sample
    assert not np.allclose(first.channel_mean_, IMAGES.mean(axis=(0, 1, 2)))


def test_image_loader_decides_the_decoding(tmp_path):
    large = np.kron(IMAGES, np.ones((1, 2, 2, 1), dtype=np.uint8))  # 16×16
    paths = write_pngs(tmp_path, large)
    grey = cnn(
        epochs=1, image_loader=ImageLoader(image_size=(8, 8), color_mode="grayscale")
    ).fit(paths, LABELS)
    assert grey.input_shape_ == grey.image_shape_ == (8, 8, 1)
    own_size = cnn(epochs=1, image_loader=ImageLoader(image_size=None)).fit(
        paths, LABELS
    )
    assert own_size.input_shape_ == (16, 16, 3)
    default = CNNClassifier(**{**SMALL, "epochs": 1}).fit(paths[:6], LABELS[:6])
    assert default.input_shape_ == (256, 256, 3)  # ImageLoader()'s, as in Keras


def test_grid_search_tunes_the_loader_image_size(paths):
    search = GridSearchCV(
        cnn(epochs=1),
        {"image_loader__image_size": [(8, 8), (6, 6)]},
        cv=2,
    ).fit(paths, LABELS)
    size = search.best_params_["image_loader__image_size"]
    assert search.best_estimator_.input_shape_ == (*size, 3)
    assert LOADER.image_size == (8, 8)  # the parameter was cloned, not changed


def test_arrays_fit_predicts_from_files_decoded_to_its_shape(paths):
    model = cnn(epochs=1).fit(IMAGES, LABELS)
    np.testing.assert_array_equal(
        model.predict_proba(paths), model.predict_proba(IMAGES)
    )
    with pytest.raises(ValueError, match=r"fitted on samples of shape \(8, 8, 3\)"):
        model.set_params(image_loader=None).predict(paths)


def test_fit_on_files_forgets_the_features_of_an_earlier_fit(paths):
    frame = pd.DataFrame(IMAGES.reshape(48, -1)).add_prefix("pixel")
    model = cnn(epochs=1, image_shape=(8, 8, 3)).fit(frame, LABELS)
    assert model.n_features_in_ == 192 and len(model.feature_names_in_) == 192
    model.set_params(image_shape=None).fit(paths, LABELS)
    assert not hasattr(model, "n_features_in_")
    assert not hasattr(model, "feature_names_in_")


def test_an_unreadable_file_raises_its_own_error_naming_it(paths, tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(Path(paths[0]).read_bytes()[:60])  # a truncated PNG
    with pytest.raises(OSError, match="cannot read image file .*broken.png"):
        cnn().fit([*paths, str(broken)], [*LABELS, 0])
    model = cnn(epochs=1).fit(paths, LABELS)
    with pytest.raises(FileNotFoundError, match="image file not found: .*gone.png"):
        model.predict([paths[0], str(tmp_path / "gone.png")])


def test_files_of_two_sizes_without_image_size_name_both(paths, tmp_path):
    odd = write_pngs(tmp_path / "odd", IMAGES[:1, :6])[0]
    with pytest.raises(
        ValueError, match=r"odd/000.png is 6×8 .*/images/000.png is 8×8"
    ):
        cnn(image_loader=ImageLoader(image_size=None)).fit([*paths, odd], [*LABELS, 0])


def test_pickled_model_predicts_from_files(paths):
    model = cnn(epochs=1).fit(paths, LABELS)
    loaded = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(
        loaded.predict_proba(paths), model.predict_proba(paths)
    )
    assert clone(model).image_loader is not LOADER


def test_image_files_read_the_files_they_are_indexed_with_in_order(paths):
    files = LoadedFiles(paths, LOADER)
    assert len(files) == 48 and files.shape == (48, 8, 8, 3)
    assert files.dtype == np.uint8
    np.testing.assert_array_equal(files[np.array([5, 0, 47])], IMAGES[[5, 0, 47]])
    np.testing.assert_array_equal(files[10:14], IMAGES[10:14])
    subset = files.subset(np.array([3, 1]))
    np.testing.assert_array_equal(subset[0:2], IMAGES[[3, 1]])


def test_a_fit_keeps_neither_its_data_nor_decoding_threads_alive(paths):
    # TensorFlow keeps a traced pipeline's Python function after the fit; what
    # it reached must not stay with it (a search fits many times).
    images = IMAGES.copy()
    released = weakref.ref(images)
    cnn(epochs=1, validation_split=0.25).fit(images, LABELS)
    del images
    gc.collect()
    assert released() is None
    before = set(threading.enumerate())  # threads of earlier tests may end
    for _ in range(3):
        cnn(epochs=1, validation_split=0.25).fit(paths, LABELS).predict(paths)
    gc.collect()
    assert set(threading.enumerate()) - before == set()
