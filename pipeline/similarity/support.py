"""Which source sentences back each summary sentence: nearest by calibrated similarity."""
from __future__ import annotations

import numpy as np

from pipeline.similarity.embed import calibrate


def support(summary: list[str], sources: list[str], embedder, top_k: int = 3,
            min_score: float = 0.35) -> list[tuple[list[int], list[float]]]:
    """For each summary sentence, the source sentences most similar to it, best first.

    Scores are calibrated similarities (see `embed.calibrate`); at most `top_k`
    sentences scoring at least `min_score` are kept, so a sentence may have none.
    """
    if not summary:
        return []
    if not sources:
        return [([], []) for _ in summary]
    scores = calibrate(embedder.encode(summary) @ embedder.encode(sources).T)
    result = []
    for row in scores:
        best = [int(i) for i in np.argsort(-row, kind="stable")[:top_k] if row[i] >= min_score]
        result.append((best, [float(row[i]) for i in best]))
    return result
