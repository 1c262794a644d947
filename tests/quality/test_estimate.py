"""The quality estimator: the combiner its scorer allows, scores with reasons, a signature, cached likelihoods."""
from __future__ import annotations

import pytest

from pipeline.config import load_config
from pipeline.quality.estimate import (
    LOW,
    QE_MODEL,
    Estimate,
    QualityEstimator,
    load_estimator,
    load_likelihood,
)
from pipeline.quality.fitted import CHEAP, FULL, VERSION
from pipeline.quality.likelihood import CachedLikelihood
from pipeline.similarity.embed import Embedder

SOURCES = ["The article also mentions the new plan.", "Prices rose 3.5% in 2024.", "The port grew."]
RENDERS = ["L'article also mentionne le nouveau plan.", "Les prix ont augmenté de 5,3 % en 2024.",
           "Le port a grandi."]


@pytest.fixture(scope="module")
def config(tiny_models):
    return load_config("default", ["translate.quantization=float32", "run.dtype=float32"])


@pytest.fixture(scope="module")
def embedder():
    return Embedder()


def test_without_a_likelihood_the_cheap_combiner_scores_and_names_the_problems(embedder):
    estimator = QualityEstimator(embedder)
    estimates = estimator.estimate(SOURCES, RENDERS, "en", "fr")
    assert estimator.combiner is CHEAP and all(isinstance(e, Estimate) for e in estimates)
    assert estimates[0].reasons == ["wrong-language words: also"]
    assert any(r.startswith("numbers: 3.5%") for r in estimates[1].reasons) and estimates[2].reasons == []
    assert estimates[2].score > estimates[0].score and estimates[2].score > estimates[1].score
    assert set(estimates[0].features) == set(CHEAP.features)
    assert estimates[0].low == (estimates[0].score < LOW)


def test_a_low_score_owed_to_length_alone_is_shown_but_not_flagged():
    assert not Estimate(0.3, {}, []).low and Estimate(0.3, {}, ["numbers: 3 vs 4"]).low
    assert not Estimate(0.7, {}, ["numbers: 3 vs 4"]).low


def test_with_a_likelihood_the_full_combiner_reads_it(config, embedder, tmp_path):
    likelihood = load_likelihood(config, "tiny-llm")
    estimator = QualityEstimator(embedder, CachedLikelihood(likelihood, tmp_path / "kept.jsonl"))
    estimates = estimator.estimate(SOURCES, RENDERS, "en", "fr")
    # no combiner was fitted on the tiny model: it gets the QE model's, with a warning
    assert estimator.combiner is FULL[QE_MODEL] and set(estimates[0].features) == set(FULL[QE_MODEL].features)
    assert estimates[0].features["forward"] == pytest.approx(likelihood.forward(SOURCES[:1], RENDERS[:1], "en", "fr")[0],
                                                             abs=1e-4)
    # random weights find every text unlikely: the model's doubts are reasons too
    assert "likelihood: the model finds this translation unlikely for its source" in estimates[2].reasons
    signature = estimator.signature()
    assert signature["version"] == VERSION and signature["combiner"]["name"] == f"full:{QE_MODEL}"
    assert signature["likelihood"]["name"] == "tiny-llm" and signature["word_lists"].startswith("pyspellchecker")


def test_cached_likelihoods_are_read_back_and_keyed_by_model_direction_and_texts(config, tmp_path):
    likelihood = load_likelihood(config, "tiny-llm")
    first = CachedLikelihood(likelihood, tmp_path / "kept.jsonl")
    scores = first.forward(SOURCES + SOURCES[:1], RENDERS + RENDERS[:1], "en", "fr")
    assert scores[0] == scores[3] and len((tmp_path / "kept.jsonl").read_text().splitlines()) == 3
    again = CachedLikelihood(likelihood, tmp_path / "kept.jsonl")
    assert len(again.scores) == 3 and again.forward(SOURCES, RENDERS, "en", "fr") == scores[:3]
    assert again.backward(SOURCES[:1], RENDERS[:1], "en", "fr")[0] != scores[0]
    assert len((tmp_path / "kept.jsonl").read_text().splitlines()) == 4


def test_load_estimator_without_the_llm_loads_no_model(config):
    estimator = load_estimator(config, llm=False)
    assert estimator.likelihood is None and estimator.combiner is CHEAP
