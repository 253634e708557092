"""Distributed search: the same code on a Dask cluster gives the same answer."""

import distributed
import joblib
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline

from skfeat.text import Word2VecVectorizer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dask_client():
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def search_results(search, X, y, backend):
    with joblib.parallel_backend(backend):
        search.fit(X, y)
    return search.best_params_, search.cv_results_["mean_test_score"]


def test_text_grid_search_on_dask_matches_one_process(dask_client, sentence_polarity):
    documents, labels = sentence_polarity
    rng = np.random.default_rng(1)
    subset = rng.choice(len(documents), size=1500, replace=False)
    documents, labels = [documents[i] for i in subset], labels[subset]
    pipeline = make_pipeline(
        Word2VecVectorizer(min_count=1, vector_size=20, workers=1, random_state=0),
        LogisticRegression(max_iter=500),
    )
    grid = {
        "word2vecvectorizer__pooling": ["mean", "sif"],
        "logisticregression__C": [0.1, 1.0],
    }
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    local = search_results(
        GridSearchCV(pipeline, grid, cv=cv, n_jobs=1), documents, labels, "loky"
    )
    with distributed.get_task_stream(dask_client) as tasks:
        on_dask = search_results(
            GridSearchCV(pipeline, grid, cv=cv, n_jobs=-1), documents, labels, "dask"
        )
    assert on_dask[0] == local[0]
    np.testing.assert_array_equal(on_dask[1], local[1])
    workers_used = {task["worker"] for task in tasks.data}
    assert len(workers_used) == 2  # both worker processes fitted candidates


def test_cnn_grid_search_on_dask_matches_one_process(dask_client):
    from sklearn.datasets import load_digits

    from skfeat.image import CNNClassifier

    X, y = load_digits(return_X_y=True)
    X, y = X[:600] / 16, y[:600]
    cnn = CNNClassifier(image_shape=(8, 8), epochs=2, random_state=0)
    grid = {"filters": [(4,), (8,)], "learning_rate": [0.003, 0.01]}
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    local = search_results(GridSearchCV(cnn, grid, cv=cv, n_jobs=1), X, y, "loky")
    with distributed.get_task_stream(dask_client) as tasks:
        on_dask = search_results(
            GridSearchCV(cnn, grid, cv=cv, n_jobs=-1), X, y, "dask"
        )
    assert on_dask[0] == local[0]
    np.testing.assert_array_equal(on_dask[1], local[1])
    assert len({task["worker"] for task in tasks.data}) == 2
