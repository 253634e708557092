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
from matplotlib import pyplot as plt

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
# known words; only the fastText file also has vectors for unknown words, built
# from their character n-grams.
documents = ["the government said the fire was contained", "firefightrs"]
rows = {}
for name, path in files.items():
    vectorizer = Word2VecVectorizer(pretrained=path).fit(documents)
    rows[name] = vectorizer.transform(documents)
    print(f"{name:>16}: {type(vectorizer.wv_).__name__}, {len(vectorizer.wv_)} words")
print(np.allclose(rows["word2vec"], rows["glove"], atol=1e-5))
print("misspelt word, word2vec file:", np.abs(rows["word2vec"][1]).sum() > 0)
print("misspelt word, fastText file:", np.abs(rows["fasttext"][1]).sum() > 0)

# %%
# The rows side by side: one line per file, one column per vector dimension
# (these vectors have 10).
fig, axes = plt.subplots(1, 2, figsize=(9, 3), sharey=True, layout="constrained")
titles = [f'"{documents[0]}"', f'"{documents[1]}" (misspelt)']
limit = np.abs(np.vstack(list(rows.values()))).max()
for position, (ax, title) in enumerate(zip(axes, titles, strict=True)):
    image = ax.imshow(
        [row[position] for row in rows.values()], cmap="RdBu", vmin=-limit, vmax=limit
    )
    ax.set(xlabel="vector dimension", yticks=range(len(rows)))
    ax.set_title(title, fontsize=10)
axes[0].set_yticklabels(list(rows))
fig.colorbar(image, ax=axes, shrink=0.8, label="value")
fig.suptitle("The same row from every format; only fastText's has one for a new word")
plt.show()
