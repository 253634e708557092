import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement


def test_import_skfeat_does_not_import_tensorflow_or_keras():
    code = (
        "import sys, skfeat, skfeat.text, skfeat.image\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'scikeras') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_public_names_resolve_lazily():
    import skfeat
    import skfeat.image
    import skfeat.text

    # defined in private modules, public in their domain's package and at the top
    assert skfeat.Word2VecVectorizer is skfeat.text.Word2VecVectorizer
    assert skfeat.CNNClassifier is skfeat.image.CNNClassifier
    assert skfeat.Word2VecVectorizer.__module__ == "skfeat.text._word2vec"
    assert skfeat.CNNClassifier.__module__ == "skfeat.image._cnn"
    assert skfeat.ImageLoader is skfeat.image.ImageLoader
    assert skfeat.ImageLoader.__module__ == "skfeat.image._loader"
    assert skfeat.PretrainedImageEncoder is skfeat.image.PretrainedImageEncoder
    assert skfeat.PretrainedImageEncoder.__module__ == "skfeat.image._pretrained"
    assert set(skfeat.__all__) >= {"Word2VecVectorizer", "CNNClassifier", "__version__"}


# docs/install.rst's "Supported versions" table: its rows, and the distribution
# each names
INSTALL_PAGE = Path(__file__).parents[1] / "docs" / "install.rst"
DISTRIBUTIONS = {
    "TensorFlow": "tensorflow",
    "Keras": "keras",
    "SciKeras": "scikeras",
    "scikit-learn": "scikit-learn",
    "gensim": "gensim",
}


def supported_versions():
    """``{name: (oldest allowed, tested by CI)}`` as the table gives them."""
    text = INSTALL_PAGE.read_text(encoding="utf-8")
    table = text.split("Supported versions\n")[1].split("\n\n", 2)[2]
    rows = re.findall(r"^   \* - (.+)\n     - (.+)\n     - (.+)$", table, re.M)
    return {name: (oldest.split()[0], tested) for name, oldest, tested in rows[1:]}


def test_supported_versions_table_names_pyproject_lower_bounds():
    table = supported_versions()
    assert set(table) == {"Python", *DISTRIBUTIONS}
    lower_bounds = {
        name: next(
            spec.version
            for requirement in metadata.requires("skfeat")
            if Requirement(requirement).name == distribution
            for spec in Requirement(requirement).specifier
            if spec.operator == ">="
        )
        for name, distribution in DISTRIBUTIONS.items()
    }
    lower_bounds["Python"] = metadata.metadata("skfeat")["Requires-Python"][2:]
    assert {name: oldest for name, (oldest, _) in table.items()} == lower_bounds


def test_supported_versions_table_names_the_versions_the_tests_run_with():
    installed = {
        name: ".".join(metadata.version(distribution).split(".")[:2])
        for name, distribution in DISTRIBUTIONS.items()
    }
    installed["Python"] = "{}.{}".format(*sys.version_info)
    tested = {name: tested for name, (_, tested) in supported_versions().items()}
    assert tested == installed, (
        f"the tests run with {installed}; after checking that they pass, write "
        f"these versions into {INSTALL_PAGE}'s table"
    )
