"""Property tests: random image shapes, dtypes and values never crash the CNN
other than with its documented errors, and outputs are finite and well shaped."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from skfeat.image import CNNClassifier

DTYPES = st.sampled_from(
    [np.float16, np.float32, np.float64, np.int8, np.int32, np.uint8, np.bool_]
)
# What the docs list for bad values: NaN/inf, values too large for the network.
DOCUMENTED = ("contains NaN", "contains infinity", "too large", "diverged")


def assert_documented(error):
    assert any(text in str(error) for text in DOCUMENTED), str(error)


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.RandomState(0)
    images = rng.rand(24, 6, 5)
    labels = np.array(["a", "b", "c"] * 8)
    return CNNClassifier(filters=(3,), epochs=1, random_state=0).fit(images, labels)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    images=hnp.arrays(
        DTYPES, st.tuples(st.integers(0, 9), st.just(6), st.just(5)), elements=None
    )
)
def test_predict_on_any_values_is_finite_or_documented(fitted, images):
    try:
        proba = fitted.predict_proba(images)
        features = fitted.transform(images)
        predicted = fitted.predict(images)
    except ValueError as error:
        if len(images) == 0:
            assert "0 sample" in str(error)
        else:
            assert_documented(error)
        return
    assert proba.shape == (len(images), 3) and np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert features.shape == (len(images), fitted._n_features_out)
    assert np.isfinite(features).all()
    assert set(predicted) <= {"a", "b", "c"}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=st.tuples(st.integers(2, 12), st.integers(1, 7), st.integers(1, 7)),
    channels=st.sampled_from([None, 1, 3]),
    dtype=DTYPES,
    seed=st.integers(0, 2**16),
)
def test_fit_on_any_image_shape_trains_or_says_why(shape, channels, dtype, seed):
    rng = np.random.RandomState(seed)
    full_shape = shape if channels is None else (*shape, channels)
    images = (rng.rand(*full_shape) * 100).astype(dtype)
    labels = rng.randint(0, 2, size=shape[0])
    model = CNNClassifier(filters=(2,), epochs=1, random_state=0)
    try:
        model.fit(images, labels)
    except ValueError as error:
        assert "only one class" in str(error) or "diverged" in str(error), error
        return
    proba = model.predict_proba(images)
    assert proba.shape == (shape[0], len(model.classes_))
    assert np.isfinite(proba).all()
