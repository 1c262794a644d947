"""Kendall tau-b over segments and within sources, with intervals from resampling sources."""
from __future__ import annotations

import numpy as np
import pytest

from pipeline.evaluate import correlation as corr
from pipeline.evaluate.stats import kendall_tau


@pytest.mark.parametrize("x, y, tau", [
    ([1, 2, 3, 4], [1, 2, 3, 4], 1.0),
    ([1, 2, 3], [3, 2, 1], -1.0),
    # one tie on each side: 4 concordant pairs, 5 untied on each side
    ([1, 2, 2, 3], [1, 2, 3, 3], 0.8),
    ([1, 1, 1], [1, 2, 3], 0.0),  # undefined: no untied pair in x
])
def test_segment_level_tau_b(x, y, tau):
    found = corr.segment_level(x, y, list(range(len(x))), resamples=50)
    assert found["kendall"] == pytest.approx(tau) and found["segments"] == len(x)


def test_tau_b_equals_the_pairwise_definition_on_tied_data():
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 5, 300), rng.integers(0, 4, 300) + rng.integers(0, 3, 300)
    groups = list(rng.integers(0, 40, 300))
    found = corr.segment_level(x, y, groups, resamples=50)
    assert found["kendall"] == pytest.approx(kendall_tau(x, y))
    assert found["pearson"] == pytest.approx(np.corrcoef(x, y)[0, 1])
    assert found["kendall_ci"][0] <= found["kendall"] <= found["kendall_ci"][1]


def test_a_resample_counts_a_source_drawn_twice_as_its_segments_twice():
    x, y, groups = [3, 1, 2, 5, 4], [1, 2, 3, 5, 4], ["a", "a", "a", "b", "b"]
    sums = corr.pair_sums(x, y, groups)
    doubled = corr._tau_from(sums, np.array([[2.0, 1.0]]))[0]
    assert doubled == pytest.approx(kendall_tau(x[:3] * 2 + x[3:], y[:3] * 2 + y[3:]))


def test_grouped_averages_within_sources_where_both_sides_vary():
    x = [1, 2, 3, 1, 2, 3, 1, 2, 3, 5, 5]
    y = [1, 2, 3, 3, 2, 1, 7, 7, 7, 1, 2]
    groups = ["a"] * 3 + ["b"] * 3 + ["c"] * 3 + ["d"] * 2  # c: judges tie everything; d: the estimate ties
    found = corr.grouped(x, y, groups, resamples=50)
    assert found["kendall"] == pytest.approx(0.0) and found["sources"] == 2
    assert corr.grouped([1, 2, 1, 2, 2], [1, 2, 1, 2, 3], ["a", "a", "b", "b", "b"], 50)["kendall"] == \
        pytest.approx((1.0 + kendall_tau([1, 2, 2], [1, 2, 3])) / 2)


def test_nothing_to_group_gives_zero_sources():
    assert corr.grouped([1, 1], [1, 2], ["a", "a"], 10) == {"kendall": 0.0, "kendall_ci": (0.0, 0.0), "sources": 0}


def test_intervals_are_reproducible_and_mismatched_inputs_refused():
    rng = np.random.default_rng(1)
    x, y, groups = rng.normal(size=90), rng.normal(size=90), [i // 3 for i in range(90)]
    assert corr.segment_level(x, y, groups, 100) == corr.segment_level(x, y, groups, 100)
    with pytest.raises(ValueError, match="90 estimates, 89 human scores"):
        corr.segment_level(x, y[:89], groups, 10)
