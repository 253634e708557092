"""CNNClassifier on spectrograms: SpecAugment masks and time shifts, seeded,
in training only, kept in pickles."""

import os
import subprocess
import sys

import joblib
import numpy as np
import pytest

import skfeat
from skfeat.image import CNNClassifier

SOURCE_ROOT = os.path.dirname(os.path.dirname(skfeat.__file__))
SPEC_AUGMENT = {"time_mask": 0.3, "frequency_mask": 0.3, "time_shift": 0.2}
FAST = {"filters": (4,), "epochs": 2, "dropout": 0.2, "augmentation": SPEC_AUGMENT}


@pytest.fixture(scope="module")
def spectrograms():
    """60 made-up spectrograms (20 frames, 12 bands): a band lit in early or
    late frames, so the class lies in time and frequency."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 20, 12)).astype(np.float32)
    y = np.repeat([0, 1], 30)
    X[y == 0, :10, 3] += 3
    X[y == 1, 10:, 8] += 3
    return X, y


@pytest.fixture(scope="module")
def augmented(spectrograms):
    return CNNClassifier(**FAST, random_state=0).fit(*spectrograms)


@pytest.mark.slow
def test_seeded_fits_with_spectrogram_augmentation_repeat_bit_for_bit(
    spectrograms, augmented
):
    X, y = spectrograms
    first = augmented
    second, other = (
        CNNClassifier(**FAST, random_state=seed).fit(X, y) for seed in (0, 1)
    )
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))
    assert first.history_["loss"] == second.history_["loss"]
    assert first.history_["loss"] != other.history_["loss"]


def test_augmentation_changes_spectrograms_only_in_training(spectrograms):
    import keras

    from skfeat._keras import LayerSeeds
    from skfeat.audio._networks import spectrogram_augmentation_layers

    X = spectrograms[0][..., np.newaxis] + 10  # no zeros of its own
    for key, axis in (("time_mask", 1), ("frequency_mask", 2)):
        (layer,) = spectrogram_augmentation_layers({key: 0.5}, LayerSeeds(0))
        np.testing.assert_array_equal(layer(X, training=False), X)
        masked = keras.ops.convert_to_numpy(layer(X, training=True))
        zero = masked == 0
        other_axes = tuple({1, 2, 3} - {axis})
        # whole rows (frames) or columns (bands) masked, at most half of them
        whole = zero.all(axis=other_axes)
        np.testing.assert_array_equal(zero.any(axis=other_axes), whole)
        assert 0 < whole.sum() and whole.sum(axis=1).max() <= X.shape[axis] // 2
        np.testing.assert_array_equal(masked[~zero], X[~zero])
    (shift,) = spectrogram_augmentation_layers({"time_shift": 0.2}, LayerSeeds(0))
    np.testing.assert_array_equal(shift(X, training=False), X)
    shifted = keras.ops.convert_to_numpy(shift(X, training=True))
    assert not np.array_equal(shifted, X)
    # frames move along time only: every output frame is an input frame
    moved = shifted[0, :, :, 0]
    assert all((moved[t] == X[0, :, :, 0]).all(axis=1).any() for t in range(20))


def test_unknown_or_out_of_range_augmentation_is_a_clear_error(spectrograms):
    X, y = spectrograms
    with pytest.raises(ValueError, match="'time_mask' and 'frequency_mask'"):
        CNNClassifier(augmentation={"time_masks": 0.2}).fit(X, y)
    with pytest.raises(ValueError, match=r"augmentation\['frequency_mask'\] is 1.5"):
        CNNClassifier(augmentation={"frequency_mask": 1.5}).fit(X, y)


@pytest.mark.slow
def test_augmented_network_pickles_into_a_fresh_process(
    spectrograms, augmented, tmp_path
):
    X, _ = spectrograms
    fitted = augmented
    joblib.dump(fitted, tmp_path / "cnn.joblib")
    np.save(tmp_path / "X.npy", X)
    code = (
        "import sys, joblib, numpy as np\n"
        "clf = joblib.load(sys.argv[1])\n"
        "np.save(sys.argv[3], clf.predict_proba(np.load(sys.argv[2])))\n"
    )
    subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            *(str(tmp_path / name) for name in ("cnn.joblib", "X.npy", "proba.npy")),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": SOURCE_ROOT},
    )
    np.testing.assert_array_equal(
        np.load(tmp_path / "proba.npy"), fitted.predict_proba(X)
    )
