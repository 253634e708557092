import os
import struct
from pathlib import Path

import numpy as np
import pytest
from gensim.test.utils import datapath

# The real data sets shared by the team (tests, benchmarks, docs only).
SHARED_DATA = Path(
    os.environ.get(
        "SKFEAT_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"
    )
)


@pytest.fixture(scope="session")
def sentence_polarity():
    """MR: 10,662 movie-review sentences and their 0/1 polarity labels."""
    folder = SHARED_DATA / "sentence-polarity"
    documents, labels = [], []
    for label, name in enumerate(["rt-polarity.neg", "rt-polarity.pos"]):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        documents += lines
        labels += [label] * len(lines)
    return documents, np.array(labels)


@pytest.fixture(scope="session")
def sentence_polarity_folder():
    """The folder holding rt-polarity.neg and rt-polarity.pos (MR, UTF-8)."""
    folder = SHARED_DATA / "sentence-polarity"
    if not folder.is_dir():
        pytest.skip(f"no copy of MR at {folder}")
    return folder


@pytest.fixture
def supervised_fasttext_model(tmp_path):
    """``tmp_path/classifier.bin``: a fastText .bin as `fasttext supervised` writes.

    gensim's unsupervised model with the two fields that make it supervised.
    """
    data = bytearray(Path(datapath("lee_fasttext_new.bin")).read_bytes())
    # header: magic, version, then dim, ws, epoch, min_count, neg, word_ngrams,
    # loss, model, ...; the vocabulary starts at byte 64 with three int32 counts
    data[36:40] = struct.pack("<i", 3)  # model: supervised
    data[72:76] = struct.pack("<i", 2)  # labels
    path = tmp_path / "classifier.bin"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="session")
def cifar10_sample():
    """3,728 CIFAR-10 images, uint8 (n, 32, 32, 3), and their labels 0-9."""
    with np.load(SHARED_DATA / "cifar10-sample" / "cifar10_sample.npz") as data:
        return data["images"], data["labels"]


@pytest.fixture(scope="session")
def spoken_digits_folder():
    """The folder of 2,000 FSDD recordings, ``{digit}_{speaker}_{index}.wav``
    (8 kHz mono WAV; speakers george, jackson, lucas and nicolas)."""
    folder = SHARED_DATA / "spoken-digits" / "recordings"
    if not folder.is_dir():
        pytest.skip(f"no spoken digits at {folder}")
    return folder


@pytest.fixture(scope="session")
def mobilenet_v2_035_weights():
    """Keras' headless ImageNet weights of MobileNetV2, width 0.35, 224 px."""
    path = (
        SHARED_DATA
        / "pretrained"
        / "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5"
    )
    if not path.is_file():
        pytest.skip(f"no copy of the MobileNetV2 weights at {path}")
    return path
