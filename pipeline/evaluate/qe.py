"""Reference-free quality estimation of translations, and how far to trust it.

Two per-sentence estimates, each 0..1:
- similarity: calibrated cosine of source and translation embeddings
  (multilingual USE; 0 is unrelated, 1 a typical human translation);
- round trip: chrF of the translation translated back, against the source.
`correlation` measures either against reference-based sentence chrF.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sacrebleu.metrics import CHRF

from pipeline.evaluate.stats import kendall_tau, pearson
from pipeline.similarity.embed import calibrate


def similarity_scores(sources: list[str], translations: list[str], embedder) -> list[float]:
    """Calibrated cross-lingual similarity of each source sentence and its translation."""
    _same_length(sources, translations, "translations")
    if not sources:
        return []
    cosines = np.einsum("ij,ij->i", embedder.encode(sources), embedder.encode(translations))
    return [float(v) for v in calibrate(cosines)]


def round_trip_scores(sources: list[str], translations: list[str],
                      back_translate: Callable[[list[str]], list[str]]) -> list[float]:
    """chrF (0..1) of each translation translated back by `back_translate`, against its source."""
    _same_length(sources, translations, "translations")
    back = list(back_translate(translations))
    _same_length(sources, back, "back-translations")
    metric = CHRF()
    return [metric.sentence_score(b, [s]).score / 100 for b, s in zip(back, sources)]


def reference_chrf(translations: list[str], references: list[str]) -> list[float]:
    """Sentence chrF (0..100) of each translation against its reference."""
    _same_length(references, translations, "translations")
    metric = CHRF()
    return [metric.sentence_score(t, [r]).score for t, r in zip(translations, references)]


def correlation(estimates: list[float], reference_scores: list[float]) -> dict:
    """Pearson and Kendall tau between a quality estimate and reference-based scores."""
    _same_length(reference_scores, estimates, "estimates")
    return {"pearson": pearson(estimates, reference_scores), "kendall": kendall_tau(estimates, reference_scores),
            "sentences": len(estimates)}


def evaluate(sources: list[str], systems: dict[str, list[str]], references: list[str], embedder,
             back_translate: Callable[[list[str]], list[str]] | None = None) -> dict:
    """Per-system estimates and their correlation with sentence chrF, plus all systems pooled."""
    result, pooled = {}, {"similarity": ([], []), "round_trip": ([], [])}
    for name, translations in systems.items():
        target = reference_chrf(translations, references)
        found = {"similarity": similarity_scores(sources, translations, embedder)}
        if back_translate is not None:
            found["round_trip"] = round_trip_scores(sources, translations, back_translate)
        found["correlation"] = {kind: correlation(found[kind], target) for kind in ("similarity", "round_trip")
                                if kind in found}
        for kind in found["correlation"]:
            pooled[kind][0].extend(found[kind])
            pooled[kind][1].extend(target)
        result[name] = found
    overall = {kind: correlation(*pair) for kind, pair in pooled.items() if pair[0]}
    return {"systems": result, "pooled": overall}


def _same_length(expected: list, found: list, what: str) -> None:
    if len(found) != len(expected):
        raise ValueError(f"quality estimation: {len(found)} {what} for {len(expected)} sentences; "
                         "give one per sentence, in order")
