"""The LLM backend's prompts, and its CTranslate2 engine against transformers on a tiny real Qwen2."""
from __future__ import annotations

import pytest

from pipeline.backends.llm import LLMBackend
from pipeline.backends.llm_ct2 import CT2LLMBackend, shared_turns
from pipeline.backends.prompts import TRANSLATE_EXAMPLES
from pipeline.config import load_config
from pipeline.registry import load_manifest, model_path
from pipeline.tiny_llm import build_tiny_llm, write_tiny_manifest

S = "<|im_start|>"


@pytest.mark.parametrize("prompts, expected", [
    # one prompt: everything before its last user turn
    ([[S, "system", "a", S, "user", "x", S, "assistant"]], [S, "system", "a"]),
    # examples are shared turns too
    ([[S, "system", "a", S, "user", "e", S, "assistant", "f", S, "user", "x"],
      [S, "system", "a", S, "user", "e", S, "assistant", "f", S, "user", "y", "z"]],
     [S, "system", "a", S, "user", "e", S, "assistant", "f"]),
    # different instructions: nothing is shared
    ([[S, "system", "a", S, "user", "x"], [S, "system", "b", S, "user", "x"]], []),
    # no chat markup at all
    ([["plain", "text"], ["plain", "text"]], []),
])
def test_shared_turns_stop_before_the_last_user_turn_they_all_share(prompts, expected):
    assert shared_turns(prompts) == expected


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory, request):
    root = tmp_path_factory.mktemp("llm")
    write_tiny_manifest(root / "manifests", build_tiny_llm(root / "tiny-llm"))
    patch = pytest.MonkeyPatch()
    patch.setenv("DIGEST_MODELS", str(root / "manifests"))
    request.addfinalizer(patch.undo)
    return root


def _backend(kind, engine: str):
    config = load_config("default", ["translate.model=tiny-llm", f"translate.engine={engine}",
                                     "translate.quantization=float32", "run.dtype=float32",
                                     "translate.generation.max_new_tokens=12"])
    backend = kind(load_manifest("tiny-llm"), model_path("tiny-llm"), config.translate, config.run)
    backend.load()
    return backend


@pytest.mark.parametrize("source, target", [("fr", "en"), ("zh", "en"), ("en", "zh"), ("de", "en")])
def test_translation_prompts_carry_the_direction_s_examples_before_the_text(tiny_models, source, target):
    backend = _backend(LLMBackend, "hf")
    prompt = backend.translation_prompts(["Le port a grandi."], source, target)[0]
    examples = TRANSLATE_EXAMPLES.get((source, target), [])
    positions = [prompt.index(translation) for _, translation in examples]
    assert positions == sorted(positions) and all(p < prompt.index("Le port a grandi.") for p in positions)
    assert prompt.count("<|im_start|>user") == len(examples) + 1


def test_ct2_with_a_cached_static_prompt_gives_the_tokens_transformers_gives(tiny_models):
    texts = ["La province a publié de nouvelles mesures.", "Les responsables ont déclaré que la croissance "
             "économique se poursuivra en 2025.", "Le port a grandi."]
    reference = _backend(LLMBackend, "hf").translate(texts, "fr", "en")
    ct2 = _backend(CT2LLMBackend, "ct2")
    assert ct2.translate(texts, "fr", "en") == reference
    assert ct2.translate(texts[:1], "fr", "en") == reference[:1]  # the cached prompt state, reused
