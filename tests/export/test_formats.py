"""Choosing formats, reading a run folder, and writing each format's folder whole."""
from __future__ import annotations

import pytest

from export.runs import documents, write_run
from pipeline.export.formats import export_run, parse_formats
from pipeline.export.pairs import ExportError, read_run


@pytest.mark.parametrize(
    "values, names",
    [(["tmx"], ["tmx"]), (["tmx,xliff"], ["tmx", "xliff"]), (["hf", "TMX , parquet"], ["hf", "tmx", "parquet"]),
     (["tmx", "tmx,tmx"], ["tmx"]), (["xliff,"], ["xliff"])],
)
def test_formats_are_repeatable_and_comma_separated(values, names):
    assert parse_formats(values) == names


def test_an_unknown_format_names_itself_and_the_choices():
    with pytest.raises(ExportError, match=r"unknown export format 'tmz'; choose from tmx, xliff, parquet, hf"):
        parse_formats(["tmx,tmz"])


def bad_line(folder, line: str):
    folder.mkdir()
    (folder / "digests.jsonl").write_text('{"schema": "digest/1", "doc_id": "a", "text": ""}\n' + line + "\n")
    return folder


@pytest.mark.parametrize(
    "make, message",
    [(lambda tmp: tmp / "nowhere", r"nowhere: no such folder"),
     (lambda tmp: (tmp / "empty").mkdir() or tmp / "empty", r"empty/digests.jsonl: not found; export reads a finished"),
     (lambda tmp: bad_line(tmp / "cut", '{"schema": "dig'), r"cut/digests.jsonl:2: not JSON"),
     (lambda tmp: bad_line(tmp / "old", '{"schema": "digest/0", "doc_id": "b"}'),
      r"old/digests.jsonl:2: not a digest/1 digest \(schema 'digest/0'\)"),
     (lambda tmp: bad_line(tmp / "odd", '{"schema": "digest/1", "doc_id": "b", "text": "", "sentences": [{"x": 1}]}'),
      r"odd/digests.jsonl:2: a digest record with fields out of place")],
)
def test_a_folder_that_is_not_a_finished_run_is_named_with_its_problem(tmp_path, make, message):
    with pytest.raises(ExportError, match=message):
        read_run(make(tmp_path))


def test_the_run_is_read_back_as_the_output_stage_wrote_it(run_folder):
    run = read_run(run_folder)
    assert run.documents == documents() and run.version == "0.1.0"


def test_a_new_export_replaces_the_old_folder_whole(tmp_path):
    out = write_run(tmp_path / "out", documents())
    export_run(out, ["tmx"])
    only_french = [doc for doc in documents() if doc.doc_id != "zh.txt"]
    for doc in only_french:
        doc.alignments.pop("zh", None)
    write_run(out, only_french)
    written = export_run(out, ["tmx"])["tmx"]
    assert sorted(path.name for path in (out / "export" / "tmx").iterdir()) == ["en-fr.tmx", "fr-en.tmx"]
    assert sorted(written) == sorted((out / "export" / "tmx").iterdir())
    assert [path.name for path in (out / "export").iterdir()] == ["tmx"]  # no staging folder left


def test_a_failed_write_leaves_the_old_export_and_no_staging(run_folder, monkeypatch):
    from pipeline.export import formats

    export_run(run_folder, ["xliff"])
    before = sorted(path.read_bytes() for path in (run_folder / "export" / "xliff").iterdir())

    def broken(run, folder):
        (folder / "half.xlf").write_text("<xliff")
        raise OSError("disk full")

    monkeypatch.setitem(formats.FORMATS, "xliff", broken)
    with pytest.raises(OSError, match="disk full"):
        export_run(run_folder, ["xliff"])
    assert sorted(path.read_bytes() for path in (run_folder / "export" / "xliff").iterdir()) == before
    assert [path.name for path in (run_folder / "export").iterdir()] == ["xliff"]


def test_a_summary_pair_carries_the_renders_quality_estimate_and_its_own_flags():
    from pipeline.export.pairs import document_pairs
    from pipeline.records import AlignedPair, Document

    doc = Document(doc_id="d", text="", alignments={"fr": [
        AlignedPair([0], [0], "Sales grew.", "Les sales ont grandi.", 0.9, quality=0.31,
                    flags=["low-quality: wrong-language words: sales"]),
        AlignedPair([1], [1], "Work starts.", "Les travaux commencent.", 0.88)]})
    estimated, older = document_pairs(doc)
    assert (estimated.score, estimated.flags) == (0.31, ["low-quality: wrong-language words: sales"])
    assert (older.score, older.flags) == (0.88, [])  # a digest written before estimates: its match score
