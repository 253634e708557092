import subprocess
import sys


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

    assert skfeat.Word2VecVectorizer.__module__ == "skfeat.text"
    assert skfeat.CNNClassifier.__module__ == "skfeat.image"
    assert set(skfeat.__all__) >= {"Word2VecVectorizer", "CNNClassifier", "__version__"}
