import http.server
import io
import pickle
import tarfile
import threading
import zlib

import numpy as np
import pytest
import soundfile

from skfeat.datasets import (
    _cifar10,
    _spoken_digits,
    _text,
    fetch_cifar10,
    fetch_sentence_polarity,
    fetch_spoken_digits,
    load_digit_images,
    load_mini_newsgroups,
    load_mini_sentence_polarity,
    load_wikipedia_sample,
)


def test_mini_newsgroups_has_two_balanced_classes_without_headers():
    posts = load_mini_newsgroups()
    assert posts.target_names == ["alt.atheism", "sci.space"]
    assert len(posts.data) == len(posts.target) == 200
    assert np.bincount(posts.target).tolist() == [100, 100]
    assert all(isinstance(post, str) for post in posts.data)
    headers = ("Newsgroups:", "Xref:", "Path:", "From:")
    assert not any(post.startswith(headers) for post in posts.data)


def test_mini_newsgroups_keeps_headers_on_request():
    data, target = load_mini_newsgroups(remove_headers=False, return_X_y=True)
    space = [post for post, label in zip(data, target, strict=True) if label == 1]
    assert all("sci.space" in post for post in space)


def test_legacy_unpickler_refuses_globals_it_does_not_know():
    evil = pickle.dumps(print, protocol=2)  # protocol 2 names it __builtin__.print
    unpickler = _text._LegacyBunchUnpickler(io.BytesIO(evil))
    with pytest.raises(pickle.UnpicklingError, match=r"refusing .* __builtin__\.print"):
        unpickler.load()


def test_mini_sentence_polarity_is_balanced_and_labelled_by_its_prefix():
    reviews = load_mini_sentence_polarity()
    assert len(reviews.data) == 200
    assert np.bincount(reviews.target).tolist() == [100, 100]
    assert not any(sentence.startswith("__label__") for sentence in reviews.data)


def test_wikipedia_sample_is_250_preprocessed_articles():
    articles = load_wikipedia_sample().data
    assert len(articles) == 250
    assert all(article and article == article.lower() for article in articles)


def test_digit_images_are_scaled_8x8_images():
    images, target = load_digit_images(return_X_y=True)
    assert images.shape == (1797, 8, 8) and images.dtype == np.float32
    assert images.min() == 0.0 and images.max() == 1.0
    assert sorted(set(target.tolist())) == list(range(10))


def _mr_archive(neg, pos):
    """A .tar.gz laid out like rt-polaritydata.tar.gz, holding the given bytes."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, content in [("rt-polarity.neg", neg), ("rt-polarity.pos", pos)]:
            if content is None:
                continue
            info = tarfile.TarInfo(f"rt-polaritydata/{name}")
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


@pytest.fixture
def serve(monkeypatch):
    """Serve given bytes on a loopback HTTP server and point the fetcher at it."""
    servers = []

    def start(payload, url_name="SENTENCE_POLARITY_URL"):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.server.requests += 1
                self.send_response(200)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.requests = 0
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        url = f"http://127.0.0.1:{server.server_port}/archive.tar.gz"
        module = {"CIFAR10_URL": _cifar10, "SPOKEN_DIGITS_URL": _spoken_digits}.get(
            url_name, _text
        )
        monkeypatch.setattr(module, url_name, url)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_fetch_downloads_once_then_reads_the_cache(
    serve, tmp_path, sentence_polarity_folder
):
    neg = (sentence_polarity_folder / "rt-polarity.neg").read_bytes()
    pos = (sentence_polarity_folder / "rt-polarity.pos").read_bytes()
    server = serve(_mr_archive(neg, pos))

    mr = fetch_sentence_polarity(data_home=tmp_path)
    again = fetch_sentence_polarity(data_home=tmp_path)

    assert server.requests == 1
    assert len(mr.data) == 10662 and mr.target_names == ["neg", "pos"]
    assert np.bincount(mr.target).tolist() == [5331, 5331]
    assert mr.data[0] == neg.decode("utf-8").splitlines()[0]
    assert mr.data[-1] == pos.decode("utf-8").splitlines()[-1]
    assert again.data == mr.data
    cached = sorted(p.name for p in (tmp_path / "sentence_polarity").iterdir())
    assert cached == ["rt-polarity.neg", "rt-polarity.pos"]


def test_fetch_reads_a_preseeded_cache_through_the_environment_variable(
    monkeypatch, tmp_path
):
    folder = tmp_path / "sentence_polarity"
    folder.mkdir()
    # Latin-1, as in the original archive
    (folder / "rt-polarity.neg").write_bytes("caf\xe9 bad\n".encode("latin-1") * 5331)
    (folder / "rt-polarity.pos").write_bytes(b"good\n" * 5331)
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path))
    monkeypatch.setattr(_text, "SENTENCE_POLARITY_URL", "http://127.0.0.1:9/")

    data, target = fetch_sentence_polarity(download_if_missing=False, return_X_y=True)

    assert data[0] == "café bad" and data[-1] == "good"
    assert target.tolist() == [0] * 5331 + [1] * 5331


def test_fetch_without_network_says_so_and_caches_nothing(monkeypatch, tmp_path):
    # port 9 (discard) on loopback: nothing listens, the connection is refused
    monkeypatch.setattr(_text, "SENTENCE_POLARITY_URL", "http://127.0.0.1:9/x")
    with pytest.raises(OSError, match="Could not download the sentence polarity"):
        fetch_sentence_polarity(data_home=tmp_path)
    assert not (tmp_path / "sentence_polarity").exists()


def test_fetch_rejects_an_archive_without_the_mr_files(serve, tmp_path):
    serve(_mr_archive(b"bad\n" * 5331, None))
    with pytest.raises(OSError, match="lacks rt-polarity.pos"):
        fetch_sentence_polarity(data_home=tmp_path)
    assert not (tmp_path / "sentence_polarity").exists()


def test_fetch_rejects_a_download_that_is_not_an_archive(serve, tmp_path):
    serve(b"<html>moved</html>")
    with pytest.raises(OSError, match="not a readable .tar.gz"):
        fetch_sentence_polarity(data_home=tmp_path)


def test_fetch_rejects_a_truncated_cache(tmp_path):
    folder = tmp_path / "sentence_polarity"
    folder.mkdir()
    (folder / "rt-polarity.neg").write_text("bad\n" * 10)
    (folder / "rt-polarity.pos").write_text("good\n" * 5331)
    with pytest.raises(OSError, match="has 10 sentences but"):
        fetch_sentence_polarity(data_home=tmp_path, download_if_missing=False)


def test_mini_newsgroups_file_is_a_zlib_pickle():
    # guards the assumption the safe loader is built on
    raw = _text._gensim_test_file("mini_newsgroup").read_bytes()
    assert zlib.decompress(raw).startswith(b"ccopy_reg\n_reconstructor")


CIFAR_NAMES = ["airplane", "automobile", "bird", "cat", "deer"] + [
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
]


def _cifar_archive(n_per_batch=3, leave_out=()):
    """A .tar.gz laid out like cifar-10-python.tar.gz: Python 2 era pickles
    (protocol 2, bytes keys) of rows of red, green and blue planes. Image i of
    a batch has red = i, green = 100 + batch number, blue = 200 + column."""
    buffer = io.BytesIO()
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:

        def add(name, content):
            if name in leave_out:
                return
            data = pickle.dumps(content, protocol=2)
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

        for number, name in enumerate(names):
            planes = np.zeros((n_per_batch, 3, 32, 32), dtype=np.uint8)
            planes[:, 0] = np.arange(n_per_batch)[:, None, None]
            planes[:, 1] = 100 + number
            planes[:, 2] = 200 + np.arange(32)[None, None, :] % 50
            labels = [(number + i) % 10 for i in range(n_per_batch)]
            add(name, {b"data": planes.reshape(n_per_batch, -1), b"labels": labels})
        add("batches.meta", {b"label_names": [n.encode() for n in CIFAR_NAMES]})
    return buffer.getvalue()


@pytest.fixture
def small_cifar_sizes(monkeypatch):
    monkeypatch.setattr(_cifar10, "_CIFAR10_SIZES", {"train": 15, "test": 3})


def test_fetch_cifar10_downloads_once_then_reads_the_cache(
    serve, tmp_path, small_cifar_sizes
):
    server = serve(_cifar_archive(), "CIFAR10_URL")
    train = fetch_cifar10(data_home=tmp_path)
    test_images, test_target = fetch_cifar10(
        subset="test", data_home=tmp_path, return_X_y=True
    )
    everything = fetch_cifar10(subset="all", data_home=tmp_path)

    assert server.requests == 1
    assert train.images.shape == (15, 32, 32, 3) and train.images.dtype == np.uint8
    assert train.target_names == CIFAR_NAMES
    # planes became channels: red is the row within its batch, green the batch
    assert train.images[4, 7, 9].tolist() == [1, 101, 209]
    assert train.images[:, 0, 0, 1].tolist() == [100] * 3 + [101] * 3 + [
        102,
        102,
        102,
        103,
        103,
        103,
        104,
        104,
        104,
    ]
    assert train.target[:4].tolist() == [0, 1, 2, 1]
    assert test_images[:, 0, 0, 1].tolist() == [105] * 3
    assert test_target.tolist() == [5, 6, 7]
    np.testing.assert_array_equal(
        everything.images, np.concatenate([train.images, test_images])
    )


def test_fetch_cifar10_without_the_cache_or_network_says_what_to_do(tmp_path):
    with pytest.raises(OSError, match="not in .*cifar10 and download_if_missing"):
        fetch_cifar10(data_home=tmp_path, download_if_missing=False)


def test_fetch_cifar10_without_network_says_so_and_caches_nothing(
    monkeypatch, tmp_path
):
    monkeypatch.setattr(_cifar10, "CIFAR10_URL", "http://127.0.0.1:9/x")
    with pytest.raises(OSError, match="Could not download CIFAR-10"):
        fetch_cifar10(data_home=tmp_path)
    assert not (tmp_path / "cifar10").exists()


def test_fetch_cifar10_rejects_an_archive_without_every_batch(serve, tmp_path):
    serve(_cifar_archive(leave_out={"test_batch"}), "CIFAR10_URL")
    with pytest.raises(OSError, match="lacks test_batch"):
        fetch_cifar10(data_home=tmp_path)
    assert not (tmp_path / "cifar10").exists()


def test_fetch_cifar10_refuses_pickles_that_would_run_code(serve, tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        evil = pickle.dumps(print, protocol=2)
        for name in [f"data_batch_{i}" for i in range(1, 6)] + [
            "test_batch",
            "batches.meta",
        ]:
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(evil)
            tar.addfile(info, io.BytesIO(evil))
    serve(buffer.getvalue(), "CIFAR10_URL")
    with pytest.raises(OSError, match=r"refusing to load __builtin__\.print"):
        fetch_cifar10(data_home=tmp_path)


def test_fetch_cifar10_rejects_a_cache_of_the_wrong_size(
    serve, tmp_path, small_cifar_sizes, monkeypatch
):
    serve(_cifar_archive(), "CIFAR10_URL")
    fetch_cifar10(data_home=tmp_path)
    monkeypatch.setattr(_cifar10, "_CIFAR10_SIZES", {"train": 50_000, "test": 10_000})
    with pytest.raises(OSError, match="delete .* and fetch again"):
        fetch_cifar10(data_home=tmp_path)


def test_fetch_cifar10_rejects_an_unknown_subset(tmp_path):
    with pytest.raises(ValueError, match="subset='validation' is not one of"):
        fetch_cifar10(subset="validation", data_home=tmp_path)


# --- the Free Spoken Digit Dataset -----------------------------------------------


def _clip(digit, speaker, index):
    """A short WAV file whose samples say which recording it is."""
    samples = np.full(40 + 10 * digit, (digit + 1) / 16 * (1 if speaker < "b" else -1))
    samples[0] = index / 100
    file = io.BytesIO()
    soundfile.write(file, samples, 8000, format="WAV", subtype="PCM_16")
    return file.getvalue()


def _fsdd_archive(speakers=("ana", "bo"), per_digit=2):
    """A .tar.gz laid out like the FSDD release archive: its recordings, and
    files beside them that are not recordings."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:

        def add(name, content):
            info = tarfile.TarInfo(f"free-spoken-digit-dataset-1.0.10/{name}")
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))

        add("README.md", b"# FSDD")
        add("utils/trimmer.py", b"print('trim')")
        for speaker in speakers:
            for digit in range(10):
                for index in range(per_digit):
                    name = f"recordings/{digit}_{speaker}_{index}.wav"
                    add(name, _clip(digit, speaker, index))
    return buffer.getvalue()


@pytest.fixture
def small_fsdd_release(monkeypatch):
    monkeypatch.setattr(_spoken_digits, "_SPEAKERS", ("ana", "bo"))
    monkeypatch.setattr(_spoken_digits, "_PER_DIGIT_AND_SPEAKER", 2)


def test_fetch_spoken_digits_downloads_once_then_reads_the_cache(
    serve, tmp_path, small_fsdd_release
):
    server = serve(_fsdd_archive(), "SPOKEN_DIGITS_URL")
    data = fetch_spoken_digits(data_home=tmp_path, duration=0.02)
    again = fetch_spoken_digits(data_home=tmp_path, duration=0.02)
    assert server.requests == 1
    assert data.waveforms.shape == (40, 160) and data.sample_rate == 8000
    assert data.target_names == [str(digit) for digit in range(10)]
    assert np.bincount(data.target).tolist() == [4] * 10
    assert np.bincount(data.target[data.speaker == "bo"]).tolist() == [2] * 10
    # each row is the recording its labels name
    for row, digit, speaker, name in zip(
        data.waveforms, data.target, data.speaker, data.filenames, strict=True
    ):
        assert name.startswith(str(tmp_path / "spoken_digits" / "recordings"))
        assert f"{digit}_{speaker}_" in name
        sign = 1 if speaker == "ana" else -1
        assert row[1] == pytest.approx(sign * (digit + 1) / 16, abs=2**-15)
        assert np.all(row[40 + 10 * digit :] == 0)  # padded to 0.02 s
    np.testing.assert_array_equal(again.waveforms, data.waveforms)
    assert "40 recordings by 2 speakers (ana, bo), downloaded from" in data.DESCR
    cached = sorted((tmp_path / "spoken_digits").iterdir())
    assert [path.name for path in cached] == ["recordings", "source.txt"]


def test_fetch_spoken_digits_offline_reads_its_cache(
    serve, tmp_path, monkeypatch, small_fsdd_release
):
    serve(_fsdd_archive(), "SPOKEN_DIGITS_URL")
    fetch_spoken_digits(data_home=tmp_path, duration=0.02)
    monkeypatch.setattr(_spoken_digits, "SPOKEN_DIGITS_URL", "http://127.0.0.1:9/x")
    waveforms, target = fetch_spoken_digits(
        data_home=tmp_path, duration=0.02, return_X_y=True
    )
    assert waveforms.shape == (40, 160) and target.shape == (40,)


def test_fetch_spoken_digits_offline_without_a_cache_says_what_to_do(
    tmp_path, monkeypatch
):
    with pytest.raises(OSError, match="not in .*spoken_digits and download_if_miss"):
        fetch_spoken_digits(data_home=tmp_path, download_if_missing=False)
    monkeypatch.setattr(_spoken_digits, "SPOKEN_DIGITS_URL", "http://127.0.0.1:9/x")
    with pytest.raises(OSError, match="Could not download the Free Spoken Digit .*"):
        fetch_spoken_digits(data_home=tmp_path)
    assert not (tmp_path / "spoken_digits").exists()


def test_fetch_spoken_digits_rejects_a_truncated_archive(
    serve, tmp_path, small_fsdd_release
):
    archive = _fsdd_archive()
    serve(archive[: len(archive) // 2], "SPOKEN_DIGITS_URL")
    with pytest.raises(OSError, match="not a readable Free Spoken Digit Dataset"):
        fetch_spoken_digits(data_home=tmp_path)
    assert not (tmp_path / "spoken_digits").exists()


def test_fetch_spoken_digits_rejects_an_archive_of_other_recordings(
    serve, tmp_path, small_fsdd_release
):
    serve(_fsdd_archive(speakers=("ana",)), "SPOKEN_DIGITS_URL")
    with pytest.raises(OSError, match="20 recordings by speaker {'ana': 20}, not"):
        fetch_spoken_digits(data_home=tmp_path)
    assert not (tmp_path / "spoken_digits").exists()


def test_a_cache_seeded_with_some_speakers_says_so(tmp_path, small_fsdd_release):
    folder = tmp_path / "mine"
    folder.mkdir()
    for digit in range(10):
        (folder / f"{digit}_ana_0.wav").write_bytes(_clip(digit, "ana", 0))
    (folder / "README.md").write_text("not a recording")
    _spoken_digits.seed_spoken_digits(folder, data_home=tmp_path / "home")
    data = fetch_spoken_digits(
        data_home=tmp_path / "home", download_if_missing=False, load_content=False
    )
    assert data.waveforms is None and data.sample_rate == 8000
    assert data.target.tolist() == list(range(10))
    assert data.speaker.tolist() == ["ana"] * 10
    assert all(name.endswith(".wav") for name in data.filenames)
    assert "only 1 of the release's 2 speakers" in data.DESCR
    assert f"seeded from {folder}" in data.DESCR


def test_seeding_from_a_folder_of_other_files_is_refused(tmp_path):
    (tmp_path / "take 1.wav").write_bytes(b"RIFF")
    with pytest.raises(ValueError, match="these are not: take 1.wav"):
        _spoken_digits.seed_spoken_digits(tmp_path, data_home=tmp_path / "home")
    assert not (tmp_path / "home" / "spoken_digits").exists()


def test_the_shared_recordings_seed_a_cache_of_four_speakers(
    tmp_path, spoken_digits_folder
):
    _spoken_digits.seed_spoken_digits(spoken_digits_folder, data_home=tmp_path)
    data = fetch_spoken_digits(
        data_home=tmp_path, download_if_missing=False, load_content=False
    )
    assert len(data.filenames) == 2000
    assert sorted(set(data.speaker)) == ["george", "jackson", "lucas", "nicolas"]
    assert np.bincount(data.target).tolist() == [200] * 10
    assert "only 4 of the release's 6 speakers" in data.DESCR
