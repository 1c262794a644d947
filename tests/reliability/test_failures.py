"""A model that cannot load, or a stage that fails on one document, loses nothing else."""
from __future__ import annotations

import pytest
from conftest import TINY_OVERRIDES, digest_files

from pipeline.config import load_config
from pipeline.runner import run

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
    assert not docs["short.txt"].failed and docs["short.txt"].summary_method == "direct"
