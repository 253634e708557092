"""
Spoken digits from new speakers: a spectrogram CNN against MFCC + SVC
=====================================================================

The Free Spoken Digit Dataset: recordings of the digits 0-9, each speaker saying
each digit 50 times. A model of spoken words is used on voices it never heard,
so we measure it that way: every fold holds out one whole speaker
(:class:`~sklearn.model_selection.LeaveOneGroupOut` with the speaker as the
group). The classic baseline, statistics of MFCCs into an SVC, is one line with
:class:`~skfeat.MFCC`; the deep path is one line too:
:class:`~skfeat.LogMelSpectrogram` makes one-channel images that
:class:`~skfeat.CNNClassifier` learns from, with SpecAugment's masks and
shifts while it trains.
"""

import os

import numpy as np
from matplotlib import pyplot as plt
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.model_selection import (
    LeaveOneGroupOut,
    StratifiedKFold,
    cross_val_score,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skfeat import MFCC, CNNClassifier, LogMelSpectrogram
from skfeat.datasets import fetch_spoken_digits

quick = os.environ.get("SKFEAT_DOCS_QUICK") == "1"  # one fold, fewer epochs: CI

# %%
# Every recording padded with silence (or cut) to one second, at 8 kHz.
digits = fetch_spoken_digits(duration=1.0)
X, y, speakers = digits.waveforms, digits.target, digits.speaker
print(X.shape, np.unique(speakers))

# %%
# First, why group by speaker. MFCC + SVC scored on a shuffled split, where
# every voice is in training and test alike, then on speakers held out.
mfcc_svc = make_pipeline(MFCC(sample_rate=8000), StandardScaler(), SVC())
shuffled = cross_val_score(
    mfcc_svc, X, y, cv=StratifiedKFold(4, shuffle=True, random_state=0)
)
by_speaker = cross_val_score(mfcc_svc, X, y, groups=speakers, cv=LeaveOneGroupOut())
print(f"shuffled folds: {shuffled.mean():.3f}, new speakers: {by_speaker.mean():.3f}")

# %%
# The shuffled score mostly says the model recognises voices. Now the CNN on
# log-mel spectrograms, in the recommended configuration, on held-out speakers.
cnn = make_pipeline(
    LogMelSpectrogram(sample_rate=8000),
    CNNClassifier(
        filters=(32, 64),
        dense_units=(128,),
        dropout=0.5,
        augmentation={"time_mask": 0.2, "frequency_mask": 0.2, "time_shift": 0.1},
        epochs=8 if quick else 40,
        random_state=0,
    ),
)
folds = list(LeaveOneGroupOut().split(X, y, speakers))[: 1 if quick else None]
predictions, held_out, cnn_scores, svc_scores = [], [], [], []
for train, test in folds:
    cnn.fit(X[train], y[train])
    predictions.append(cnn.predict(X[test]))
    held_out.append(test)
    cnn_scores.append(np.mean(predictions[-1] == y[test]))
    svc_scores.append(mfcc_svc.fit(X[train], y[train]).score(X[test], y[test]))
    print(
        f"held out {speakers[test][0]}: CNN {cnn_scores[-1]:.3f}, "
        f"MFCC + SVC {svc_scores[-1]:.3f}"
    )

# %%
# One recording's spectrogram, as the CNN sees it (time across, mel bands up),
# and the CNN's confusions on the voices it never heard.
held_out = np.concatenate(held_out)
spectrogram = LogMelSpectrogram(sample_rate=8000).transform(X[held_out[:1]])[0]
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
left.imshow(
    spectrogram.T,
    origin="lower",
    aspect="auto",
    cmap="magma",
    extent=(0, 1, 0, spectrogram.shape[1]),
)
left.set(
    xlabel="time (s)",
    ylabel="mel band",
    title=f"A spoken {y[held_out[0]]} ({speakers[held_out[0]]}), log-mel",
)
ConfusionMatrixDisplay.from_predictions(
    y[held_out], np.concatenate(predictions), ax=right, colorbar=False
)
right.set_title(
    f"CNN on new speakers: {np.mean(cnn_scores):.3f} "
    f"(MFCC + SVC {np.mean(svc_scores):.3f})"
)
plt.show()

# %%
# In the documentation's quick build the CNN trains 8 epochs on one fold, which
# under-states it; ``benchmarks/results/audio.md`` has the full figures (all
# four shared speakers held out in turn, 40 epochs).
