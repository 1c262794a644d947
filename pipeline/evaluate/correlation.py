"""How well a quality estimate ranks translations as humans (or a reference metric) do.

Segment level: Kendall tau-b (ties as scipy's tau-b) and Pearson over all
segments. Grouped: Kendall tau-b among the translations of one source segment,
averaged over the sources where both sides vary (what choosing among
candidates needs). Intervals are 95% bootstrap intervals over source segments,
since the translations of one source are not independent: a resample draws
sources with replacement and keeps all their translations.

Tau-b is read from pair sums aggregated per pair of sources, so each resample
costs a (sources x sources) product instead of a pass over all segment pairs.
"""
from __future__ import annotations

import numpy as np

from pipeline.evaluate.stats import RESAMPLES, SEED

CHUNK = 512  # rows of the segment pair matrix held at once


def _group_index(groups: list) -> tuple[np.ndarray, int]:
    names = {name: index for index, name in enumerate(dict.fromkeys(groups))}
    return np.array([names[g] for g in groups], dtype=np.int64), len(names)


def pair_sums(x, y, groups: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair of groups: summed concordance sign(dx)*sign(dy), and the pairs untied in x and in y."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    index, count = _group_index(groups)
    one_hot = np.zeros((x.size, count))
    one_hot[np.arange(x.size), index] = 1.0
    sums = [np.zeros((count, count)) for _ in range(3)]
    for start in range(0, x.size, CHUNK):
        dx = np.sign(x[start:start + CHUNK, None] - x[None, :])
        dy = np.sign(y[start:start + CHUNK, None] - y[None, :])
        rows = one_hot[start:start + CHUNK].T
        for total, pairs in zip(sums, (dx * dy, dx != 0, dy != 0)):
            total += rows @ (pairs @ one_hot)
    return sums[0], sums[1], sums[2]


def _tau_from(sums, weights: np.ndarray) -> np.ndarray:
    """Tau-b for each row of `weights` (how often each group is drawn)."""
    concordance, untied_x, untied_y = (np.einsum("ri,ij,rj->r", weights, s, weights) for s in sums)
    with np.errstate(invalid="ignore", divide="ignore"):
        tau = concordance / np.sqrt(untied_x * untied_y)
    return np.nan_to_num(tau)


def _draws(count: int, resamples: int, seed: int) -> np.ndarray:
    """How often each of `count` groups is drawn, per resample."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, count, size=(resamples, count))
    return np.stack([np.bincount(row, minlength=count) for row in picks]).astype(np.float64)


def _interval(values: np.ndarray) -> tuple[float, float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def segment_level(estimates, human, groups: list, resamples: int = RESAMPLES, seed: int = SEED) -> dict:
    """Kendall tau-b and Pearson over all segments, with intervals from resampling the groups."""
    x, y = np.asarray(estimates, dtype=np.float64), np.asarray(human, dtype=np.float64)
    if x.size != y.size or x.size != len(groups):
        raise ValueError(f"correlation: {x.size} estimates, {y.size} human scores and {len(groups)} groups; "
                         "give one of each per segment")
    index, count = _group_index(groups)
    sums = pair_sums(x, y, groups)
    draws = _draws(count, resamples, seed)
    taus = _tau_from(sums, draws)
    pearsons = np.array([_weighted_pearson(x, y, row[index]) for row in draws])
    tau = float(_tau_from(sums, np.ones((1, count)))[0])
    return {"kendall": tau, "kendall_ci": _interval(taus), "pearson": _weighted_pearson(x, y, np.ones(x.size)),
            "pearson_ci": _interval(pearsons), "segments": int(x.size)}


def _weighted_pearson(x: np.ndarray, y: np.ndarray, weights: np.ndarray) -> float:
    total = weights.sum()
    if total == 0:
        return 0.0
    dx, dy = x - (weights @ x) / total, y - (weights @ y) / total
    spread = np.sqrt((weights @ (dx * dx)) * (weights @ (dy * dy)))
    return float((weights @ (dx * dy)) / spread) if spread > 0 else 0.0


def grouped(estimates, human, groups: list, resamples: int = RESAMPLES, seed: int = SEED) -> dict:
    """Kendall tau-b within each group, averaged over the groups where both sides vary."""
    x, y = np.asarray(estimates, dtype=np.float64), np.asarray(human, dtype=np.float64)
    index, count = _group_index(groups)
    taus = []
    for group in range(count):
        members = np.flatnonzero(index == group)
        if np.ptp(x[members]) > 0 and np.ptp(y[members]) > 0:
            sums = pair_sums(x[members], y[members], list(range(members.size)))
            taus.append(float(_tau_from(sums, np.ones((1, members.size)))[0]))
    if not taus:
        return {"kendall": 0.0, "kendall_ci": (0.0, 0.0), "sources": 0}
    values = np.array(taus)
    means = values[np.random.default_rng(seed).integers(0, values.size, size=(resamples, values.size))].mean(1)
    return {"kendall": float(values.mean()), "kendall_ci": _interval(means), "sources": int(values.size)}
