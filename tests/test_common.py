"""scikit-learn's common estimator checks."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skfeat.image import CNNClassifier

# Tiny network, few epochs: the checks are about the API, not accuracy.
CNN_FOR_CHECKS = CNNClassifier(filters=(4,), epochs=2, random_state=0)

CNN_EXPECTED_FAILED_CHECKS = {
    # Seen failing once in 3 runs: 1 of 80 values off by 7e-7 relative.
    "check_methods_sample_order_invariance": (
        "float32 network: a sample's output can change in its last bits with "
        "its position in the batch (BLAS blocks rows), more than the check's "
        "rtol=1e-7 allows; predictions and order are otherwise unaffected"
    ),
}


@parametrize_with_checks(
    [CNN_FOR_CHECKS],
    expected_failed_checks=lambda estimator: CNN_EXPECTED_FAILED_CHECKS,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
