"""The LLM backend's prompts, and its CTranslate2 engine against transformers on a tiny real Qwen2."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from tiny.llm import build_tiny_llm, write_tiny_manifest

from pipeline.backends.llm import LLMBackend, cheapest_batches, packed
from pipeline.backends.llm_ct2 import CT2LLMBackend, shared_turns
from pipeline.backends.prompts import (
    SUMMARIZE_EXAMPLE,
    SUMMARIZE_RETRY,
    TRANSLATE_EXAMPLES,
)
from pipeline.config import load_config
from pipeline.registry.manifests import load_manifest, model_path

S = "<|im_start|>"


@pytest.mark.parametrize("lengths, size, limit, expected", [
    # 31 short texts, batches of at most 32 texts and 12 padded tokens: the fewest batches, as even as they go
    ([1] * 31, 32, 12, [11, 11, 9]),
    # greedy filling alone would leave a last batch of one
    ([1] * 9, 8, 0, [5, 4]),
    # long texts get smaller batches than short ones
    ([1] * 6 + [10] * 4, 8, 20, [6, 2, 2]),
    # no limit and everything fits: one batch
    ([3] * 5, 8, 0, [5]),
])
def test_batches_are_the_fewest_within_the_limits_and_even(lengths, size, limit, expected):
    backend = SimpleNamespace(role_config=SimpleNamespace(batch_size=size, batch_tokens=limit))
    batches = LLMBackend._token_batches(backend, list(range(len(lengths))), lengths, [0] * len(lengths))
    assert [len(batch) for batch in batches] == expected
    assert [i for batch in batches for i in batch] == list(range(len(lengths)))
    assert len(batches) == len(packed(list(range(len(lengths))), {i: n for i, n in enumerate(lengths)}, size, limit))


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


def _sampling_backend(kind, engine: str, candidates: int, retry_candidates: int = 0):
    config = load_config("default", ["translate.model=tiny-llm", f"translate.engine={engine}",
                                     "translate.quantization=float32", "run.dtype=float32",
                                     "translate.generation.max_new_tokens=12",
                                     f"translate.generation.candidates={candidates}",
                                     f"translate.generation.retry_candidates={retry_candidates}",
                                     "translate.generation.temperature=1.5"])
    backend = kind(load_manifest("tiny-llm"), model_path("tiny-llm"), config.translate, config.run)
    backend.load()
    return backend


@pytest.mark.parametrize("kind, engine", [(LLMBackend, "hf"), (CT2LLMBackend, "ct2")])
def test_candidates_are_the_greedy_translation_then_samples(tiny_models, kind, engine):
    texts = ["La province a publié de nouvelles mesures.", "Le port a grandi."]
    backend = _sampling_backend(kind, engine, 3)
    pools = backend.translate_candidates(texts, "fr", "en", 3)
    assert [len(pool) for pool in pools] == [4, 4]
    assert [pool[0] for pool in pools] == backend.translate(texts, "fr", "en")
    assert any(len(set(pool)) > 1 for pool in pools)  # a random tiny model at temperature 1.5 varies


def test_transformers_samples_are_reproducible(tiny_models):
    # CTranslate2 seeds its samplers once per worker thread, so only this engine repeats itself exactly
    texts = ["La province a publié de nouvelles mesures.", "Le port a grandi."]
    backend = _sampling_backend(LLMBackend, "hf", 3)
    assert backend.translate_candidates(texts, "fr", "en", 3) == backend.translate_candidates(texts, "fr", "en", 3)


def test_guarded_translation_with_candidates_keeps_their_consensus_or_the_retry(tiny_models):
    from pipeline.backends.consensus import consensus
    from pipeline.backends.guards import (
        GuardedBackend,
        clean_output,
        translation_problems,
    )

    texts = ["La province a publié de nouvelles mesures.", "Le port a grandi."]
    backend = _sampling_backend(LLMBackend, "hf", 3)  # reproducible samples: the pools match the guarded run's
    pools = backend.translate_candidates(texts, "fr", "en", 3)
    checked = GuardedBackend(backend).translate_checked(texts, "fr", "en")
    for text, pool, (output, flags) in zip(texts, pools, checked):
        sound = lambda c, text=text: not translation_problems(text, c, "fr", "en")  # noqa: E731
        chosen = consensus([clean_output(c) for c in pool], sound)
        retried = clean_output(backend.translate([text], "fr", "en", retry=True)[0])
        assert output == chosen if sound(chosen) else output in {chosen, retried} and flags


def test_a_flagged_translation_is_retried_with_the_consensus_of_retry_candidates(tiny_models):
    from pipeline.backends.consensus import consensus
    from pipeline.backends.guards import (
        GuardedBackend,
        clean_output,
        translation_problems,
    )

    texts = ["La province a publié de nouvelles mesures.", "Le port a grandi."]
    backend = _sampling_backend(LLMBackend, "hf", 0, retry_candidates=3)
    first = [clean_output(t) for t in backend.translate(texts, "fr", "en")]
    retried = backend.translate_candidates(texts, "fr", "en", 3, retry=True)
    checked = GuardedBackend(backend).translate_checked(texts, "fr", "en")
    for text, output, pool, (kept, _) in zip(texts, first, retried, checked):
        problems = lambda c, text=text: translation_problems(text, c, "fr", "en")  # noqa: E731
        assert problems(output), "a random tiny model's output is always flagged: the retry must run"
        second = consensus([clean_output(c) for c in pool], lambda c: not problems(c))
        assert kept == (second if len(problems(second)) < len(problems(output)) else output)


def test_candidates_on_a_backend_that_cannot_sample_are_a_clear_error(tmp_path):
    from conftest import tiny_manifest

    from pipeline.backends.base import BackendError
    from pipeline.backends.guards import GuardedBackend
    from pipeline.backends.seq2seq import Seq2SeqBackend

    config = load_config("default", ["translate.generation.candidates=2"])
    greedy_only = Seq2SeqBackend(tiny_manifest("marian"), tmp_path, config.translate, config.run)  # refused unloaded
    message = "tiny-marian: generation.candidates and retry_candidates work with the LLM backends only; set them to 0"
    with pytest.raises(BackendError, match=message):
        GuardedBackend(greedy_only).translate(["Le port a grandi."], "fr", "en")


@pytest.mark.parametrize("max_words, asked", [(25, "in one sentence and at most 25 words"),
                                              (75, "in 3 sentences and at most 75 words")])
def test_summary_prompts_show_a_worked_example_of_news_before_the_article(tiny_models, max_words, asked):
    backend = _backend(LLMBackend, "hf")
    prompt = backend.summary_prompts(["The port grew."], max_words)[0]
    example, brief = SUMMARIZE_EXAMPLE
    assert prompt.index(example) < prompt.index(brief) < prompt.index("The port grew.")
    assert prompt.count("<|im_start|>user") == 2 and asked in prompt and SUMMARIZE_RETRY not in prompt
    assert SUMMARIZE_RETRY in backend.summary_prompts(["The port grew."], max_words, retry=True)[0]


def test_summaries_of_different_lengths_share_one_batch_each_asked_its_own_length(tiny_models, monkeypatch):
    backend = _backend(LLMBackend, "hf")  # CTranslate2 would also keep them apart for their lengths
    batches = []
    run = backend._generate_batch
    monkeypatch.setattr(backend, "_generate_batch", lambda prompts, *rest: batches.append(prompts) or run(prompts, *rest))
    summaries = backend.summarize(["The port grew.", "The council met on Monday and approved the budget."], [25, 75])
    assert len(summaries) == 2 and len(batches) == 1 and len(batches[0]) == 2
    port, council = sorted(batches[0], key=lambda prompt: "The port grew." not in prompt)
    assert "at most 25 words" in port and "at most 75 words" in council and "at most 75 words" not in port
    with pytest.raises(ValueError, match="2 summary lengths for 1 texts"):
        backend.summarize(["The port grew."], [25, 75])


@pytest.mark.parametrize("lengths, budgets, size, limit, expected", [
    ([100] * 4, [40] * 4, 8, 0, [[0, 1, 2, 3]]),  # equal lengths: one batch
    ([100, 101, 400, 401], [20] * 4, 8, 0, [[0, 1], [2, 3]]),  # 300 tokens apart: reading them would cost more
    ([100, 150], [400, 400], 8, 0, [[0, 1]]),  # long outputs make a 50-token read worth sharing the steps
    ([100] * 4, [40] * 4, 2, 0, [[0, 1], [2, 3]]),  # at most `size` rows
    ([100] * 4, [40] * 4, 8, 300, [[0, 1], [2, 3]]),  # at most `limit` padded tokens: 2 x 140
    ([], [], 8, 0, []),
])
def test_ct2_batches_are_cut_where_they_cost_least(lengths, budgets, size, limit, expected):
    assert cheapest_batches(list(range(len(lengths))), lengths, budgets, size, limit) == expected


def test_the_ct2_backend_batches_only_prompts_of_similar_length(tiny_models, monkeypatch):
    backend = _backend(CT2LLMBackend, "ct2")
    batches = []
    run = backend._generate_batch
    monkeypatch.setattr(backend, "_generate_batch", lambda prompts, *rest: batches.append(prompts) or run(prompts, *rest))
    backend.translate(["Le port a grandi.", "Le port a grandi hier.", "Le conseil municipal a approuvé lundi le budget "
                       "de la ville pour l'année prochaine, après un long débat sur les transports publics."], "fr", "en")
    assert [len(batch) for batch in batches] == [2, 1]


@pytest.mark.parametrize("summary, spare, kept", [
    ("Hubei will build 50 parks. The parks will focus on optical", 0, "Hubei will build 50 parks."),
    ("Hubei will build 50 parks. The parks will focus on optical", 10, None),  # the model stopped: unchanged
    ("Hubei will build 50 parks and the parks will focus on optical", 0, None),  # nothing finished to keep
    ("Hubei will build 50 parks. The parks open in 2027.", 0, None),
])
def test_a_summary_cut_by_its_budget_keeps_its_finished_sentences(tiny_models, summary, spare, kept):
    backend = _backend(LLMBackend, "hf")
    budget = backend.count_tokens(summary) + spare  # spare 0: the output filled its budget
    assert backend._finished_part(summary, budget) == (kept or summary)
