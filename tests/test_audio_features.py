"""LogMelSpectrogram and MFCC: the same numbers as librosa, batched, in pipelines."""

import librosa
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skfeat.audio import MFCC, LogMelSpectrogram
from skfeat.audio._signal import mel_filterbank

SAMPLE_RATE = 8000


@pytest.fixture(scope="module")
def clips():
    """Three 0.5 s clips: a chirp, a vowel-like harmonic tone, noise; varied gain."""
    rng = np.random.default_rng(0)
    t = np.arange(SAMPLE_RATE // 2) / SAMPLE_RATE
    chirp = np.sin(2 * np.pi * (200 + 3000 * t) * t)
    vowel = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 20))
    noise = rng.normal(size=t.size)
    return np.stack([0.5 * chirp, 0.1 * vowel, 0.01 * noise]).astype(np.float32)


@pytest.mark.parametrize("mel_scale", ["htk", "slaney"])
@pytest.mark.parametrize("norm", [None, "slaney"])
@pytest.mark.parametrize("fmin, fmax", [(0.0, 4000.0), (60.0, 3800.0)])
def test_mel_filterbank_is_librosas(mel_scale, norm, fmin, fmax):
    ours = mel_filterbank(SAMPLE_RATE, 256, 40, fmin, fmax, mel_scale, norm)
    theirs = librosa.filters.mel(
        sr=SAMPLE_RATE,
        n_fft=256,
        n_mels=40,
        fmin=fmin,
        fmax=fmax,
        htk=mel_scale == "htk",
        norm=norm,
    )
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-7)


def librosa_log_mel(clip, *, mel_scale="htk", norm=None, n_mels=40):
    power = librosa.feature.melspectrogram(
        y=clip.astype(np.float64),
        sr=SAMPLE_RATE,
        n_fft=256,
        hop_length=80,
        win_length=256,
        center=False,
        power=2.0,
        n_mels=n_mels,
        htk=mel_scale == "htk",
        norm=norm,
    )
    return librosa.power_to_db(power, ref=1.0, amin=1e-10, top_db=80.0)


@pytest.mark.parametrize("mel_scale, norm", [("htk", None), ("slaney", "slaney")])
def test_log_mel_spectrogram_is_librosas_in_decibels(clips, mel_scale, norm):
    ours = LogMelSpectrogram(
        sample_rate=SAMPLE_RATE,
        win_length=256,
        hop_length=80,
        mel_scale=mel_scale,
        norm=norm,
        normalize=None,
    ).fit_transform(clips)
    assert ours.shape == (3, 1 + (clips.shape[1] - 256) // 80, 40)
    assert ours.dtype == np.float32
    for clip, spectrogram in zip(clips, ours, strict=True):
        theirs = librosa_log_mel(clip, mel_scale=mel_scale, norm=norm).T
        # float32 FFT against float64: hundredths of a dB, far below the 80 dB range
        np.testing.assert_allclose(spectrogram, theirs, atol=0.02)


def test_milliseconds_and_samples_give_the_same_frames(clips):
    in_ms = LogMelSpectrogram(sample_rate=SAMPLE_RATE, win_length="32ms")
    in_samples = LogMelSpectrogram(
        sample_rate=SAMPLE_RATE, win_length=256, hop_length=80
    )
    np.testing.assert_array_equal(
        in_ms.fit_transform(clips), in_samples.transform(clips)
    )


def test_normalization_per_recording_and_per_band(clips):
    per_recording = LogMelSpectrogram(
        sample_rate=SAMPLE_RATE, normalize="per_recording"
    ).fit_transform(clips)
    np.testing.assert_allclose(per_recording.mean(axis=(1, 2)), 0, atol=1e-4)
    np.testing.assert_allclose(per_recording.std(axis=(1, 2)), 1, atol=1e-3)
    per_band = LogMelSpectrogram(
        sample_rate=SAMPLE_RATE, normalize="per_band"
    ).fit_transform(clips)
    np.testing.assert_allclose(per_band.mean(axis=1), 0, atol=1e-3)
    # a louder copy of a clip gives the same normalized spectrogram
    louder = LogMelSpectrogram(sample_rate=SAMPLE_RATE).transform(clips * 10)
    np.testing.assert_allclose(louder, per_band, atol=1e-3)


def test_many_clips_in_chunks_give_the_rows_one_by_one(clips, monkeypatch):
    from skfeat.audio import _signal

    many = np.concatenate([clips] * 4)
    whole = LogMelSpectrogram(sample_rate=SAMPLE_RATE).fit_transform(many)
    monkeypatch.setattr(_signal, "_SPECTROGRAM_VALUES", 1)  # one clip per call
    one_by_one = LogMelSpectrogram(sample_rate=SAMPLE_RATE).fit_transform(many)
    np.testing.assert_allclose(one_by_one, whole, atol=1e-5)
    np.testing.assert_allclose(whole[3:6], whole[:3], atol=1e-5)


def test_mfcc_are_librosas(clips):
    mfcc = MFCC(
        sample_rate=SAMPLE_RATE, win_length=256, hop_length=80, statistics=("mean",)
    )
    means = mfcc.fit_transform(clips)
    assert means.shape == (3, 26)
    for clip, row in zip(clips, means, strict=True):
        coefficients = librosa.feature.mfcc(S=librosa_log_mel(clip), n_mfcc=13)
        np.testing.assert_allclose(row[:13], coefficients.mean(axis=1), atol=0.05)
        # away from the ends, HTK's deltas are librosa's Savitzky-Golay ones
        deltas = librosa.feature.delta(coefficients, width=9)
        ours = _framewise_deltas(clip)
        np.testing.assert_allclose(ours[:, 4:-4], deltas[:, 4:-4], atol=0.02)


def _framewise_deltas(clip):
    """Our deltas frame by frame: min and max over a one-frame-long window."""
    import tensorflow as tf

    from skfeat.audio._mfcc import _delta
    from skfeat.audio._signal import SpectrogramSettings, log_mel

    settings = SpectrogramSettings(
        MFCC(sample_rate=SAMPLE_RATE, win_length=256, hop_length=80)
    )
    log_mels = log_mel(tf.constant(clip[np.newaxis]), settings)
    coefficients = tf.signal.dct(log_mels, type=2, norm="ortho")[..., :13]
    return _delta(coefficients).numpy()[0].T


def test_mfcc_statistics_and_names_line_up(clips):
    mfcc = MFCC(
        sample_rate=SAMPLE_RATE, deltas=2, statistics=("mean", "std", "min", "max")
    ).fit(clips)
    features = mfcc.transform(clips)
    names = mfcc.get_feature_names_out()
    assert features.shape == (3, 4 * 3 * 13) == (3, len(names))
    column = dict(zip(names, features.T, strict=True))
    assert np.all(column["mfcc0_min"] <= column["mfcc0_mean"])
    assert np.all(column["mfcc0_mean"] <= column["mfcc0_max"])
    assert np.all(column["delta2_mfcc12_std"] >= 0)
    frame = mfcc.set_output(transform="pandas").transform(clips)
    assert list(frame.columns) == list(names)
    np.testing.assert_array_equal(frame.to_numpy(), features)


def test_mfcc_baseline_is_one_pipeline_line(clips):
    rng = np.random.default_rng(1)
    X = np.concatenate(
        [clips + rng.normal(scale=0.01, size=clips.shape) for _ in range(4)]
    )
    y = np.tile(["chirp", "vowel", "noise"], 4)
    model = make_pipeline(MFCC(sample_rate=SAMPLE_RATE), StandardScaler(), SVC())
    assert model.fit(X, y).score(X, y) == 1.0


def test_spectrograms_feed_the_cnn_as_one_channel_images(clips):
    from skfeat.image import CNNClassifier

    X = np.concatenate([clips] * 4)
    y = np.tile([0, 1, 2], 4)
    model = make_pipeline(
        LogMelSpectrogram(sample_rate=SAMPLE_RATE),
        CNNClassifier(filters=(4,), epochs=2, random_state=0),
    ).fit(X, y)
    assert model[-1].input_shape_ == (47, 40)
    assert model.predict_proba(X).shape == (12, 3)
    assert clone(model).get_params()["logmelspectrogram__sample_rate"] == SAMPLE_RATE


@pytest.mark.parametrize(
    "params, message",
    [
        ({"n_fft": 128}, "n_fft=128 is shorter than the window"),
        ({"fmax": 5000.0}, "fmax=5000.0 is above"),
        ({"fmin": 4000.0}, "fmin=4000.0 must be below"),
        ({"win_length": "32 seconds"}, "neither a number of samples"),
    ],
)
def test_settings_that_cannot_work_are_clear_errors(clips, params, message):
    with pytest.raises(ValueError, match=message):
        LogMelSpectrogram(sample_rate=SAMPLE_RATE, **params).fit(clips)
