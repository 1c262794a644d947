"""Small statistics shared by the evaluations: bootstrap intervals, paired tests, correlations."""
from __future__ import annotations

import numpy as np

SEED = 12345  # the seed sacrebleu uses, so reruns give the same intervals
RESAMPLES = 1000


def bootstrap_mean(values: list[float], resamples: int = RESAMPLES, seed: int = SEED) -> tuple[float, float, float]:
    """Mean of `values` with a 95% bootstrap interval (low, high) over items."""
    data = np.asarray(values, dtype=np.float64)
    if data.size == 0:
        return 0.0, 0.0, 0.0
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, data.size, size=(resamples, data.size))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(data.mean()), float(low), float(high)


def paired_bootstrap(system: list[float], baseline: list[float], resamples: int = RESAMPLES,
                     seed: int = SEED) -> float:
    """Two-sided p-value that the mean of `system` differs from `baseline` only by chance.

    Same test as sacrebleu's paired bootstrap: resample items, centre the
    resampled absolute differences, count how often they exceed the real one.
    """
    a, b = np.asarray(system, dtype=np.float64), np.asarray(baseline, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"paired test: {a.size} scores against {b.size}; both systems must score the same items")
    if a.size == 0:
        return 1.0
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, a.size, size=(resamples, a.size))
    differences = np.abs(a[picks].mean(axis=1) - b[picks].mean(axis=1))
    centred = differences - differences.mean()
    real = abs(a.mean() - b.mean())
    return float((np.sum(centred > real) + 1) / (resamples + 1))


def pearson(x: list[float], y: list[float]) -> float:
    """Pearson correlation; 0 when either side is constant."""
    a, b = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if a.size < 2 or a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def kendall_tau(x: list[float], y: list[float]) -> float:
    """Kendall's tau-b (ties counted as in scipy.stats.kendalltau); 0 when undefined."""
    a, b = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if a.size < 2:
        return 0.0
    concordance = untied_a = untied_b = 0.0
    for i in range(a.size - 1):  # row by row: memory stays linear in the number of items
        da, db = np.sign(a[i + 1:] - a[i]), np.sign(b[i + 1:] - b[i])
        concordance += float(np.sum(da * db))
        untied_a += float(np.count_nonzero(da))
        untied_b += float(np.count_nonzero(db))
    if untied_a == 0 or untied_b == 0:
        return 0.0
    return concordance / float(np.sqrt(untied_a * untied_b))
