"""The ``skfeat`` command: ``skfeat demo`` and ``skfeat embed``.

TensorFlow and matplotlib are imported inside the sub-commands that use them,
so ``skfeat --help`` and ``skfeat embed`` never pay for them.
"""

import argparse
import csv
import os
import sys
from pathlib import Path

from skfeat import __version__
from skfeat._vectors import PRETRAINED_FORMATS
from skfeat.text import POOLINGS

OUTPUT_SUFFIXES = (".npy", ".csv", ".parquet")


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
        help="fewer folds, epochs and grid points: under a minute on 2 cores",
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

    embed = commands.add_parser(
        "embed",
        help="turn text into document vectors with Word2VecVectorizer",
        description=(
            "Read documents (one per line of a text file, or one per row of a "
            "CSV column), learn word vectors on them or read pretrained ones, and "
            "write one pooled vector per document, in input order. The input is "
            "streamed in chunks; the output file appears only when complete."
        ),
    )
    embed.add_argument("input", type=Path, metavar="INPUT", help="text or CSV file")
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
        "--pretrained",
        type=Path,
        metavar="PATH",
        help="word-vector file to use instead of training on INPUT",
    )
    embed.add_argument(
        "--pretrained-format",
        choices=PRETRAINED_FORMATS,
        default="auto",
        help="format of the --pretrained file (default: %(default)s)",
    )
    embed.add_argument(
        "--algorithm",
        choices=("word2vec", "fasttext"),
        default="word2vec",
        help="how to train word vectors on INPUT (default: %(default)s)",
    )
    embed.add_argument(
        "--pooling",
        choices=POOLINGS,
        default="mean",
        help="how word vectors become one document vector (default: %(default)s)",
    )
    embed.add_argument("--vector-size", type=_positive_int, default=100)
    embed.add_argument("--window", type=_positive_int, default=5)
    embed.add_argument("--min-count", type=_positive_int, default=5)
    embed.add_argument("--epochs", type=_positive_int, default=5)
    embed.add_argument(
        "--workers",
        type=_positive_int,
        default=3,
        help="training threads; with 1 and a fixed --seed the vectors are "
        "reproducible (default: %(default)s)",
    )
    embed.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    embed.add_argument(
        "--chunk-size",
        type=_positive_int,
        default=10_000,
        help="documents vectorized and written at a time (default: %(default)s)",
    )
    embed.add_argument("--quiet", action="store_true", help="no progress bars")
    return parser


def _run_demo(args):
    from skfeat._demo import run_demo

    table = run_demo(
        args.output, quick=args.quick, seed=args.seed, show_progress=not args.quiet
    )
    print(table)
    print(f"\nReport written to {args.output}/")


def _run_embed(args):
    from skfeat import Word2VecVectorizer
    from skfeat._embed import embed_file

    # this process is ours: let a CSV cell hold a whole long document
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

    vectorizer = Word2VecVectorizer(
        algorithm=args.algorithm,
        pretrained=args.pretrained,
        pretrained_format=args.pretrained_format,
        vector_size=args.vector_size,
        window=args.window,
        min_count=args.min_count,
        epochs=args.epochs,
        workers=args.workers,
        pooling=args.pooling,
        random_state=args.seed,
    )
    n_documents = embed_file(
        args.input,
        args.output,
        vectorizer,
        column=args.column,
        chunk_size=args.chunk_size,
        show_progress=not args.quiet,
    )
    print(f"Wrote {n_documents} document vectors to {args.output}", file=sys.stderr)


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
        2 for bad arguments.

    Examples
    --------
    >>> from skfeat.cli import main
    >>> main(["--version"])
    Traceback (most recent call last):
    ...
    SystemExit: 0
    """
    args = _build_parser().parse_args(argv)
    # this process is ours: keep TensorFlow's C++ start-up chatter off the terminal
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    run = {"demo": _run_demo, "embed": _run_embed}[args.command]
    try:
        run(args)
    except (OSError, ValueError) as exc:
        print(f"skfeat {args.command}: error: {exc}", file=sys.stderr)
        return 1
    return 0
