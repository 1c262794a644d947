import json

import pytest

from pipeline.config import load_config
from pipeline.files import write_atomic
from pipeline.publish.markdown import file_stem, md_cell, render_markdown
from pipeline.records import AlignedPair, Document, Sentence
from pipeline.stages.base import RunContext
from pipeline.stages.output import Output


def sample_document(**changes) -> Document:
    doc = Document(
        doc_id="news/a b.md", text="Bonjour.", title="<script>alert(1)</script>", lang="fr",
        languages={"fr": 8}, sentences=[Sentence(0, 0, "Bonjour | <b>tous</b>.", "fr", 1.0, "Hello | all.", 0.9)],
        summary=["Hello all."], summary_method="direct", renders={"fr": ["Bonjour à tous."]},
        alignments={"fr": [AlignedPair([0], [0], "Hello all.", "Bonjour à tous.", 0.93)]},
    )
    for key, value in changes.items():
        setattr(doc, key, value)
    return doc


@pytest.mark.parametrize(
    "text, forbidden",
    [("<script>alert(1)</script>", "<script"), ("a | b", " | b"), ("[x](javascript:alert(1))", "[x](")],
)
def test_markdown_cells_are_inert(text, forbidden):
    assert forbidden not in md_cell(text)


def test_markdown_has_one_table_per_language_pair():
    markdown = render_markdown(sample_document())
    assert "| English | French | quality |" in markdown and "| Bonjour à tous. | 0.93 |" in markdown
    assert "## Source | English" in markdown
    assert "<script" not in markdown and "<b>" not in markdown


def test_failed_document_gets_an_error_digest(tmp_path):
    doc = sample_document(error="could not decode", failed_stage="ingest")
    out = Output(load_config("default"), RunContext(out_dir=tmp_path, signature={"config": "abc"}))
    out.load()
    out.process_batch([doc])
    out.finish([doc])
    record = json.loads((tmp_path / "digests.jsonl").read_text().splitlines()[0])
    assert record["status"] == "failed" and record["error"] == "could not decode"
    assert record["run"] == {"config": "abc"}


@pytest.mark.parametrize("doc_id", ["a/b/c.md", "../../etc/passwd", "新闻 报道.md", "a\\b", "x" * 300])
def test_file_stems_are_safe_and_distinct(doc_id):
    stem = file_stem(doc_id)
    assert "/" not in stem and "\\" not in stem and not stem.startswith(".")
    assert len(stem) < 100
    assert stem != file_stem(doc_id + "2")


def test_atomic_write_leaves_no_temp_files(tmp_path):
    write_atomic(tmp_path / "x.json", "{}")
    write_atomic(tmp_path / "x.json", '{"a": 1}')
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]
    assert json.loads((tmp_path / "x.json").read_text()) == {"a": 1}
