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
