"""Windows of documents: each passes every stage and is written out before the next; a long one goes last, alone."""
from __future__ import annotations

import json

import pytest
from tiny.llm import build_tiny_llm, write_tiny_manifest

from pipeline.config import load_config
from pipeline.records import Document
from pipeline.run.runner import run
from pipeline.run.windows import LONG_DOCUMENT_CHARS, plan_windows
from pipeline.stages.translate import Translate

TINY = ["translate.model=tiny-llm", "summarize.model=tiny-llm", "translate.engine=hf", "summarize.engine=hf",
        "translate.generation.max_new_tokens=8", "summarize.generation.max_new_tokens=12", "run.threads=1"]
LONG = "x" * (LONG_DOCUMENT_CHARS + 1)


def docs(*sizes: int, failed: tuple[int, ...] = ()) -> list[Document]:
    return [Document(doc_id=str(n), text="x" * size, error="broken" if n in failed else "")
            for n, size in enumerate(sizes)]


@pytest.mark.parametrize("sizes, window, expected", [
    ((10, 10, 10), 2, [[0, 1], [2]]),
    ((10, 10, 10), 0, [[0, 1, 2]]),
    ((10, len(LONG), 10, 10), 2, [[0, 2], [3], [1]]),
    ((len(LONG), len(LONG), 10), 8, [[2], [0], [1]]),
    ((len(LONG), 10), 0, [[1, 0]]),
    ((), 4, []),
])
def test_windows_keep_order_and_put_long_documents_last_alone(sizes, window, expected):
    assert plan_windows(docs(*sizes), window) == expected


def test_a_failed_long_document_is_not_set_apart():
    assert plan_windows(docs(len(LONG), 10, failed=(0,)), 4) == [[0, 1]]


@pytest.fixture
def config(tmp_path_factory, monkeypatch):
    root = tmp_path_factory.mktemp("tiny-llm")
    build_tiny_llm(root / "model")
    monkeypatch.setenv("DIGEST_MODELS", str(write_tiny_manifest(root / "manifests", root / "model").parent))
    return load_config("default", TINY + ["run.window=2"])


def test_digests_are_written_window_by_window_and_a_long_document_holds_none_back(config, tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "b", "c"):
        (corpus / f"{name}.txt").write_text(f"Article {name}.\n\nThe council met on Monday about {name}.", "utf-8")
    sentence = "The regional office published a long report on the state of every town in the region. "
    (corpus / "long.txt").write_text("Long report\n\n" + sentence * (LONG_DOCUMENT_CHARS // len(sentence) + 1),
                                     "utf-8")
    out, seen = tmp_path / "out", []
    original = Translate.process

    def process(stage, batch):  # what had been written when each window reached translate
        written = (out / "digests.jsonl").read_text("utf-8").splitlines() if (out / "digests.jsonl").exists() else []
        seen.append(([doc.doc_id for doc in batch], sorted(json.loads(line)["doc_id"] for line in written)))
        return original(stage, batch)

    monkeypatch.setattr(Translate, "process", process)
    report = run(corpus, out, config, progress=False)
    assert seen == [(["a.txt", "b.txt"], []), (["c.txt"], ["a.txt", "b.txt"]),
                    (["long.txt"], ["a.txt", "b.txt", "c.txt"])]
    lines = (out / "digests.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["doc_id"] for line in lines] == ["a.txt", "b.txt", "c.txt", "long.txt"]
    assert [doc.doc_id for doc in report.documents] == ["a.txt", "b.txt", "c.txt", "long.txt"]
    translate = next(stage for stage in report.stages if stage.name == "translate")
    assert translate.processed == 4 and translate.usage.units == 0  # English needs no model: none was run
    summarize = next(stage for stage in report.stages if stage.name == "summarize")
    assert summarize.usage.units >= 4 and summarize.usage.model_seconds > 0  # a tied tiny model writes nothing
    saved = json.loads((out / "run.json").read_text("utf-8"))
    assert [stage["name"] for stage in saved["report"]["stages"]][-1] == "output"
    assert saved["report"]["documents"] == 4 and "tokens_per_second" in saved["report"]["stages"][3]
