"""The ``skfeat`` command: ``skfeat demo`` and ``skfeat embed``.

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
from pathlib import Path

from skfeat import __version__
from skfeat._vectors import PRETRAINED_FORMATS
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
    return parser


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


def _in_flag_names(message):
    """``message`` with the Python parameters it names as the command's flags.

    The library's errors say ``min_count=50``; a command-line user typed
    ``--min-count 50``.
    """
    for name in _VECTORIZER_FLAGS:
        flag = "--" + name.replace("_", "-")
        message = re.sub(rf"\b{name}= ?", f"{flag} ", message)
        if "_" in name:  # a bare name that no English word shares
            message = re.sub(rf"\b{name}\b", flag, message)
    return message


class _Terminated(BaseException):
    """Raised by SIGTERM, so that clean-up runs as it does for Ctrl-C.

    A BaseException, like KeyboardInterrupt: no ``except Exception`` swallows it.
    """


def _raise_terminated(signal_number, frame):
    raise _Terminated


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
    run = {"demo": _run_demo, "embed": _run_embed}[args.command]
    previous_handler = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        run(args)
    except KeyboardInterrupt:
        print(f"skfeat {args.command}: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    except _Terminated:
        print(f"skfeat {args.command}: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except (OSError, ValueError) as exc:
        message = _in_flag_names(str(exc))
        print(f"skfeat {args.command}: error: {message}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
    return 0
