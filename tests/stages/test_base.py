"""The Stage base: contracts checked before any model loads, clean input copies, one result per input."""
from __future__ import annotations

from dataclasses import fields

import pytest

from pipeline.config import Config, RayConfig
from pipeline.records import Document
from pipeline.run.runner import check_chain, run
from pipeline.stages import STAGES
from pipeline.stages.base import Stage, contract_gaps


class Upper(Stage):
    name = "upper"
    requires = ("text",)
    provides = ("text",)

    def signature(self) -> dict:
        return {"stage": self.name}

    def process(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            doc.text = doc.text.upper()
        return docs


class Loses(Upper):
    name = "loses"

    def process(self, docs: list[Document]) -> list[Document]:
        return docs[1:]


def test_the_bundled_chain_holds_together():
    assert contract_gaps(list(STAGES.values())) == []
    check_chain(list(STAGES))


def test_a_broken_chain_lists_every_gap_in_one_error():
    class NeedsSummary(Upper):
        name = "early"
        requires = ("summary", "title")
        provides = ("summery",)

    chain = {"ingest": STAGES["ingest"], "early": NeedsSummary, **{k: v for k, v in STAGES.items() if k != "ingest"}}
    with pytest.raises(ValueError) as error:
        check_chain(list(chain), chain)
    message = str(error.value)
    assert "early requires 'summary', which no stage before it provides" in message
    assert "early provides 'summery', which is no field of Document, Paragraph or Sentence" in message
    assert "'title'" not in message  # ingest provides it


def test_a_broken_chain_stops_the_run_before_anything_is_written(tmp_path, monkeypatch):
    class Broken(Upper):
        name = "detect"
        requires = ("english",)

    monkeypatch.setitem(STAGES, "detect", Broken)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("Some news.", encoding="utf-8")
    with pytest.raises(ValueError, match="detect requires 'english'"):
        run(tmp_path / "corpus", tmp_path / "out", Config(), until="detect", progress=False)
    assert not (tmp_path / "out").exists()


def test_a_stage_works_on_copies_so_a_retried_batch_starts_clean():
    docs = [Document(doc_id="a", text="news"), Document(doc_id="b", text="more")]
    assert [d.text for d in Upper(Config()).process_batch(docs)] == ["NEWS", "MORE"]
    assert [d.text for d in docs] == ["news", "more"]


def test_a_stage_that_returns_fewer_records_than_inputs_is_an_error():
    with pytest.raises(RuntimeError, match="loses returned 1 records for 2 inputs"):
        Loses(Config()).process_batch([Document(doc_id="a", text="x"), Document(doc_id="b", text="y")])


def test_the_ray_section_names_every_stage():
    assert [f.name for f in fields(RayConfig) if f.name in STAGES] == list(STAGES)
