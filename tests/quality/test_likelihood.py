"""The LLM likelihood features on a tiny real Qwen2: CTranslate2 and transformers agree, and they read what they should."""
from __future__ import annotations

import pytest

from pipeline.backends.llm import LLMBackend
from pipeline.backends.llm_ct2 import CT2LLMBackend
from pipeline.config import load_config
from pipeline.quality.likelihood import (
    CachedLikelihood,
    CT2Likelihood,
    HFLikelihood,
    likelihood_features,
    likelihood_for,
    mean,
    surprise,
    without_examples,
)
from pipeline.registry.manifests import load_manifest, model_path

SOURCES = ["La province a publié de nouvelles mesures.", "Le port a grandi.",
           "Les responsables ont déclaré que la croissance économique se poursuivra en 2025."]
TRANSLATIONS = ["The province published new measures.", "The port grew.",
                "Officials said economic growth would continue in 2025."]


def _backend(kind, engine: str, batch_size: int = 8):
    config = load_config("default", ["translate.model=tiny-llm", f"translate.engine={engine}",
                                     "translate.quantization=float32", "run.dtype=float32",
                                     f"translate.batch_size={batch_size}"])
    backend = kind(load_manifest("tiny-llm"), model_path("tiny-llm"), config.translate, config.run)
    backend.load()
    return backend


def test_the_engine_picks_its_scorer(tiny_models):
    assert isinstance(likelihood_for(_backend(CT2LLMBackend, "ct2")), CT2Likelihood)
    assert isinstance(likelihood_for(_backend(LLMBackend, "hf")), HFLikelihood)
    with pytest.raises(TypeError, match="need an LLM backend"):
        likelihood_for(object())


@pytest.mark.parametrize("direction", ["forward", "backward"])
def test_ct2_and_transformers_give_the_same_scores(tiny_models, direction):
    ct2 = getattr(likelihood_for(_backend(CT2LLMBackend, "ct2")), direction)(SOURCES, TRANSLATIONS, "fr", "en")
    # batches of one and two: left padding must not change a score
    for batch_size in (1, 2):
        hf = getattr(likelihood_for(_backend(LLMBackend, "hf", batch_size)), direction)(SOURCES, TRANSLATIONS,
                                                                                        "fr", "en")
        assert hf == pytest.approx(ct2, abs=1e-3)
    assert all(score < 0 for score in ct2)


def test_a_score_is_the_mean_log_probability_of_the_continuation_tokens(tiny_models):
    import torch

    backend = _backend(LLMBackend, "hf")
    scorer = likelihood_for(backend)
    prompt = scorer.prompts(SOURCES[:1], "fr", "en")[0]
    head, tail = scorer._ids(prompt, TRANSLATIONS[0])
    with torch.inference_mode():
        logits = backend.model(torch.tensor([head + tail])).logits[0].float()
    steps = torch.log_softmax(logits, -1)[len(head) - 1:-1].gather(-1, torch.tensor(tail).unsqueeze(-1))
    assert scorer.forward(SOURCES[:1], TRANSLATIONS[:1], "fr", "en")[0] == pytest.approx(float(steps.mean()), abs=1e-4)
    assert tail[-1] == backend.tokenizer.convert_tokens_to_ids("<|im_end|>")


def test_nothing_to_score_gives_nothing(tiny_models):
    assert likelihood_for(_backend(CT2LLMBackend, "ct2")).forward([], [], "fr", "en") == []
    assert likelihood_for(_backend(LLMBackend, "hf")).backward([], [], "fr", "en") == []


def test_scoring_prompts_keep_the_instructions_and_the_request_without_the_worked_examples(tiny_models):
    backend = _backend(LLMBackend, "hf")
    full = backend.translation_prompts(SOURCES[:1], "fr", "en")[0]
    short = likelihood_for(backend).prompts(SOURCES[:1], "fr", "en")[0]
    assert full.count("<|im_start|>user") == 3 and short.count("<|im_start|>user") == 1
    assert short.startswith("<|im_start|>system\nYou are a professional news translator. Translate the French")
    assert short.endswith(f"<text>\n{SOURCES[0]}\n</text><|im_end|>\n<|im_start|>assistant\n")
    assert len(short) < len(full) / 2


@pytest.mark.parametrize("prompt", ["no chat turns at all", "<|im_start|>system\na<|im_start|>user\nb<|im_start|>a"])
def test_prompts_without_examples_stay_whole(prompt):
    assert without_examples(prompt) == prompt


@pytest.mark.parametrize("steps, expected_mean, expected_surprise", [
    ([-0.5, -1.0], -0.75, 0.0),  # nothing under e^-3: no surprise
    ([-1.0, -4.0, -10.0], -5.0, -8.0),  # only what lies under -3 counts
])
def test_mean_and_surprise(steps, expected_mean, expected_surprise):
    assert mean(steps) == pytest.approx(expected_mean) and surprise(steps) == pytest.approx(expected_surprise)


def test_features_score_only_the_directions_they_need(tiny_models, tmp_path):
    scorer = CachedLikelihood(likelihood_for(_backend(CT2LLMBackend, "ct2")), tmp_path / "kept.jsonl")
    found = likelihood_features(scorer, ("forward", "forward_surprise", "similarity"), SOURCES, TRANSLATIONS,
                                "fr", "en")
    assert set(found) == {"forward", "forward_surprise"}
    assert len((tmp_path / "kept.jsonl").read_text().splitlines()) == len(SOURCES)  # no backward pass
    tokens = scorer.forward_tokens(SOURCES, TRANSLATIONS, "fr", "en")
    assert found["forward"] == [mean(t) for t in tokens] and found["forward_surprise"] == [surprise(t) for t in tokens]
