"""Sphinx configuration for the skfeat documentation.

Build offline with warnings as errors, as CI does:

    SKFEAT_DOCS_QUICK=1 sphinx-build -W --keep-going docs docs/_build/html

SKFEAT_DOCS_QUICK=1 makes the gallery examples cross-validate on fewer folds
(CI time); SKFEAT_DOCS_INTERSPHINX=1 links through the other projects'
inventories, which needs the network (see ``intersphinx_mapping`` below).
"""

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

# The gallery's pretrained example runs when MobileNetV2's ImageNet weights are
# in Keras' cache. The team's shared data folder (beside the repository, or
# where SKFEAT_SHARED_DATA says) has them, and a CIFAR-10 sample: the weights
# are copied into a temporary KERAS_HOME, set here, before anything imports
# Keras, which reads it once at import.
SHARED_DATA = Path(
    os.environ.get(
        "SKFEAT_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"
    )
)
WEIGHTS_FILE = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5"
CIFAR10_SAMPLE = SHARED_DATA / "cifar10-sample" / "cifar10_sample.npz"
if (SHARED_DATA / "pretrained" / WEIGHTS_FILE).is_file():
    keras_home = tempfile.mkdtemp(prefix="skfeat_docs_keras_")
    atexit.register(shutil.rmtree, keras_home, ignore_errors=True)
    os.makedirs(os.path.join(keras_home, "models"))
    shutil.copy(SHARED_DATA / "pretrained" / WEIGHTS_FILE, Path(keras_home, "models"))
    os.environ["KERAS_HOME"] = keras_home
keras_cache = Path(os.environ.get("KERAS_HOME", "~/.keras")).expanduser() / "models"
RUN_PRETRAINED_EXAMPLE = (keras_cache / WEIGHTS_FILE).is_file() and (
    CIFAR10_SAMPLE.is_file()
)
if RUN_PRETRAINED_EXAMPLE:
    os.environ["SKFEAT_DOCS_CIFAR10_SAMPLE"] = str(CIFAR10_SAMPLE)

import skfeat  # noqa: E402
from skfeat._tensorflow_startup import import_tensorflow_quietly  # noqa: E402

# The build is our own process, and the gallery trains CNNs in it: keep
# TensorFlow's start-up lines out of the build's output.
import_tensorflow_quietly()

# The spoken-digits example reads fetch_spoken_digits' cache, and the build never
# downloads: it gets a cache of its own, filled from the team's copy of the
# recordings (SHARED_DATA above).
if (SHARED_DATA / "spoken-digits" / "recordings").is_dir():
    from skfeat.datasets._spoken_digits import seed_spoken_digits

    _data_home = Path(__file__).parent / "_build" / "scikit_learn_data"
    if not (_data_home / "spoken_digits" / "source.txt").is_file():
        seed_spoken_digits(
            SHARED_DATA / "spoken-digits" / "recordings", data_home=_data_home
        )
    os.environ["SCIKIT_LEARN_DATA"] = str(_data_home)  # the build's own process

project = "skfeat"
author = "skfeat developers"
copyright = "2026, skfeat developers"
release = skfeat.__version__
version = ".".join(release.split(".")[:2])

sys.path.insert(0, str(Path(__file__).parent / "_ext"))
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "offline_links",
]
# every cross-reference must resolve: a dead link fails the build (-W)
nitpicky = True

templates_path = ["_templates"]
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py"]
autosummary_generate = True
autodoc_default_options = {}
numpydoc_show_class_members = False  # autosummary lists them instead
numpydoc_class_members_toctree = False

# Intersphinx reads each project's objects.inv from its web site. CI and the
# developers' machines have no network at build time, and no installed package
# ships these inventories, so intersphinx is only used on request (a release
# build on a machine online). Offline, _ext/offline_links.py builds the links to
# scikit-learn, NumPy, gensim, joblib and Python from the objects' import paths,
# checked against the installed packages.
intersphinx_mapping = {}
if os.environ.get("SKFEAT_DOCS_INTERSPHINX") == "1":
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "sklearn": ("https://scikit-learn.org/stable", None),
        "keras": ("https://keras.io/api", None),
        "gensim": ("https://radimrehurek.com/gensim", None),
        "matplotlib": ("https://matplotlib.org/stable", None),
    }

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # the pretrained example is shown, but run only with its weights and data
    "filename_pattern": (
        r"/plot_" if RUN_PRETRAINED_EXAMPLE else r"/plot_(?!pretrained_features)"
    ),
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "reference_url": {"skfeat": None},
}

html_theme = "pydata_sphinx_theme"
html_title = f"skfeat {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_prev_next": False,
}
html_static_path = []
