"""TextCNNClassifier on MR: accuracy beside TF-IDF and Word2Vec, and speed
beside the same network trained with raw Keras.

Run from the repository root (about 40 minutes on 2 cores)::

    python benchmarks/bench_text_cnn.py

Accuracy: 5-fold ``StratifiedKFold(shuffle=True, random_state=0)`` on the 10,662
MR sentences of ``../shared/data/sentence-polarity``; no vectors from outside
MR. Speed: one fold's training sentences (8,530); the two sides of each pair run
in turns, best of the rounds. Writes ``benchmarks/results/text_cnn.md``;
``python benchmarks/bench_text_cnn.py speed`` (or ``accuracy``) runs one part
and writes ``text_cnn_speed.md`` (or ``text_cnn_accuracy.md``).
"""

import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _shared_data import load_mr  # noqa: E402

from skfeat.text import TextCNNClassifier, Word2VecVectorizer  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "text_cnn.md"
ROUNDS = int(os.environ.get("ROUNDS", 3))


def raw_keras_fit(documents, labels, clf):
    """What TextCNNClassifier(random_state=0).fit does, written with gensim and
    Keras directly: the same tokens, vectors, vocabulary, network and epochs."""
    import keras
    from gensim.models import Word2Vec

    from skfeat.text._networks import build_text_network

    vectorizer = Word2VecVectorizer(epochs=20, workers=1, random_state=0)
    tokens = [vectorizer._analyzer()(document) for document in documents]
    params = vectorizer.get_params()
    vectors = Word2Vec(
        tokens,
        vector_size=params["vector_size"],
        window=params["window"],
        min_count=params["min_count"],
        sg=1,  # what sg="auto" picks for MR's 170,000 words
        negative=params["negative"],
        epochs=params["epochs"],
        workers=1,
        seed=0,
    ).wv
    counts = Counter(word for document in tokens for word in document)
    words = sorted(word for word, count in counts.items() if count >= clf.min_count)
    index = {word: i for i, word in enumerate(words, 2)}
    length = max(min(max(map(len, tokens)), clf.max_length), *clf.widths)
    ids = np.zeros((len(tokens), length), dtype=np.int32)
    for row, document in enumerate(tokens):
        ids[row, : len(document[:length])] = [
            index.get(w, 1) for w in document[:length]
        ]
    rng = np.random.default_rng(0)
    scale = np.sqrt(3) * vectors.vectors.std()
    table = rng.uniform(-scale, scale, (len(words) + 2, vectors.vector_size))
    known = [w for w in words if w in vectors.key_to_index]
    table[[index[w] for w in known]] = vectors[known]
    table[0] = 0
    model = build_text_network(
        length,
        2,
        embedding=table.astype(np.float32),
        trainable_embedding=True,
        embedding_dropout=clf.embedding_dropout,
        widths=clf.widths,
        filters=clf.filters,
        dropout=clf.dropout,
        seed=0,
    )
    model.compile(
        optimizer=keras.optimizers.Adam(clf.learning_rate),
        loss="sparse_categorical_crossentropy",
    )
    model.fit(ids, labels, epochs=clf.epochs, batch_size=clf.batch_size, verbose=0)
    return model


def in_turns(functions, rounds):
    best = [float("inf")] * len(functions)
    for _ in range(rounds):
        for i, function in enumerate(functions):
            start = time.perf_counter()
            function()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def accuracy_lines(rows):
    return [
        "## Accuracy: 5-fold stratified CV shuffled with seed 0, no outside vectors",
        "",
        "| features / model | accuracy | ± std | fit + score per fold (s) |",
        "|---|---:|---:|---:|",
        *(
            f"| {name} | {mean:.4f} | {std:.4f} | {seconds:.1f} |"
            for name, mean, std, seconds in rows
        ),
        "",
        "Published: NBSVM with bigrams 0.794 (Wang & Manning 2012); Kim (2014) "
        "CNN-rand 0.761, CNN-static with word2vec trained on 100 billion words of "
        "news 0.810 (10-fold CV).",
        "",
    ]


def accuracy(X, y, cv):
    rows = []

    def score(name, model):
        start = time.perf_counter()
        scores = cross_val_score(model, X, y, cv=cv)
        seconds = time.perf_counter() - start
        rows.append((name, scores.mean(), scores.std(), seconds / 5))
        print(rows[-1], flush=True)

    score(
        "`TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)` + "
        "`LogisticRegression(C=4)`",
        make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            LogisticRegression(C=4, max_iter=1000),
        ),
    )
    score(
        "`Word2VecVectorizer()` (defaults) + `LogisticRegression(C=4)`",
        make_pipeline(
            Word2VecVectorizer(random_state=0), LogisticRegression(C=4, max_iter=1000)
        ),
    )
    score(
        "`TextCNNClassifier()` (defaults: Word2Vec init, trainable)",
        (TextCNNClassifier(random_state=0)),
    )
    score(
        "`TextCNNClassifier(trainable_embedding=False)` (static)",
        TextCNNClassifier(trainable_embedding=False, random_state=0),
    )
    score(
        "`TextCNNClassifier(embedding_init='random')` (CNN-rand)",
        TextCNNClassifier(embedding_init="random", random_state=0),
    )
    score(
        "`TextCNNClassifier(embedding_init='random', trainable_embedding=False)`",
        TextCNNClassifier(
            embedding_init="random", trainable_embedding=False, random_state=0
        ),
    )
    return accuracy_lines(rows)


def speed(X, y, cv):
    train, _ = next(cv.split(X, y))
    clf = TextCNNClassifier(random_state=0)
    ours, raw = in_turns(
        [
            lambda: clf.fit(X[train], y[train]),
            lambda: raw_keras_fit(X[train], y[train], clf),
        ],
        ROUNDS,
    )
    one = X[train][:1]
    clf.predict(one)
    start = time.perf_counter()
    for _ in range(200):
        clf.predict(one)
    predict_one = (time.perf_counter() - start) / 200
    return [
        f"## Speed: one fold's 8,530 training sentences, best of {ROUNDS} rounds "
        "in turns",
        "",
        "| operation | skfeat (s) | reference | reference (s) | ratio |",
        "|---|---:|---|---:|---:|",
        f"| `TextCNNClassifier().fit` (tokens, Word2Vec, vocabulary, network) "
        f"| {ours:.1f} | the same steps with gensim and raw Keras `model.fit` "
        f"| {raw:.1f} | {ours / raw:.2f} |",
        f"| `predict` of one sentence | {predict_one * 1000:.2f} ms | goal | 3 ms "
        f"| {predict_one * 1000 / 3:.2f} |",
        "",
    ]


def main(parts):
    """``parts``: "accuracy", "speed" or both (the default)."""
    X, y = load_mr()
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    lines = [
        "# TextCNNClassifier on MR",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores, no GPU; Python "
        f"{platform.python_version()}. Command: `python benchmarks/bench_text_cnn.py"
        f"{'' if len(parts) == 2 else ' ' + parts[0]}`.",
        "",
    ]
    for part in parts:
        lines += {"accuracy": accuracy, "speed": speed}[part](X, y, cv)
    table = "\n".join(lines)
    print(table)
    name = "text_cnn.md" if len(parts) == 2 else f"text_cnn_{parts[0]}.md"
    (RESULTS.parent / name).write_text(table)


if __name__ == "__main__":
    main(sys.argv[1:] or ["accuracy", "speed"])
