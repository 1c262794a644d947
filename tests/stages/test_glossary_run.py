"""A run with a glossary on the tiny random LLM: its noise misses every term and number, and each miss is
retried, flagged and listed; renders are checked the same way; a changed glossary redoes exactly the stages
that use it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from reliability.conftest import TINY_OVERRIDES, untie_output_layer
from tiny.llm import build_tiny_llm, tiny_llm_installed
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import load_config
from pipeline.records import Document
from pipeline.run.runner import run
from pipeline.stages.align import Align
from pipeline.terms.matching import find_term

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = "en\tfr\tzh\tkeep\nGDP\tPIB\t国内生产总值\ncustoms\tdouane\t海关\nWHDZ\t\t\tyes\n"
ARTICLES = {
    "fr.txt": "Le PIB de la région a progressé de 5,2 % en 2023. La douane a saisi 300 tonnes de marchandises.",
    "zh.txt": "湖北省国内生产总值增长7%。海关查获20万吨货物。",
    "en.txt": "The council approved the rail link on Monday. Work starts next year.",
}
FAST = ["align.languages=[en, fr]"]


@pytest.fixture(scope="module")
def tiny_env(tmp_path_factory):
    root = tmp_path_factory.mktemp("glossary-run")
    model = build_tiny_llm(root / "tiny-llm")
    untie_output_layer(model)  # noise rather than empty outputs: the checks see text
    with tiny_llm_installed(root, model):
        yield root


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def glossary_config(path: Path, text: str = GLOSSARY):
    path.write_text(text, encoding="utf-8")
    return load_config("default", [*TINY_OVERRIDES, *FAST, f"glossary=[{path}]"])


def test_every_missed_term_and_number_is_flagged_and_listed(tiny_env, tmp_path):
    report = run(write_corpus(tmp_path / "corpus"), tmp_path / "out", glossary_config(tmp_path / "g.tsv"),
                 progress=False)
    docs = {doc.doc_id: doc for doc in report.documents}
    wanted = {("fr.txt", 0): ("PIB", "GDP"), ("fr.txt", 1): ("douane", "customs"), ("zh.txt", 0): ("国内生产总值", "GDP"),
              ("zh.txt", 1): ("海关", "customs")}
    misses = 0
    for (doc_id, index), (term, rendering) in wanted.items():
        sentence = docs[doc_id].sentences[index]
        used = find_term(sentence.english, rendering)
        assert sentence.terms == {"hits": {term: rendering}, "misses": {}} if used else {
            "hits": {}, "misses": {term: rendering}}
        assert (f"glossary-miss: {rendering}" in sentence.flags) != used
        misses += not used
    assert misses, "the tiny model's noise must miss a term"
    assert any(flag.startswith("number-mismatch: 5,2 %") for flag in docs["fr.txt"].sentences[0].flags)
    assert docs["en.txt"].sentences[0].terms == {}
    digest = json.loads((tmp_path / "out" / "digests.jsonl").read_text(encoding="utf-8").splitlines()[1])
    assert digest["doc_id"] == "fr.txt" and digest["sentences"][0]["terms"] == docs["fr.txt"].sentences[0].terms
    assert set(digest["run"]["stages"]["translate"]) >= {"glossary", "entries"}


def test_a_render_misses_are_retried_then_flagged_on_the_document(tiny_env, tmp_path):
    align = Align(glossary_config(tmp_path / "g.tsv"))
    doc = Document(doc_id="d", text="", summary=["The region's GDP grew 5.2% in 2023.", "Customs seized goods."])
    align._render([doc], "fr")
    rendered = " ".join(doc.renders["fr"])
    for term in ("PIB", "douane"):
        assert (f"render-fr-glossary-miss: {term}" in doc.flags) != find_term(rendered, term)
    assert any(flag.startswith("render-fr-number-mismatch: 5.2%") for flag in doc.flags), doc.flags


def test_a_changed_glossary_redoes_translate_and_align_but_not_detect(tiny_env, tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    run(corpus, tmp_path / "out", glossary_config(tmp_path / "g.tsv"), progress=False)
    edited = glossary_config(tmp_path / "g.tsv", GLOSSARY + "rail link\tliaison ferroviaire\t铁路连线\n")
    report = run(corpus, tmp_path / "out", edited, progress=False)
    counts = {stage.name: (stage.processed, stage.reused) for stage in report.stages}
    assert counts["detect"] == (0, 3) and counts["translate"] == (3, 0) and counts["align"] == (3, 0), counts
    again = run(corpus, tmp_path / "out", edited, progress=False)
    assert all(stage.processed == 0 for stage in again.stages if stage.name not in ("ingest", "output"))
    plain = run(corpus, tmp_path / "plain", load_config("default", [*TINY_OVERRIDES, *FAST]), progress=False)
    assert "glossary" not in json.loads((tmp_path / "plain" / "digests.jsonl").read_text(encoding="utf-8")
                                        .splitlines()[0])["run"]["stages"]["translate"]
    assert plain.documents[0].sentences[0].terms == {}


@pytest.mark.slow  # a minute on a shared CPU: the whole sample corpus through every stage
def test_the_sample_corpus_with_the_sample_glossary_end_to_end(tiny_env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = [f"--set={setting}" for setting in [*TINY_OVERRIDES, *FAST]]
    result = CliRunner().invoke(app, ["run", str(ROOT / "corpus"), "--out", "out", "--no-progress", *settings,
                                      "--glossary", str(ROOT / "configs" / "glossaries" / "news.tsv")])
    assert result.exit_code == 0, result.output
    digests = [json.loads(line) for line in (tmp_path / "out" / "digests.jsonl").read_text(encoding="utf-8")
               .splitlines()]
    assert len(digests) == 8 and all(d["status"] == "ok" for d in digests)
    listed = [s for d in digests for s in d["sentences"] if s["terms"]]
    assert len(listed) >= 10
    for sentence in listed:  # every miss is flagged, every flag is a miss
        flagged = {f.split(": ", 1)[1] for f in sentence["flags"] if f.startswith("glossary-miss: ")}
        assert flagged == set(sentence["terms"]["misses"].values())
    markdown = next((tmp_path / "out" / "digests").glob("01-fr*.md")).read_text(encoding="utf-8")
    assert "glossary-miss: " in markdown
