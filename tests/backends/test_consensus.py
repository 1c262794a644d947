"""Consensus selection: the candidate the others support most, among the sound ones."""
from __future__ import annotations

import pytest

from pipeline.backends.consensus import agreement, consensus

A = "The port grew by ten percent last year."
A2 = "The port grew by 10 percent last year."
B = "Last year the harbour expanded a tenth."
C = "Nothing about ports here at all."


@pytest.mark.parametrize("candidates, sound, expected", [
    ([A], None, A),  # one candidate: itself
    ([B, A, A2, C], None, A),  # the reading two others share beats the greedy outlier
    ([A, A, B], None, A),  # word-for-word copies support each other
    ([B, A, A2], {B, A2}, A2),  # an unsound candidate still votes but cannot win
    ([C, A, A2], set(), C),  # none sound: the first (greedy) comes back for the retry to see
    ([A, A2], None, A),  # a tie goes to the first
])
def test_consensus_picks_the_best_supported_sound_candidate(candidates, sound, expected):
    is_sound = (lambda c: c in sound) if sound is not None else (lambda _: True)
    assert consensus(candidates, is_sound) == expected


def test_agreement_is_higher_for_closer_wording_and_zero_without_others():
    assert agreement(A, [A2]) > agreement(A, [B]) > agreement(A, [C])
    assert agreement(A, []) == 0.0


def test_consensus_without_candidates_is_an_error():
    with pytest.raises(ValueError):
        consensus([])
