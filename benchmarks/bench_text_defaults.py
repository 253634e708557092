"""Which Word2VecVectorizer defaults work on the small labelled corpora it is
fitted on: MR sentences and the mini newsgroups, beside TF-IDF.

Run from the repository root (about 30 minutes on 2 cores)::

    python benchmarks/bench_text_defaults.py

Each row is a pipeline ``Word2VecVectorizer(...) + LogisticRegression`` scored by
5-fold cross-validation: on MR (10,662 sentences of ``../shared/data``,
``StratifiedKFold(5, shuffle=True, random_state=0)``, ``C=4``) and on the 200
posts of :func:`skfeat.datasets.load_mini_newsgroups` (``cv=5`` as the README's
snippet, default ``C``). Vectors are trained on each training fold only, except
in the last row, the recipe for extra unlabelled text. Writes
``benchmarks/results/text_defaults.md``.
"""

import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _shared_data import load_mr  # noqa: E402

from skfeat.datasets import load_mini_newsgroups  # noqa: E402
from skfeat.text import Word2VecVectorizer  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "text_defaults.md"

# settings compared; workers=2 for speed (the defaults' 3 threads on 2 cores)
CANDIDATES = {
    "gensim's defaults: `sg=0, epochs=5, min_count=5` (skfeat's before)": {
        "sg": 0,
        "epochs": 5,
        "min_count": 5,
    },
    "`sg=1, epochs=20, min_count=2`": {"sg": 1, "epochs": 20, "min_count": 2},
    "`sg=1, epochs=40, min_count=2`": {"sg": 1, "epochs": 40, "min_count": 2},
    "`sg=0` (CBOW), else the defaults": {"sg": 0},
    "**the defaults**: `sg='auto', epochs='auto', min_count=2, pooling='mean'`": {},
    "the defaults, `pooling='tfidf'`": {"pooling": "tfidf"},
    "the defaults, `pooling='mean+max'`": {"pooling": "mean+max"},
}


def main():
    posts = load_mini_newsgroups()
    corpora = {
        "MR": (*load_mr(), StratifiedKFold(5, shuffle=True, random_state=0), 4.0),
        "newsgroups": (np.array(posts.data, dtype=object), posts.target, 5, 1.0),
    }

    def score(features, corpus):
        X, y, cv, C = corpora[corpus]
        model = make_pipeline(features, LogisticRegression(C=C, max_iter=1000))
        start = time.perf_counter()
        scores = cross_val_score(model, X, y, cv=cv)
        return scores.mean(), scores.std(), (time.perf_counter() - start) / 5

    rows = []
    for name, params in CANDIDATES.items():
        vectorizer = Word2VecVectorizer(workers=2, random_state=0, **params)
        rows.append((name, *(score(vectorizer, corpus) for corpus in corpora)))
        print(rows[-1], flush=True)
    tfidf = (
        "`TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)`",
        *(
            score(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), corpus)
            for corpus in corpora
        ),
    )
    # the recipe for extra unlabelled text: vectors trained on more text than
    # the labelled training folds (here every document's text, no labels)
    recipe = ["vectors trained on all {} texts (no labels), then `pretrained=`"]
    for corpus, (X, _, _, _) in corpora.items():
        vectors = Word2VecVectorizer(workers=2, random_state=0).fit(X).wv_
        recipe.append(score(Word2VecVectorizer(pretrained=vectors), corpus))
    recipe[0] = recipe[0].format("MR, or all newsgroup,")

    def cells(result):
        mean, std, seconds = result
        return f"{mean:.3f} ± {std:.3f} | {seconds:.1f}"

    lines = [
        "# Word2VecVectorizer defaults on small labelled corpora",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores; Python "
        f"{platform.python_version()}. Command: `python benchmarks/"
        "bench_text_defaults.py`. Accuracy of `Word2VecVectorizer(..., workers=2, "
        "random_state=0)` + `LogisticRegression`, 5-fold CV: MR (10,662 sentences, "
        "`StratifiedKFold(5, shuffle=True, random_state=0)`, `C=4`) and the mini "
        "newsgroups (200 posts, `cv=5`, `C=1`). Seconds: fit + score per fold.",
        "",
        "| vectorizer | MR | s | newsgroups | s |",
        "|---|---:|---:|---:|---:|",
        *(f"| {name} | {cells(mr)} | {cells(news)} |" for name, mr, news in rows),
        f"| {tfidf[0]} (baseline) | {cells(tfidf[1])} | {cells(tfidf[2])} |",
        f"| {recipe[0]} | {cells(recipe[1])} | {cells(recipe[2])} |",
        "",
    ]
    table = "\n".join(lines)
    print(table)
    RESULTS.write_text(table)


if __name__ == "__main__":
    main()
