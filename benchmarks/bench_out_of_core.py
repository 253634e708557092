"""Train Word2VecVectorizer on a corpus streamed from disk; report peak memory.

Run: ``python benchmarks/bench_out_of_core.py`` (a few minutes on 2 cores). It
writes a Zipf-like corpus of at least 300 MB as one file per document, then, in
a fresh child process, fits with ``input="filename"`` (gensim streams the files,
nothing holds the corpus) and transforms the same files. Peak resident memory of
that child is compared with the corpus size in ``benchmarks/results/out_of_core.md``.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results" / "out_of_core.md"


def write_corpus(folder, n_files=300, bytes_per_file=1_050_000, seed=0):
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    n_words = 100_000
    words = np.array(
        ["".join(rng.choice(letters, size=rng.integers(3, 10))) for _ in range(n_words)]
    )
    probability = 1.0 / np.arange(1, n_words + 1) ** 1.1
    probability /= probability.sum()
    tokens_per_file = bytes_per_file // 6  # about 5 letters and a space a word
    paths = []
    for i in range(n_files):
        ids = rng.choice(n_words, size=tokens_per_file, p=probability)
        path = folder / f"doc{i:04d}.txt"
        path.write_text(" ".join(words[ids]), encoding="utf-8")
        paths.append(str(path))
    return paths


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(paths_file):
    """Fit and transform in this process; print what was measured as JSON."""
    from skfeat.text import Word2VecVectorizer

    paths = json.loads(Path(paths_file).read_text())
    baseline = peak_rss_mib()
    vectorizer = Word2VecVectorizer(
        input="filename", epochs=1, workers=2, random_state=0
    )
    start = time.perf_counter()
    vectorizer.fit(paths)
    fit_seconds = time.perf_counter() - start
    after_fit = peak_rss_mib()
    start = time.perf_counter()
    rows = vectorizer.transform(paths)
    transform_seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "baseline_mib": baseline,
                "fit_peak_mib": after_fit,
                "transform_peak_mib": peak_rss_mib(),
                "fit_seconds": fit_seconds,
                "transform_seconds": transform_seconds,
                "n_words": len(vectorizer.wv_),
                "rows": list(rows.shape),
                "finite": bool(np.isfinite(rows).all()),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        paths = write_corpus(folder)
        corpus_mib = sum(Path(p).stat().st_size for p in paths) / 2**20
        n_tokens = sum(len(Path(p).read_bytes().split()) for p in paths)
        (folder / "paths.json").write_text(json.dumps(paths))
        result = subprocess.run(
            [sys.executable, __file__, "--child", str(folder / "paths.json")],
            capture_output=True,
            text=True,
            check=True,
        )
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    baseline = measured["baseline_mib"]
    lines = [
        "# Out-of-core Word2VecVectorizer",
        "",
        f"Corpus: {len(paths)} files, {corpus_mib:.0f} MiB, {n_tokens:,} tokens "
        "(Zipf-like words). `Word2VecVectorizer(input='filename', epochs=1, "
        "workers=2)` in a fresh process; peak resident memory from getrusage.",
        "",
        "| step | seconds | peak RSS (MiB) | peak RSS above imports / corpus size |",
        "|---|---|---|---|",
        f"| after imports | | {measured['baseline_mib']:.0f} | |",
        *(
            f"| {step} | {measured[key + '_seconds']:.0f} | "
            f"{measured[key + '_peak_mib']:.0f} | "
            f"{(measured[key + '_peak_mib'] - baseline) / corpus_mib:.2f} |"
            for step, key in [
                ("fit (streamed)", "fit"),
                ("transform (chunks)", "transform"),
            ]
        ),
        "",
        f"Vocabulary: {measured['n_words']:,} words; output rows "
        f"{tuple(measured['rows'])}, all finite: {measured['finite']}.",
    ]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
