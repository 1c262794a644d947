"""The combiner: a fit that keeps every weight non-negative, a calibration that rises with the prediction."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from pipeline.quality.combine import Combiner, fit
from pipeline.quality.fitted import CHEAP, CHEAP_CONSENSUS, FULL, FULL_CONSENSUS


def _data(seed: int = 0, size: int = 400):
    rng = np.random.default_rng(seed)
    table = rng.normal(size=(size, 3))
    # the first two features predict the human score, the third is noise that correlates the wrong way by chance
    human = -np.abs(4 - 2 * table[:, 0] - table[:, 1] + rng.normal(scale=0.5, size=size))
    return table, human


def test_fit_weights_the_informative_features_and_never_goes_negative():
    table, human = _data()
    table[:, 2] = -table[:, 0] + np.random.default_rng(1).normal(scale=2, size=len(table))
    combiner = fit("test", ("a", "b", "c"), table, human)
    assert combiner.weights[0] > combiner.weights[1] > 0
    assert all(w >= 0 for w in combiner.weights)
    assert combiner.slope > 0


FITTED = [*FULL.values(), CHEAP, *FULL_CONSENSUS.values(), CHEAP_CONSENSUS]


@pytest.mark.parametrize("combiner", FITTED, ids=lambda c: c.name)
def test_a_better_feature_value_never_lowers_the_score(combiner):
    rng = np.random.default_rng(3)
    for _ in range(50):
        values = dict(zip(combiner.features, np.array(combiner.means) + rng.normal(size=len(combiner.features))
                          * np.array(combiner.scales)))
        score = combiner.score(values)
        assert 0.0 <= score <= 1.0
        for name in combiner.features:
            better = {**values, name: values[name] + abs(rng.normal()) * combiner.scales[combiner.features.index(name)]}
            assert combiner.score(better) >= score


@pytest.mark.parametrize("combiner", FITTED, ids=lambda c: c.name)
def test_the_fitted_constants_are_whole(combiner):
    sizes = {len(getattr(combiner, f)) for f in ("features", "means", "scales", "weights")}
    assert sizes == {len(combiner.features)} and all(s > 0 for s in combiner.scales)
    assert combiner.signature()["weights"] == combiner.weights


def test_a_missing_feature_is_named():
    with pytest.raises(ValueError, match="missing features numbers"):
        CHEAP.score({name: 0.0 for name in CHEAP.features if name != "numbers"})


def test_calibration_reads_the_prediction_as_a_probability():
    combiner = Combiner("one", ("a",), (0.0,), (1.0,), (2.0,), bias=-5.0, slope=1.0, offset=5.0)
    assert combiner.prediction({"a": 1.0}) == pytest.approx(-3.0)
    assert combiner.score({"a": 0.0}) == pytest.approx(0.5)  # predicted -5: one major error, even odds
    assert combiner.score({"a": 2.0}) > combiner.score({"a": 1.0}) == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert dataclasses.replace(combiner, slope=2.0, offset=10.0).score({"a": 0.0}) == pytest.approx(0.5)


def test_fixed_weights_stay_as_given_per_unit_of_the_raw_value():
    table, human = _data()
    counts = np.random.default_rng(2).integers(-2, 1, size=len(table)).astype(float)  # minus words found
    combiner = fit("test", ("a", "b", "words"), np.column_stack([table[:, :2], counts]), human, {"words": 5.0})
    assert (combiner.means[2], combiner.scales[2], combiner.weights[2]) == (0.0, 1.0, 5.0)
    values = {"a": 0.0, "b": 0.0, "words": 0.0}
    assert combiner.prediction(values) - combiner.prediction({**values, "words": -1.0}) == pytest.approx(5.0)
