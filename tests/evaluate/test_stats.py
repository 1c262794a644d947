"""Bootstrap intervals, the paired bootstrap test and correlations."""
import numpy as np
import pytest

from pipeline.evaluate.stats import (
    bootstrap_mean,
    kendall_tau,
    paired_bootstrap,
    pearson,
)


@pytest.mark.parametrize("x, y, expected", [
    ([1, 2, 3, 4], [2, 4, 6, 8], 1.0),
    ([1, 2, 3, 4], [4, 3, 2, 1], -1.0),
    ([1, 2, 3], [5, 5, 5], 0.0),
    ([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], 0.8),
])
def test_pearson(x, y, expected):
    assert pearson(x, y) == pytest.approx(expected)


@pytest.mark.parametrize("x, y, expected", [
    ([1, 2, 3, 4], [10, 20, 30, 40], 1.0),
    ([1, 2, 3, 4], [4, 3, 2, 1], -1.0),
    ([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], 0.6),  # 8 concordant, 2 discordant pairs
    # tau-b with ties: 5 concordant, 0 discordant, 6 pairs, 1 tie in y: 5 / sqrt(6 * 5)
    ([1, 2, 3, 4], [1, 1, 2, 3], 5 / np.sqrt(30)),
    ([1], [2], 0.0),
])
def test_kendall_tau_b(x, y, expected):
    assert kendall_tau(x, y) == pytest.approx(expected)


def test_bootstrap_interval_surrounds_the_mean_and_is_reproducible():
    values = list(np.random.default_rng(1).normal(10, 2, 200))
    mean, low, high = bootstrap_mean(values)
    assert low < mean < high and high - low < 1.5
    assert bootstrap_mean(values) == (mean, low, high)
    assert bootstrap_mean([]) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize("shift, significant", [(0.0, False), (3.0, True)])
def test_paired_bootstrap_detects_only_real_differences(shift, significant):
    rng = np.random.default_rng(2)
    base = rng.normal(50, 10, 100)
    system = base + shift + rng.normal(0, 1, 100)
    assert (paired_bootstrap(list(system), list(base)) < 0.05) is significant


def test_paired_bootstrap_needs_the_same_items():
    with pytest.raises(ValueError, match="both systems must score the same items"):
        paired_bootstrap([1.0, 2.0], [1.0])
