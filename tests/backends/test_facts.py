"""Translations that keep their facts: glossary hints in the prompt, terms and numbers checked, retried, flagged."""
from __future__ import annotations

import pytest
from conftest import tiny_manifest
from tiny.llm import tiny_llm_installed

from pipeline.backends.facts import fact_flags, translate_keeping_facts
from pipeline.backends.guards import GuardedBackend, translation_problems
from pipeline.backends.llm import LLMBackend
from pipeline.backends.seq2seq import load_seq2seq
from pipeline.config import GenerationConfig, RunConfig, TranslateConfig, load_config
from pipeline.registry.manifests import load_manifest, model_path
from pipeline.terms.glossary import load_glossary
from pipeline.terms.names import NameMemory

GLOSSARY = "en\tfr\tzh\tkeep\nGDP\tPIB\t国内生产总值\ncustoms\tdouane\t海关\nWHDZ\t\t\tyes\n"
TEXTS = ["Le PIB de la Chine a progressé de 5,2 % en 2023.", "La douane a saisi 300 tonnes.", "Le port a grandi."]


@pytest.fixture(scope="module")
def glossary(tmp_path_factory):
    path = tmp_path_factory.mktemp("glossary") / "terms.tsv"
    path.write_text(GLOSSARY, encoding="utf-8")
    return load_glossary([path])


@pytest.mark.parametrize("text, source, output, target, flags", [
    ("Le PIB a progressé de 5,2 %.", "fr", "GDP grew by 5.2%.", "en", []),
    ("Le PIB a progressé de 5,2 %.", "fr", "Output grew by 2.5%.", "en",
     ["glossary-miss: GDP", "number-mismatch: 5,2 % vs 2.5%"]),
    ("国内生产总值增长2万亿元。", "zh", "GDP grew by 2 trillion yuan.", "en", []),
    ("国内生产总值增长2万亿元。", "zh", "GDP grew by 200 billion yuan.", "en", ["number-mismatch: 2万亿 vs 200 billion"]),
    ("Customs seized 20,000 tonnes.", "en", "La douane a saisi 20 000 tonnes.", "fr", []),
    ("Customs seized 20,000 tonnes.", "en", "海关查获20万吨。", "zh", ["number-mismatch: 20,000 tonnes vs 20万吨"]),
    ("The WHDZ grew.", "en", "La WHDZ a grandi.", "fr", []),
    ("The WHDZ grew.", "en", "武汉开发区增长了。", "zh", ["glossary-miss: WHDZ"]),
    ("Le port a grandi.", "fr", "The port grew.", "en", []),
    ("湖北勾勒产业倍增“施工图”", "zh", "The State Council of Hubei Province has drawn up a blueprint.", "en",
     ["unsupported-name: State Council of Hubei Province"]),
    ("国务院批准了湖北的计划。", "zh", "The State Council approved Hubei's plan.", "en", []),
])
def test_what_a_translation_gets_wrong_of_its_facts(glossary, text, source, output, target, flags):
    assert fact_flags(text, source, output, target, glossary.entries_in(text, source)) == flags


def test_names_are_checked_against_the_document_s_first_rendering():
    memory = NameMemory()
    memory.observe("Visitors came to Toledo.", "en", "游客来到了托莱多。", "zh")
    assert fact_flags("The mayor of Toledo spoke.", "en", "托莱多市长发表了讲话。", "zh", [], memory) == []
    assert fact_flags("The mayor of Toledo spoke.", "en", "底特律市长发表了讲话。", "zh", [], memory) == [
        "name-inconsistent: Toledo -> 托莱多 / 底特律"]
    assert memory.rendering("Toledo", "en", "zh") == "托莱多"  # a check learns nothing


@pytest.fixture(scope="module")
def tiny_llm(tmp_path_factory):
    with tiny_llm_installed(tmp_path_factory.mktemp("facts-llm")):
        config = load_config("default", ["translate.model=tiny-llm", "translate.engine=hf", "run.dtype=float32",
                                         "translate.generation.max_new_tokens=8", "run.threads=1"])
        backend = LLMBackend(load_manifest("tiny-llm"), model_path("tiny-llm"), config.translate, config.run)
        backend.load()
        yield backend


class Recording:
    """A real backend, with each call's texts, first try or retry, and hints written down."""

    def __init__(self, backend):
        self.backend, self.name, self.role_config, self.calls = backend, backend.name, backend.role_config, []

    def translate(self, texts, source, target, retry=False, hints=None):
        self.calls.append((list(texts), retry, hints))
        return self.backend.translate(texts, source, target, retry=retry, hints=hints)

    def count_tokens(self, text):
        return self.backend.count_tokens(text)


def test_the_hint_comes_before_the_fenced_text_and_reciting_it_is_a_leak(tiny_llm):
    hint = "Use these renderings: PIB -> GDP. Keep these as written: WHDZ<|im_start|>."
    plain, hinted = tiny_llm.translation_prompts(TEXTS[:1] * 2, "fr", "en", hints=["", hint])
    assert "Glossary" not in plain
    request = hinted.split("<|im_start|>user\n")[-1]
    assert request.startswith("Glossary for the text below. Use these renderings: PIB -> GDP. Keep these as written: "
                              f"WHDZ<\u200c|im_start|>.\n\n<text>\n{TEXTS[0]}\n</text><|im_end|>")
    assert hinted.startswith(plain.split("<|im_start|>user\n")[0])  # instructions and examples stay shared
    retried = tiny_llm.translation_prompts(TEXTS[:1], "fr", "en", retry=True, hints=[hint])[0]
    assert retried.split("<|im_start|>user\n")[-1].startswith(
        "Glossary for the text below: write each of these renderings word for word. Use these renderings: PIB -> GDP.")
    recited = "Glossary for the text below. Use these renderings: 新能源汽车 -> new energy vehicle."
    assert "prompt-leak" in translation_problems("长三角新能源汽车出口增长三成", recited, "zh", "en")


def test_misses_are_hinted_retried_then_flagged_on_the_tiny_model(tiny_llm, glossary):
    """The tiny model writes noise: every term and number it must carry is missed, retried once, tried again
    with the renderings written into the text (and retried), flagged."""
    recording = Recording(tiny_llm)
    results = translate_keeping_facts(GuardedBackend(recording), TEXTS + TEXTS[:1], "fr", "en", glossary)
    (texts, retry, hints), *retries = recording.calls
    assert texts == TEXTS and not retry  # the repeated text is translated once
    assert hints == ["Use these renderings: PIB -> GDP.", "Use these renderings: douane -> customs.", ""]
    pinned = ["Le PIB (GDP) de la Chine a progressé de 5,2 % en 2023.", "La douane (customs) a saisi 300 tonnes."]
    assert [(texts, retry) for texts, retry, _ in retries] == [(TEXTS, True), (pinned, False), (pinned, True)]
    for text, result in zip(TEXTS + TEXTS[:1], results):
        facts = fact_flags(text, "fr", result.text, "en", glossary.entries_in(text, "fr"))
        assert [flag for flag in result.flags if not flag.startswith("guard:")] == facts
    assert "glossary-miss: GDP" in results[0].flags and "number-mismatch: 5,2 % vs —" in results[0].flags
    assert results[0].terms == {"hits": {}, "misses": {"PIB": "GDP"}} and results[2].terms == {}
    assert results[3] == results[0]


def test_a_translation_model_gets_the_checks_without_the_hint(tiny_models, glossary):
    manifest = tiny_manifest("marian")
    role = TranslateConfig(batch_size=3, generation=GenerationConfig(max_new_tokens=8))
    backend = load_seq2seq(manifest, tiny_models("marian"), role, RunConfig(device="cpu", dtype="float32", threads=1))
    backend.load()
    results = translate_keeping_facts(GuardedBackend(backend), TEXTS, "fr", "en", glossary)
    assert "glossary-miss: GDP" in results[0].flags and "glossary-miss: customs" in results[1].flags
    assert results[1].terms == {"hits": {}, "misses": {"douane": "customs"}}


class Mistaken(Recording):
    """The tiny model's calls, answered with translations a real model got wrong: a random tiny model cannot be
    made to write a wrong number on purpose."""

    def __init__(self, backend, outputs):
        super().__init__(backend)
        self.outputs = outputs

    def translate(self, texts, source, target, retry=False, hints=None):
        super().translate(texts, source, target, retry=retry, hints=hints)
        return [self.outputs[text] for text in texts]


def test_a_number_still_wrong_after_the_retry_is_repaired_where_certain(tiny_llm, caplog):
    outputs = {"Customs seized 20,000 tonnes.": "海关查获20万吨。", "He is 30 and has 4 children.": "他31岁，有5个孩子。"}
    mistaken = Mistaken(tiny_llm, outputs)
    with caplog.at_level("INFO", logger="digest.numbers"):
        results = translate_keeping_facts(GuardedBackend(mistaken), list(outputs), "en", "zh")
    assert [retry for _, retry, _ in mistaken.calls] == [False, True]  # repaired after the retry, not instead of it
    assert [(result.text, result.flags) for result in results] == [
        ("海关查获2万吨。", ["number-repaired: 20万吨 -> 2万吨"]),
        ("他31岁，有5个孩子。", ["number-mismatch: 30 vs 31", "number-mismatch: 4 vs 5"])]
    assert "number-repaired: 20万吨 -> 2万吨" in caplog.text
    kept = translate_keeping_facts(GuardedBackend(Mistaken(tiny_llm, outputs)), list(outputs), "en", "zh", repair=False)
    assert [result.text for result in kept] == list(outputs.values())
    assert kept[0].flags == ["number-mismatch: 20,000 tonnes vs 20万吨"]
