"""Feature extraction throughput: ``PretrainedImageEncoder.transform`` against
plain Keras ``model.predict`` on the same network and the same images.

Run from the repository root::

    python benchmarks/bench_pretrained.py [n_images] [rounds]

The network: MobileNetV2 of width 0.35 with the ImageNet weights of
``../shared/data/pretrained`` (random weights if that folder is missing: the
speed is the same), images resized to 224×224 inside the network and
preprocessed with ``mobilenet_v2.preprocess_input``, global average pooling.
Keras' model is the encoder's own (``encoder._forward``'s model: resizing,
preprocessing, backbone), so both run exactly the same layers on the same
uint8 CIFAR-10 images; each warms up once, then the two take turns
``rounds`` times, and the ratio of their median times is reported, which stays
meaningful while other jobs share the machine. Writes
``benchmarks/results/pretrained_throughput.md``.
"""

import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _shared_data import CIFAR10_SAMPLE, SHARED_DATA  # noqa: E402

from skfeat.image import PretrainedImageEncoder  # noqa: E402

RESULTS = HERE / "results" / "pretrained_throughput.md"
WEIGHTS = (
    SHARED_DATA
    / "pretrained"
    / "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5"
)


def main(n_images=512, rounds=3):
    images = np.load(CIFAR10_SAMPLE)["images"][:n_images]
    encoder = PretrainedImageEncoder(
        backbone="mobilenet_v2",
        alpha=0.35,
        weights=str(WEIGHTS) if WEIGHTS.is_file() else None,
        batch_size=32,
    ).fit(images[:1])
    keras_model = encoder._forward.model  # resizing, preprocessing, backbone

    def by_skfeat():
        return encoder.transform(images)

    def by_keras():
        return keras_model.predict(images, batch_size=32, verbose=0)

    np.testing.assert_allclose(by_skfeat(), by_keras(), rtol=1e-4, atol=1e-4)
    times = {"skfeat": [], "keras": []}
    for _ in range(rounds):
        for name, run in [("skfeat", by_skfeat), ("keras", by_keras)]:
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    skfeat, keras = np.median(times["skfeat"]), np.median(times["keras"])
    table = "\n".join(
        [
            "# Feature extraction throughput: PretrainedImageEncoder vs Keras predict",
            "",
            f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores shared with "
            "other developers' jobs (absolute times are inflated by them; the two "
            "took turns, so the ratio is fair), no GPU; Python "
            f"{platform.python_version()}. Command: `python "
            f"benchmarks/bench_pretrained.py {n_images} {rounds}`. MobileNetV2 "
            f"alpha=0.35, ImageNet weights, {n_images} CIFAR-10 images (uint8) "
            "resized to 224×224 in the network, batches of 32; median of "
            f"{rounds} turns each.",
            "",
            "| extraction | images/s | time (s) |",
            "|---|---:|---:|",
            f"| `PretrainedImageEncoder.transform` | {n_images / skfeat:.0f} "
            f"| {skfeat:.1f} |",
            f"| Keras `model.predict` (same model) | {n_images / keras:.0f} "
            f"| {keras:.1f} |",
            "",
            f"Throughput ratio skfeat / Keras: **{keras / skfeat:.2f}** "
            f"(turns: skfeat {', '.join(f'{t:.1f}' for t in times['skfeat'])} s; "
            f"Keras {', '.join(f'{t:.1f}' for t in times['keras'])} s).",
            "",
        ]
    )
    RESULTS.write_text(table)
    print(table)


if __name__ == "__main__":
    main(*map(int, sys.argv[1:]))
