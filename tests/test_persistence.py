"""Fitted estimators and pipelines survive pickle/joblib into a fresh process."""

import subprocess
import sys

import numpy as np
import pytest
from gensim.test.utils import datapath
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from skfeat.text import Word2VecVectorizer

# gensim's Lee corpus: 300 real news stories, one per line
with open(datapath("lee_background.cor"), encoding="utf-8") as _file:
    LEE = [line.strip() for line in _file]
# a label that the words can predict: does the story mention police?
LEE_LABELS = np.array(["police" in doc.lower() for doc in LEE])

RELOAD = """
import sys, numpy as np, {module}
from pathlib import Path
folder = Path(sys.argv[1])
model = {load}
documents = (folder / "documents.txt").read_text(encoding="utf-8").split("\\n")
np.save(folder / "proba.npy", model.predict_proba(documents))
np.save(folder / "features.npy", model[:-1].transform(documents))
"""


def reload_in_fresh_process(folder, dump):
    module, load = ("pickle", "pickle.loads((folder / 'model').read_bytes())")
    if dump == "joblib":
        module, load = ("joblib", "joblib.load(folder / 'model')")
    code = RELOAD.format(module=module, load=load)
    result = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return np.load(folder / "proba.npy"), np.load(folder / "features.npy")


@pytest.mark.parametrize("dump", ["pickle", "joblib"])
@pytest.mark.parametrize("algorithm", ["word2vec", "fasttext"])
def test_text_pipeline_reloads_bit_identical_in_fresh_process(
    tmp_path, dump, algorithm
):
    import pickle

    import joblib

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
    if dump == "pickle":
        (tmp_path / "model").write_bytes(pickle.dumps(pipeline))
    else:
        joblib.dump(pipeline, tmp_path / "model")
    (tmp_path / "documents.txt").write_text("\n".join(documents), encoding="utf-8")
    proba, features = reload_in_fresh_process(tmp_path, dump)
    np.testing.assert_array_equal(proba, pipeline.predict_proba(documents))
    np.testing.assert_array_equal(features, pipeline[:-1].transform(documents))
