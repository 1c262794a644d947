"""Per-document budgets of the model stages: what is left out is flagged, and the summary reads each sentence once."""
from __future__ import annotations

import pytest
from tiny.llm import build_tiny_llm, write_tiny_manifest

from pipeline.config import load_config
from pipeline.records import OVER_BUDGET, Document, Sentence
from pipeline.stages.summarize import Summarize
from pipeline.stages.translate import Translate

TINY = ["translate.model=tiny-llm", "summarize.model=tiny-llm", "translate.engine=hf", "summarize.engine=hf",
        "translate.generation.max_new_tokens=4", "summarize.generation.max_new_tokens=4", "run.threads=1"]
FRENCH = ["Le port de Marseille investit quarante millions d'euros.", "Les travaux commenceront en mai.",
          "La ville attend trois cents emplois.", "Le maire a salué un projet historique."]


@pytest.fixture(scope="module")
def manifests(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-llm")
    build_tiny_llm(root / "model")
    return write_tiny_manifest(root / "manifests", root / "model").parent


def config(manifests, monkeypatch, *overrides):
    monkeypatch.setenv("DIGEST_MODELS", str(manifests))
    return load_config("default", TINY + list(overrides))


def document(texts: list[str], lang: str, english: bool = False) -> Document:
    sentences = [Sentence(index=i, paragraph=i // 2, text=t, lang=lang, english=t if english else "")
                 for i, t in enumerate(texts)]
    return Document(doc_id="doc", text=" ".join(texts), lang=lang, sentences=sentences)


def test_sentences_past_the_translation_budget_stay_untranslated_and_say_why(manifests, monkeypatch):
    stage = Translate(config(manifests, monkeypatch))
    stage.load()
    limit = sum(stage.backend("fr").count_tokens(text) for text in FRENCH[:2])
    stage.config.translate.max_document_tokens = limit
    [doc] = stage.process([document(FRENCH, "fr")])
    for sentence in doc.sentences[2:]:
        assert sentence.english == sentence.text and any(f.startswith(OVER_BUDGET) for f in sentence.flags)
    assert not any(f.startswith(OVER_BUDGET) for s in doc.sentences[:2] for f in s.flags)
    assert any(f"2 sentence(s) past translate.max_document_tokens={limit}" in flag for flag in doc.flags)


def test_the_summary_reads_each_sentence_once_and_no_further_than_its_budget(manifests, monkeypatch):
    english = ["The port of Marseille is investing forty million euros in new docks.",
               "Work on the docks will start in May and end next year.",
               "The port of Marseille is investing forty million euros in new docks.",
               "The city expects three hundred new jobs from the port project."]
    stage = Summarize(config(manifests, monkeypatch))
    stage.load()
    doc = document(english, "en", english=True)
    assert stage.summary_input(doc) == f"{english[0]} {english[1]}\n\n{english[3]}"
    assert "summary-input: 1 repeated sentence(s) read once" in doc.flags

    limit = stage.backend.count_tokens(english[0]) + stage.backend.count_tokens(english[1])
    stage.config.summarize.max_document_tokens = limit
    doc = document(english, "en", english=True)
    assert stage.summary_input(doc) == f"{english[0]} {english[1]}"
    assert any(flag.startswith(f"summary-budget: read the first {limit} of") for flag in doc.flags)


def test_sentences_the_translation_budget_left_out_are_not_summarized(manifests, monkeypatch):
    stage = Summarize(config(manifests, monkeypatch))
    stage.load()
    doc = document(["The docks open in May.", "Le maire a salué un projet historique."], "en", english=True)
    doc.sentences[1].flags.append(f"{OVER_BUDGET}: not translated")
    assert stage.summary_input(doc) == "The docks open in May."
