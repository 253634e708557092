"""One epoch of ``CNNClassifier`` on 1-second clips streamed from WAV files, against
the same waveforms held in memory; each side and size in a process of its own.

Run from the repository root::

    python benchmarks/bench_audio_files.py

The recordings are the 2,000 spoken digits of ``../shared/data/spoken-digits``
tiled to each size of ``SIZES`` (default 2,000 and 20,000) by symbolic links in
a temporary folder. The files side fits on the list of paths
(``image_loader=AudioLoader(sample_rate=8000, duration=1.0)``: decoded a batch
at a time); the memory side fits on the float32 array of the same waveforms
(31 KiB each), read beforehand by the same loader and saved. Both are seeded
alike and train the same network but for the input standardization: from
files, its statistics come from a sample of 2,000 of them. Peak RSS is the
process's high-water mark (``ru_maxrss``); "above imports" subtracts the RSS
measured after importing TensorFlow, before the data is read. Flat memory shows
as the files side's peak staying the same from the smaller size to the larger.
Sides alternate over the rounds; each figure is the best (time) or the largest
(memory) of the rounds. Writes ``benchmarks/results/audio_files.md``.

``SIZES=500,2000 ROUNDS=1 python benchmarks/bench_audio_files.py`` is a quick
check that it runs.
"""

import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from _shared_data import SPOKEN_DIGITS

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "audio_files.md"
SIZES = [int(size) for size in os.environ.get("SIZES", "2000,20000").split(",")]
ROUNDS = int(os.environ.get("ROUNDS", 1))
# the network: small, as the point is the memory of the data, not accuracy
NETWORK = "filters=(16,), pool_size=4, pooling='max'"

CHILD = f"""
import json, resource, sys, time
from pathlib import Path
import numpy as np
import tensorflow as tf  # noqa: F401  (imported before the baseline, both sides)
from skfeat.audio import AudioLoader
from skfeat.image import CNNClassifier

side, folder, n_files = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])


def rss_mib():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


baseline = rss_mib()
labels = np.load(folder / "labels.npy")[:n_files]
if side == "files":
    X = (folder / "paths.txt").read_text().splitlines()[:n_files]
else:
    X = np.load(folder / f"waveforms_{{n_files}}.npy")
model = CNNClassifier(
    {NETWORK}, epochs=1, random_state=0,
    image_loader=AudioLoader(sample_rate=8000, duration=1.0),
)
start = time.perf_counter()
model.fit(X, labels)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{
    "seconds": seconds,
    "peak_mib": peak,
    "baseline_mib": baseline,
    "loss": model.history_["loss"][-1],
}}))
"""


def tile_recordings(folder, sizes):
    """Links to the recordings, tiled to the largest size, their labels, and the
    waveforms of the first ``n`` as an array for each size ``n``."""
    from skfeat.audio import AudioLoader

    recordings = sorted((SPOKEN_DIGITS / "recordings").glob("*.wav"))
    # mixed, so that the first files of the smaller size hold every digit
    order = np.random.default_rng(0).permutation(len(recordings))
    recordings = [recordings[i] for i in order]
    paths = []
    for i in range(max(sizes)):
        source = recordings[i % len(recordings)]
        paths.append(folder / "files" / f"{i:06d}_{source.name}")
    paths[0].parent.mkdir()
    for i, path in enumerate(paths):
        path.symlink_to(recordings[i % len(recordings)])
    (folder / "paths.txt").write_text("\n".join(map(str, paths)))
    labels = np.array([int(path.name.split("_")[1]) for path in paths])
    np.save(folder / "labels.npy", labels)
    waveforms = AudioLoader(sample_rate=8000, duration=1.0).transform(recordings)
    repeats = -(-max(sizes) // len(recordings))
    for n_files in sizes:
        np.save(
            folder / f"waveforms_{n_files}.npy",
            np.tile(waveforms, (repeats, 1))[:n_files],
        )


def run(side, folder, n_files):
    result = subprocess.run(
        [sys.executable, "-c", CHILD, side, str(folder), str(n_files)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    if result.returncode:
        raise RuntimeError(f"the {side} side failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    runs = {(n, side): [] for n in SIZES for side in ("files", "memory")}
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        tile_recordings(folder, SIZES)
        for _ in range(ROUNDS):
            for (n_files, side), results in runs.items():
                results.append(run(side, folder, n_files))
                print(n_files, side, results[-1], flush=True)
    best = {
        key: {
            "seconds": min(r["seconds"] for r in results),
            "peak_mib": max(r["peak_mib"] for r in results),
            "above_mib": max(r["peak_mib"] - r["baseline_mib"] for r in results),
            "loss": results[0]["loss"],
        }
        for key, results in runs.items()
    }
    lines = [
        "# One epoch of CNNClassifier on 1-second clips from WAV files against the "
        "same waveforms in memory",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores, no GPU; Python "
        f"{platform.python_version()}. Command: `SIZES={','.join(map(str, SIZES))} "
        f"ROUNDS={ROUNDS} python benchmarks/bench_audio_files.py`; each side and "
        "size in its own process, the rounds in turns. The files: the 2,000 shared "
        "spoken digits (8 kHz WAV) tiled by symbolic links, read with "
        "`image_loader=AudioLoader(sample_rate=8000, duration=1.0)`; in memory, "
        "the same waveforms as a float32 array (31 KiB each). Network: "
        f"`CNNClassifier({NETWORK}, epochs=1, random_state=0)`.",
        "",
        "| files | side | epoch time (s) | peak RSS (MiB) "
        "| above imports (MiB) | last loss |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for (n_files, side), figures in best.items():
        lines.append(
            f"| {n_files:,} | {side} | {figures['seconds']:.1f} "
            f"| {figures['peak_mib']:.0f} | {figures['above_mib']:.0f} "
            f"| {figures['loss']:.6f} |"
        )
    for n_files in SIZES:
        files, memory = best[n_files, "files"], best[n_files, "memory"]
        lines += [
            "",
            f"{n_files:,} clips, files / memory: epoch time "
            f"{files['seconds'] / memory['seconds']:.2f}×, peak RSS "
            f"{files['peak_mib'] / memory['peak_mib']:.2f}×.",
        ]
    small, large = min(SIZES), max(SIZES)
    if small != large:
        growth = {
            side: best[large, side]["above_mib"] - best[small, side]["above_mib"]
            for side in ("files", "memory")
        }
        lines += [
            "",
            f"From {small:,} to {large:,} clips, the peak above imports grows by "
            f"{growth['files']:.0f} MiB from files and {growth['memory']:.0f} MiB "
            "in memory.",
        ]
    table = "\n".join(lines) + "\n"
    print(table)
    RESULTS.write_text(table)


if __name__ == "__main__":
    main()
