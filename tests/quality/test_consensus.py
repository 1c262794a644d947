"""Consensus evidence: each translation's agreement with the other translations of its source."""
from __future__ import annotations

import math

import numpy as np
import pytest
from sacrebleu.metrics import CHRF

from pipeline.quality.consensus import (
    CHRF_CONSENSUS,
    EMBEDDING_CONSENSUS,
    chrf_agreement,
    consensus_evidence,
    embedding_agreement,
    peer_groups,
    with_consensus,
)
from pipeline.quality.estimate import QualityEstimator
from pipeline.quality.fitted import CHEAP_CONSENSUS
from pipeline.quality.rerank import rerank
from pipeline.similarity.embed import Embedder

SOURCE = "The cat is sleeping on the sofa."
MAJORITY = ["Le chat dort sur le canapé.", "Le chat dort sur le sofa.", "Le chat est endormi sur le canapé."]
OUTLIER = "Le chien mange une pomme verte dans le jardin."


@pytest.fixture(scope="module")
def estimator():
    return QualityEstimator(Embedder())


@pytest.mark.parametrize("keys, groups", [
    (["a", "b", "a", "c", "b"], [[0, 2], [1, 4], [3]]),
    ([("talk.1", "3"), ("talk.1", "3")], [[0, 1]]),
    ([], []),
])
def test_peer_groups_in_order_of_first_appearance(keys, groups):
    assert peer_groups(keys) == groups


def test_chrf_agreement_is_the_mean_sentence_chrf_against_the_others():
    texts = ["the cat sat", "the cat sat", "a dog ran", "alone here"]
    found = chrf_agreement(texts, ["s", "s", "s", "t"])
    chrf = CHRF()
    expected = (100 + chrf.sentence_score("the cat sat", ["a dog ran"]).score) / 2 / 100
    assert found[0] == found[1] == pytest.approx(expected)
    assert found[2] == pytest.approx((chrf.sentence_score("a dog ran", ["the cat sat"]).score * 2) / 2 / 100)
    assert found[2] < found[0]
    assert math.isnan(found[3])  # nothing to agree with


def test_embedding_agreement_is_the_mean_cosine_with_the_others():
    vectors = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0], [1.0, 0.0]])
    found = embedding_agreement(vectors, ["s", "s", "s", "t"])
    assert found[:3] == pytest.approx([(0.6 + 0.0) / 2, (0.6 + 0.8) / 2, (0.0 + 0.8) / 2])
    assert math.isnan(found[3])


def test_a_lone_translation_gets_the_neutral_value(estimator):
    texts = [*MAJORITY, OUTLIER, "Il pleut."]
    keys = ["cat"] * 4 + ["rain"]
    found = consensus_evidence(estimator.embedder, texts, keys, {CHRF_CONSENSUS: 0.7, EMBEDDING_CONSENSUS: 0.9})
    chrf, embedding = ([e.value for e in found[name]] for name in (CHRF_CONSENSUS, EMBEDDING_CONSENSUS))
    assert chrf[4] == 0.7 and embedding[4] == 0.9
    assert min(chrf[:3]) > chrf[3] and min(embedding[:3]) > embedding[3]  # the outlier agrees least
    assert math.isnan(consensus_evidence(estimator.embedder, ["Il pleut."], ["rain"])[CHRF_CONSENSUS][0].value)


def test_the_estimator_with_consensus_scores_the_outlier_lowest(estimator):
    combined = with_consensus(estimator)
    estimates = combined.estimate([SOURCE] * 4, [*MAJORITY, OUTLIER], "en", "fr")
    assert min(e.score for e in estimates[:3]) > estimates[3].score
    assert set(estimates[0].features) == set(CHEAP_CONSENSUS.features)
    assert combined.signature()["combiner"]["name"] == "cheap+consensus"
    assert estimator.signature()["combiner"]["name"] == "cheap"  # the estimator given is left as it was


def test_a_lone_candidate_gets_the_fit_mean_as_its_consensus(estimator):
    combined = with_consensus(estimator)
    alone = combined.estimate([SOURCE], [MAJORITY[0]], "en", "fr")[0]
    assert alone.features[CHRF_CONSENSUS] == CHEAP_CONSENSUS.means[CHEAP_CONSENSUS.features.index(CHRF_CONSENSUS)]


def test_rerank_with_consensus_keeps_a_majority_reading(estimator):
    chosen = rerank(estimator, [SOURCE], [[OUTLIER, *MAJORITY]], "en", "fr", consensus=True)
    assert chosen[0][0] in (1, 2, 3) and CHRF_CONSENSUS in chosen[0][1].features


def test_a_wrong_language_word_loses_even_when_most_candidates_have_it(estimator):
    source = "The article also mentions the new plan."
    pool = ["L'article also mentionne le nouveau plan.", "L'article also mentionne le nouveau plan.",
            "L'article mentionne aussi le nouveau plan."]
    assert rerank(estimator, [source], [pool], "en", "fr", consensus=True)[0][0] == 2


def test_rerank_without_consensus_is_unchanged(estimator):
    pool = [OUTLIER, *MAJORITY]
    plain = rerank(estimator, [SOURCE], [pool], "en", "fr")
    assert CHRF_CONSENSUS not in plain[0][1].features


def test_two_candidates_are_reranked_without_consensus(estimator):
    pool = MAJORITY[:2]
    assert rerank(estimator, [SOURCE], [pool], "en", "fr", consensus=True) == rerank(estimator, [SOURCE], [pool],
                                                                                     "en", "fr")
