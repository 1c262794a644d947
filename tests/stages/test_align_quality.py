"""The align stage's quality estimate: each pair of the English summary and its render gets a QE score, and
English words left in a render are flagged on the pair and named on the document."""
from __future__ import annotations

from pipeline.config import load_config
from pipeline.quality.estimate import LOW
from pipeline.records import Document
from pipeline.stages.align import Align

SUMMARY = ["The article also mentions the new plan for the port.", "The State Council of Hubei approved the plan.",
           "The port of Marseille grew quickly last year."]
RENDERS = {"fr": ["L'article also mentionne le nouveau plan pour le port.",
                  "Le Conseil du State de Hubei a approuvé le plan.",
                  "Le port de Marseille a grandi rapidement l'année dernière."],
           "zh": ["文章还提到了港口的新 momentum 计划。", "湖北省国务院批准了该计划。", "马赛港去年发展迅速。"]}


def aligned_document() -> Document:
    doc = Document(doc_id="doc", text="", lang="en", summary=list(SUMMARY), renders={k: list(v) for k, v in
                                                                                    RENDERS.items()})
    stage = Align(load_config("default", []))
    stage._align(doc)
    for target in RENDERS:
        stage._estimate_quality([doc], target)
    return doc


def test_each_pair_gets_the_estimate_and_english_words_are_flagged_on_pair_and_document():
    doc = aligned_document()
    also, state, port = doc.alignments["fr"]
    assert [pair.other for pair in doc.alignments["fr"]] == [[0], [1], [2]]
    for pair, word in ((also, "also"), (state, "State")):
        assert any(word in flag for flag in pair.flags)
        assert pair.quality < port.quality
    assert port.quality >= LOW and port.flags == []
    assert "render-fr-wrong-language: also, State" in doc.flags
    assert "render-zh-wrong-language: momentum" in doc.flags
    for pair in doc.alignments["fr"] + doc.alignments["zh"]:
        assert 0.0 <= pair.quality <= 1.0
        assert (pair.quality < LOW) == any(flag.startswith("low-quality: ") for flag in pair.flags)


def test_the_signature_names_the_quality_estimate():
    signature = Align(load_config("default", [])).signature()
    assert signature["quality"]["combiner"]["name"] == "cheap" and "rules" in signature["quality"]["word_lists"]
