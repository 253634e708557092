import os
from pathlib import Path

import numpy as np
import pytest

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
