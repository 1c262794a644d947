"""One calibrated 0..1 score from the features: a fitted linear model, then a logistic calibration.

The linear part predicts the MQM score (minus the weighted error count) from
standardised features, with weights kept non-negative: every feature is
oriented so that higher is better, so a better value can never lower the
score. The calibration maps that prediction to the probability that expert
judges find no major error in the translation. Constants are fitted on dev
data only by `benchmarks/fit_qe.py`, which prints them in this form.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

MAJOR = 5.0  # MQM weight of a major error
ACCEPTABLE = -MAJOR  # an MQM score above this has no major error
RIDGE = 1e-3  # relative ridge penalty: keeps the fit stable when two features say the same


@dataclass(frozen=True)
class Combiner:
    """Weights over standardised features (all oriented higher-is-better) and a calibration."""

    name: str
    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]  # MQM points per standard deviation of each feature, all >= 0
    bias: float
    slope: float  # calibration: P(no major error) = sigmoid(slope * prediction + offset)
    offset: float

    def standardised(self, values: dict[str, float]) -> np.ndarray:
        """Each feature's value in standard deviations of the fit data."""
        missing = [f for f in self.features if f not in values]
        if missing:
            raise ValueError(f"quality combiner {self.name!r}: missing features {', '.join(missing)}")
        return (np.array([values[f] for f in self.features]) - self.means) / self.scales

    def prediction(self, values: dict[str, float]) -> float:
        """The predicted MQM score (0 is flawless, -5 one major error)."""
        return float(self.bias + self.standardised(values) @ np.array(self.weights))

    def score(self, values: dict[str, float]) -> float:
        """The probability (0..1) that judges find no major error."""
        return _sigmoid(self.slope * self.prediction(values) + self.offset)

    def signature(self) -> dict:
        """Every constant of the combiner, for run signatures."""
        return asdict(self)


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, value))))


def fit(name: str, features: tuple[str, ...], table: np.ndarray, human: np.ndarray,
        fixed: dict[str, float] | None = None) -> Combiner:
    """Fit a combiner on `table` (segments x features, higher is better) against human MQM scores.

    Features in `fixed` keep the weight given, per unit of their raw value (a count): what the dev data
    holds too few of to fit, weighed as MQM weighs the error they stand for."""
    table, human = np.asarray(table, dtype=np.float64), np.asarray(human, dtype=np.float64)
    fixed = fixed or {}
    pinned = np.array([f in fixed for f in features])
    means, scales = table.mean(0), table.std(0)
    means[pinned], scales[pinned] = 0.0, 1.0
    scales[scales < 1e-9] = 1.0  # a feature constant on the fit data gets no weight anyway
    z = (table - means) / scales
    weights = np.array([fixed.get(f, 0.0) for f in features])
    free, bias = _non_negative_ridge(z[:, ~pinned], human - z[:, pinned] @ weights[pinned])
    weights[~pinned] = free
    prediction = bias + z @ weights
    slope, offset = _logistic(prediction, (human > ACCEPTABLE).astype(np.float64))
    return Combiner(name, tuple(features), *(tuple(round(float(v), 6) for v in a) for a in (means, scales, weights)),
                    round(float(bias), 6), round(slope, 6), round(offset, 6))


def _non_negative_ridge(z: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Ridge least squares; a feature whose weight comes out negative is dropped and the rest refitted."""
    active = list(range(z.shape[1]))
    while True:
        columns = np.hstack([z[:, active], np.ones((z.shape[0], 1))])
        penalty = RIDGE * z.shape[0] * np.diag([1.0] * len(active) + [0.0])
        solution = np.linalg.solve(columns.T @ columns + penalty, columns.T @ y)
        negative = [a for a, w in zip(active, solution[:-1]) if w < 0]
        if not negative:
            weights = np.zeros(z.shape[1])
            weights[active] = solution[:-1]
            return weights, float(solution[-1])
        active.remove(min(negative, key=lambda a: solution[active.index(a)]))


def _logistic(x: np.ndarray, labels: np.ndarray, steps: int = 50) -> tuple[float, float]:
    """One-feature logistic regression by Newton's method (slope, offset)."""
    params = np.zeros(2)
    design = np.stack([x, np.ones_like(x)], axis=1)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ params, -60, 60)))
        gradient = design.T @ (labels - p)
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + 1e-9 * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        params += step
        if np.abs(step).max() < 1e-10:
            break
    return float(params[0]), float(params[1])
