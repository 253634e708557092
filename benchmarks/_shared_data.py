"""The data the benchmarks read from ``../shared/data`` beside the repository
(or the folder ``SKFEAT_SHARED_DATA`` names): the CIFAR-10 sample, MR and the
spoken digits."""

import os
from pathlib import Path

import numpy as np

SHARED_DATA = Path(
    os.environ.get(
        "SKFEAT_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"
    )
)
CIFAR10_SAMPLE = SHARED_DATA / "cifar10-sample" / "cifar10_sample.npz"
MR = SHARED_DATA / "sentence-polarity"
SPOKEN_DIGITS = SHARED_DATA / "spoken-digits"


def load_mr():
    """MR's 10,662 sentences (negatives first) and their 0/1 labels."""
    documents, labels = [], []
    for label, name in enumerate(["rt-polarity.neg", "rt-polarity.pos"]):
        lines = (MR / name).read_text(encoding="utf-8").splitlines()
        documents += lines
        labels += [label] * len(lines)
    return np.array(documents, dtype=object), np.array(labels)
