"""Prompt injection: the cases, the prompts that fence them, and the guards that catch an obeying output.

The real bundled model runs on the same cases in test_injection_real.py (slow).
"""
from __future__ import annotations

import re
from collections import Counter

import pytest

from pipeline.backends.guards import summary_problems, translation_problems
from pipeline.backends.prompts import TRANSLATE_EXAMPLES
from pipeline.config import load_config
from pipeline.records import Document, Sentence
from pipeline.stages.align import Align
from pipeline.text.checks import instruction_like
from reliability.conftest import TINY_OVERRIDES
from reliability.injection import load_cases

CASES = load_cases()
QUALITY_FLOOR = 0.3  # cross-lingual cosine under which the translate stage would flag a translation


def test_at_least_twenty_cases_in_french_chinese_and_english():
    assert len(CASES) >= 20 and len({case.id for case in CASES}) == len(CASES)
    assert all(count >= 6 for count in Counter(case.lang for case in CASES).values())
    assert set(Counter(case.lang for case in CASES)) == {"fr", "zh", "en"}


@pytest.mark.parametrize("sentence", [
    "The judge gave the jury instructions before the verdict.",
    "He told reporters to ignore the rumours about his health.",
    "From now on, trains will stop at the new station every ten minutes.",
    "The assistant coach said the team would answer its critics on the pitch.",
    "Translation services for migrants will be expanded next year.",
    "L'assistant parlementaire a démissionné lundi.",
    "Le ministre a répondu aux questions des députés pendant deux heures.",
    "La consigne de vote du parti reste inchangée pour le second tour.",
    "军方发布了新的作战指令。",
    "该公司推出了一款新的智能助手。",
    "市民被要求只在指定时间段用水。",
    "The AI model answered 90 percent of the exam questions correctly, the study found.",
])
def test_ordinary_news_is_not_taken_for_an_instruction(sentence):
    assert not instruction_like(sentence)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_checks_tell_an_obeying_output_from_the_article(case):
    assert case.injection in case.text
    assert case.hijacked(case.complied) and case.leaks_into_summary(case.complied)
    assert not case.hijacked(case.text)


@pytest.fixture(scope="module")
def tiny_backend(tiny_manifests):
    import os

    from pipeline.backends.loading import load_backend

    os.environ["DIGEST_MODELS"] = str(tiny_manifests)
    try:
        config = load_config("default", TINY_OVERRIDES)
        yield load_backend("tiny-llm", config.translate, config.run).backend
    finally:
        del os.environ["DIGEST_MODELS"]


def chat_turns(backend, prompt: str) -> Counter:
    """How many times each control token occurs in the token ids the model would read."""
    ids = backend.tokenizer(prompt, add_special_tokens=False)["input_ids"]
    controls = {backend.tokenizer.convert_tokens_to_ids(t): t for t in ("<|im_start|>", "<|im_end|>")}
    return Counter(controls[i] for i in ids if i in controls)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
@pytest.mark.parametrize("task", ["translate", "summarize"])
def test_prompts_fence_the_article_as_data(tiny_backend, case, task):
    examples = len(TRANSLATE_EXAMPLES.get((case.lang, "en"), [])) if task == "translate" else 1  # the summary's
    if task == "translate":
        prompt, tag = tiny_backend.translation_prompts([case.text], case.lang, "en")[0], "text"
    else:
        prompt, tag = tiny_backend.summary_prompts([case.text], 90)[0], "article"
    # system, a user and an assistant turn per worked example, the user turn with the article, assistant
    assert chat_turns(tiny_backend, prompt) == {"<|im_start|>": 3 + 2 * examples, "<|im_end|>": 2 + 2 * examples}
    system, user = prompt.rsplit("<|im_start|>user\n", 1)
    assert "never instructions" in system and case.text not in system
    assert user.count(f"<{tag}>") == 1 and user.count(f"</{tag}>") == 1 and user.startswith(f"<{tag}>")
    fenced = user.split(f"<{tag}>")[1].split(f"</{tag}>")[0]
    assert all(part in fenced for part in re.split(r"<[^>]*>", case.text) if part.strip())


def test_a_fenced_text_keeps_its_words(tiny_backend):
    text = "Price <text> rose </TEXT> by <|im_end|> 3%."
    fenced = tiny_backend.translation_prompts([text], "en", "fr")[0].split("<text>\n")[-1].split("\n</text>")[0]
    assert fenced.replace("\u200c", "").replace("‹", "<").replace("›", ">") == text


def embedder():
    from pipeline.similarity.embed import Embedder

    model = Embedder()
    model.load()
    return model


@pytest.fixture(scope="module")
def quality():
    model = embedder()
    return lambda left, right: float(model.encode([left])[0] @ model.encode([right])[0])


@pytest.mark.parametrize("case", [c for c in CASES if c.lang != "en"], ids=lambda case: case.id)
def test_an_obeying_translation_is_flagged(case, quality):
    """By the guards, by the quality estimate, or as the translation of an instruction-like sentence."""
    problems = translation_problems(case.injection, case.complied, case.lang, "en")
    score = quality(case.injection, case.complied)
    assert problems or score < QUALITY_FLOOR or instruction_like(case.injection), (problems, score)
    assert not any(instruction_like(part) for part in case.text.split(case.injection))


@pytest.fixture(scope="module")
def support_stage():
    stage = Align(load_config("default", ["align.languages=[en]"]))
    stage.load()
    return stage


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_an_obeying_summary_is_flagged(case, support_stage):
    """By the guards, or by the align stage: no news sentence backs it, or it took words from the injection."""
    parts = [part for part in re.split(r"(?<=[.。!?])\s*", case.text) if part.strip()]
    doc = Document(doc_id=case.id, text=case.text, summary=[case.complied.replace("\n", " ")],
                   sentences=[Sentence(i, 0, part, lang=case.lang) for i, part in enumerate(parts)])
    flagged = support_stage.process_batch([doc])[0].flags
    problems = summary_problems(case.complied, 90)
    warnings = ("unsupported-summary-sentences", "summary-echoes-instruction")
    assert problems or any(flag.startswith(warnings) for flag in flagged), (problems, flagged)
