"""
Pretrained vectors in each file format
======================================

:class:`~skfeat.Word2VecVectorizer` reads pretrained vectors from word2vec text
and binary files, GloVe files (no header line) and Facebook fastText ``.bin``
files; ``pretrained_format="auto"`` tells them apart from their first bytes.
"""

import tempfile
from pathlib import Path

import numpy as np
from gensim.models.fasttext import load_facebook_vectors
from gensim.test.utils import datapath

from skfeat import Word2VecVectorizer

# %%
# Write the same vectors in the three word2vec-style formats.
fasttext_file = datapath("lee_fasttext.bin")  # trained on gensim's Lee corpus
keyed_vectors = load_facebook_vectors(fasttext_file)
folder = Path(tempfile.mkdtemp())
keyed_vectors.save_word2vec_format(folder / "vectors.txt")
keyed_vectors.save_word2vec_format(folder / "vectors.bin", binary=True)
keyed_vectors.save_word2vec_format(folder / "glove.txt", write_header=False)
files = {
    "word2vec": folder / "vectors.txt",
    "word2vec_binary": folder / "vectors.bin",
    "glove": folder / "glove.txt",
    "fasttext": fasttext_file,
}

# %%
# Each file, read with ``pretrained_format="auto"``, gives the same rows for
# known words; only the fastText file also has vectors for unknown words.
documents = ["the government said the fire was contained", "firefightrs and smoke"]
rows = {}
for name, path in files.items():
    vectorizer = Word2VecVectorizer(pretrained=path).fit(documents)
    rows[name] = vectorizer.transform(documents)
    print(f"{name:>16}: {type(vectorizer.wv_).__name__}, {len(vectorizer.wv_)} words")
print(np.allclose(rows["word2vec"], rows["glove"], atol=1e-5))
print("misspelt document, word2vec file:", np.abs(rows["word2vec"][1]).sum() > 0)
print("misspelt document, fastText file:", np.abs(rows["fasttext"][1]).sum() > 0)
