"""Cheap, deterministic evidence about translations: length, meaning, wrong-language words, numbers.

Each feature is a function of (sources, translations, source_lang, target_lang)
returning one `Evidence` per translation: a number where higher means better,
and the problem a reader should see when the check failed ("" otherwise).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from pipeline.quality.words import foreign_words
from pipeline.similarity.embed import calibrate

# Median log ratio of translation to source length in characters, and its spread, on FLORES-200 dev
# (997 human translations per direction); the reverse direction is the negative.
LOG_LENGTH_RATIO = {("en", "fr"): (0.160, 0.115), ("en", "zh"): (-1.153, 0.260), ("fr", "zh"): (-1.316, 0.273)}
LENGTH_FLAG_SPREADS = 3.0  # a ratio this many spreads from the median is flagged
SHORT_TEXT = 40  # characters (source and translation together) at which the ratio's spread doubles
SIMILARITY_FLAG = 0.35  # calibrated similarity under which the meaning is doubted
WRONG_LANGUAGE = "wrong-language words: "  # the problem's opening, followed by the words


@dataclass(frozen=True)
class Evidence:
    """One feature of one translation: its value (higher is better) and the problem found, if any."""

    value: float
    problem: str = ""


def _pairs(sources: list[str], translations: list[str]) -> list[tuple[str, str]]:
    if len(sources) != len(translations):
        raise ValueError(f"quality estimate: {len(translations)} translations for {len(sources)} sources; "
                         "give one per source, in order")
    return list(zip(sources, translations))


def expected_log_ratio(source_lang: str, target_lang: str) -> tuple[float, float]:
    """The usual log length ratio (characters) of a translation to its source, and its spread."""
    if source_lang == target_lang:
        return 0.0, 0.115
    if (source_lang, target_lang) in LOG_LENGTH_RATIO:
        return LOG_LENGTH_RATIO[(source_lang, target_lang)]
    if (target_lang, source_lang) in LOG_LENGTH_RATIO:
        median, spread = LOG_LENGTH_RATIO[(target_lang, source_lang)]
        return -median, spread
    return 0.0, 0.3  # a direction never measured: only far-off ratios stand out


def length_ratio(sources, translations, source_lang, target_lang) -> list[Evidence]:
    """Minus how many spreads the length ratio lies from what the direction usually gives."""
    median, spread = expected_log_ratio(source_lang, target_lang)
    found = []
    for source, translation in _pairs(sources, translations):
        lengths = len(source.strip()), len(translation.strip())
        ratio = (lengths[1] + 1) / (lengths[0] + 1)
        distance = (math.log(ratio) - median) / (spread * (1 + SHORT_TEXT / (sum(lengths) + 1)))
        problem = ""
        if abs(distance) >= LENGTH_FLAG_SPREADS:
            problem = f"length: {math.exp(math.log(ratio) - median):.1f}x the usual length for {source_lang}->{target_lang}"
        found.append(Evidence(-abs(distance), problem))
    return found


def shortness(sources, translations, source_lang, target_lang) -> list[Evidence]:
    """The length baseline: minus the translation's characters (the shorter, the better)."""
    return [Evidence(-float(len(translation.strip()))) for _, translation in _pairs(sources, translations)]


def source_length(sources, translations, source_lang, target_lang) -> list[Evidence]:
    """Minus the log length of the source: longer sentences collect more errors, whatever the translation.

    Counted in Chinese characters' worth (the usual zh length of the same content), the unit of the Chinese
    sources the combiners were fitted on: a French sentence holds about 3.7 characters per Chinese one."""
    shift = math.exp(expected_log_ratio(source_lang, "zh")[0])
    return [Evidence(-math.log(len(source.strip()) * shift + 1)) for source, _ in _pairs(sources, translations)]


def wrong_language(sources, translations, source_lang, target_lang) -> list[Evidence]:
    """Minus the words left in another language, named in the problem."""
    found = []
    for _, translation in _pairs(sources, translations):
        words = foreign_words(translation, target_lang)
        problem = f"{WRONG_LANGUAGE}{', '.join(dict.fromkeys(words))}" if words else ""
        found.append(Evidence(float(-len(words)), problem))
    return found


def numbers(sources, translations, source_lang, target_lang) -> list[Evidence]:
    """Minus the numbers one side has and the other lacks, named in the problem."""
    from pipeline.text.number_check import number_mismatches

    found = []
    for source, translation in _pairs(sources, translations):
        mismatches = number_mismatches(source, source_lang, translation, target_lang)
        problem = f"numbers: {'; '.join(str(m) for m in mismatches)}" if mismatches else ""
        found.append(Evidence(float(-len(mismatches)), problem))
    return found


def similarity(embedder):
    """The feature: cosine of the source and translation embeddings (the problem is read on the calibrated scale)."""
    def feature(sources, translations, source_lang, target_lang) -> list[Evidence]:
        pairs = _pairs(sources, translations)
        if not pairs:
            return []
        cosines = np.einsum("ij,ij->i", embedder.encode([s for s, _ in pairs]), embedder.encode([t for _, t in pairs]))
        return [Evidence(float(c), "meaning: far from the source" if calibrate(c) < SIMILARITY_FLAG else "")
                for c in cosines]
    return feature
