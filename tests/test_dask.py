"""Distributed search: the same code on a Dask cluster gives the same answer,
also when each worker process runs several fits at once in threads (the
default of LocalCluster and of most real clusters)."""

import distributed
import joblib
import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline

from skfeat.image import CNNClassifier
from skfeat.text import Word2VecVectorizer

pytestmark = pytest.mark.slow

FRESH_CLUSTERS = 10


def search_results(search, X, y, backend):
    with joblib.parallel_backend(backend):
        search.fit(X, y)
    return search.best_params_, search.cv_results_["mean_test_score"]


def cnn_search(n_jobs):
    cnn = CNNClassifier(image_shape=(8, 8), epochs=2, random_state=0)
    grid = {"filters": [(4,), (8,)], "learning_rate": [0.003, 0.01]}
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    return GridSearchCV(cnn, grid, cv=cv, n_jobs=n_jobs)


def text_search(n_jobs):
    pipeline = make_pipeline(
        Word2VecVectorizer(min_count=1, vector_size=20, workers=1, random_state=0),
        LogisticRegression(max_iter=500),
    )
    grid = {
        "word2vecvectorizer__pooling": ["mean", "sif"],
        "logisticregression__C": [0.1, 1.0],
    }
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    return GridSearchCV(pipeline, grid, cv=cv, n_jobs=n_jobs)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:600] / 16, y[:600]


@pytest.fixture(scope="module")
def reviews(sentence_polarity):
    documents, labels = sentence_polarity
    subset = np.random.default_rng(1).choice(len(documents), size=1500, replace=False)
    return [documents[i] for i in subset], labels[subset]


def test_seeded_searches_on_fresh_threaded_clusters_match_one_process(digits, reviews):
    cnn_local = search_results(cnn_search(1), *digits, "loky")
    text_local = search_results(text_search(1), *reviews, "loky")
    assert np.isfinite(cnn_local[1]).all() and np.isfinite(text_local[1]).all()
    threads_used = set()
    for _ in range(FRESH_CLUSTERS):
        with (
            distributed.LocalCluster(
                n_workers=2,
                threads_per_worker=2,
                processes=True,
                dashboard_address=None,
                host="127.0.0.1",
            ) as cluster,
            distributed.Client(cluster) as client,
            distributed.get_task_stream(client) as tasks,
        ):
            cnn_on_dask = search_results(cnn_search(-1), *digits, "dask")
            text_on_dask = search_results(text_search(-1), *reviews, "dask")
        # bit-identical: no fit changed another's network, none crashed (NaN)
        assert cnn_on_dask[0] == cnn_local[0]
        np.testing.assert_array_equal(cnn_on_dask[1], cnn_local[1])
        assert text_on_dask[0] == text_local[0]
        np.testing.assert_array_equal(text_on_dask[1], text_local[1])
        threads_used |= {(task["worker"], task["thread"]) for task in tasks.data}
    workers = {worker for worker, _ in threads_used}
    assert len(workers) >= 2 * FRESH_CLUSTERS  # both workers of every cluster
    assert len(threads_used) > len(workers)  # and both threads of some worker


# --- Dask-ML: training over the blocks of a Dask array, prediction per partition ----


@pytest.fixture(scope="module")
def in_process_cluster():
    """Two threaded workers in this process: TensorFlow is imported already."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_incremental_trains_over_the_blocks_as_partial_fit_does(
    in_process_cluster, digits
):
    import dask.array as da
    from dask_ml.wrappers import Incremental

    X, y = digits
    cnn = CNNClassifier(image_shape=(8, 8), filters=(4,), random_state=0)
    blocks = da.from_array(X, chunks=(200, 64)), da.from_array(y, chunks=200)
    incremental = Incremental(cnn, shuffle_blocks=False)
    incremental.fit(*blocks, classes=np.arange(10))
    by_hand = CNNClassifier(image_shape=(8, 8), filters=(4,), random_state=0)
    for start in range(0, len(y), 200):
        rows = slice(start, start + 200)
        by_hand.partial_fit(X[rows], y[rows], classes=np.arange(10))
    assert len(incremental.estimator_.history_["loss"]) == 3
    np.testing.assert_array_equal(
        incremental.estimator_.predict_proba(X), by_hand.predict_proba(X)
    )


def test_parallel_post_fit_predicts_each_partition_as_in_memory(
    in_process_cluster, digits
):
    import dask.array as da
    from dask_ml.wrappers import ParallelPostFit

    X, y = digits
    cnn = CNNClassifier(image_shape=(8, 8), filters=(4,), epochs=1, random_state=0)
    post_fit = ParallelPostFit(cnn).fit(X, y)
    blocks = da.from_array(X, chunks=(150, 64))
    np.testing.assert_array_equal(
        post_fit.predict(blocks).compute(), post_fit.estimator.predict(X)
    )
    np.testing.assert_array_equal(
        post_fit.predict_proba(blocks).compute(), post_fit.estimator.predict_proba(X)
    )
    np.testing.assert_array_equal(
        post_fit.transform(blocks).compute(), post_fit.estimator.transform(X)
    )
