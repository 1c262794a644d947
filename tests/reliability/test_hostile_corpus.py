"""The whole pipeline over a corpus of hostile and broken inputs, with a tiny random Qwen2.

One run over every case but the 20,000-character sentence, whose hundreds of
model calls make it slow; every input must end digested or failed with an error
that names it and its problem, and the batch must go on (see hostile.py).
"""
from __future__ import annotations

import json
import logging
import os
import sqlite3
from pathlib import Path

import pytest

from pipeline.backends.prompts import TRANSLATE_SYSTEM, source_name, target_name
from pipeline.config import load_config
from pipeline.publish.markdown import file_stem
from pipeline.publish.site import build_site
from pipeline.reading.inputs import printable_path
from pipeline.run.runner import run
from reliability.conftest import TINY_OVERRIDES, digest_files
from reliability.hostile import Case, Fails, Mixed, Ok, hostile_cases, write_corpus

LONG = "size/long-sentence.txt"
CASES = [case for case in hostile_cases() if case.name != LONG]
MAX_CHARS = 6_000  # the 5 MB article is cut to this


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def run_cases(cases: list[Case], root: Path, manifests: Path, max_chars: int, overrides: tuple[str, ...] = ()):
    """(corpus, out, report, warnings logged) of one run over `cases`."""
    corpus = write_corpus(root / "corpus", cases)
    log = Collect()
    logging.getLogger("digest").addHandler(log)
    os.environ["DIGEST_MODELS"] = str(manifests)
    try:
        config = load_config("default", TINY_OVERRIDES + [f"ingest.max_chars={max_chars}", *overrides])
        report = run(corpus, root / "out", config, progress=False)
    finally:
        del os.environ["DIGEST_MODELS"]
        logging.getLogger("digest").removeHandler(log)
    return corpus, root / "out", report, log.messages


@pytest.fixture(scope="module")
def hostile_run(tiny_manifests, tmp_path_factory):
    return run_cases(CASES, tmp_path_factory.mktemp("hostile"), tiny_manifests, MAX_CHARS)


def documents_of(hostile_run, case: Case) -> list:
    corpus, _, report, _ = hostile_run
    return [doc for doc in report.documents if doc.origin == printable_path(corpus / case.name)]


def digest_text(out: Path, doc_id: str) -> tuple[dict, str]:
    record = digest_files(out)[doc_id]
    return record, json.dumps(record, ensure_ascii=False)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_every_input_ends_digested_or_with_a_clear_error(hostile_run, case):
    docs, out = documents_of(hostile_run, case), hostile_run[1]
    if isinstance(case.outcome, Mixed):
        assert len(docs) == case.outcome.ok + len(case.outcome.problems)
        assert sum(not doc.failed for doc in docs) == case.outcome.ok
        errors = " | ".join(doc.error for doc in docs if doc.failed)
        assert all(problem in errors for problem in case.outcome.problems), errors
        return
    assert len(docs) == 1, [doc.doc_id for doc in docs]
    doc = docs[0]
    record, text = digest_text(out, doc.doc_id)
    if isinstance(case.outcome, Fails):
        assert doc.failed_stage == case.outcome.stage and record["status"] == "failed"
        assert printable_path(Path(case.name).name) in doc.error and case.outcome.problem in doc.error, doc.error
        return
    assert isinstance(case.outcome, Ok) and not doc.failed, doc.error
    assert record["status"] == "ok" and (out / "digests" / f"{file_stem(doc.doc_id)}.md").is_file()
    assert all(expected in text for expected in case.outcome.expect), case.outcome.expect
    assert not any(absent in text for absent in case.outcome.absent), case.outcome.absent


def test_nothing_is_lost_or_overwritten(hostile_run):
    corpus, out, report, _ = hostile_run
    ids = [doc.doc_id for doc in report.documents]
    assert len(ids) == len(set(ids))
    assert {doc.origin for doc in report.documents} == {printable_path(p) for p in corpus.rglob("*") if p.is_file()}
    assert sorted(digest_files(out)) == sorted(ids)
    assert len(list((out / "digests").glob("*.md"))) == len(ids)
    lines = (out / "digests.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["doc_id"] for line in lines] == ids


def test_the_huge_article_is_cut_and_says_so_in_the_digest_and_the_log(hostile_run):
    _, out, report, messages = hostile_run
    doc = next(doc for doc in report.documents if doc.doc_id == "size__huge.txt")
    assert len(doc.text) <= MAX_CHARS and any(flag.startswith("truncated: kept") for flag in doc.flags)
    markdown = next((out / "digests").glob("size__huge.txt*.md")).read_text(encoding="utf-8")
    assert "truncated: kept" in markdown
    assert any("size__huge.txt" in message and "truncated" in message for message in messages)
    [hit] = [hit for hit in report.budget_hits if hit.doc_id == "size__huge.txt"]
    assert hit.budgets[0].startswith("truncated: kept") and hit.window_seconds > 0


@pytest.mark.slow
def test_the_long_sentence_is_translated_in_pieces_not_cut(tiny_manifests, tmp_path):
    case = next(case for case in hostile_cases(huge_chars=0) if case.name == LONG)
    # No translation budget: this is about splitting one sentence longer than the model's input
    _, out, report, _ = run_cases([case], tmp_path, tiny_manifests, max_chars=30_000,
                                  overrides=("translate.max_document_tokens=0",))
    doc = report.documents[0]
    assert not doc.failed and len(doc.sentences) == 1 and len(doc.sentences[0].text) >= 19_990
    assert any(flag.startswith("split:") for flag in doc.sentences[0].flags) and doc.sentences[0].english
    assert digest_files(out)[doc.doc_id]["status"] == "ok"


@pytest.mark.parametrize("doc_id", ["lang__korean.txt", "lang__arabic.txt", "enc__shift-jis.txt"])
def test_languages_no_model_covers_pass_through_untranslated_and_flagged(hostile_run, doc_id):
    doc = next(doc for doc in hostile_run[2].documents if doc.doc_id == doc_id)
    assert doc.sentences and all(s.english == s.text for s in doc.sentences)
    assert all(any(flag.startswith("untranslated:") for flag in s.flags) for s in doc.sentences)
    assert not doc.summary and any(flag.startswith("summary-skipped") for flag in doc.flags)


def test_traditional_chinese_is_flagged_and_translated_as_chinese(hostile_run):
    doc = next(doc for doc in hostile_run[2].documents if doc.doc_id == "lang__traditional.txt")
    assert {s.lang for s in doc.sentences} == {"zh"} and all("zh-hant" in s.flags for s in doc.sentences)
    assert all(s.english and s.english != s.text for s in doc.sentences)  # sent to the zh->en model as is
    assert any("Traditional Chinese" in note for note in doc.notes)


@pytest.mark.parametrize("source, target", [("zh", "en"), ("zh", "fr")])
def test_the_translation_prompt_does_not_call_traditional_chinese_simplified(source, target):
    """Detect labels Traditional Chinese `zh` too: as a source it is "Chinese"; as a target, Simplified."""
    prompt = TRANSLATE_SYSTEM.format(source=source_name(source), target=target_name(target))
    assert "the Chinese text" in prompt and "Simplified" not in prompt
    assert target_name("zh") == "Simplified Chinese"


def test_article_markup_stays_text_in_the_markdown(hostile_run):
    out = hostile_run[1]
    markdown = next((out / "digests").glob("markup__scripts.html*.md")).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in markdown and "<script" not in markdown


def writable(text: str) -> bool:
    """Whether `text` can be written as UTF-8 (to JSON, HTML, SQLite): no lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def test_a_file_name_that_is_not_utf8_does_not_stop_the_run(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("The port grew fast this year.", encoding="utf-8")
    (Path(os.fsdecode(bytes(corpus) + b"/bad\xff\xfename.txt"))).write_text("The council met.", encoding="utf-8")
    for _ in range(2):  # the same ids on a second run over the same store
        docs = run(corpus, tmp_path / "out", load_config("default"), until="ingest", progress=False).documents
        assert [(doc.doc_id, doc.failed) for doc in docs] == [("bad-xff-xfename.txt", False), ("good.txt", False)]
        bad = docs[0]
        assert writable(bad.origin) and bad.origin.endswith("bad\\xff\\xfename.txt")
        assert bad.text == "The council met." and any("not UTF-8" in note for note in bad.notes)


def stored_ids(out: Path, stage: str) -> set[str]:
    with sqlite3.connect(out / "store.sqlite") as connection:
        rows = connection.execute("SELECT doc_ids FROM results WHERE stage = ?", (stage,)).fetchall()
    return {doc_id for (ids,) in rows for doc_id in json.loads(ids)}


def test_every_id_and_origin_can_be_written_to_the_store_and_the_site(hostile_run):
    _, out, report, _ = hostile_run
    assert all(doc.doc_id.isprintable() and writable(doc.doc_id) and writable(doc.origin)
               for doc in report.documents)
    assert stored_ids(out, "align") == {doc.doc_id for doc in report.documents if not doc.failed}
    site = build_site(out)
    pages = {path.name for path in (site / "docs").glob("*.html")}
    assert pages == {f"{file_stem(doc.doc_id)}.html" for doc in report.documents}
    index = (site / "index.html").read_text(encoding="utf-8")
    assert all(doc_id in index for doc_id in ("names__latin-1-caf-xe9-xff.txt", "tables__lone-surrogates.jsonl#a-b"))
