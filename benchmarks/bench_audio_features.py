"""LogMelSpectrogram against a hand-written batched ``tf.signal`` pipeline and a
per-clip ``librosa.feature.melspectrogram`` loop, on the 2,000 shared clips.

Run from the repository root (about a minute)::

    python benchmarks/bench_audio_features.py

The three compute 40-band log-mel spectrograms of 256-sample frames, hop 80,
of the 2,000 recordings of ``../shared/data/spoken-digits`` padded or cut to
1 s (8,000 samples at 8 kHz), normalised per recording. They run in turns,
``ROUNDS`` times each, side by side in one process; the table gives the median
time of each and the ratios. Writes ``benchmarks/results/audio_features.md``.
"""

import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tune_audio import SAMPLE_RATE, load_digits  # noqa: E402

from skfeat.audio import LogMelSpectrogram  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "audio_features.md"
ROUNDS = 5


def skfeat_log_mel(waveforms):
    return LogMelSpectrogram(
        sample_rate=SAMPLE_RATE,
        win_length=256,
        hop_length=80,
        normalize="per_recording",  # as the other two
    ).fit_transform(waveforms)


def tf_signal_log_mel(waveforms):
    """What a user writes with tf.signal: every clip in one batch."""
    import tensorflow as tf

    stft = tf.signal.stft(tf.constant(waveforms), frame_length=256, frame_step=80)
    power = tf.math.square(tf.abs(stft))
    mel = tf.signal.linear_to_mel_weight_matrix(40, 129, SAMPLE_RATE, 0.0, 4000.0)
    log_mel = tf.math.log(tf.tensordot(power, mel, 1) + 1e-6)
    mean, variance = tf.nn.moments(log_mel, axes=[1, 2], keepdims=True)
    return ((log_mel - mean) / tf.sqrt(variance + 1e-6)).numpy()


def librosa_log_mel(waveforms):
    """What a user writes with librosa: one clip at a time."""
    import librosa

    spectrograms = []
    for clip in waveforms:
        power = librosa.feature.melspectrogram(
            y=clip,
            sr=SAMPLE_RATE,
            n_fft=256,
            hop_length=80,
            center=False,
            n_mels=40,
            htk=True,
            norm=None,
        )
        log_mel = librosa.power_to_db(power, top_db=80.0).T
        spectrograms.append((log_mel - log_mel.mean()) / log_mel.std())
    return np.stack(spectrograms)


METHODS = {
    "skfeat LogMelSpectrogram": skfeat_log_mel,
    "hand-written batched tf.signal": tf_signal_log_mel,
    "librosa.feature.melspectrogram per clip": librosa_log_mel,
}


def main():
    import tensorflow as tf

    waveforms = load_digits()[0]
    shapes = {name: method(waveforms[:8]).shape for name, method in METHODS.items()}
    assert len(set(shapes.values())) == 1, shapes  # and a warm-up for each
    seconds = {name: [] for name in METHODS}
    for _ in range(ROUNDS):
        for name, method in METHODS.items():
            start = time.perf_counter()
            method(waveforms)
            seconds[name].append(time.perf_counter() - start)
    median = {name: statistics.median(times) for name, times in seconds.items()}
    ours = median["skfeat LogMelSpectrogram"]
    lines = [
        "# Log-mel spectrograms of the 2,000 spoken-digit clips",
        "",
        "`python benchmarks/bench_audio_features.py`: 40 bands, 256-sample "
        "frames, hop 80, clips of 8,000 samples, normalised per recording; "
        f"median of {ROUNDS} rounds, the methods in turns in one process. "
        f"TensorFlow {tf.__version__}, Python {platform.python_version()}, "
        "2 CPU cores shared with other jobs (compare the ratios).",
        "",
        "| method | seconds (median) | time / skfeat's |",
        "|---|---|---|",
    ]
    for name, value in median.items():
        lines.append(f"| {name} | {value:.3f} | {value / ours:.2f} |")
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
