"""A model that cannot load, or a stage that fails on one document, loses nothing else."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Config, load_config
from pipeline.records import Document
from pipeline.registry.errors import ModelError
from pipeline.registry.manifests import model_home, model_path
from pipeline.run.progress import RunProgress
from pipeline.run.runner import (
    StageReport,
    plan_stage,
    process_isolated,
    run,
    run_stage,
)
from pipeline.run.store import RunStore
from pipeline.stages.base import RunContext
from pipeline.stages.ingest import Ingest
from reliability.conftest import TINY_OVERRIDES, digest_files

ARTICLES = {
    "fr.txt": "Le maire a annoncé 300 emplois dans le port. Les travaux débuteront en été.",
    "zh.txt": "湖北省发布产业倍增行动方案。专家认为，增长势头将持续。",
    "en.txt": "The council approved the rail link on Monday. Work starts next year.",
}
LONG = " ".join(f"The council met on day {n} and approved plan {n}." for n in range(8))
FAST = ["align.languages=[en, fr]"]  # one rendering is enough here


def write(folder, articles: dict[str, str]):
    folder.mkdir(parents=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def comparable(record: dict) -> dict:
    """A digest without the fields that name where the corpus was."""
    return {key: value for key, value in record.items() if key != "origin"}


@pytest.mark.parametrize("broken, problem", [
    ("missing-llm", "is not installed"),
    ("corrupt-llm", "could not load the model in"),
])
def test_a_translation_model_that_cannot_load_fails_only_its_documents(tiny_env, tmp_path, broken, problem):
    config = load_config("default", TINY_OVERRIDES + FAST + [f"translate.pairs={{zh-en: {broken}}}"])
    report = run(write(tmp_path / "corpus", ARTICLES), tmp_path / "out", config, progress=False)
    docs = {doc.doc_id: doc for doc in report.documents}
    assert docs["zh.txt"].failed_stage == "translate" and problem in docs["zh.txt"].error
    assert broken in docs["zh.txt"].error and ("install" in docs["zh.txt"].error)
    assert not docs["fr.txt"].failed and not docs["en.txt"].failed
    digests = digest_files(tmp_path / "out")
    assert digests["zh.txt"]["status"] == "failed" and digests["fr.txt"]["status"] == "ok"
    alone = run(write(tmp_path / "alone", {"fr.txt": ARTICLES["fr.txt"]}), tmp_path / "alone-out", config,
                progress=False)
    assert comparable(alone.documents[0].to_dict()) == comparable(docs["fr.txt"].to_dict())


def test_a_summary_model_that_cannot_load_fails_every_document_then_a_rerun_resumes(tiny_env, tmp_path):
    corpus = write(tmp_path / "corpus", ARTICLES)
    broken = load_config("default", TINY_OVERRIDES + FAST + ["summarize.model=corrupt-llm"])
    report = run(corpus, tmp_path / "out", broken, progress=False)
    assert all(doc.failed_stage == "summarize" and "could not load summarize models" in doc.error
               and "corrupt-llm" in doc.error for doc in report.documents)
    assert {r["status"] for r in digest_files(tmp_path / "out").values()} == {"failed"}
    fixed = run(corpus, tmp_path / "out", load_config("default", TINY_OVERRIDES + FAST), progress=False)
    stages = {stage.name: stage for stage in fixed.stages}
    assert stages["translate"].reused == 3 and stages["summarize"].processed == 3
    assert {r["status"] for r in digest_files(tmp_path / "out").values()} == {"ok"}


def test_a_document_the_summarizer_cannot_handle_fails_alone(tiny_env, tmp_path):
    """Chunk summaries longer than their chunks never converge: that document fails with what to change."""
    settings = FAST + ["summarize.max_input_tokens=175", "summarize.generation.max_new_tokens=24"]
    config = load_config("default", TINY_OVERRIDES + settings)
    corpus = write(tmp_path / "corpus", {"short.txt": "The port grew.", "long.txt": LONG})
    docs = {doc.doc_id: doc for doc in run(corpus, tmp_path / "out", config, progress=False).documents}
    assert docs["long.txt"].failed_stage == "summarize"
    assert "long.txt" in docs["long.txt"].error and "raise summarize.max_input_tokens" in docs["long.txt"].error
    # The tiny model's noise is backed by nothing in the article: the article's lead stands in (extractive)
    assert not docs["short.txt"].failed and docs["short.txt"].summary_method in ("direct", "extractive")


def test_a_missing_local_model_folder_is_named_in_the_error(tiny_env):
    with pytest.raises(ModelError) as error:
        model_path("missing-llm")
    message = str(error.value)
    assert str(tiny_env.parent / "nowhere") in message and str(tiny_env / "missing-llm.yaml") in message
    assert str(model_home()) not in message and "digest models import PATH missing-llm" in message


def test_a_file_removed_after_discovery_fails_alone_and_ingest_hashes_no_file(tmp_path):
    """Ingest always runs, so planning it must not read files: a file gone by then used to stop the run."""
    corpus = write(tmp_path / "corpus", {"kept.txt": ARTICLES["en.txt"]})
    gone = corpus / "gone.txt"
    stage, store = Ingest(Config(), RunContext(corpus_root=corpus)), RunStore(tmp_path / "store.sqlite")
    plan = plan_stage(stage, [corpus / "kept.txt", gone], store, False, StageReport("ingest"))
    assert plan.todo == [(0, ""), (1, "")]
    docs = run_stage(stage, [corpus / "kept.txt", gone], store, False, StageReport("ingest"), RunProgress(False))
    store.close()
    assert [(doc.doc_id, doc.failed) for doc in docs] == [("kept.txt", False), ("gone.txt", True)]
    assert str(gone) in docs[1].error and "FileNotFoundError" in docs[1].error


def doc(origin: str) -> Document:
    return Document(doc_id=Path(origin).name, text="t", origin=origin)


A, B = doc("c/a.txt"), doc("c/b.txt")


@pytest.mark.parametrize("paths, docs, grouped", [
    (["c/a.txt", "c/b.txt"], [A, B], [[A], [B]]),
    (["c/a.txt", "c/b.txt"], [B, A, B], [[A], [B, B]]),
    (["c/a.txt"], [doc("elsewhere/a.txt")], [[doc("elsewhere/a.txt")]]),  # one input: its documents, whatever they say
    (["c/a.txt", "c/b.txt"], [A, doc("c/other.txt"), B], "documents of no input: other.txt"),
    (["c/a.txt", "c/b.txt"], [A], "inputs without a document: c/b.txt"),
    (["c/a.txt"], [], "inputs without a document: c/a.txt"),
    (["c/a.txt", "c/a.txt"], [A], "do not match its inputs one to one"),
])
def test_ingest_documents_are_grouped_by_input_or_refused(paths, docs, grouped):
    if isinstance(grouped, str):
        with pytest.raises(RuntimeError, match=grouped):
            Ingest(Config()).group_outputs([Path(p) for p in paths], docs)
    else:
        assert Ingest(Config()).group_outputs([Path(p) for p in paths], docs) == grouped


class ResolvedOrigins(Ingest):
    """An ingest whose origins are absolute, as a change to ingest could make them: none may be lost."""

    def read(self, path):
        docs = super().read(path)
        for found in docs:
            found.origin = str(Path(path).resolve())
        return docs


def test_ingest_documents_that_match_no_input_are_not_dropped(tmp_path, monkeypatch):
    corpus = write(tmp_path / "corpus", ARTICLES)
    monkeypatch.chdir(tmp_path)
    paths = [Path("corpus") / name for name in sorted(ARTICLES)]
    outputs = process_isolated(ResolvedOrigins(Config(), RunContext(corpus_root=Path("corpus"))), paths, StageReport("ingest"))
    assert [[d.doc_id for d in docs] for docs in outputs] == [["en.txt"], ["fr.txt"], ["zh.txt"]]
    assert all(not d.failed and d.origin == str(corpus.resolve() / d.doc_id) for docs in outputs for d in docs)
