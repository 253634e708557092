"""How many bytes a fitted estimator costs to move between processes.

Run: ``python benchmarks/bench_pickle_sizes.py`` (about a minute). Writes
``benchmarks/results/pickle_sizes.md``: the pickled size of fitted estimators,
which is what joblib/Dask send to each worker of a distributed search.
"""

import pickle
from pathlib import Path

from gensim.test.utils import datapath
from sklearn.datasets import load_digits

from skfeat.image import CNNClassifier
from skfeat.text import Word2VecVectorizer

RESULTS = Path(__file__).parent / "results" / "pickle_sizes.md"


def main():
    with open(datapath("lee_background.cor"), encoding="utf-8") as file:
        lee = file.read().splitlines()
    X, y = load_digits(return_X_y=True)
    estimators = {
        "Word2VecVectorizer() unfitted": Word2VecVectorizer(),
        "Word2VecVectorizer(min_count=2), fitted on the Lee corpus": (
            Word2VecVectorizer(min_count=2, workers=1, random_state=0),
            lee,
        ),
        "Word2VecVectorizer(min_count=2, algorithm='fasttext'), fitted on Lee": (
            Word2VecVectorizer(
                min_count=2, algorithm="fasttext", workers=1, random_state=0
            ),
            lee,
        ),
        "... the same with bucket=100_000": (
            Word2VecVectorizer(
                min_count=2,
                algorithm="fasttext",
                bucket=100_000,
                workers=1,
                random_state=0,
            ),
            lee,
        ),
        "Word2VecVectorizer(pretrained='lee_fasttext.vec'), fitted": (
            Word2VecVectorizer(pretrained=datapath("lee_fasttext.vec")),
            lee,
        ),
        "CNNClassifier() unfitted": CNNClassifier(),
        "CNNClassifier(image_shape=(8, 8)), fitted on digits": (
            CNNClassifier(image_shape=(8, 8), epochs=1, random_state=0),
            X,
            y,
        ),
        "CNNClassifier(recommended configuration), fitted on digits": (
            CNNClassifier(
                image_shape=(8, 8),
                filters=(64,),
                padding="same",
                dense_units=(512,),
                dropout=0.5,
                learning_rate=0.002,
                epochs=1,
                random_state=0,
            ),
            X,
            y,
        ),
    }
    lines = [
        "# Pickled sizes",
        "",
        "| estimator | what it holds | pickled size |",
        "|---|---|---:|",
    ]
    for name, entry in estimators.items():
        if isinstance(entry, tuple):
            estimator, *data = entry
            estimator.fit(*data)
        else:
            estimator = entry
        if hasattr(estimator, "wv_"):
            holds = f"{len(estimator.wv_):,} words × {estimator.wv_.vector_size}"
            if hasattr(estimator.wv_, "vectors_ngrams"):
                holds += f" + {len(estimator.wv_.vectors_ngrams):,} n-gram buckets"
        elif hasattr(estimator, "model_"):
            holds = f"{estimator.model_.count_params():,} network weights"
        else:
            holds = "parameters only"
        size = len(pickle.dumps(estimator))
        lines.append(f"| {name} | {holds} | {size / 1024:,.1f} KiB |")
        print(lines[-1])
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
