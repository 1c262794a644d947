"""Consensus selection among candidate translations (minimum Bayes risk with chrF as the utility).

A small model's greedy translation is often one of several near-equal readings
and sometimes an outlier. Sampling a few more and keeping the candidate that
agrees most with the others (mean chrF against the rest) picks the reading the
model itself supports best; candidates that fail the output guards are not
eligible while a sound one exists.
"""
from __future__ import annotations

from typing import Callable

import sacrebleu

_CHRF = sacrebleu.CHRF()


def agreement(candidate: str, others: list[str]) -> float:
    """Mean sentence chrF of `candidate` against each of `others` (0 when there are none)."""
    if not others:
        return 0.0
    return sum(_CHRF.sentence_score(candidate, [other]).score for other in others) / len(others)


def consensus(candidates: list[str], is_sound: Callable[[str], bool] = lambda _: True) -> str:
    """The sound candidate with the highest agreement with all the candidates; the first wins ties.

    Every candidate votes, sound or not: a flawed sample still says which
    wording the model prefers. When no candidate is sound the first (the greedy
    one) is returned, so the guards' retry sees what they would have seen.
    """
    if not candidates:
        raise ValueError("consensus needs at least one candidate")
    eligible = [c for c in dict.fromkeys(candidates) if is_sound(c)]
    if not eligible:
        return candidates[0]
    if len(eligible) == 1:
        return eligible[0]
    scores = {c: agreement(c, _all_but_one(candidates, c)) for c in eligible}
    return max(eligible, key=lambda c: scores[c])


def _all_but_one(candidates: list[str], candidate: str) -> list[str]:
    # copies of `candidate` stay: two samples agreeing word for word is the strongest support there is
    index = candidates.index(candidate)
    return candidates[:index] + candidates[index + 1:]
