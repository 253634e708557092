import argparse
import csv
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time

import numpy as np
import pytest
from gensim.test.utils import datapath
from PIL import Image

from skfeat import Word2VecVectorizer
from skfeat._demo import _most_frequent_confusions
from skfeat._embed import replaced_on_success
from skfeat.cli import _positive_int_or, main
from skfeat.image import ImageLoader, PretrainedImageEncoder

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


def skfeat(*args, timeout=300, **kwargs):
    """Run the ``skfeat`` command in a process of its own, as a user does."""
    return subprocess.run(
        [sys.executable, "-m", "skfeat", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


def failing_inputs(tmp_path, supervised_fasttext_model):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    blank = tmp_path / "blank.txt"
    blank.write_text("\n   \n\n")
    table = tmp_path / "table.csv"
    table.write_text("id,text\n1,hello world\n")
    prose = tmp_path / "prose.txt"
    prose.write_text(
        "Call me Ishmael. Some years ago, never mind how long\nprecisely\n"
    )
    garbage = tmp_path / "garbage.vec"
    garbage.write_bytes(b"\x00\x01\x02 not vectors \xff\xfe" * 50)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9\n".encode("latin-1"))
    folder = tmp_path / "folder"
    folder.mkdir()
    random_bin = tmp_path / "random.bin"
    random_bin.write_bytes(np.random.default_rng(1).bytes(2000))
    return {
        "missing file": ([tmp_path / "nope.txt"], "input file not found"),
        "a folder": ([folder], "is a folder"),
        "empty file": ([empty], "holds no documents"),
        "blank lines": ([blank], "blank.txt holds 3 lines, all of them blank"),
        "bad column": ([table, "--column", "body"], "no column 'body'"),
        "column of a text file": (
            [prose, "--column", "text"],
            "prose.txt is not a CSV file",
        ),
        "csv without column": ([table], "--column"),
        "not utf-8": ([latin1], "line 1: byte 0xe9 at offset 3 is not utf-8"),
        "unknown encoding": ([LEE, "--encoding", "klingon"], "no such encoding"),
        "utf-16": ([LEE, "--encoding", "utf-16"], "--encoding utf-16 is not"),
        "unreadable vectors": ([LEE, "--pretrained", garbage], "garbage.vec"),
        "missing vectors": ([LEE, "--pretrained", tmp_path / "no.vec"], "no.vec"),
        "supervised fastText": (
            [LEE, "--pretrained", supervised_fasttext_model],
            "is a supervised fastText model",
        ),
        # gensim's reader looped forever on it; the process's own timeout
        "random .bin": (
            [LEE, "--pretrained", random_bin],
            "random.bin' as 'fasttext' format (it is not a complete fastText model",
        ),
        "missing output folder": (
            [LEE, "-o", tmp_path / "no" / "such" / "vectors.npy"],
            f"the folder {tmp_path / 'no' / 'such'} does not exist",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing file",
        "a folder",
        "empty file",
        "blank lines",
        "bad column",
        "column of a text file",
        "csv without column",
        "not utf-8",
        "unknown encoding",
        "utf-16",
        "unreadable vectors",
        "missing vectors",
        "supervised fastText",
        "random .bin",
        "missing output folder",
    ],
)
def test_embed_error_says_why_in_one_line_and_leaves_no_output(
    tmp_path, supervised_fasttext_model, case
):
    args, message = failing_inputs(tmp_path, supervised_fasttext_model)[case]
    before = set(tmp_path.rglob("*"))
    if "-o" not in args:
        args = [*args, "-o", tmp_path / "vectors.npy"]
    # a damaged file once hung the command: fail, not hang, if it does again
    # (the 10 s limit on the work itself is checked in test_bad_input.py; a
    # busy machine's start-up alone can take longer)
    result = skfeat("embed", *args, timeout=120)
    assert result.returncode == 1
    assert message in result.stderr
    assert result.stderr.startswith("skfeat embed: error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    assert ".partial" not in result.stderr
    assert set(tmp_path.rglob("*")) == before  # no output, no partial file


def test_embed_checks_the_output_folder_before_training(tmp_path):
    # so high that training would fail with an empty vocabulary, if it started
    result = skfeat("embed", LEE, "-o", tmp_path / "no" / "v.npy", "--min-count", 10**6)
    assert result.returncode == 1
    assert "does not exist" in result.stderr
    assert "vocabulary" not in result.stderr


def test_embed_errors_name_the_flags_not_the_python_parameters(tmp_path):
    binary_vectors = datapath("euclidean_vectors.bin")
    output = tmp_path / "vectors.npy"
    wrong_format = skfeat(
        "embed",
        LEE,
        "-o",
        output,
        "--pretrained",
        binary_vectors,
        "--pretrained-format",
        "glove",
    )
    assert wrong_format.returncode == 1
    assert "--pretrained-format" in wrong_format.stderr
    too_rare = skfeat("embed", LEE, "-o", output, "--min-count", 10**6)
    assert too_rare.returncode == 1
    assert "--min-count 1000000" in too_rare.stderr
    for result in (wrong_format, too_rare):
        assert "_format" not in result.stderr
        assert "min_count" not in result.stderr


def test_pretrained_format_without_pretrained_is_a_usage_error(tmp_path):
    result = skfeat(
        "embed", LEE, "-o", tmp_path / "v.npy", "--pretrained-format", "glove"
    )
    assert result.returncode == 2
    assert "--pretrained-format" in result.stderr
    assert "--pretrained PATH" in result.stderr
    assert not (tmp_path / "v.npy").exists()


def test_embed_failure_keeps_an_existing_output_file(tmp_path):
    output = tmp_path / "vectors.npy"
    output.write_bytes(b"earlier result")
    assert embed(tmp_path / "nope.txt", "-o", output) == 1
    assert output.read_bytes() == b"earlier result"


def test_embed_reads_a_csv_with_a_byte_order_mark_as_without(tmp_path):
    rows = "text,id\nthe cat sat,1\nthe dog sat on the mat,2\n"
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    plain.write_text(rows, encoding="utf-8")
    marked.write_text(rows, encoding="utf-8-sig")  # Excel's "CSV UTF-8"
    result = skfeat("embed", marked, "--column", "text", "-o", tmp_path / "m.npy")
    assert result.returncode == 0, result.stderr
    assert embed(plain, "--column", "text", "-o", tmp_path / "p.npy") == 0
    np.testing.assert_array_equal(
        np.load(tmp_path / "m.npy"), np.load(tmp_path / "p.npy")
    )


def test_embed_never_writes_over_its_input(tmp_path):
    source = tmp_path / "same.csv"
    source.write_text("text\nthe cat sat\nthe dog sat\n")
    before = source.read_bytes()
    result = skfeat("embed", source, "--column", "text", "-o", source, *TRAINING)
    assert result.returncode == 1
    assert f"{source} is the input file {source}, which the command reads" in (
        result.stderr
    )
    assert source.read_bytes() == before
    assert list(tmp_path.iterdir()) == [source]  # no partial file either


def latin1_lines(n_ascii_lines):
    """Latin-1 text whose only non-ASCII byte ends line ``n_ascii_lines + 1``."""
    lines = [" ".join(lee_documents()[i % 300].split()[:12]) for i in range(1500)]
    return "\n".join([*lines[:n_ascii_lines], "un café crème"]) + "\n"


def test_embed_reports_the_line_and_file_offset_of_a_bad_byte(tmp_path):
    text = latin1_lines(1500)
    source = tmp_path / "docs.txt"
    source.write_bytes(text.encode("latin-1"))
    offset = text.encode("latin-1").index(b"\xe9")
    result = skfeat("embed", source, "-o", tmp_path / "v.npy")
    assert result.returncode == 1
    assert f"line 1501: byte 0xe9 at offset {offset:,} is not utf-8" in result.stderr
    assert "--encoding" in result.stderr and "--decode-error" in result.stderr


@pytest.mark.parametrize(
    "options, decoded",
    [
        (["--encoding", "latin-1"], "un café crème"),
        (["--decode-error", "replace"], "un caf\ufffd cr\ufffdme"),
    ],
)
def test_embed_reads_other_encodings_when_told(tmp_path, options, decoded):
    text = latin1_lines(200)
    source = tmp_path / "docs.txt"
    source.write_bytes(text.encode("latin-1"))
    output = tmp_path / "vectors.npy"
    result = skfeat("embed", source, "-o", output, *TRAINING, *options)
    assert result.returncode == 0, result.stderr
    lines = text.splitlines()
    assert lines[-1] == "un café crème"
    expected = trained_vectorizer().fit_transform([*lines[:-1], decoded])
    np.testing.assert_array_equal(np.load(output), expected)


def test_embed_reads_standard_input(tmp_path, lee_vectors):
    output = tmp_path / "vectors.npy"
    with open(LEE, "rb") as stdin:
        result = subprocess.run(
            [sys.executable, "-m", "skfeat", "embed", "-", "-o", output, *TRAINING],
            stdin=stdin,
            capture_output=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stderr
    np.testing.assert_array_equal(np.load(output), lee_vectors)


def test_embed_names_the_documents_that_got_a_row_of_zeros(tmp_path):
    lines = lee_documents()[:30]
    lines[4] = ""
    lines[11] = "zzyzx qwxq"  # no word of the vectors' vocabulary
    source = tmp_path / "docs.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pretrained = datapath("lee_fasttext.vec")
    output = tmp_path / "vectors.npy"
    result = skfeat("embed", source, "-o", output, "--pretrained", pretrained)
    assert result.returncode == 0, result.stderr
    zero_rows = np.flatnonzero(~np.load(output).any(axis=1))
    np.testing.assert_array_equal(zero_rows, [4, 11])
    assert "2 of 30 documents" in result.stderr
    assert "lines 5, 12" in result.stderr


@pytest.mark.parametrize("suffix", [".npy", ".csv", ".parquet"])
def test_embed_output_file_follows_the_umask(tmp_path, suffix):
    output = tmp_path / f"vectors{suffix}"
    result = skfeat(
        "embed",
        LEE,
        "-o",
        output,
        "--pretrained",
        datapath("lee_fasttext.vec"),
        preexec_fn=lambda: os.umask(0o027),
    )
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(output.stat().st_mode) == 0o640


def _interruptible():
    """In the child: SIGINT back to its default. A shell without job control
    starts background jobs (``cmd &``) with SIGINT ignored, their children
    inherit that, and Python then installs no KeyboardInterrupt handler."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(
    "sent, status, word",
    [
        pytest.param(signal.SIGINT, 130, "interrupted", id="SIGINT"),
        pytest.param(signal.SIGTERM, 143, "terminated", id="SIGTERM"),
    ],
)
def test_a_signal_whose_exception_c_code_swallowed_still_stops_cleanly(
    monkeypatch, capsys, sent, status, word
):
    # as TensorFlow does when the signal lands inside its C code: the signal's
    # exception is lost and another one comes out
    def run(args):
        try:
            signal.raise_signal(sent)
        except BaseException:
            pass
        raise AttributeError("'dict' object has no attribute '_type_spec'")

    monkeypatch.setattr("skfeat.cli._run_embed", run)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        assert main(["embed", "in.csv", "--column", "text", "-o", "out.csv"]) == status
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)
    assert capsys.readouterr().err == f"skfeat embed: {word}\n"


@pytest.mark.parametrize(
    "sent, status, message",
    [
        pytest.param(signal.SIGINT, 130, "skfeat embed: interrupted", id="SIGINT"),
        pytest.param(signal.SIGTERM, 143, "skfeat embed: terminated", id="SIGTERM"),
    ],
)
def test_a_signal_while_writing_leaves_no_partial_file(tmp_path, sent, status, message):
    source = tmp_path / "docs.txt"
    source.write_text("\n".join(lee_documents() * 100) + "\n", encoding="utf-8")
    output = tmp_path / "vectors.csv"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "skfeat",
            "embed",
            source,
            "-o",
            output,
            "--pretrained",
            datapath("lee_fasttext.vec"),
            "--chunk-size",
            "100",
        ],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,
    )
    deadline = time.monotonic() + 120
    # the header and a first chunk of rows: it is writing
    while not any(p.stat().st_size > 4096 for p in tmp_path.glob(".*.partial")):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    process.send_signal(sent)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == status
    assert stderr.strip() == message
    assert [p.name for p in tmp_path.iterdir()] == ["docs.txt"]


def test_embed_help_shows_the_estimator_defaults_and_examples():
    result = skfeat("embed", "--help")
    assert result.returncode == 0
    # one entry per option: its first line starts with "  -", the rest is indented
    entries = re.split(r"\n  (?=-)", result.stdout)
    described = {entry.split()[0]: " ".join(entry.split()) for entry in entries}
    defaults = Word2VecVectorizer().get_params()
    for name in ["vector_size", "window", "min_count", "epochs", "workers", "pooling"]:
        flag = "--" + name.replace("_", "-")
        assert f"(default: {defaults[name]})" in described[flag], described[flag]
    assert "examples:\n  skfeat embed" in result.stdout


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
    for start_up_line in ["oneDNN", "cuda drivers", "absl::InitializeLog", "cuInit"]:
        assert start_up_line not in result.stderr
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
    # one row per pooling, the text CNN alone and stacked; FastText is left to
    # the full run
    assert newsgroups == ["Word2VecVectorizer"] * 5 + [
        "TextCNNClassifier",
        "NgramCNNClassifier",
        "TfidfVectorizer + LogReg",
    ]
    assert len(rows) == 12  # and no CIFAR-10 rows: it is not cached
    for row in rows:
        assert 0.0 <= float(row["accuracy_mean"]) <= 1.0
        assert row["method"] in result.stdout
    # the row says what the search chose, and the network is trained, not cut
    # short: after 3 epochs, as quick mode once trained it, it scored 0.86
    assert rows[0]["method"].startswith("CNNClassifier (tuned: learning_rate=")
    assert float(rows[0]["accuracy_mean"]) > 0.95


def test_demo_shows_the_most_frequent_confusions_first():
    labels = np.array([3, 8, 5, 8, 7, 8, 5, 1])
    predictions = np.array([5, 8, 6, 1, 1, 1, 6, 1])
    # 8 as 1 twice (from index 3) and 5 as 6 twice (from index 2): the tie goes
    # to the pair seen first; 3 as 5 and 7 as 1 once each
    assert _most_frequent_confusions(labels, predictions) == [
        (2, 2),
        (3, 2),
        (0, 1),
        (4, 1),
    ]
    assert _most_frequent_confusions(labels, labels) == []


@pytest.mark.parametrize("default", [5, "auto"])
def test_numeric_flags_take_the_estimator_default_whether_number_or_word(default):
    # Word2VecVectorizer's defaults may be words, e.g. epochs="auto"
    parse = _positive_int_or(default)
    assert parse("3") == 3
    assert parse(str(default)) == default
    for bad in ["0", "three"]:
        with pytest.raises(argparse.ArgumentTypeError):
            parse(bad)


@pytest.mark.slow
def test_demo_adds_colour_photos_when_cifar10_is_cached(tmp_path, monkeypatch):
    from skfeat import _demo
    from skfeat.datasets import _cifar10

    # a tiny cache of CIFAR-10's layout: 10 classes of drawn colour blocks
    monkeypatch.setattr(_cifar10, "_CIFAR10_SIZES", {"train": 200, "test": 50})
    rng = np.random.default_rng(0)
    folder = tmp_path / "data" / "cifar10"
    folder.mkdir(parents=True)
    for subset, n in [("train", 200), ("test", 50)]:
        labels = np.arange(n) % 10
        images = rng.integers(0, 60, (n, 32, 32, 3), dtype=np.uint8)
        for i, label in enumerate(labels):
            images[i, 3 * label : 3 * label + 8, :, label % 3] = 250
        np.savez(folder / f"{subset}.npz", images=images, labels=labels)
    names = ["airplane", "automobile", "bird", "cat", "deer"]
    names += ["dog", "frog", "horse", "ship", "truck"]
    (folder / "label_names.txt").write_text("\n".join(names))
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path / "data"))
    settings = _demo._Settings(**{**vars(_demo.QUICK), "cifar_epochs": 3})
    report = _demo._Report(tmp_path / "report")

    results = _demo._colour_image_experiments(
        settings, 0, _demo._Progress(False), report
    )

    assert [result.method.split(" (")[0] for result in results] == [
        "CNNClassifier",
        "HOG + SVC",
    ]
    assert all(r.dataset == "CIFAR-10 (200 train, 50 test images)" for r in results)
    assert all(0 <= r.scores[0] <= 1 and r.fit_seconds[0] > 0 for r in results)
    assert (tmp_path / "report" / "cifar10_confusion_matrix.png").stat().st_size > 0


@pytest.mark.slow
def test_demo_adds_spoken_digits_when_they_are_cached(tmp_path, monkeypatch):
    import soundfile

    from skfeat import _demo
    from skfeat.datasets._spoken_digits import seed_spoken_digits

    # a tiny cache of FSDD's layout: 3 speakers, each digit a tone of its own
    rng = np.random.default_rng(0)
    folder = tmp_path / "recordings"
    folder.mkdir()
    t = np.arange(2400) / 8000
    for speaker, pitch in [("anna", 1.0), ("bert", 1.1), ("carl", 0.9)]:
        for digit in range(10):
            for index in range(3):
                tone = 0.3 * np.sin(2 * np.pi * (300 + 150 * digit) * pitch * t)
                noisy = tone + rng.normal(scale=0.01, size=t.size)
                path = folder / f"{digit}_{speaker}_{index}.wav"
                soundfile.write(path, noisy.astype(np.float32), 8000, "PCM_16")
    seed_spoken_digits(folder, data_home=tmp_path / "data")
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path / "data"))
    settings = _demo._Settings(**{**vars(_demo.QUICK), "speech_epochs": 2})
    report = _demo._Report(tmp_path / "report")

    results = _demo._speech_experiments(settings, 0, _demo._Progress(False), report)

    assert [result.method.split(" (")[0] for result in results] == [
        "LogMelSpectrogram + CNNClassifier",
        "MFCC + StandardScaler + SVC",
    ]
    dataset = "spoken digits (3 speakers, 2 held out in turn)"
    assert all(r.dataset == dataset for r in results)
    assert all(len(r.scores) == 2 and r.fit_seconds[0] > 0 for r in results)
    assert all(0 <= score <= 1 for r in results for score in r.scores)
    for name in ["spoken_digits_confusion_matrix.png", "spoken_digit_spectrogram.png"]:
        assert (tmp_path / "report" / name).stat().st_size > 0


# --- skfeat embed-images ----------------------------------------------------------

# tiny images through the smallest input the backbones take: seconds, not minutes
IMAGE_SIZE = (32, 32)


def save_image(path, pixels, mode=None, **params):
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.fromarray(pixels)
    (image.convert(mode) if mode else image).save(path, **params)


@pytest.fixture(scope="module")
def image_folder(tmp_path_factory):
    """Images of every kind the command meets, and the order their rows take:
    a folder's own files by name, then its sub-folders by name, the same way
    down. Names sort as text: "10.gif" before "2.webp"."""
    folder = tmp_path_factory.mktemp("photos")
    rng = np.random.default_rng(0)

    def pixels(height, width, channels=3):
        return rng.integers(0, 256, (height, width, channels), dtype=np.uint8)

    save_image(folder / "b.png", pixels(40, 50))
    save_image(folder / "a.jpg", pixels(33, 33)[..., 0])  # grey JPEG
    save_image(folder / "dog" / "2.webp", pixels(48, 32))
    save_image(folder / "dog" / "10.gif", pixels(20, 30), "P")  # palette
    save_image(folder / "cat" / "x.BMP", pixels(32, 32))
    save_image(folder / "cat" / "rgba.png", pixels(36, 36, 4))
    wide = rng.integers(0, 65536, (24, 24), dtype=np.uint16)  # 16-bit grey
    save_image(folder / "cat" / "deep" / "y.png", wide)
    (folder / "notes.txt").write_text("not an image")
    order = ["a.jpg", "b.png", "cat/rgba.png", "cat/x.BMP", "cat/deep/y.png"]
    return folder, [*order, "dog/10.gif", "dog/2.webp"]


@pytest.fixture(scope="module")
def encoder_weights(tmp_path_factory):
    """Random weights saved to a file: the same features in every process."""
    path = tmp_path_factory.mktemp("weights") / "mobilenet_v3_small.weights.h5"
    encoder = PretrainedImageEncoder(weights=None, image_size=IMAGE_SIZE)
    encoder.fit(np.zeros((1, *IMAGE_SIZE, 3), np.uint8)).model_.save_weights(path)
    return path


def encoder_features(paths, weights, **params):
    images = ImageLoader(image_size=IMAGE_SIZE).transform(paths)
    encoder = PretrainedImageEncoder(weights=weights, image_size=IMAGE_SIZE, **params)
    return encoder.fit_transform(images)


def embed_images(folder, output, weights, *args, **kwargs):
    return skfeat(
        "embed-images",
        folder,
        "-o",
        output,
        "--weights",
        weights,
        "--image-size",
        "x".join(map(str, IMAGE_SIZE)),
        *args,
        **kwargs,
    )


def read_named_rows(output):
    """The rows of an embed-images output, and the path naming each."""
    if output.suffix == ".npy":
        names = output.with_name(output.stem + ".paths.txt")
        text = names.read_text(encoding="utf-8", errors="surrogateescape")
        return np.load(output), text.splitlines()
    if output.suffix == ".csv":
        with open(output, encoding="utf-8", errors="surrogateescape", newline="") as f:
            header, *rows = csv.reader(f)
        assert header[0] == "path"
        features = np.array([row[1:] for row in rows], dtype=np.float32)
        return features, [row[0] for row in rows]
    import pyarrow.parquet as pq

    table = pq.read_table(output)
    assert table.column_names[0] == "path"
    features = np.column_stack([table.column(i).to_numpy() for i in range(1, 577)])
    return features, table.column("path").to_pylist()


@pytest.mark.parametrize("suffix", [".npy", ".csv", ".parquet"])
def test_embed_images_writes_what_the_encoder_gives_one_named_row_per_file(
    tmp_path, image_folder, encoder_weights, suffix
):
    folder, order = image_folder
    output = tmp_path / f"features{suffix}"
    # chunks and batches that do not divide the 7 images
    result = embed_images(
        folder, output, encoder_weights, "--chunk-size", 3, "--batch-size", 2
    )
    assert result.returncode == 0, result.stderr
    features, names = read_named_rows(output)
    assert names == order
    expected = encoder_features([folder / name for name in order], encoder_weights)
    assert features.shape == expected.shape == (7, 576)
    np.testing.assert_array_equal(features, expected)
    report = f"Wrote 7 image feature rows to {output}"
    written = {output.name}
    if suffix == ".npy":
        report += f", and their paths to {tmp_path / 'features.paths.txt'}"
        written.add("features.paths.txt")
    assert result.stderr.splitlines()[-1] == report
    assert {p.name for p in tmp_path.iterdir()} == written  # and no partial file


def test_embed_images_passes_backbone_and_pooling_to_the_encoder(
    tmp_path, image_folder
):
    folder, order = image_folder
    backbone = "efficientnet_v2_b0"  # other preprocessing, other feature size
    weights = tmp_path / "weights" / f"{backbone}.weights.h5"
    weights.parent.mkdir()
    PretrainedImageEncoder(backbone=backbone, weights=None, image_size=IMAGE_SIZE).fit(
        np.zeros((1, *IMAGE_SIZE, 3), np.uint8)
    ).model_.save_weights(weights)
    output = tmp_path / "features.npy"
    args = ["--backbone", backbone, "--pooling", "max"]
    result = embed_images(folder, output, weights, *args)
    assert result.returncode == 0, result.stderr
    expected = encoder_features(
        [folder / name for name in order], weights, backbone=backbone, pooling="max"
    )
    assert expected.shape == (7, 1280)
    np.testing.assert_array_equal(np.load(output), expected)


def test_embed_images_flip_average_gives_the_encoders_mirror_mean(
    tmp_path, image_folder, encoder_weights
):
    folder, order = image_folder
    output = tmp_path / "features.npy"
    result = embed_images(folder, output, encoder_weights, "--flip-average")
    assert result.returncode == 0, result.stderr
    paths = [folder / name for name in order]
    expected = encoder_features(paths, encoder_weights, flip_average=True)
    np.testing.assert_array_equal(np.load(output), expected)
    plain = encoder_features(paths, encoder_weights)
    assert not np.allclose(expected, plain, rtol=1e-3, atol=0)  # features ~1e-11


def test_embed_images_quotes_any_file_name_in_csv(tmp_path, encoder_weights):
    folder = tmp_path / "photos"
    odd_names = ['a, "b"\nc.png', os.fsdecode(b"caf\xe9.png")]  # latin-1 bytes
    for name in odd_names:
        save_image(folder / name, np.full((32, 32, 3), 9, np.uint8))
    output = tmp_path / "features.csv"
    result = embed_images(folder, output, encoder_weights)
    assert result.returncode == 0, result.stderr
    _, names = read_named_rows(output)
    assert names == sorted(odd_names)


def test_embed_images_skips_unreadable_files_only_when_told_and_lists_them(
    tmp_path, image_folder, encoder_weights
):
    folder, order = image_folder
    damaged = tmp_path / "photos"
    shutil.copytree(folder, damaged)
    (damaged / "cat" / "broken.jpg").write_bytes(b"just text")
    png = (damaged / "b.png").read_bytes()
    (damaged / "dog" / "cut.png").write_bytes(png[: len(png) // 2])
    output = tmp_path / "features.parquet"

    failed = embed_images(damaged, output, encoder_weights)
    assert failed.returncode == 1
    assert f"cannot read image file {damaged / 'cat' / 'broken.jpg'}" in failed.stderr
    assert not output.exists()

    result = embed_images(damaged, output, encoder_weights, "--on-error", "skip")
    assert result.returncode == 0, result.stderr
    features, names = read_named_rows(output)
    assert names == order
    expected = encoder_features([folder / name for name in order], encoder_weights)
    np.testing.assert_array_equal(features, expected)
    report = result.stderr.splitlines()
    assert report[0] == (
        "skfeat embed-images: skipped 2 of 9 image files that could not be read:"
    )
    assert "cat/broken.jpg: not an image format" in report[1]
    assert "dog/cut.png: image file is truncated" in report[2]
    assert report[3].startswith("Wrote 7 image feature rows")


def failing_image_inputs(tmp_path, image_folder):
    folder, _ = image_folder
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not an image")
    corrupt = tmp_path / "corrupt"
    save_image(corrupt / "good.png", np.zeros((8, 8, 3), np.uint8))
    (corrupt / "sub" / "bad.png").parent.mkdir()
    (corrupt / "sub" / "bad.png").write_bytes(b"\x89PNG not really")
    line_break = tmp_path / "line_break"
    save_image(line_break / "two\nlines.png", np.zeros((8, 8, 3), np.uint8))
    latin1 = tmp_path / "latin1"
    save_image(latin1 / os.fsdecode(b"caf\xe9.png"), np.zeros((8, 8, 3), np.uint8))
    return {
        "missing folder": ([tmp_path / "nope"], "image folder not found: "),
        "a file": ([folder / "b.png"], "b.png is a file; give the folder"),
        "no image files": ([empty], "found no image files in"),
        "corrupt image": (
            [corrupt],
            f"cannot read image file {corrupt / 'sub' / 'bad.png'}: ",
        ),
        "all unreadable": (
            [corrupt / "sub", "--on-error", "skip"],
            "none of the 1 image files under",
        ),
        "missing weights": (
            [folder, "--weights", tmp_path / "no.h5"],
            "--weights " + str(tmp_path / "no.h5") + ": no such file",
        ),
        "line break in a name": ([line_break], "holds a line break"),
        "name not UTF-8 for parquet": (
            [latin1, "-o", tmp_path / "features.parquet"],
            "is not UTF-8 text, which parquet needs",
        ),
        "missing output folder": (
            [corrupt, "-o", tmp_path / "no" / "features.npy"],
            f"the folder {tmp_path / 'no'} does not exist",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing folder",
        "a file",
        "no image files",
        "corrupt image",
        "all unreadable",
        "missing weights",
        "line break in a name",
        "name not UTF-8 for parquet",
        "missing output folder",
    ],
)
def test_embed_images_error_says_why_in_one_line_and_leaves_no_output(
    tmp_path, image_folder, case
):
    args, message = failing_image_inputs(tmp_path, image_folder)[case]
    before = set(tmp_path.rglob("*"))
    if "-o" not in args:
        args = [*args, "-o", tmp_path / "features.npy"]
    if "--weights" not in args:
        args = [*args, "--weights", "none"]
    result = skfeat("embed-images", *args)
    assert result.returncode == 1
    assert message in result.stderr
    assert result.stderr.startswith("skfeat embed-images: error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    assert ".partial" not in result.stderr
    assert set(tmp_path.rglob("*")) == before  # no output, no partial file


def test_embed_images_offline_imagenet_says_which_file_to_put_where(
    tmp_path, image_folder
):
    folder, _ = image_folder
    keras_home = tmp_path / "keras"
    # every download refused at once, with or without network access here
    proxies = ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"]
    env = {k: v for k, v in os.environ.items() if k.lower() != "no_proxy"}
    env.update(dict.fromkeys(proxies, "http://127.0.0.1:9"), KERAS_HOME=str(keras_home))
    output = tmp_path / "features.npy"
    result = skfeat("embed-images", folder, "-o", output, env=env)
    assert result.returncode == 1
    assert result.stdout == ""  # Keras printed "Downloading data from" there
    error = result.stderr.splitlines()[-1]
    assert error.startswith("skfeat embed-images: error: could not get the ImageNet")
    assert "weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5" in error
    assert f"put it into {keras_home / 'models'}" in error
    assert "--weights <path of that file>" in error
    assert "weights=" not in error
    assert not output.exists()


def test_embed_images_checks_the_output_before_reading_any_image(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "bad.png").write_bytes(b"not an image")
    result = skfeat(
        "embed-images", folder, "-o", tmp_path / "no" / "f.csv", "--weights", "none"
    )
    assert result.returncode == 1
    assert "does not exist" in result.stderr
    assert "bad.png" not in result.stderr


def test_embed_images_failure_keeps_existing_outputs(tmp_path):
    output = tmp_path / "features.npy"
    output.write_bytes(b"earlier features")
    paths = tmp_path / "features.paths.txt"
    paths.write_text("earlier paths\n")
    status = main(["embed-images", str(tmp_path / "nope"), "-o", str(output)])
    assert status == 1
    assert output.read_bytes() == b"earlier features"
    assert paths.read_text() == "earlier paths\n"


def test_embed_images_outputs_follow_the_umask(tmp_path, image_folder):
    folder, _ = image_folder
    output = tmp_path / "features.npy"
    result = embed_images(folder, output, "none", preexec_fn=lambda: os.umask(0o027))
    assert result.returncode == 0, result.stderr
    for written in [output, tmp_path / "features.paths.txt"]:
        assert stat.S_IMODE(written.stat().st_mode) == 0o640


@pytest.mark.parametrize(
    "sent, status, suffix",
    [
        pytest.param(signal.SIGINT, 130, ".npy", id="SIGINT"),
        pytest.param(signal.SIGTERM, 143, ".csv", id="SIGTERM"),
    ],
)
def test_a_signal_while_embedding_images_leaves_no_partial_file(
    tmp_path, sent, status, suffix
):
    folder = tmp_path / "photos"
    pixels = np.random.default_rng(0).integers(0, 256, (2000, 8, 8, 3), np.uint8)
    for i, image in enumerate(pixels):
        save_image(folder / f"{i:04}.png", image)
    output = tmp_path / f"features{suffix}"
    process = subprocess.Popen(
        [sys.executable, "-m", "skfeat", "embed-images", folder, "-o", output]
        + ["--weights", "none", "--image-size", "32", "--chunk-size", "4"],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,
    )
    deadline = time.monotonic() + 120
    # a first chunk of rows is written: it is writing
    while not any(p.stat().st_size > 4096 for p in tmp_path.glob(".*.partial")):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    process.send_signal(sent)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == status, stderr
    word = "interrupted" if sent == signal.SIGINT else "terminated"
    # The command's own last word. A signal that lands inside TensorFlow's C
    # code can make Python print that code's lost exception first (a known
    # defect: see the closing note of issues 18 and 20); the exit status and
    # the clean-up above and below hold either way.
    assert stderr.strip().splitlines()[-1] == f"skfeat embed-images: {word}"
    assert [p.name for p in tmp_path.iterdir()] == ["photos"]


def test_embed_images_help_shows_defaults_and_examples():
    result = skfeat("embed-images", "--help")
    assert result.returncode == 0
    # one entry per option: its first line starts with "  -", the rest is indented
    entries = re.split(r"\n  (?=-)", result.stdout)
    described = {entry.split()[0]: " ".join(entry.split()) for entry in entries}
    defaults = PretrainedImageEncoder().get_params()
    for name in ["backbone", "weights", "pooling", "batch_size"]:
        flag = "--" + name.replace("_", "-")
        assert f"(default: {defaults[name]})" in described[flag], described[flag]
    assert "(224x224; 384x384 for efficientnet_v2_s)" in described["--image-size"]
    for flag in ["--chunk-size", "--on-error"]:
        assert "(default: " in described[flag]
    assert "examples:\n  skfeat embed-images" in result.stdout


def test_outputs_are_replaced_together_a_signal_waiting_until_all_are(
    tmp_path, monkeypatch
):
    features, paths = tmp_path / "features.npy", tmp_path / "features.paths.txt"
    features.write_text("old")
    paths.write_text("old")
    replace = os.replace

    def replace_then_interrupt(source, target):
        replace(source, target)
        signal.raise_signal(signal.SIGINT)  # Ctrl-C between the two renames

    monkeypatch.setattr(os, "replace", replace_then_interrupt)
    # Ctrl-C raises here even where the test run started with SIGINT ignored
    # (a background job of a shell without job control)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            with replaced_on_success(features, paths) as partials:
                for partial in partials:
                    partial.write_text("new")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert features.read_text() == paths.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [features.name, paths.name]


@pytest.mark.slow
def test_embed_images_takes_a_mobilenet_width(tmp_path, image_folder):
    folder, order = image_folder
    weights = tmp_path / "mobilenet_v2_0.35.weights.h5"
    narrow = PretrainedImageEncoder(
        backbone="mobilenet_v2", alpha=0.35, weights=None, image_size=IMAGE_SIZE
    )
    narrow.fit(np.zeros((1, *IMAGE_SIZE, 3), np.uint8)).model_.save_weights(weights)
    output = tmp_path / "features.npy"
    result = embed_images(
        folder, output, weights, "--backbone", "mobilenet_v2", "--alpha", "0.35"
    )
    assert result.returncode == 0, result.stderr
    features, names = read_named_rows(output)
    assert names == order
    expected = encoder_features(
        [folder / name for name in order], weights, backbone="mobilenet_v2", alpha=0.35
    )
    np.testing.assert_array_equal(features, expected)


@pytest.mark.slow
def test_embed_images_takes_a_keras_model_file_and_its_layer(tmp_path, image_folder):
    import keras

    folder, order = image_folder
    inputs = keras.Input((*IMAGE_SIZE, 3))
    x = keras.layers.Conv2D(4, 3, name="conv")(inputs)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    x = keras.layers.Dense(3, name="embedding")(x)
    model = keras.Model(inputs, keras.layers.Dense(2, name="out")(x))
    path = tmp_path / "classifier.keras"
    model.save(path)
    images = ImageLoader(image_size=IMAGE_SIZE).transform(
        [folder / name for name in order]
    )
    expected = PretrainedImageEncoder(
        backbone=model, layer="pool", preprocessing="mobilenet_v2"
    ).fit_transform(images)
    output = tmp_path / "features.csv"
    # the model's own input size: no --image-size
    result = skfeat(
        "embed-images", folder, "-o", output, "--backbone", path,
        "--layer", "pool", "--preprocessing", "mobilenet_v2",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    features, names = read_named_rows(output)
    assert names == order
    np.testing.assert_allclose(features, expected, rtol=1e-5, atol=1e-6)
