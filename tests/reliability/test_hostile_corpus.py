"""The whole pipeline over a corpus of hostile and broken inputs, with a tiny random Qwen2.

One run over every case but the 20,000-character sentence, whose hundreds of
model calls make it slow; every input must end digested or failed with an error
that names it and its problem, and the batch must go on (see hostile.py).
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from conftest import TINY_OVERRIDES, digest_files
from hostile import Case, Fails, Mixed, Ok, hostile_cases, write_corpus

from pipeline.config import load_config
from pipeline.output import file_stem
from pipeline.runner import run

LONG = "size/long-sentence.txt"
CASES = [case for case in hostile_cases() if case.name != LONG]
MAX_CHARS = 6_000  # the 5 MB article is cut to this


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def run_cases(cases: list[Case], root: Path, manifests: Path, max_chars: int):
    """(corpus, out, report, warnings logged) of one run over `cases`."""
    corpus = write_corpus(root / "corpus", cases)
    log = Collect()
    logging.getLogger("digest").addHandler(log)
    os.environ["DIGEST_MODELS"] = str(manifests)
    try:
        config = load_config("default", TINY_OVERRIDES + [f"ingest.max_chars={max_chars}"])
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
    return [doc for doc in report.documents if doc.origin == str(corpus / case.name)]


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
        assert Path(case.name).name in doc.error and case.outcome.problem in doc.error, doc.error
        return
    assert isinstance(case.outcome, Ok) and not doc.failed, doc.error
    assert record["status"] == "ok" and (out / "digests" / f"{file_stem(doc.doc_id)}.md").is_file()
    assert all(expected in text for expected in case.outcome.expect), case.outcome.expect
    assert not any(absent in text for absent in case.outcome.absent), case.outcome.absent


def test_nothing_is_lost_or_overwritten(hostile_run):
    corpus, out, report, _ = hostile_run
    ids = [doc.doc_id for doc in report.documents]
    assert len(ids) == len(set(ids))
    assert {doc.origin for doc in report.documents} == {str(p) for p in corpus.rglob("*") if p.is_file()}
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


@pytest.mark.slow
def test_the_long_sentence_is_translated_in_pieces_not_cut(tiny_manifests, tmp_path):
    case = next(case for case in hostile_cases(huge_chars=0) if case.name == LONG)
    _, out, report, _ = run_cases([case], tmp_path, tiny_manifests, max_chars=30_000)
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


def test_article_markup_stays_text_in_the_markdown(hostile_run):
    out = hostile_run[1]
    markdown = next((out / "digests").glob("markup__scripts.html*.md")).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in markdown and "<script" not in markdown


@pytest.mark.xfail(strict=True, raises=UnicodeEncodeError,
                   reason="store.content_key encodes the input path as strict UTF-8: a file name with non-UTF-8 "
                          "bytes stops the whole run (see the reliability report); remove this mark once fixed")
def test_a_file_name_that_is_not_utf8_does_not_stop_the_run(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("The port grew fast this year.", encoding="utf-8")
    (Path(os.fsdecode(bytes(corpus) + b"/bad\xff\xfename.txt"))).write_text("The council met.", encoding="utf-8")
    docs = run(corpus, tmp_path / "out", load_config("default"), until="ingest", progress=False).documents
    assert len(docs) == 2 and all(not doc.failed or "bad" in doc.error for doc in docs)
