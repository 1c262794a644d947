"""End to end through the real stages with a tiny random Qwen2 (outputs are noise; the mechanics are real)."""
import json

import pytest
from tiny.llm import build_tiny_llm, write_tiny_manifest

from pipeline.config import load_config
from pipeline.run.runner import run

TINY = ["translate.model=tiny-llm", "summarize.model=tiny-llm", "translate.engine=hf", "summarize.engine=hf",
        "translate.generation.max_new_tokens=8", "summarize.generation.max_new_tokens=12"]
ARTICLES = {
    "fr.md": "---\ntitle: Le port investit\ndate: 2025-03-01\n---\nLe port de Marseille investit 40 millions d'euros."
             " Les travaux commenceront en mai.\n\nLa ville attend 300 emplois nouveaux.",
    "zh.txt": "新能源汽车销量增长\n\n今年一季度，该省新能源汽车销量同比增长百分之三十。专家认为，增长势头将持续。",
    "en.md": "# Rail link approved\n\nThe council approved the rail link on Monday. Work starts next year.",
    "mixed.txt": "Provincial plan\n\n湖北发布产业倍增行动方案\n\nHubei set goals for 2027 and 2030. The plan lists seven actions.",
    "broken.txt": b"\x00\x01\x02\xff\xfe binary \x00\x00",
    "empty.md": "   \n\n",
}


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-llm")
    build_tiny_llm(root / "model")
    return write_tiny_manifest(root / "manifests", root / "model").parent


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, content in ARTICLES.items():
        path = folder / name
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def config(tiny_models, monkeypatch):
    monkeypatch.setenv("DIGEST_MODELS", str(tiny_models))
    return load_config("default", TINY)


def test_every_document_ends_digested_or_with_a_clear_error(corpus, config, tmp_path):
    report = run(corpus, tmp_path / "out", config, progress=False)
    by_id = {doc.doc_id: doc for doc in report.documents}
    assert sorted(by_id) == sorted(ARTICLES)
    assert by_id["broken.txt"].failed_stage == "ingest" and "broken.txt" in by_id["broken.txt"].error or \
        by_id["broken.txt"].error
    assert by_id["empty.md"].failed
    lines = (tmp_path / "out" / "digests.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(ARTICLES)
    assert len(list((tmp_path / "out" / "digests").glob("*.json"))) == len(ARTICLES)
    for doc in report.documents:
        if not doc.failed:
            assert doc.sentences and all(s.english or s.flags for s in doc.sentences)
            assert set(doc.renders) == {"fr", "zh"} or "no-summary" in doc.flags


def test_languages_per_document_and_segment(corpus, config, tmp_path):
    docs = {d.doc_id: d for d in run(corpus, tmp_path / "out", config, until="detect", progress=False).documents}
    assert docs["fr.md"].lang == "fr" and docs["zh.txt"].lang == "zh" and docs["en.md"].lang == "en"
    mixed = docs["mixed.txt"]
    assert mixed.lang == "en" and mixed.mixed
    assert {s.lang for s in mixed.sentences} == {"en", "zh"}


def test_a_second_run_comes_from_the_store(corpus, config, tmp_path):
    run(corpus, tmp_path / "out", config, progress=False)
    again = run(corpus, tmp_path / "out", config, progress=False)
    stages = {s.name: s for s in again.stages}
    for name in ("detect", "translate", "summarize", "align"):
        assert stages[name].processed == 0 and stages[name].reused == 4, name
    forced = run(corpus, tmp_path / "out", config, force=True, progress=False)
    assert {s.name: s for s in forced.stages}["translate"].processed == 4


def test_a_stopped_run_resumes_from_the_last_finished_stage(corpus, config, tmp_path):
    run(corpus, tmp_path / "out", config, until="translate", progress=False)
    resumed = {s.name: s for s in run(corpus, tmp_path / "out", config, progress=False).stages}
    assert resumed["translate"].reused == 4 and resumed["summarize"].processed == 4


def test_changing_a_setting_redoes_only_what_it_affects(corpus, config, tmp_path):
    run(corpus, tmp_path / "out", config, progress=False)
    changed = load_config("default", TINY + ["summarize.max_words=20"])
    stages = {s.name: s for s in run(corpus, tmp_path / "out", changed, progress=False).stages}
    assert stages["translate"].reused == 4 and stages["summarize"].processed == 4


def test_digest_carries_the_run_signature(corpus, config, tmp_path):
    run(corpus, tmp_path / "out", config, progress=False)
    record = json.loads((tmp_path / "out" / "digests.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert record["schema"] == "digest/1"
    assert record["run"]["config"] == config.digest()
    assert "tiny-llm" in json.dumps(record["run"]["stages"]["translate"])
    assert "torch" in record["run"]["packages"]
