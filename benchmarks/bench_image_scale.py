"""One epoch of the classic CNN on 50,000 colour images of 32×32×3 uint8:
skfeat against raw Keras ``model.fit``, each side in a process of its own.

Run from the repository root::

    python benchmarks/bench_image_scale.py

The images are the CIFAR-10 sample of ``../shared/data/cifar10-sample`` tiled
to 50,000 (146 MiB of uint8), as users hold them. skfeat gets them as they are;
raw Keras gets them as float32, which is what ``model.fit`` needs for this
network (the usual ``X.astype("float32") / 255``). Peak RSS is the process's
high-water mark (``ru_maxrss``); "above imports" subtracts the RSS measured
after importing TensorFlow and building the data. Sides alternate over the
rounds; each figure is the best (time) or the largest (memory) of the rounds.
Writes ``benchmarks/results/image_scale.md``.
"""

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from _shared_data import CIFAR10_SAMPLE as SAMPLE

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "image_scale.md"
N_IMAGES = 50_000
ROUNDS = int(os.environ.get("ROUNDS", 3))

CHILD = """
import json, resource, sys, time
import numpy as np
import tensorflow as tf  # noqa: F401  (imported before the baseline, both sides)
side, path, n_images = sys.argv[1], sys.argv[2], int(sys.argv[3])
sample = np.load(path)
repeats = -(-n_images // len(sample["labels"]))
images = np.tile(sample["images"], (repeats, 1, 1, 1))[:n_images]
labels = np.tile(sample["labels"], repeats)[:n_images]
del sample


def rss_mib():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


baseline = rss_mib()
if side == "skfeat":
    from skfeat.image import CNNClassifier

    model = CNNClassifier(epochs=1, random_state=0)
    start = time.perf_counter()
    model.fit(images, labels)
else:
    import keras

    from skfeat.image._networks import build_image_network

    start = time.perf_counter()
    X = images.astype("float32") / 255
    network = build_image_network(
        X.shape[1:], 10, filters=(32,), kernel_size=3, pool_size=2,
        padding="valid", convs_per_block=1, batch_normalization=False,
        pooling=None, dense_units=(), dropout=0.0, scaling=None,
        augmentation=None, seed=0,
    )
    network.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    network.fit(X, labels, epochs=1, batch_size=32, verbose=0)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mib": peak, "baseline_mib": baseline}))
"""


def run(side):
    result = subprocess.run(
        [sys.executable, "-c", CHILD, side, str(SAMPLE), str(N_IMAGES)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    sides = {"skfeat": [], "raw": []}
    for _ in range(ROUNDS):
        for side, runs in sides.items():
            runs.append(run(side))
            print(side, runs[-1], flush=True)
    best = {
        side: {
            "seconds": min(r["seconds"] for r in runs),
            "peak_mib": max(r["peak_mib"] for r in runs),
            "above_mib": max(r["peak_mib"] - r["baseline_mib"] for r in runs),
        }
        for side, runs in sides.items()
    }
    ours, raw = best["skfeat"], best["raw"]
    lines = [
        "# 50,000 images of 32×32×3 uint8, one epoch of the classic network",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores, no GPU; Python "
        f"{platform.python_version()}. Command: `python benchmarks/"
        f"bench_image_scale.py`; each side in its own process, {ROUNDS} rounds in "
        "turns. The data: 146 MiB of uint8.",
        "",
        "| side | epoch time (s) | peak RSS (MiB) | above imports and data (MiB) |",
        "|---|---:|---:|---:|",
        f"| skfeat `CNNClassifier(epochs=1).fit(uint8 images)` | {ours['seconds']:.1f} "
        f"| {ours['peak_mib']:.0f} | {ours['above_mib']:.0f} |",
        f"| raw Keras `model.fit(images.astype('float32') / 255)` | "
        f"{raw['seconds']:.1f} | {raw['peak_mib']:.0f} | {raw['above_mib']:.0f} |",
        "",
        f"skfeat / raw Keras: epoch time {ours['seconds'] / raw['seconds']:.2f}×, "
        f"peak RSS {ours['peak_mib'] / raw['peak_mib']:.2f}×.",
        "",
    ]
    table = "\n".join(lines)
    print(table)
    RESULTS.write_text(table)


if __name__ == "__main__":
    main()
