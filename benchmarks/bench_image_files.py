"""One epoch of ``CNNClassifier()`` on 32×32 PNG files, streamed from disk, against
the same images held in memory; each side in a process of its own.

Run from the repository root::

    python benchmarks/bench_image_files.py

The images are the CIFAR-10 sample of ``../shared/data/cifar10-sample`` tiled to
each size of ``SIZES`` (default 10,000 and 50,000) and written as PNG files into a
temporary folder. The files side fits on the list of paths
(``image_loader=ImageLoader(image_size=(32, 32))``: decoded a batch at a time);
the memory side fits on the uint8 array of the same images. Both are seeded
alike and train the same network. Peak RSS is the process's high-water mark
(``ru_maxrss``); "above imports" subtracts the RSS measured after importing
TensorFlow, before the data is read. Flat memory shows as the files side's peak
staying the same from the smaller size to the larger. Sides alternate over the
rounds; each figure is the best (time) or the largest (memory) of the rounds.
Writes ``benchmarks/results/image_files.md``.

``SIZES=5000,10000 ROUNDS=1 python benchmarks/bench_image_files.py`` is a quick
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
from _shared_data import CIFAR10_SAMPLE as SAMPLE
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "image_files.md"
SIZES = [int(size) for size in os.environ.get("SIZES", "10000,50000").split(",")]
ROUNDS = int(os.environ.get("ROUNDS", 3))

CHILD = """
import json, resource, sys, time
from pathlib import Path
import numpy as np
import tensorflow as tf  # noqa: F401  (imported before the baseline, both sides)
from skfeat.image import CNNClassifier, ImageLoader

side, folder, n_images = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])


def rss_mib():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


baseline = rss_mib()
labels = np.load(folder / "labels.npy")[:n_images]
if side == "files":
    X = [str(folder / f"{i:06d}.png") for i in range(n_images)]
else:
    X = np.load(folder / f"images_{n_images}.npy")
model = CNNClassifier(
    epochs=1, random_state=0, image_loader=ImageLoader(image_size=(32, 32))
)
start = time.perf_counter()
model.fit(X, labels)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({
    "seconds": seconds,
    "peak_mib": peak,
    "baseline_mib": baseline,
    "loss": model.history_["loss"][-1],
}))
"""


def write_files(folder, sizes):
    """The sample tiled to the largest size as PNG files, the first ``n`` of
    them as an array for each size ``n``, and their labels."""
    sample = np.load(SAMPLE)
    repeats = -(-max(sizes) // len(sample["labels"]))
    images = np.tile(sample["images"], (repeats, 1, 1, 1))[: max(sizes)]
    np.save(folder / "labels.npy", np.tile(sample["labels"], repeats)[: max(sizes)])
    for n_images in sizes:
        np.save(folder / f"images_{n_images}.npy", images[:n_images])
    for i, pixels in enumerate(images):
        Image.fromarray(pixels).save(folder / f"{i:06d}.png")


def run(side, folder, n_images):
    result = subprocess.run(
        [sys.executable, "-c", CHILD, side, str(folder), str(n_images)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    runs = {(n, side): [] for n in SIZES for side in ("files", "memory")}
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        write_files(folder, SIZES)
        for _ in range(ROUNDS):
            for (n_images, side), results in runs.items():
                results.append(run(side, folder, n_images))
                print(n_images, side, results[-1], flush=True)
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
        "# One epoch of CNNClassifier() on 32×32 PNG files against the same images "
        "in memory",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores, no GPU; Python "
        f"{platform.python_version()}. Command: `SIZES={','.join(map(str, SIZES))} "
        f"ROUNDS={ROUNDS} python benchmarks/bench_image_files.py`; each side in its "
        "own process, the rounds in turns. The files: the CIFAR-10 sample tiled, "
        "written as PNG; in memory, the same images as a uint8 array (3 KiB each). "
        "The two sides train the same network but for the input standardization: "
        "from files, its channel statistics come from a sample of 2,000 of them.",
        "",
        "| images | side | epoch time (s) | peak RSS (MiB) "
        "| above imports (MiB) | last loss |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for (n_images, side), figures in best.items():
        lines.append(
            f"| {n_images:,} | {side} | {figures['seconds']:.1f} "
            f"| {figures['peak_mib']:.0f} | {figures['above_mib']:.0f} "
            f"| {figures['loss']:.6f} |"
        )
    small, large = min(SIZES), max(SIZES)
    for n_images in SIZES:
        files, memory = best[n_images, "files"], best[n_images, "memory"]
        lines += [
            "",
            f"{n_images:,} images, files / memory: epoch time "
            f"{files['seconds'] / memory['seconds']:.2f}×, peak RSS "
            f"{files['peak_mib'] / memory['peak_mib']:.2f}×.",
        ]
    if small != large:
        growth = {
            side: best[large, side]["above_mib"] - best[small, side]["above_mib"]
            for side in ("files", "memory")
        }
        lines += [
            "",
            f"From {small:,} to {large:,} images, the peak above imports grows by "
            f"{growth['files']:.0f} MiB from files and {growth['memory']:.0f} MiB "
            "in memory.",
        ]
    table = "\n".join(lines) + "\n"
    print(table)
    RESULTS.write_text(table)


if __name__ == "__main__":
    main()
