"""Recordings read from files: load_audio_folder and AudioLoader, on tiny WAV,
FLAC and OGG files written with soundfile in every sample format they promise."""

import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import soundfile
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skfeat.audio import AudioLoader, LogMelSpectrogram
from skfeat.datasets import load_audio_folder

RATE = 8000
# Noise in [-0.9, 0.9): a wrong scale, channel, crop or pad changes the samples.
NOISE = np.random.RandomState(0).uniform(-0.9, 0.9, 400)


def write(path, samples, rate=RATE, **options):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(path, samples, rate, **options)
    return path


@pytest.fixture
def folder(tmp_path):
    """Two classes of clips of three lengths, in three formats, plus a README."""
    root = tmp_path / "audio"
    write(root / "yes" / "b.wav", NOISE)
    write(root / "yes" / "a.flac", NOISE[:300])
    write(root / "yes" / "nested" / "c.wav", NOISE[:200])
    write(root / "no" / "z.WAV", -NOISE)
    (root / "no" / "README.txt").write_text("not audio")
    return root


# (subtype, largest error against the float64 samples written): integer PCM
# is read scaled to [-1, 1] by 2**(bits - 1), float files as they are
SUBTYPES = [
    ("PCM_U8", 2**-7),
    ("PCM_16", 2**-15),
    ("PCM_24", 2**-23),
    ("PCM_32", 2**-24),  # float32 holds 24 bits
    ("FLOAT", 2**-24),
    ("DOUBLE", 2**-24),
]


@pytest.mark.parametrize("subtype, error", SUBTYPES, ids=[s for s, _ in SUBTYPES])
def test_every_wav_sample_format_reads_scaled_to_minus_one_one(
    tmp_path, subtype, error
):
    path = write(tmp_path / "clip.wav", NOISE, subtype=subtype)
    waveform = AudioLoader().transform([path])
    assert waveform.dtype == np.float32 and waveform.shape == (1, len(NOISE))
    np.testing.assert_allclose(waveform[0], NOISE, rtol=0, atol=error)
    # not merely close: quantised as the format stores it (one step off at most)
    assert np.abs(waveform[0] - NOISE).max() > 0 or subtype in ("FLOAT", "DOUBLE")


def test_16_bit_extremes_map_onto_minus_one_and_just_under_one(tmp_path):
    path = write(
        tmp_path / "x.wav", np.array([-32768, 0, 32767], np.int16), subtype="PCM_16"
    )
    np.testing.assert_array_equal(
        AudioLoader().transform([path])[0], [-1.0, 0.0, 32767 / 32768]
    )


def test_8_bit_unsigned_silence_is_centred_on_zero(tmp_path):
    # 8-bit WAV stores 128 for silence; it must read as 0, not as 0.5
    path = write(tmp_path / "quiet.wav", np.zeros(50), subtype="PCM_U8")
    np.testing.assert_array_equal(AudioLoader().transform([path]), 0)


def test_float_wav_keeps_values_beyond_one(tmp_path):
    path = write(tmp_path / "loud.wav", np.array([1.5, -2.0, 0.25]), subtype="FLOAT")
    np.testing.assert_array_equal(AudioLoader().transform([path])[0], [1.5, -2, 0.25])


def test_stereo_is_mixed_to_mono_by_averaging_channels(tmp_path):
    left, right = NOISE, np.linspace(-0.5, 0.5, len(NOISE))
    path = write(tmp_path / "stereo.wav", np.stack([left, right], axis=1))
    mono = AudioLoader().transform([path])[0]
    np.testing.assert_allclose(mono, (left + right) / 2, atol=2**-15)


def test_flac_and_ogg_decode_to_the_samples_written(tmp_path):
    flac = write(tmp_path / "clip.flac", NOISE, subtype="PCM_16")
    np.testing.assert_allclose(AudioLoader().transform([flac])[0], NOISE, atol=2**-15)
    tone = 0.5 * np.sin(2 * np.pi * 500 * np.arange(RATE) / RATE)
    ogg = write(tmp_path / "tone.ogg", tone)  # lossy: close, not equal
    decoded = AudioLoader().transform([ogg])[0]
    assert len(decoded) == RATE
    assert np.corrcoef(decoded, tone)[0, 1] > 0.99


def test_mp3_decodes_to_its_length(tmp_path):
    tone = 0.5 * np.sin(2 * np.pi * 500 * np.arange(RATE) / RATE)
    mp3 = write(tmp_path / "tone.mp3", tone)  # lossy, and delayed by the codec
    decoded = AudioLoader().transform([mp3])[0]
    assert len(decoded) == RATE
    spectrum = np.abs(np.fft.rfft(decoded))
    assert np.argmax(spectrum) * RATE / len(decoded) == pytest.approx(500, abs=2)


def test_a_clip_of_one_sample_is_read_and_padded(tmp_path):
    # too short for any spectrogram frame; saying so is the spectrogram's job
    path = write(tmp_path / "click.wav", np.array([0.5]), subtype="FLOAT")
    np.testing.assert_array_equal(
        AudioLoader(duration=0.001).transform([path]), [[0.5] + [0.0] * 7]
    )


def test_resampling_keeps_the_pitch_and_gives_the_new_length(tmp_path):
    tone = np.sin(2 * np.pi * 440 * np.arange(22050) / 22050)  # 1 s at 22.05 kHz
    path = write(tmp_path / "a.wav", tone, rate=22050, subtype="FLOAT")
    waveform = AudioLoader(sample_rate=RATE).transform([path])[0]
    assert len(waveform) == RATE
    spectrum = np.abs(np.fft.rfft(waveform))
    assert np.argmax(spectrum) * RATE / len(waveform) == pytest.approx(440, abs=1)


def test_files_at_different_rates_need_a_sample_rate(tmp_path):
    paths = [write(tmp_path / "a.wav", NOISE), write(tmp_path / "b.wav", NOISE, 16000)]
    with pytest.raises(ValueError, match=r"b.wav has a sample rate of 16000 Hz.*"):
        AudioLoader().transform(paths)
    with pytest.warns(UserWarning, match="padded"):  # b.wav halved to 200 samples
        waveforms = AudioLoader(sample_rate=RATE).transform(paths)
    assert waveforms.shape == (2, len(NOISE))


def test_duration_pads_and_crops_at_the_end_by_default(tmp_path):
    path = write(tmp_path / "a.wav", NOISE, subtype="FLOAT")
    short = AudioLoader(duration=0.025).transform([path])[0]  # 200 samples
    np.testing.assert_array_equal(short, NOISE[:200].astype(np.float32))
    long = AudioLoader(duration=0.1).transform([path])[0]  # 800 samples
    np.testing.assert_array_equal(long[:400], NOISE.astype(np.float32))
    np.testing.assert_array_equal(long[400:], 0)


def test_center_alignment_keeps_the_middle(tmp_path):
    path = write(tmp_path / "a.wav", NOISE, subtype="FLOAT")
    crop = AudioLoader(duration=0.025, align="center").transform([path])[0]
    np.testing.assert_array_equal(crop, NOISE[100:300].astype(np.float32))
    pad = AudioLoader(duration=0.1, align="center").transform([path])[0]
    np.testing.assert_array_equal(pad[:200], 0)
    np.testing.assert_array_equal(pad[200:600], NOISE.astype(np.float32))
    np.testing.assert_array_equal(pad[600:], 0)


def test_without_duration_clips_are_padded_to_the_longest_with_a_warning(folder):
    paths = sorted(folder.rglob("*.[wf]*[va]*"))
    with pytest.warns(UserWarning, match=r"from 0\.025 s to 0\.05 s.*400 samples at "):
        waveforms = AudioLoader().transform(paths)
    assert waveforms.shape == (len(paths), 400)
    lengths = [soundfile.info(path).frames for path in paths]
    for row, length in zip(waveforms, lengths, strict=True):
        np.testing.assert_array_equal(row[length:], 0)
        assert np.all(row[:length] != 0)


def test_clips_of_one_length_give_no_warning(tmp_path):
    paths = [write(tmp_path / f"{i}.wav", NOISE) for i in range(2)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert AudioLoader().transform(paths).shape == (2, 400)


def test_loader_takes_a_list_an_array_a_series_or_a_dataframe_column(folder):
    paths = [str(path) for path in sorted(folder.rglob("*.wav"))]
    expected = AudioLoader(duration=0.05).transform(paths)
    for X in [
        np.asarray(paths),
        np.asarray(paths, dtype=object)[:, np.newaxis],
        pd.Series(paths),
        pd.DataFrame({"path": paths}),
        [Path(path) for path in paths],
    ]:
        np.testing.assert_array_equal(AudioLoader(duration=0.05).transform(X), expected)


def test_loader_reads_as_load_audio_folder_does(folder):
    data = load_audio_folder(folder, sample_rate=4000, duration=0.04, align="center")
    loader = AudioLoader(sample_rate=4000, duration=0.04, align="center")
    np.testing.assert_array_equal(loader.transform(data.filenames), data.waveforms)
    assert data.waveforms.shape == (4, 160)


def test_loader_is_stateless_clonable_and_picklable(folder):
    loader = AudioLoader(sample_rate=RATE, duration=0.01)
    paths = sorted(folder.rglob("*.wav"))
    expected = loader.transform(paths)  # no fit needed
    assert loader.fit(paths) is loader and not hasattr(loader, "n_features_in_")
    for copy in [clone(loader), pickle.loads(pickle.dumps(loader))]:
        np.testing.assert_array_equal(copy.transform(paths), expected)


def test_loader_in_a_column_transformer_names_its_samples(folder):
    paths = [str(p) for p in sorted(folder.rglob("*.wav"))]
    table = pd.DataFrame({"path": paths, "n": range(len(paths))})
    columns = ColumnTransformer(
        [("audio", AudioLoader(sample_rate=RATE, duration=0.001), "path")],
        remainder="passthrough",
    )
    out = columns.fit_transform(table)
    assert out.shape == (len(paths), 8 + 1)
    names = columns.get_feature_names_out()
    assert names[0] == "audio__audioloader0" and names[-1] == "remainder__n"
    with pytest.raises(ValueError, match="both sample_rate and duration are set"):
        AudioLoader(duration=1.0).get_feature_names_out(["path"])


def test_loader_feeds_a_pipeline(folder):
    paths = sorted(folder.rglob("*.wav"))
    energy = make_pipeline(
        AudioLoader(duration=0.05),
        FunctionTransformer(lambda w: (w**2).mean(axis=1, keepdims=True)),
    )
    np.testing.assert_allclose(
        energy.fit_transform(paths)[:, 0],
        [
            np.mean(soundfile.read(p, dtype="float32")[0] ** 2)
            * soundfile.info(p).frames
            / 400
            for p in paths
        ],
        rtol=1e-5,
    )


def test_classes_are_sorted_subfolders_and_their_files_are_read_in_order(folder):
    data = load_audio_folder(folder, duration=0.05)
    assert data.target_names == ["no", "yes"]
    names = [Path(path).relative_to(folder).as_posix() for path in data.filenames]
    assert names == ["no/z.WAV", "yes/a.flac", "yes/b.wav", "yes/nested/c.wav"]
    assert data.target.tolist() == [0, 1, 1, 1]
    assert data.sample_rate == RATE and data.waveforms.dtype == np.float32
    np.testing.assert_allclose(data.waveforms[0], -NOISE, atol=2**-15)
    assert "4 recordings in 2 classes" in data.DESCR
    waveforms, target = load_audio_folder(folder, duration=0.05, return_X_y=True)
    np.testing.assert_array_equal(waveforms, data.waveforms)
    np.testing.assert_array_equal(target, data.target)


def fsdd_like(tmp_path):
    root = tmp_path / "recordings"
    for digit, speaker, index in [(3, "ana", 0), (3, "bo", 1), (7, "ana", 0)]:
        write(root / f"{digit}_{speaker}_{index}.wav", NOISE[: 100 * (digit - 1)])
    return root


LABEL_PATTERN = r"(?P<label>\d)_(?P<speaker>[a-z]+)_\d+"


def test_labels_and_groups_come_from_file_names_with_a_pattern(tmp_path):
    data = load_audio_folder(
        fsdd_like(tmp_path), duration=0.1, label_pattern=LABEL_PATTERN
    )
    assert data.target_names == ["3", "7"]
    assert data.target.tolist() == [0, 0, 1]
    assert data.speaker.tolist() == ["ana", "bo", "ana"]
    assert [Path(name).name for name in data.filenames] == [
        "3_ana_0.wav",
        "3_bo_1.wav",
        "7_ana_0.wav",
    ]
    np.testing.assert_allclose(data.waveforms[2, :400], NOISE, atol=2**-15)
    np.testing.assert_array_equal(data.waveforms[2, 400:], 0)
    assert "labels from file names" in data.DESCR


def test_a_name_the_pattern_does_not_match_raises_naming_it(tmp_path):
    root = fsdd_like(tmp_path)
    write(root / "extra" / "take2.wav", NOISE)
    with pytest.raises(ValueError, match=r"1 of 4 audio files .*take2.wav"):
        load_audio_folder(root, label_pattern=LABEL_PATTERN)


@pytest.mark.parametrize(
    "pattern, message",
    [
        (r"(\d)_.*", "no group named 'label'"),
        (r"(?P<label>\d)_(?P<target>.*)", "'target', a field the Bunch already has"),
    ],
)
def test_a_pattern_without_a_usable_label_group_is_rejected(tmp_path, pattern, message):
    with pytest.raises(ValueError, match=message):
        load_audio_folder(fsdd_like(tmp_path), label_pattern=pattern)


def test_skip_leaves_bad_files_out_with_one_warning_listing_them(folder):
    (folder / "yes" / "broken.wav").write_bytes(b"RIFF, but not really")
    write(folder / "no" / "nan.wav", np.array([0.1, np.nan, 0.2]), subtype="FLOAT")
    with pytest.warns(UserWarning) as caught:
        data = load_audio_folder(folder, duration=0.05, on_error="skip")
    skipped = [w for w in caught if "skipped" in str(w.message)]
    assert len(skipped) == 1
    message = str(skipped[0].message)
    assert "skipped 2 of 6 audio files" in message
    assert "broken.wav" in message and "nan.wav" in message
    names = [Path(path).name for path in data.filenames]
    assert names == ["z.WAV", "a.flac", "b.wav", "c.wav"]
    assert data.target.tolist() == [0, 1, 1, 1]
    with pytest.raises(OSError, match="broken.wav"):
        load_audio_folder(folder, duration=0.05)


def test_shared_spoken_digits_load_with_labels_and_speakers_from_names(
    spoken_digits_folder,
):
    data = load_audio_folder(
        spoken_digits_folder, duration=1.0, label_pattern=LABEL_PATTERN
    )
    assert data.waveforms.shape == (2000, 8000) and data.sample_rate == 8000
    assert data.target_names == [str(digit) for digit in range(10)]
    assert np.bincount(data.target).tolist() == [200] * 10
    assert sorted(set(data.speaker)) == ["george", "jackson", "lucas", "nicolas"]
    assert 0 < np.abs(data.waveforms).max() <= 1


# --- CNNClassifier trains on audio files, decoded a batch at a time ---------------

CLIP_LABELS = np.arange(24) % 2


def tones(tmp_path):
    """24 clips of 150 to 250 samples, a low or a high tone in noise by class."""
    rng = np.random.RandomState(1)
    paths = []
    for i, label in enumerate(CLIP_LABELS):
        n = rng.randint(150, 251)
        tone = np.sin(2 * np.pi * (500 + 2000 * label) * np.arange(n) / RATE)
        samples = 0.5 * tone + 0.1 * rng.standard_normal(n)
        paths.append(str(write(tmp_path / f"{i:02d}.wav", samples, subtype="FLOAT")))
    return paths


def audio_cnn(loader):
    from skfeat.image import CNNClassifier

    return CNNClassifier(
        filters=(4,), epochs=2, batch_size=8, random_state=0, image_loader=loader
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "steps",
    # LogMelSpectrogram's TensorFlow ops then run inside the training's tf.data
    # pipeline, a batch at a time
    [[], [LogMelSpectrogram(sample_rate=RATE, n_mels=16)]],
    ids=["waveforms", "spectrograms"],
)
def test_fit_on_audio_files_is_bit_identical_to_fit_in_memory(tmp_path, steps):
    paths = tones(tmp_path)
    loader = make_pipeline(AudioLoader(duration=0.1, align="center"), *steps)
    in_memory_X = loader.transform(paths)
    assert in_memory_X.shape[1:] == ((800,) if not steps else (7, 16))
    from_files = audio_cnn(loader).fit(paths, CLIP_LABELS)
    in_memory = audio_cnn(None).fit(in_memory_X, CLIP_LABELS)
    assert from_files.history_ == in_memory.history_
    expected = in_memory.predict_proba(in_memory_X)
    np.testing.assert_array_equal(from_files.predict_proba(paths), expected)
    np.testing.assert_array_equal(from_files.predict_proba(in_memory_X), expected)
    assert from_files.input_shape_ == in_memory_X.shape[1:]


@pytest.mark.slow
def test_streamed_clips_without_duration_are_padded_to_the_longest_of_all(tmp_path):
    paths = tones(tmp_path)
    with pytest.warns(UserWarning, match="padded with zeros at the end"):
        waveforms = AudioLoader().transform(paths)
    with pytest.warns(UserWarning, match="padded with zeros at the end"):
        from_files = audio_cnn(AudioLoader()).fit(paths, CLIP_LABELS)
    longest = max(soundfile.info(path).frames for path in paths)
    assert from_files.input_shape_ == waveforms.shape[1:] == (longest,)
    in_memory = audio_cnn(None).fit(waveforms, CLIP_LABELS)
    assert from_files.history_ == in_memory.history_
