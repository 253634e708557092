"""Fitted estimators and pipelines survive pickle/joblib into a fresh process, and
the same seed gives the same model in two processes."""

import os
import pickle
import subprocess
import sys

import joblib
import numpy as np
import pytest
from gensim.test.utils import datapath
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from skfeat.image import CNNClassifier, ImageLoader, PretrainedImageEncoder
from skfeat.text import Word2VecVectorizer

# gensim's Lee corpus: 300 real news stories, one per line
with open(datapath("lee_background.cor"), encoding="utf-8") as _file:
    LEE = [line.strip() for line in _file]
# a label that the words can predict: does the story mention police?
LEE_LABELS = np.array(["police" in doc.lower() for doc in LEE])

# In a fresh interpreter: load the model and the input, save what it computes.
RELOAD = """
import pickle, sys, joblib, numpy as np
from pathlib import Path
folder = Path(sys.argv[1])
if sys.argv[2] == "joblib":
    model = joblib.load(folder / "model")
else:
    model = pickle.loads((folder / "model").read_bytes())
X = pickle.loads((folder / "X.pickle").read_bytes())
np.save(folder / "proba.npy", model.predict_proba(X))
np.save(folder / "features.npy", model[:-1].transform(X))
"""


def reloaded_outputs(model, X, folder, dump):
    if dump == "joblib":
        joblib.dump(model, folder / "model")
    else:
        (folder / "model").write_bytes(pickle.dumps(model))
    (folder / "X.pickle").write_bytes(pickle.dumps(X))
    result = subprocess.run(
        [sys.executable, "-c", RELOAD, str(folder), dump],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return np.load(folder / "proba.npy"), np.load(folder / "features.npy")


@pytest.mark.parametrize("dump", ["pickle", "joblib"])
@pytest.mark.parametrize("algorithm", ["word2vec", "fasttext"])
def test_text_pipeline_reloads_bit_identical_in_fresh_process(
    tmp_path, dump, algorithm
):
    pipeline = make_pipeline(
        Word2VecVectorizer(
            algorithm=algorithm,
            pooling="sif",
            vector_size=16,
            min_count=2,
            epochs=2,
            workers=1,
            random_state=0,
        ),
        LogisticRegression(max_iter=1000),
    ).fit(LEE, LEE_LABELS)
    documents = [*LEE[:50], "", "words never seen: qwzx plorb"]
    proba, features = reloaded_outputs(pipeline, documents, tmp_path, dump)
    np.testing.assert_array_equal(proba, pipeline.predict_proba(documents))
    np.testing.assert_array_equal(features, pipeline[:-1].transform(documents))


@pytest.fixture(scope="module")
def digits():
    return load_digits(return_X_y=True)


@pytest.mark.parametrize("dump", ["pickle", "joblib"])
def test_image_pipeline_reloads_bit_identical_in_fresh_process(tmp_path, dump, digits):
    X, y = digits
    pipeline = make_pipeline(
        MinMaxScaler(),
        CNNClassifier(image_shape=(8, 8), filters=(8,), epochs=2, random_state=0),
        LogisticRegression(max_iter=1000),
    ).fit(X[:600], y[:600])
    proba, features = reloaded_outputs(pipeline, X[600:900], tmp_path, dump)
    np.testing.assert_array_equal(proba, pipeline.predict_proba(X[600:900]))
    np.testing.assert_array_equal(features, pipeline[:-1].transform(X[600:900]))


def test_pretrained_image_pipeline_reloads_bit_identical_in_fresh_process(tmp_path):
    rng = np.random.RandomState(0)
    paths = []
    for i in range(6):
        paths.append(tmp_path / "images" / f"{i}.png")
        paths[-1].parent.mkdir(exist_ok=True)
        Image.fromarray(rng.randint(0, 256, (40, 36, 3), np.uint8)).save(paths[-1])
    pipeline = make_pipeline(
        ImageLoader(image_size=(32, 32)),
        PretrainedImageEncoder(weights=None, image_size=(32, 32)),
        LogisticRegression(max_iter=1000),
    ).fit(paths, np.arange(6) % 2)
    proba, features = reloaded_outputs(pipeline, paths, tmp_path, "pickle")
    np.testing.assert_array_equal(proba, pipeline.predict_proba(paths))
    np.testing.assert_array_equal(features, pipeline[:-1].transform(paths))


FIT_IN_FRESH_PROCESS = """
import sys
from sklearn.datasets import load_digits
from skfeat.image import CNNClassifier, ImageLoader, PretrainedImageEncoder
X, y = load_digits(return_X_y=True)
model = CNNClassifier(image_shape=(8, 8), filters=(8,), epochs=2, random_state=3)
print(model.fit(X[:500] / 16, y[:500]).predict_proba(X[500:700] / 16).tobytes().hex())
"""


@pytest.mark.slow
def test_same_seed_gives_identical_cnn_in_two_processes():
    outputs = set()
    for hash_seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", FIT_IN_FRESH_PROCESS],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout.strip())
    assert len(outputs) == 1
