"""scikit-learn's common estimator checks."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skfeat.image import CNNClassifier

# Tiny network, few epochs: the checks are about the API, not accuracy.
CNN_FOR_CHECKS = CNNClassifier(filters=(4,), epochs=2, random_state=0)

# Every check passes: no expected failures to excuse.
CNN_EXPECTED_FAILED_CHECKS = {}


@parametrize_with_checks(
    [CNN_FOR_CHECKS],
    expected_failed_checks=lambda estimator: CNN_EXPECTED_FAILED_CHECKS,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
