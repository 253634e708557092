import csv
import os
import subprocess
import sys

import numpy as np
import pytest
from gensim.test.utils import datapath

from skfeat import Word2VecVectorizer
from skfeat.cli import main

# gensim's Lee corpus: 300 real news stories, one per line
LEE = datapath("lee_background.cor")
# reproducible training in one process: one thread and a seed
TRAINING = ["--workers", "1", "--seed", "0", "--min-count", "2", "--epochs", "2"]


def lee_documents():
    with open(LEE, encoding="utf-8") as file:
        return [line.rstrip("\n") for line in file]


def trained_vectorizer(**params):
    return Word2VecVectorizer(
        workers=1, random_state=0, min_count=2, epochs=2, **params
    )


def read_vectors(path):
    if path.suffix == ".npy":
        return np.load(path)
    if path.suffix == ".csv":
        return np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32, ndmin=2)
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    return np.column_stack([column.to_numpy() for column in table.columns])


def embed(*args):
    return main(["embed", *map(str, args), "--quiet"])


@pytest.fixture(scope="module")
def lee_vectors():
    return trained_vectorizer().fit_transform(lee_documents())


@pytest.mark.parametrize("suffix", [".npy", ".csv", ".parquet"])
def test_embed_writes_what_word2vec_vectorizer_gives(tmp_path, lee_vectors, suffix):
    output = tmp_path / f"vectors{suffix}"
    assert embed(LEE, "-o", output, "--chunk-size", 7, *TRAINING) == 0
    written = read_vectors(output)
    assert written.shape == lee_vectors.shape == (300, 100)
    np.testing.assert_array_equal(written, lee_vectors)
    assert [p.name for p in tmp_path.iterdir()] == [output.name]


def test_embed_reads_a_csv_column_with_quoted_newlines_and_long_cells(tmp_path):
    long_story = " ".join(lee_documents()) * 2  # longer than csv's default limit
    documents = ["a story, with commas\nand a line break", long_story]
    documents += lee_documents()[:98]
    source = tmp_path / "stories.csv"
    with open(source, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "story"])
        writer.writerows(enumerate(documents))
    output = tmp_path / "vectors.npy"
    assert embed(source, "--column", "story", "-o", output, *TRAINING) == 0
    expected = trained_vectorizer().fit_transform(documents)
    np.testing.assert_array_equal(np.load(output), expected)


@pytest.mark.parametrize("pooling", ["tfidf", "mean+max"])
def test_embed_with_pretrained_vectors_and_pooling(tmp_path, pooling):
    pretrained = datapath("lee_fasttext.vec")
    output = tmp_path / "vectors.npy"
    args = ["--pretrained", pretrained, "--pooling", pooling]
    assert embed(LEE, "-o", output, *args) == 0
    vectorizer = Word2VecVectorizer(pretrained=pretrained, pooling=pooling)
    np.testing.assert_array_equal(
        np.load(output), vectorizer.fit_transform(lee_documents())
    )


def failing_inputs(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    table = tmp_path / "table.csv"
    table.write_text("id,text\n1,hello world\n")
    garbage = tmp_path / "garbage.vec"
    garbage.write_bytes(b"\x00\x01\x02 not vectors \xff\xfe" * 50)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9\n".encode("latin-1"))
    return {
        "missing file": ([tmp_path / "nope.txt"], "not found"),
        "empty file": ([empty], "holds no documents"),
        "bad column": ([table, "--column", "body"], "no column 'body'"),
        "csv without column": ([table], "--column"),
        "not utf-8": ([latin1], "not UTF-8"),
        "unreadable vectors": ([LEE, "--pretrained", garbage], "garbage.vec"),
        "missing vectors": ([LEE, "--pretrained", tmp_path / "no.vec"], "no.vec"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing file",
        "empty file",
        "bad column",
        "csv without column",
        "not utf-8",
        "unreadable vectors",
        "missing vectors",
    ],
)
def test_embed_error_says_why_and_leaves_no_output(tmp_path, capsys, case):
    args, message = failing_inputs(tmp_path)[case]
    before = set(tmp_path.iterdir())
    output = tmp_path / "vectors.npy"
    assert embed(*args, "-o", output) == 1
    assert message in capsys.readouterr().err
    assert set(tmp_path.iterdir()) == before  # no output, no partial file


def test_embed_failure_keeps_an_existing_output_file(tmp_path):
    output = tmp_path / "vectors.npy"
    output.write_bytes(b"earlier result")
    assert embed(tmp_path / "nope.txt", "-o", output) == 1
    assert output.read_bytes() == b"earlier result"


@pytest.mark.parametrize(
    "argv",
    [
        ["embed", LEE, "-o", "vectors.txt"],
        ["embed", LEE, "-o", "vectors.npy", "--pooling", "median"],
        ["embed", LEE, "-o", "vectors.npy", "--chunk-size", "0"],
        ["embed", LEE],
        ["demo", "--seed", "abc"],
        ["demo", "--fast"],
        [],
    ],
)
def test_bad_arguments_exit_with_status_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([str(arg) for arg in argv])
    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err


@pytest.mark.slow
def test_demo_quick_runs_end_to_end_and_writes_its_report(tmp_path):
    report = tmp_path / "report"
    result = subprocess.run(
        [sys.executable, "-m", "skfeat", "demo", "--quick", "--output", report],
        capture_output=True,
        text=True,
        # an empty data home: MR is not cached, so its rows must be absent
        env={**os.environ, "SCIKIT_LEARN_DATA": str(tmp_path / "data")},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    files = {
        "results.csv",
        "results.md",
        "cnn_learning_curves.png",
        "cnn_confusion_matrix.png",
        "cnn_misclassified_digits.png",
        "document_map.png",
    }
    assert {p.name for p in report.iterdir()} == files
    assert all((report / name).stat().st_size > 0 for name in files)
    with open(report / "results.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    methods = [(row["dataset"], row["method"].split(" (")[0]) for row in rows]
    digits = ["CNNClassifier", "CNN features -> SVC", "SVC on raw pixels"]
    digits.append("LogisticRegression on raw pixels")
    assert methods[:4] == [("digits", method) for method in digits]
    newsgroups = [method for dataset, method in methods if dataset == "newsgroups"]
    assert newsgroups == ["Word2VecVectorizer"] * 6 + ["TfidfVectorizer + LogReg"]
    assert len(rows) == 11
    for row in rows:
        assert 0.0 <= float(row["accuracy_mean"]) <= 1.0
        assert row["method"] in result.stdout
