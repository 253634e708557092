"""
Text and numeric columns in a ColumnTransformer
===============================================

:class:`~skfeat.Word2VecVectorizer` is one step among others: here it turns the
text column of a DataFrame into rows while the numeric columns are scaled, and a
logistic regression learns from both.
"""

import numpy as np
import pandas as pd
from gensim.parsing.preprocessing import preprocess_string
from matplotlib import pyplot as plt
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skfeat import Word2VecVectorizer
from skfeat.datasets import load_mini_newsgroups, load_wikipedia_sample

posts = load_mini_newsgroups()
frame = pd.DataFrame({"text": posts.data})
frame["n_characters"] = frame["text"].str.len()
frame["n_lines"] = frame["text"].str.count("\n") + 1
frame["share_upper"] = frame["text"].map(lambda t: np.mean([c.isupper() for c in t]))

# %%
# Word vectors trained on unlabelled Wikipedia text (stemmed, so we tokenize the
# posts the same way), then used as pretrained vectors for the posts.
articles = [article.split() for article in load_wikipedia_sample().data]
wikipedia = Word2VecVectorizer(min_count=3, epochs=10, workers=1, random_state=0).fit(
    articles
)

# scaled like the numbers, so that the regularisation treats both alike
words = make_pipeline(
    Word2VecVectorizer(
        pretrained=wikipedia.wv_, tokenizer=preprocess_string, token_pattern=None
    ),
    StandardScaler(),
)
numbers = ["n_characters", "n_lines", "share_upper"]
columns = ColumnTransformer(
    [
        (
            "words",
            words,
            "text",
        ),  # a single column name: the vectorizer gets a 1-D Series
        ("numbers", StandardScaler(), numbers),
    ]
)
model = make_pipeline(columns, LogisticRegression(max_iter=1000))
scores = cross_val_score(model, frame, posts.target, cv=5)
print(f"text + numbers: {scores.mean():.3f} ± {scores.std():.3f}")

# %%
# Each kind of column alone, for comparison, is one more ``ColumnTransformer``.
# Here the word vectors carry what the model knows: the three numbers alone do
# little better than chance (0.5), and add nothing to the text.
alone = {
    "numbers only": make_pipeline(
        ColumnTransformer([("numbers", StandardScaler(), numbers)]),
        LogisticRegression(max_iter=1000),
    ),
    "text only": make_pipeline(
        ColumnTransformer([("words", words, "text")]),
        LogisticRegression(max_iter=1000),
    ),
}
all_scores = {
    name: cross_val_score(pipeline, frame, posts.target, cv=5)
    for name, pipeline in alone.items()
}
all_scores["text + numbers"] = scores
for name, score in all_scores.items():
    print(f"{name:>14}: {score.mean():.3f} ± {score.std():.3f}")

fig, ax = plt.subplots(figsize=(7, 2.5), layout="constrained")
ax.barh(
    list(all_scores),
    [score.mean() for score in all_scores.values()],
    xerr=[score.std() for score in all_scores.values()],
)
ax.set(
    xlabel="5-fold CV accuracy (0.5 is chance)",
    xlim=(0.5, 1),
    title="alt.atheism or sci.space: each set of columns alone and together",
)
plt.show()

# %%
# The output of the transformer keeps readable column names.
columns.set_output(transform="pandas")
print(columns.fit_transform(frame).columns[[0, 1, -3, -2, -1]].tolist())
