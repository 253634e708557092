"""``skfeat demo``: skfeat's whole job on built-in data, beside the baselines.

Images: a CNN tuned with GridSearchCV on scikit-learn's digits, then
cross-validated beside SVC and logistic regression on raw pixels, and CNN
features feeding an SVC; on CIFAR-10 colour photos when they are already
cached, the colour network beside HOG + SVC. Speech, when the spoken digits
are cached: the recommended spectrogram CNN beside MFCC + SVC, each tested on
speakers it never heard. Text: word vectors trained on
gensim's Wikipedia sample (transfer from unlabelled text), pooled each way,
and the text CNN, alone and stacked with bigram models, against TF-IDF, on
gensim's newsgroup posts and on MR when it is already cached.
"""

import csv
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from gensim.parsing.preprocessing import preprocess_string
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import ConfusionMatrixDisplay, accuracy_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.svm import SVC
from sklearn.utils import resample
from threadpoolctl import threadpool_limits
from tqdm import tqdm

from skfeat.datasets import (
    fetch_cifar10,
    fetch_sentence_polarity,
    load_digit_images,
    load_mini_newsgroups,
    load_wikipedia_sample,
)
from skfeat.text import (
    POOLINGS,
    NgramCNNClassifier,
    TextCNNClassifier,
    Word2VecVectorizer,
)


@dataclass(frozen=True)
class _Settings:
    n_splits: int  # folds of the cross-validation of every method
    search_splits: int  # folds inside GridSearchCV
    cnn_epochs: int  # at most: training stops once the validation loss does not improve
    cnn_grid: dict
    vector_epochs: int  # passes of Word2Vec/FastText over the Wikipedia sample
    fasttext: bool  # FastText rows too: its vectors cost 4 times Word2Vec's
    mr_documents: int | None  # None: all 10,662
    cifar_train: int  # CIFAR-10 training images the colour network learns from
    cifar_test: int  # CIFAR-10 test images it is scored on
    cifar_epochs: int
    speech_folds: int  # speakers held out in turn (at most all of them)
    speech_epochs: int


# Quick mode searches less, cross-validates on fewer folds and leaves FastText
# out, but trains every model it shows as far as the full run does: an
# under-trained model would misstate what the method gives (the CNN scored 0.86
# after 3 epochs; word vectors after 3 passes 0.79 instead of 0.90).
QUICK = _Settings(
    n_splits=3,
    search_splits=2,
    cnn_epochs=30,
    cnn_grid={"learning_rate": [0.003, 0.01]},
    vector_epochs=10,
    fasttext=False,
    mr_documents=2000,
    cifar_train=2000,
    cifar_test=1000,
    cifar_epochs=15,
    speech_folds=2,
    speech_epochs=40,
)
FULL = _Settings(
    n_splits=5,
    search_splits=3,
    cnn_epochs=40,
    cnn_grid={
        "filters": [(32,), (64,)],
        "dense_units": [(), (128,)],
        "learning_rate": [0.003, 0.01],
    },
    vector_epochs=10,
    fasttext=True,
    mr_documents=None,
    cifar_train=10_000,
    cifar_test=10_000,
    cifar_epochs=30,
    speech_folds=6,
    speech_epochs=40,
)

# CNNClassifier's recommended configuration for small colour photos
# (benchmarks/tune_image_colour.py; docs/user_guide/cnn.rst)
COLOUR_CNN = {
    "filters": (32, 64, 128),
    "convs_per_block": 2,
    "padding": "same",
    "batch_normalization": True,
    "pooling": "avg",
    "augmentation": {"flip": "horizontal", "shift": 0.1},
    "learning_rate": 0.003,
    "learning_rate_schedule": "cosine",
    "batch_size": 64,
}


# The recommended spoken-word configuration (benchmarks/tune_audio.py;
# docs/user_guide/audio.rst), for 1 s clips at 8 kHz
SPEECH_SPECTROGRAM = {"sample_rate": 8000}
SPEECH_CNN = {
    "filters": (32, 64),
    "dense_units": (128,),
    "dropout": 0.5,
    "augmentation": {"time_mask": 0.2, "frequency_mask": 0.2, "time_shift": 0.1},
}


@dataclass
class _Result:
    dataset: str
    method: str
    scores: list
    fit_seconds: list


class _Progress:
    """One progress bar per step on stderr; silent when asked or not a terminal."""

    def __init__(self, show):
        self.disable = not show or None  # None: tqdm turns itself off without a TTY

    def bar(self, description, total):
        return tqdm(total=total, desc=description, leave=False, disable=self.disable)


def _cross_validate(estimator, X, y, cv, progress, dataset, method):
    """Cross-validate by hand, to show each fold and time each fit."""
    scores, fit_seconds = [], []
    with progress.bar(f"{dataset}: {method}", cv.get_n_splits()) as bar:
        for train, test in cv.split(X, y):
            model = clone(estimator)
            start = time.perf_counter()
            model.fit(X[train], y[train])
            fit_seconds.append(time.perf_counter() - start)
            scores.append(model.score(X[test], y[test]))
            bar.update()
    return _Result(dataset, method, scores, fit_seconds)


def _counting_accuracy(bar):
    """An accuracy scorer that advances ``bar``: GridSearchCV's progress."""

    def score(estimator, X, y):
        bar.update()
        return estimator.score(X, y)

    return score


def _cross_validate_cnn(cnn, method, images, labels, cv, progress):
    """Cross-validate the CNN, and an SVC on its features, with one CNN per fold.

    The SVC row costs what a ``make_pipeline(cnn, SVC())`` fit costs (the CNN's
    fit plus the SVC's), without training every CNN twice.
    """
    pixels = images.reshape(len(images), -1)
    cnn_result = _Result("digits", method, [], [])
    svc_result = _Result("digits", "CNN features -> SVC", [], [])
    predictions = np.empty_like(labels)
    first_history = None
    with progress.bar("digits: CNN and CNN features -> SVC", cv.n_splits) as bar:
        for train, test in cv.split(pixels, labels):
            start = time.perf_counter()
            model = clone(cnn).fit(pixels[train], labels[train])
            cnn_seconds = time.perf_counter() - start
            predictions[test] = model.predict(pixels[test])
            cnn_result.scores.append(accuracy_score(labels[test], predictions[test]))
            cnn_result.fit_seconds.append(cnn_seconds)
            start = time.perf_counter()
            svc = SVC().fit(model.transform(pixels[train]), labels[train])
            svc_seconds = time.perf_counter() - start
            svc_result.scores.append(
                svc.score(model.transform(pixels[test]), labels[test])
            )
            svc_result.fit_seconds.append(cnn_seconds + svc_seconds)
            first_history = first_history or model.history_
            bar.update()
    return cnn_result, svc_result, predictions, first_history


def _image_experiments(settings, seed, progress, report):
    from skfeat.image import CNNClassifier  # TensorFlow: only now

    images, labels = load_digit_images(return_X_y=True)
    pixels = images.reshape(len(images), -1)
    cnn = CNNClassifier(
        image_shape=images.shape[1:],
        epochs=settings.cnn_epochs,
        validation_split=0.1,  # gives history_ its validation curves
        random_state=seed,
    )
    search_cv = StratifiedKFold(settings.search_splits, shuffle=True, random_state=seed)
    n_candidates = int(np.prod([len(v) for v in settings.cnn_grid.values()]))
    with progress.bar("digits: tuning the CNN", n_candidates * search_cv.n_splits) as b:
        search = GridSearchCV(
            cnn,
            settings.cnn_grid,
            cv=search_cv,
            scoring=_counting_accuracy(b),
            refit=False,  # the cross-validation below trains the tuned CNN anyway
        ).fit(pixels, labels)
    tuned = clone(cnn).set_params(**search.best_params_)
    best = ", ".join(f"{k}={v}" for k, v in search.best_params_.items())
    method = f"CNNClassifier (tuned: {best})"

    cv = StratifiedKFold(settings.n_splits, shuffle=True, random_state=seed)
    cnn_result, svc_result, predictions, history = _cross_validate_cnn(
        tuned, method, images, labels, cv, progress
    )
    results = [cnn_result, svc_result]
    baselines = {
        "SVC on raw pixels": SVC(),
        "LogisticRegression on raw pixels": LogisticRegression(max_iter=2000),
    }
    for baseline, estimator in baselines.items():
        results.append(
            _cross_validate(estimator, pixels, labels, cv, progress, "digits", baseline)
        )
    report.learning_curves(history, settings.cnn_epochs)
    report.confusion_matrix(
        labels,
        predictions,
        f"{method}\nout-of-fold predictions of {cv.n_splits}-fold CV",
    )
    report.misclassified_digits(images, labels, predictions)
    return results


def _hog_features(images):
    """HOG descriptors (9 orientations, 8×8 cells, 2×2 blocks) of colour images."""
    from skimage.feature import hog

    return np.array(
        [
            hog(
                image,
                orientations=9,
                pixels_per_cell=(8, 8),
                cells_per_block=(2, 2),
                channel_axis=-1,
            )
            for image in images
        ]
    )


def _colour_image_experiments(settings, seed, progress, report):
    """The colour network beside HOG + SVC on CIFAR-10, when it is cached."""
    try:
        train = fetch_cifar10(download_if_missing=False)
        test = fetch_cifar10(subset="test", download_if_missing=False)
    except OSError:
        return []  # not cached: the demo never downloads

    from skfeat.image import CNNClassifier  # TensorFlow: only now

    def sample(bunch, n_samples):
        return resample(
            bunch.images,
            bunch.target,
            n_samples=min(n_samples, len(bunch.target)),
            replace=False,
            stratify=bunch.target,
            random_state=seed,
        )

    X_train, y_train = sample(train, settings.cifar_train)
    X_test, y_test = sample(test, settings.cifar_test)
    dataset = f"CIFAR-10 ({len(y_train)} train, {len(y_test)} test images)"
    cnn_method = f"CNNClassifier (colour configuration, {settings.cifar_epochs} epochs)"
    methods = {
        cnn_method: CNNClassifier(
            **COLOUR_CNN, epochs=settings.cifar_epochs, random_state=seed
        ),
        "HOG + SVC": make_pipeline(FunctionTransformer(_hog_features), SVC()),
    }
    results = []
    for method, model in methods.items():
        with progress.bar(f"CIFAR-10: {method}", 1) as bar:
            start = time.perf_counter()
            model.fit(X_train, y_train)
            seconds = time.perf_counter() - start
            predictions = model.predict(X_test)
            bar.update()
        results.append(
            _Result(dataset, method, [accuracy_score(y_test, predictions)], [seconds])
        )
        if method == cnn_method:
            report.confusion_matrix(
                y_test,
                predictions,
                f"{method}\npredictions of {len(y_test)} held-out test images",
                name="cifar10_confusion_matrix.png",
                display_labels=train.target_names,
            )
    return results


def _speech_experiments(settings, seed, progress, report):
    """The spectrogram CNN beside MFCC + SVC on the spoken digits, when they are
    cached, each fold holding one speaker out."""
    from sklearn.model_selection import LeaveOneGroupOut

    from skfeat.audio import MFCC, LogMelSpectrogram
    from skfeat.datasets import fetch_spoken_digits

    try:
        data = fetch_spoken_digits(duration=1.0, download_if_missing=False)
    except OSError:
        return []  # not cached: the demo never downloads
    from skfeat.image import CNNClassifier  # TensorFlow: only now

    waveforms, digits, speakers = data.waveforms, data.target, data.speaker
    folds = list(LeaveOneGroupOut().split(waveforms, digits, speakers))
    folds = folds[: settings.speech_folds]
    held_out = np.concatenate([test for _, test in folds])
    dataset = (
        f"spoken digits ({len(np.unique(speakers))} speakers, "
        f"{len(folds)} held out in turn)"
    )
    cnn_method = f"LogMelSpectrogram + CNNClassifier ({settings.speech_epochs} epochs)"
    methods = {
        cnn_method: make_pipeline(
            LogMelSpectrogram(**SPEECH_SPECTROGRAM),
            CNNClassifier(
                **SPEECH_CNN, epochs=settings.speech_epochs, random_state=seed
            ),
        ),
        "MFCC + StandardScaler + SVC": make_pipeline(
            MFCC(sample_rate=SPEECH_SPECTROGRAM["sample_rate"]), StandardScaler(), SVC()
        ),
    }
    results = []
    for method, model in methods.items():
        result = _Result(dataset, method, [], [])
        predictions = np.empty_like(digits)
        with progress.bar(f"spoken digits: {method}", len(folds)) as bar:
            for train, test in folds:
                fitted = clone(model)
                start = time.perf_counter()
                fitted.fit(waveforms[train], digits[train])
                result.fit_seconds.append(time.perf_counter() - start)
                predictions[test] = fitted.predict(waveforms[test])
                result.scores.append(accuracy_score(digits[test], predictions[test]))
                bar.update()
        results.append(result)
        if method == cnn_method:
            report.confusion_matrix(
                digits[held_out],
                predictions[held_out],
                f"{method}\npredictions for speakers it never heard",
                name="spoken_digits_confusion_matrix.png",
            )
    first = held_out[0]
    report.spectrogram(
        LogMelSpectrogram(**SPEECH_SPECTROGRAM).fit_transform(waveforms[[first]])[0],
        f"Log-mel spectrogram of a spoken {digits[first]} ({speakers[first]}), "
        "normalized per band",
        hop_seconds=0.01,
    )
    return results


def _word_vectors(articles, algorithm, settings, seed, progress):
    """Word vectors trained on the (already tokenized) Wikipedia articles."""
    with progress.bar(f"training {algorithm} on Wikipedia sample", 1) as bar:
        vectors = Word2VecVectorizer(
            algorithm=algorithm,
            vector_size=100,
            min_count=3,
            epochs=settings.vector_epochs,
            workers=1,  # with a seed: the same vectors on every run
            bucket=100_000,  # fastText n-grams: 40 MB instead of gensim's 800 MB
            random_state=seed,
        ).fit(articles)
        bar.update()
    return vectors.wv_


def _text_pipelines(word2vec, fasttext=None, seed=0, vector_epochs=10):
    def pooled(vectors, pooling):
        # the Wikipedia sample was tokenized by preprocess_string (stemmed): match it
        return make_pipeline(
            Word2VecVectorizer(
                pretrained=vectors,
                tokenizer=preprocess_string,
                token_pattern=None,
                pooling=pooling,
            ),
            StandardScaler(),
            LogisticRegression(max_iter=2000),
        )

    pipelines = {
        f"Word2VecVectorizer ({pooling}) + LogReg": pooled(word2vec, pooling)
        for pooling in POOLINGS
    }
    if fasttext is not None:
        pipelines["Word2VecVectorizer (fasttext, mean) + LogReg"] = pooled(
            fasttext, "mean"
        )
    pipelines["TextCNNClassifier (Wikipedia word2vec init)"] = _text_cnn(
        word2vec, seed, vector_epochs
    )
    # the same CNN, stacked with TF-IDF and NB-weighted bigram models
    pipelines["NgramCNNClassifier (bigram models + the same CNN)"] = NgramCNNClassifier(
        cnn=_text_cnn(word2vec, seed, vector_epochs), random_state=seed
    )
    pipelines["TfidfVectorizer + LogReg"] = make_pipeline(
        TfidfVectorizer(), LogisticRegression(max_iter=2000)
    )
    return pipelines


def _text_cnn(word2vec, seed=0, vector_epochs=10):
    """Kim's CNN, its embedding started from the Wikipedia vectors (with the
    stemming tokenizer they were trained with); the words they lack start from
    vectors trained on the fold in ``vector_epochs`` passes, as many as the
    Wikipedia vectors had."""
    return TextCNNClassifier(
        vectorizer=Word2VecVectorizer(
            pretrained=word2vec,
            tokenizer=preprocess_string,
            token_pattern=None,
            # passes of the fold's vectors for words Wikipedia's lack ("auto"
            # makes several times more of a small corpus)
            epochs=vector_epochs,
        ),
        random_state=seed,
    )


def _text_experiments(settings, seed, progress, report):
    articles = [article.split() for article in load_wikipedia_sample().data]
    word2vec = _word_vectors(articles, "word2vec", settings, seed, progress)
    fasttext = None
    if settings.fasttext:
        fasttext = _word_vectors(articles, "fasttext", settings, seed, progress)
    posts = load_mini_newsgroups()
    corpora = {"newsgroups": (np.asarray(posts.data, dtype=object), posts.target)}
    try:
        mr_texts, mr_labels = fetch_sentence_polarity(
            download_if_missing=False, return_X_y=True
        )
    except OSError:
        pass  # not cached: the demo never downloads
    else:
        mr_texts, mr_labels = resample(
            np.asarray(mr_texts, dtype=object),
            mr_labels,
            n_samples=settings.mr_documents,
            replace=False,
            stratify=mr_labels,
            random_state=seed,
        )
        corpora["MR"] = (mr_texts, mr_labels)

    cv = StratifiedKFold(settings.n_splits, shuffle=True, random_state=seed)
    results = []
    for dataset, (texts, labels) in corpora.items():
        pipelines = _text_pipelines(word2vec, fasttext, seed, settings.vector_epochs)
        for method, pipeline in pipelines.items():
            results.append(
                _cross_validate(pipeline, texts, labels, cv, progress, dataset, method)
            )
    texts, labels = corpora["newsgroups"]
    word_vectors = Word2VecVectorizer(
        pretrained=word2vec, tokenizer=preprocess_string, token_pattern=None
    ).fit_transform(texts)
    # the CNN's features of posts it did not train on: what it learned to separate
    train, held_out = next(cv.split(texts, labels))
    cnn = _text_cnn(word2vec, seed, settings.vector_epochs)
    cnn.fit(texts[train], labels[train])
    report.document_map(
        {
            "Word2Vec (Wikipedia), mean of each post's words; no labels": (
                word_vectors,
                labels,
            ),
            f"TextCNNClassifier features of {len(held_out)} held-out posts": (
                cnn.transform(texts[held_out]),
                labels[held_out],
            ),
        },
        posts.target_names,
    )
    return results


class _Report:
    """Writes the results table and the plots into the report folder."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _save(self, figure, name):
        figure.savefig(self.folder / name, dpi=100, bbox_inches="tight")

    @staticmethod
    def _figure(**kwargs):
        # a bare Figure draws without pyplot's global state or a GUI backend
        from matplotlib.figure import Figure

        return Figure(**kwargs)

    def learning_curves(self, history, max_epochs):
        from matplotlib.ticker import MaxNLocator

        figure = self._figure(figsize=(6, 4))
        axes = figure.subplots()
        for metric, values in history.items():
            axes.plot(range(1, len(values) + 1), values, marker="o", label=metric)
        best = int(np.argmin(history["val_loss"])) + 1
        axes.axvline(
            best, color="grey", linestyle=":", label=f"weights kept (epoch {best})"
        )
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set(
            xlabel="epoch",
            ylabel="cross-entropy loss",
            title=f"Tuned CNN, first CV fold: stopped after {len(history['loss'])} "
            f"of at most {max_epochs} epochs",
        )
        axes.legend()
        self._save(figure, "cnn_learning_curves.png")

    def confusion_matrix(
        self,
        labels,
        predictions,
        description,
        name="cnn_confusion_matrix.png",
        display_labels=None,
    ):
        figure = self._figure(figsize=(6, 5.5))
        axes = figure.subplots()
        ConfusionMatrixDisplay.from_predictions(
            labels,
            predictions,
            ax=axes,
            colorbar=False,
            display_labels=display_labels,
            xticks_rotation="vertical" if display_labels else "horizontal",
        )
        accuracy = accuracy_score(labels, predictions)
        axes.set_title(
            f"{description}: accuracy {accuracy:.3f}",
            fontsize=10,
        )
        self._save(figure, name)

    def spectrogram(self, spectrogram, title, hop_seconds):
        figure = self._figure(figsize=(6, 3.5))
        axes = figure.subplots()
        n_frames, n_mels = spectrogram.shape
        image = axes.imshow(
            spectrogram.T,
            origin="lower",
            aspect="auto",
            extent=(0, n_frames * hop_seconds, 0, n_mels),
            cmap="magma",
        )
        figure.colorbar(image, ax=axes, label="standardized log power")
        axes.set(xlabel="time (s)", ylabel="mel band", title=title)
        axes.title.set_fontsize(10)
        self._save(figure, "spoken_digit_spectrogram.png")

    def misclassified_digits(self, images, labels, predictions, n_shown=8):
        confusions = _most_frequent_confusions(labels, predictions)[:n_shown]
        figure = self._figure(figsize=(1.5 * max(len(confusions), 1), 2.2))
        for position, (index, count) in enumerate(confusions):
            axes = figure.add_subplot(1, len(confusions), position + 1)
            axes.imshow(images[index], cmap="gray_r")
            axes.set_title(
                f"{labels[index]} as {predictions[index]}\n{count}×", fontsize=9
            )
            axes.axis("off")
        n_wrong = np.sum(labels != predictions)
        if not n_wrong:
            figure.text(0.5, 0.5, "no misclassified digits", ha="center")
        figure.suptitle(
            f"The most frequent confusions of {n_wrong} errors: true as predicted, "
            "times",
            fontsize=10,
        )
        self._save(figure, "cnn_misclassified_digits.png")

    def document_map(self, panels, label_names):
        """Side-by-side PCA maps: ``panels`` maps a title to (vectors, labels)."""
        figure = self._figure(figsize=(6 * len(panels), 5), layout="constrained")
        for axes, (title, (vectors, labels)) in zip(
            figure.subplots(1, len(panels), squeeze=False)[0],
            panels.items(),
            strict=True,
        ):
            # standardised, as the pipelines' StandardScaler hands them on
            points = PCA(n_components=2).fit_transform(
                StandardScaler().fit_transform(vectors)
            )
            # a few very short posts lie far out: frame the 98% in the middle
            low, high = np.percentile(points, [1, 99], axis=0)
            margin = 0.1 * (high - low)
            low, high = low - margin, high + margin
            outside = np.any((points < low) | (points > high), axis=1).sum()
            for label, name in enumerate(label_names):
                mine = labels == label
                axes.scatter(*points[mine].T, s=12, alpha=0.7, label=name)
            axes.set(
                xlim=(low[0], high[0]),
                ylim=(low[1], high[1]),
                title=title + _outside_note(outside),
                xlabel="first principal component",
                ylabel="second principal component",
            )
            axes.title.set_fontsize(10)
            axes.legend()
        figure.suptitle("Newsgroup posts, standardised, PCA")
        self._save(figure, "document_map.png")

    def table(self, results):
        rows = [
            (
                r.dataset,
                r.method,
                f"{np.mean(r.scores):.3f} ± {np.std(r.scores):.3f}",
                f"{np.mean(r.fit_seconds):.2f}",
            )
            for r in results
        ]
        header = ("dataset", "method", "CV accuracy", "fit time (s)")
        with open(self.folder / "results.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(
                ["dataset", "method", "accuracy_mean", "accuracy_std", "fit_seconds"]
            )
            writer.writerows(
                [
                    r.dataset,
                    r.method,
                    f"{np.mean(r.scores):.4f}",
                    f"{np.std(r.scores):.4f}",
                    f"{np.mean(r.fit_seconds):.3f}",
                ]
                for r in results
            )
        markdown = [f"| {' | '.join(header)} |", f"|{'---|' * len(header)}"]
        markdown += [f"| {' | '.join(row)} |" for row in rows]
        (self.folder / "results.md").write_text("\n".join(markdown) + "\n")
        widths = [max(map(len, column)) for column in zip(header, *rows, strict=False)]
        lines = [
            "  ".join(
                cell.ljust(width) for cell, width in zip(row, widths, strict=True)
            )
            for row in [header, *rows]
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n".join(lines)


def _outside_note(n_points):
    if not n_points:
        return ""
    plural = "s" if n_points > 1 else ""
    return f"\n({n_points} outlying post{plural} outside the frame)"


def _most_frequent_confusions(labels, predictions):
    """``(index, count)`` of each (true, predicted) pair that is an error.

    ``index`` is the pair's first example, ``count`` how often it occurs; the
    most frequent pair comes first, ties in the order of their first example.
    """
    wrong = np.flatnonzero(labels != predictions)
    pairs = np.column_stack([labels[wrong], predictions[wrong]])
    _, first, counts = np.unique(pairs, axis=0, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))
    return [(int(wrong[first[i]]), int(counts[i])) for i in order]


def run_demo(output, *, quick, seed, show_progress):
    """Run every experiment, write the report into ``output``, return the table."""
    settings = QUICK if quick else FULL
    progress = _Progress(show_progress)
    report = _Report(output)
    # these matrices are small: threaded BLAS only contends for the cores
    # (LogisticRegression on digits: 9 s with 2 busy threads, 0.2 s with one)
    with threadpool_limits(limits=1, user_api="blas"):
        results = _image_experiments(settings, seed, progress, report)
        results += _colour_image_experiments(settings, seed, progress, report)
        results += _speech_experiments(settings, seed, progress, report)
        results += _text_experiments(settings, seed, progress, report)
    return report.table(results)
