"""The hub seq2seq config end to end: tiny random models imported under the real manifest names.

This is what a user with downloaded opus-mt / distilbart folders does (`digest models import PATH NAME`), so
the real registry, backends (transformers and CTranslate2), stages, store and outputs all run.
"""
import json

import pytest

from pipeline.config import load_config
from pipeline.registry.install import import_model
from pipeline.run.runner import run

IMPORTS = {"opus-mt-fr-en": "marian", "opus-mt-zh-en": "marian", "opus-mt-en-fr": "marian",
           "opus-mt-en-zh": "marian-multi", "distilbart-cnn-12-6": "bart"}
ARTICLES = {
    "fr.md": "# Le port investit\n\nLe port investit 40 millions. Les travaux commenceront en mai.",
    "zh.md": "# 销量增长\n\n今年一季度销量增长百分之三十。专家认为增长将持续。",
    "en.md": "# Rail link\n\nThe council approved the rail link. Work starts next year.",
}
SMALL = ["translate.generation.max_new_tokens=8", "translate.generation.num_beams=1",
         "summarize.generation.max_new_tokens=10", "summarize.generation.num_beams=1"]


@pytest.fixture
def hub_models(tiny_models, tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_HOME", str(tmp_path / "home"))
    for name, tiny in IMPORTS.items():
        import_model(tiny_models(tiny), name)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("engine", ["hf", "ct2"])
def test_hub_config_runs_the_whole_pipeline(hub_models, corpus, tmp_path, engine):
    config = load_config("hub-seq2seq", SMALL + [f"translate.engine={engine}", f"summarize.engine={engine}"])
    report = run(corpus, tmp_path / "out", config, progress=False)
    assert not [doc.error for doc in report.documents if doc.failed]
    for doc in report.documents:
        assert all(s.english for s in doc.sentences)
        assert doc.summary and set(doc.renders) == {"fr", "zh"}
    record = json.loads((tmp_path / "out" / "digests.jsonl").read_text(encoding="utf-8").splitlines()[0])
    models = json.dumps(record["run"]["stages"]["translate"])
    assert "opus-mt-zh-en" in models and engine in models


def test_engines_agree_on_greedy_output(hub_models, corpus, tmp_path):
    outputs = {}
    for engine in ("hf", "ct2"):
        overrides = SMALL + [f"translate.engine={engine}", "translate.quantization=float32", "run.dtype=float32"]
        config = load_config("hub-seq2seq", overrides)
        docs = run(corpus, tmp_path / engine, config, until="translate", progress=False).documents
        outputs[engine] = [s.english for doc in docs for s in doc.sentences]
    assert outputs["hf"] == outputs["ct2"]
