"""The ``skfeat`` command: ``skfeat demo``, ``skfeat embed`` and
``skfeat embed-images``.

TensorFlow and matplotlib are imported inside the sub-commands that use them,
so ``skfeat --help`` and ``skfeat embed`` never pay for them.
"""

import argparse
import contextlib
import csv
import re
import signal
import sys
import textwrap
import warnings
from pathlib import Path

from skfeat import __version__
from skfeat._images import IMAGE_EXTENSIONS
from skfeat._vectors import PRETRAINED_FORMATS
from skfeat.image import BACKBONES, PretrainedImageEncoder
from skfeat.image._pretrained import (
    MODEL_FILE_SUFFIXES,
    PREPROCESSINGS,
    SMALLEST_IMAGE_SIDE,
)
from skfeat.image._pretrained import POOLINGS as IMAGE_POOLINGS
from skfeat.text import POOLINGS, Word2VecVectorizer

OUTPUT_SUFFIXES = (".npy", ".csv", ".parquet")
# documents with a row of zeros that the report names, by line or row number
_ZERO_ROWS_SHOWN = 10
# Word2VecVectorizer's parameters that `skfeat embed` sets with a flag of the same
# name (``min_count`` from ``--min-count``); None leaves the estimator's default
_VECTORIZER_FLAGS = (
    "algorithm",
    "pretrained",
    "pretrained_format",
    "vector_size",
    "window",
    "min_count",
    "epochs",
    "workers",
    "pooling",
)
# the same for PretrainedImageEncoder and `skfeat embed-images`
_ENCODER_FLAGS = (
    "backbone",
    "weights",
    "alpha",
    "layer",
    "preprocessing",
    "pooling",
    "image_size",
    "batch_size",
)


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number, got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def _positive_int_or(default):
    """A flag's type: a whole number >= 1, or ``default`` if that is a word.

    Word2VecVectorizer's defaults, which the flags take, may be words ("auto");
    argparse passes a default string through the type as if it had been typed.
    """
    if not isinstance(default, str):
        return _positive_int

    def positive_int_or_word(text):
        if text == default:
            return text
        try:
            return _positive_int(text)
        except argparse.ArgumentTypeError:
            raise argparse.ArgumentTypeError(
                f"expected a whole number >= 1 or {default!r}, got {text!r}"
            ) from None

    return positive_int_or_word


def _image_size(text):
    """``--image-size``: HEIGHTxWIDTH, or one number for a square."""
    sides = text.lower().split("x")
    try:
        size = tuple(int(side) for side in sides)
    except ValueError:
        size = ()
    if len(sides) == 1:
        size *= 2
    if len(size) != 2:
        raise argparse.ArgumentTypeError(
            f"expected HEIGHTxWIDTH (e.g. 240x320) or one number for a square, "
            f"got {text!r}"
        )
    if min(size) < SMALLEST_IMAGE_SIDE:
        raise argparse.ArgumentTypeError(
            f"{text!r} is too small: the backbones need at least "
            f"{SMALLEST_IMAGE_SIDE}x{SMALLEST_IMAGE_SIDE}"
        )
    return size


def _backbone(text):
    """``--backbone``: a keras.applications name or a Keras model file."""
    if text in BACKBONES:
        return text
    if not text.lower().endswith(MODEL_FILE_SUFFIXES):
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither one of {', '.join(BACKBONES)} nor a Keras model "
            "file (.keras or .h5)"
        )
    return Path(text)


def _alpha(text):
    """``--alpha``: a MobileNet's width, a number above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {text}")
    return value


def _weights(text):
    """``--weights``: "imagenet", "none" (random weights) or a file's path."""
    return None if text == "none" else text


def _backbone_sizes():
    """The backbones' input sizes for ``--help``: "224x224; 384x384 for ..."."""
    by_size = {}
    for name, spec in BACKBONES.items():
        by_size.setdefault("x".join(map(str, spec.image_size)), []).append(name)
    common, *others = sorted(by_size, key=lambda size: -len(by_size[size]))
    return "; ".join(
        [common, *(f"{size} for {', '.join(by_size[size])}" for size in others)]
    )


def _output_file(text):
    path = Path(text)
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise argparse.ArgumentTypeError(
            f"{text!r} must end in one of {', '.join(OUTPUT_SUFFIXES)}; "
            "the suffix chooses the file format"
        )
    return path


def _build_parser():
    parser = argparse.ArgumentParser(
        prog="skfeat",
        description="Deep-learning feature extraction as scikit-learn estimators.",
    )
    parser.add_argument("--version", action="version", version=f"skfeat {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="run skfeat's whole job on built-in data and write a report",
        description=(
            "Tune and cross-validate a CNN on scikit-learn's digits and word-vector "
            "pipelines on newsgroup posts (and on the MR movie reviews if "
            "fetch_sentence_polarity() has cached them), beside the classic "
            "baselines. Prints a results table and writes it, with plots, to "
            "the output folder. Nothing is downloaded."
        ),
    )
    demo.add_argument(
        "--quick",
        action="store_true",
        help="fewer folds and grid points, and no FastText rows: under a minute "
        "on 2 cores; every model shown is still fully trained",
    )
    demo.add_argument(
        "--output",
        type=Path,
        default=Path("skfeat-report"),
        metavar="DIR",
        help="folder for the report (default: %(default)s)",
    )
    demo.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    demo.add_argument("--quiet", action="store_true", help="no progress bars")

    defaults = Word2VecVectorizer().get_params()
    embed = commands.add_parser(
        "embed",
        help="turn text into document vectors with Word2VecVectorizer",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.dedent(
            """\
            Read documents (one per line of a text file, or one per row of a CSV
            column), learn word vectors on them or read pretrained ones, and write
            one pooled vector per document, in input order. The input is streamed
            in chunks; the output file appears only when complete."""
        ),
        epilog=textwrap.dedent(
            """\
            examples:
              skfeat embed reviews.txt -o vectors.npy
              skfeat embed reviews.csv --column text --pooling tfidf -o vectors.csv
              skfeat embed reviews.txt --pretrained glove.6B.100d.txt -o vectors.npy
              skfeat embed old.txt --encoding latin-1 -o vectors.parquet
              zcat reviews.txt.gz | skfeat embed - -o vectors.npy"""
        ),
    )
    embed.add_argument(
        "input",
        type=Path,
        metavar="INPUT",
        help="text file (one document per line), CSV file, or - for standard input",
    )
    embed.add_argument(
        "--output",
        "-o",
        type=_output_file,
        required=True,
        metavar="FILE",
        help="where to write the vectors: .npy, .csv or .parquet",
    )
    embed.add_argument(
        "--column",
        metavar="NAME",
        help="read INPUT as CSV (with a header row) and embed this column",
    )
    embed.add_argument(
        "--encoding",
        default=defaults["encoding"],
        help="encoding of INPUT (default: %(default)s)",
    )
    embed.add_argument(
        "--decode-error",
        choices=("strict", "replace", "ignore"),
        default=defaults["decode_error"],
        help="what to do with bytes that are not valid in --encoding: stop with "
        "an error, or replace or drop them (default: %(default)s)",
    )
    embed.add_argument(
        "--pretrained",
        type=Path,
        metavar="PATH",
        help="word-vector file to use instead of training on INPUT",
    )
    embed.add_argument(
        "--pretrained-format",
        choices=PRETRAINED_FORMATS,
        help="format of the --pretrained file (default: "
        f"{defaults['pretrained_format']}, told from the file's first bytes)",
    )
    embed.add_argument(
        "--algorithm",
        choices=("word2vec", "fasttext"),
        default=defaults["algorithm"],
        help="how to train word vectors on INPUT (default: %(default)s)",
    )
    embed.add_argument(
        "--pooling",
        choices=POOLINGS,
        default=defaults["pooling"],
        help="how word vectors become one document vector (default: %(default)s)",
    )
    embed.add_argument(
        "--vector-size",
        type=_positive_int_or(defaults["vector_size"]),
        default=defaults["vector_size"],
        metavar="N",
        help="dimension of the trained word vectors (default: %(default)s)",
    )
    embed.add_argument(
        "--window",
        type=_positive_int_or(defaults["window"]),
        default=defaults["window"],
        metavar="N",
        help="largest distance between a word and the words it predicts "
        "(default: %(default)s)",
    )
    embed.add_argument(
        "--min-count",
        type=_positive_int_or(defaults["min_count"]),
        default=defaults["min_count"],
        metavar="N",
        help="words seen fewer times in INPUT get no vector (default: %(default)s)",
    )
    embed.add_argument(
        "--epochs",
        type=_positive_int_or(defaults["epochs"]),
        default=defaults["epochs"],
        metavar="N",
        help="training passes over INPUT (default: %(default)s)",
    )
    embed.add_argument(
        "--workers",
        type=_positive_int_or(defaults["workers"]),
        default=defaults["workers"],
        metavar="N",
        help="training threads; with 1 and a fixed --seed the vectors are "
        "reproducible (default: %(default)s)",
    )
    embed.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    embed.add_argument(
        "--chunk-size",
        type=_positive_int,
        default=10_000,
        metavar="N",
        help="documents vectorized and written at a time (default: %(default)s)",
    )
    embed.add_argument("--quiet", action="store_true", help="no progress bars")
    _add_embed_images(commands)
    return parser


def _add_embed_images(commands):
    defaults = PretrainedImageEncoder().get_params()
    embed_images = commands.add_parser(
        "embed-images",
        help="turn image files into feature vectors with a pretrained network",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.dedent(
            f"""\
            Read every image file in FOLDER and the folders below it (names
            ending in {" ".join(IMAGE_EXTENSIONS)}, in any case), run the images
            through a pretrained network (PretrainedImageEncoder) and write one
            row of pooled features per image.

            Rows follow the files: a folder's own files sorted by name, then its
            sub-folders in sorted order, the same way down; for a folder of class
            sub-folders that is the order of load_image_folder. Each row is named
            by its file's path relative to FOLDER (cat/001.jpg: the first folder
            is the class), in a first column "path" of a .csv or .parquet output,
            or one per line in a text file beside a .npy output (features.npy:
            features.paths.txt). Images are decoded and encoded in chunks; the
            output appears only when complete."""
        ),
        epilog=textwrap.dedent(
            """\
            examples:
              skfeat embed-images photos -o features.npy  # and features.paths.txt
              skfeat embed-images photos -o features.csv --backbone efficientnet_v2_b0
              skfeat embed-images photos -o features.parquet --on-error skip
              skfeat embed-images photos -o features.npy \\
                  --backbone resnet50 --weights resnet50_notop.h5
              skfeat embed-images photos -o features.npy \\
                  --backbone mobilenet_v2 --alpha 0.35
              skfeat embed-images photos -o features.npy \\
                  --backbone my_model.keras --layer embedding"""
        ),
    )
    embed_images.add_argument(
        "folder", type=Path, metavar="FOLDER", help="folder of image files"
    )
    embed_images.add_argument(
        "--output",
        "-o",
        type=_output_file,
        required=True,
        metavar="FILE",
        help="where to write the features: .npy (and the paths of its rows in "
        "NAME.paths.txt), .csv or .parquet",
    )
    embed_images.add_argument(
        "--backbone",
        type=_backbone,
        default=defaults["backbone"],
        metavar="{NAME,MODEL}",
        help=f"the network: {', '.join(BACKBONES)}, or a Keras model file of "
        "your own (.keras or .h5, written by model.save) (default: %(default)s)",
    )
    embed_images.add_argument(
        "--alpha",
        type=_alpha,
        metavar="WIDTH",
        help="width of a MobileNet backbone (1.0 when left out); ImageNet weights "
        "exist for 0.35, 0.5, 0.75, 1.0, 1.3, 1.4 (mobilenet_v2) and 0.75, 1.0 "
        "(mobilenet_v3_*)",
    )
    embed_images.add_argument(
        "--layer",
        metavar="NAME",
        help="with a model file: the layer whose output are the features, one "
        "vector per image (default: the input of the model's last layer)",
    )
    embed_images.add_argument(
        "--preprocessing",
        choices=sorted(PREPROCESSINGS | {"none"}),
        metavar="FAMILY",
        help="with a model file: the keras.applications family whose "
        "preprocess_input the images (pixels in [0, 255]) get, or none: the "
        "pixels as they are (default: none; a named backbone uses its own)",
    )
    embed_images.add_argument(
        "--weights",
        type=_weights,
        default=defaults["weights"],
        metavar="{imagenet,none,PATH}",
        help="imagenet: the ImageNet weights, downloaded by Keras once into its "
        "cache (~/.keras/models); PATH: a weights file of --backbone without its "
        "classification head (Keras' *_notop.h5); none: random weights, only to "
        "try the command out: the features mean nothing (default: %(default)s)",
    )
    embed_images.add_argument(
        "--pooling",
        choices=IMAGE_POOLINGS,
        default=defaults["pooling"],
        help="how the network's last feature map becomes one vector: global "
        "average or max (default: %(default)s)",
    )
    embed_images.add_argument(
        "--image-size",
        type=_image_size,
        metavar="HxW",
        help="size every image is resized to (with Pillow, bilinear) before the "
        "network, e.g. 240x320, or 256 for 256x256; at least 32. ImageNet "
        "weights give their best features at the size they were trained at, the "
        f"default ({_backbone_sizes()})",
    )
    embed_images.add_argument(
        "--flip-average",
        action="store_true",
        help="each image's features are the mean of its own and its mirror "
        "image's (left and right swapped): steadier features for photos, at "
        "twice the time",
    )
    embed_images.add_argument(
        "--batch-size",
        type=_positive_int,
        default=defaults["batch_size"],
        metavar="N",
        help="images per forward pass of the network (default: %(default)s)",
    )
    embed_images.add_argument(
        "--chunk-size",
        type=_positive_int,
        default=256,
        metavar="N",
        help="images decoded, encoded and written at a time: memory holds one "
        "chunk of images (default: %(default)s)",
    )
    embed_images.add_argument(
        "--on-error",
        choices=("raise", "skip"),
        default="raise",
        help="a file that cannot be read as an image: stop with an error naming "
        "it, or leave it out (it gets no row) and list it on stderr at the end "
        "(default: %(default)s)",
    )
    embed_images.add_argument("--quiet", action="store_true", help="no progress bar")


def _run_demo(args):
    from skfeat._demo import run_demo
    from skfeat._tensorflow_startup import import_tensorflow_quietly

    import_tensorflow_quietly()  # this process is ours: no start-up lines

    table = run_demo(
        args.output, quick=args.quick, seed=args.seed, show_progress=not args.quiet
    )
    print(table)
    print(f"\nReport written to {args.output}/")


def _run_embed(args):
    from skfeat._embed import DocumentFile, embed_file, standard_input_file

    # this process is ours: let a CSV cell hold a whole long document
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

    params = {name: getattr(args, name) for name in _VECTORIZER_FLAGS}
    vectorizer = Word2VecVectorizer(
        **{name: value for name, value in params.items() if value is not None},
        random_state=args.seed,
    )
    with contextlib.ExitStack() as stack:
        from_stdin = str(args.input) == "-"
        path = stack.enter_context(standard_input_file()) if from_stdin else args.input
        documents = DocumentFile(
            path,
            args.column,
            encoding=args.encoding,
            decode_error=args.decode_error,
            name="standard input" if from_stdin else None,
        )
        embedded = embed_file(
            documents,
            args.output,
            vectorizer,
            chunk_size=args.chunk_size,
            show_progress=not args.quiet,
        )
    n_zero = len(embedded.zero_rows)
    if n_zero:
        shown = documents.where(embedded.zero_rows[:_ZERO_ROWS_SHOWN])
        print(
            f"skfeat embed: {n_zero} of {embedded.n_documents} documents got a row "
            f"of zeros, having no word with a vector: {shown}"
            + (", ..." if n_zero > _ZERO_ROWS_SHOWN else ""),
            file=sys.stderr,
        )
    print(
        f"Wrote {embedded.n_documents} document vectors to {args.output}",
        file=sys.stderr,
    )


def _run_embed_images(args):
    from skfeat._embed_images import embed_image_folder, paths_file

    if args.weights not in (None, "imagenet") and not Path(args.weights).is_file():
        raise FileNotFoundError(
            f"--weights {args.weights}: no such file; give imagenet, none or the "
            "path of a weights file"
        )
    image_size = args.image_size
    if isinstance(args.backbone, Path):
        image_size = image_size or _model_image_size(args.backbone)
    else:
        image_size = image_size or BACKBONES[args.backbone].image_size
    encoder = PretrainedImageEncoder(
        backbone=args.backbone,
        weights=args.weights,
        alpha=args.alpha,
        layer=args.layer,
        preprocessing=args.preprocessing,
        pooling=args.pooling,
        image_size=image_size,
        batch_size=args.batch_size,
        flip_average=args.flip_average,
    )
    with warnings.catch_warnings():
        # Keras' warning that says, in its own parameter names, what
        # --image-size's help says
        warnings.filterwarnings("ignore", "`input_shape` is undef", UserWarning)
        embedded = embed_image_folder(
            args.folder,
            args.output,
            encoder,
            chunk_size=args.chunk_size,
            skip_unreadable=args.on_error == "skip",
            show_progress=not args.quiet,
        )
    if embedded.skipped:
        print(
            f"skfeat embed-images: skipped {len(embedded.skipped)} of "
            f"{embedded.n_files} image files that could not be read:",
            *(f"  {error}" for error in embedded.skipped),
            sep="\n",
            file=sys.stderr,
        )
    names = (
        f", and their paths to {paths_file(args.output)}"
        if args.output.suffix.lower() == ".npy"
        else ""
    )
    print(
        f"Wrote {embedded.n_images} image feature rows to {args.output}{names}",
        file=sys.stderr,
    )


def _model_image_size(path):
    """The input size of the Keras model file at ``path``, which the images are
    decoded at; ``--image-size`` when the model takes any size."""
    from skfeat._tensorflow_startup import import_tensorflow_quietly

    if not path.is_file():
        raise FileNotFoundError(f"--backbone {path}: no such file")
    import_tensorflow_quietly()  # this process is ours: no start-up lines
    from skfeat.image._networks import load_model_file

    height, width = load_model_file(str(path)).input_shape[1:3]
    if height is None or width is None:
        raise ValueError(
            f"the model in {path} takes images of any size: give --image-size"
        )
    return height, width


_FLAGS = {"demo": (), "embed": _VECTORIZER_FLAGS, "embed-images": _ENCODER_FLAGS}


def _in_flag_names(message, names):
    """``message`` with the Python parameters ``names`` it holds as the
    command's flags.

    The library's errors say ``min_count=50``; a command-line user typed
    ``--min-count 50``.
    """
    for name in names:
        flag = "--" + name.replace("_", "-")
        message = re.sub(rf"\b{name}= ?", f"{flag} ", message)
        if "_" in name:  # a bare name that no English word shares
            message = re.sub(rf"\b{name}\b", flag, message)
    return message


class _Terminated(BaseException):
    """Raised by SIGTERM, so that clean-up runs as it does for Ctrl-C.

    A BaseException, like KeyboardInterrupt: no ``except Exception`` swallows it.
    """


def _signal_behind(exc):
    """The KeyboardInterrupt or _Terminated that ``exc`` is, or that it was
    raised while handling: a signal's exception raised inside a C extension's
    call back into Python (TensorFlow's) comes out as a SystemError."""
    while exc is not None:
        if isinstance(exc, (KeyboardInterrupt, _Terminated)):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def _signal_recorder(received):
    """A handler for SIGINT and SIGTERM that notes the signal in ``received``,
    then raises KeyboardInterrupt or _Terminated. The note outlives the
    exception, which TensorFlow's C code can swallow and replace by another
    (a SystemError, then an AttributeError of its own) when the signal lands
    inside it."""

    def handle(signal_number, frame):
        received.append(signal_number)
        if signal_number == signal.SIGINT:
            raise KeyboardInterrupt
        raise _Terminated

    return handle


def _warning_line(command):
    """A ``warnings.showwarning`` that prints one line in the command's words,
    without the library's source file and line that Python adds."""

    def show(message, category, filename, lineno, file=None, line=None):
        text = _in_flag_names(" ".join(str(message).split()), _FLAGS[command])
        print(f"skfeat {command}: warning: {text}", file=sys.stderr)

    return show


def main(argv=None):
    """Run the ``skfeat`` command line; return its exit status.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments after the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    status : int
        0 on success, 1 when the job failed (the reason is printed to stderr),
        2 for bad arguments, 130 when interrupted (Ctrl-C, SIGINT) and 143 when
        terminated (SIGTERM); an interrupted job leaves no partial output.

    Examples
    --------
    >>> from skfeat.cli import main
    >>> main(["--version"])
    Traceback (most recent call last):
    ...
    SystemExit: 0
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command == "embed" and args.pretrained_format and not args.pretrained:
        parser.error("embed: --pretrained-format names the format of --pretrained PATH")
    run = {
        "demo": _run_demo,
        "embed": _run_embed,
        "embed-images": _run_embed_images,
    }[args.command]
    received = []
    handle = _signal_recorder(received)
    previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, handle)}
    # Ctrl-C only where Python's own handler stands: not where SIGINT is
    # ignored (a background job) or handled by a program that calls main()
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, handle)
    try:
        with warnings.catch_warnings():  # restores showwarning afterwards
            warnings.showwarning = _warning_line(args.command)
            run(args)
    except BaseException as exc:
        signalled = _signal_behind(exc)
        if received[:1] == [signal.SIGINT] or isinstance(signalled, KeyboardInterrupt):
            print(f"skfeat {args.command}: interrupted", file=sys.stderr)
            return 128 + signal.SIGINT
        if received[:1] == [signal.SIGTERM] or isinstance(signalled, _Terminated):
            print(f"skfeat {args.command}: terminated", file=sys.stderr)
            return 128 + signal.SIGTERM
        if not isinstance(exc, (OSError, ValueError)):
            raise
        # one line, however many a library's message (Keras') spans
        message = _in_flag_names(" ".join(str(exc).split()), _FLAGS[args.command])
        print(f"skfeat {args.command}: error: {message}", file=sys.stderr)
        return 1
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0
