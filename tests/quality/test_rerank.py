"""QE reranking: the best estimate among the sound candidates, the first on a tie or when none is sound."""
from __future__ import annotations

import pytest

from pipeline.quality.estimate import QualityEstimator
from pipeline.quality.rerank import rerank
from pipeline.similarity.embed import Embedder

SOURCES = ["The article also mentions the new plan.", "Prices rose 3.5% in 2024."]
POOLS = [["L'article also mentionne le nouveau plan.", "L'article mentionne aussi le nouveau plan."],
         ["Les prix ont augmenté de 3,5 % en 2024.", "Les prix ont augmenté de 5,3 % en 2024."]]


@pytest.fixture(scope="module")
def estimator():
    return QualityEstimator(Embedder())


def test_the_best_estimate_is_kept(estimator):
    chosen = rerank(estimator, SOURCES, POOLS, "en", "fr")
    assert [index for index, _ in chosen] == [1, 0]  # the English word and the changed number lose
    assert chosen[0][1].reasons == [] and chosen[0][1].score > 0.5


def test_unsound_candidates_are_passed_over_and_the_first_kept_when_none_is_sound(estimator):
    never_aussi = rerank(estimator, SOURCES, POOLS, "en", "fr", lambda source, c: "aussi" not in c)
    assert [index for index, _ in never_aussi] == [0, 0]
    nothing = rerank(estimator, SOURCES, POOLS, "en", "fr", lambda source, c: False)
    assert [index for index, _ in nothing] == [0, 0]


def test_a_tie_keeps_the_earlier_candidate(estimator):
    assert rerank(estimator, SOURCES[:1], [[POOLS[0][1]] * 3], "en", "fr")[0][0] == 0


def test_one_pool_per_source(estimator):
    with pytest.raises(ValueError, match="1 pools for 2 sources"):
        rerank(estimator, SOURCES, POOLS[:1], "en", "fr")
