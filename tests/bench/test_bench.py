"""`digest bench` end to end with a tiny random Qwen2: the figures are meaningless, the mechanics are real."""
from __future__ import annotations

import pytest
from reliability.conftest import untie_output_layer
from tiny.llm import build_tiny_llm, write_tiny_manifest
from typer.testing import CliRunner

from pipeline.bench.speed import BUNDLED_LINES, read_lines
from pipeline.cli import app

TINY = ["translate.model=tiny-llm", "summarize.model=tiny-llm", "translate.engine=hf", "summarize.engine=hf",
        "translate.generation.max_new_tokens=6", "summarize.generation.max_new_tokens=8", "run.threads=1"]


def test_the_bundled_lines_are_sixteen_french_sentences_with_english_references():
    sources, references = read_lines(None, 100)
    assert len(sources) == len(references) == 16
    assert all(s and r and s != r for s, r in zip(sources, references))
    assert read_lines(None, 2, start=3) == (sources[3:5], references[3:5])
    assert BUNDLED_LINES.read_text(encoding="utf-8").startswith("#")


def test_a_flores_folder_is_read_line_parallel_and_a_wrong_one_is_named(tmp_path):
    (tmp_path / "fra_Latn.txt").write_text("Un.\nDeux.\nTrois.\n", encoding="utf-8")
    (tmp_path / "eng_Latn.txt").write_text("One.\nTwo.\nThree.\n", encoding="utf-8")
    assert read_lines(tmp_path, 2, start=1) == (["Deux.", "Trois."], ["Two.", "Three."])
    with pytest.raises(FileNotFoundError, match="eng_Latn.txt"):
        read_lines(tmp_path / "nowhere", 2)
    with pytest.raises(ValueError, match="no lines"):
        read_lines(tmp_path, 2, start=10)


@pytest.fixture
def tiny_models(tmp_path_factory, monkeypatch):
    root = tmp_path_factory.mktemp("tiny-llm")
    untie_output_layer(build_tiny_llm(root / "model"))  # untied, it writes tokens to count
    monkeypatch.setenv("DIGEST_MODELS", str(write_tiny_manifest(root / "manifests", root / "model").parent))


def test_bench_prints_both_engines_the_ratio_and_a_cold_run(tiny_models, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "fr.txt").write_text("Le port investit.\n\nLa ville attend 300 emplois nouveaux.", encoding="utf-8")
    (corpus / "en.txt").write_text("Rail link approved\n\nThe council approved the rail link.", encoding="utf-8")
    arguments = ["bench", "--count", "3", "--corpus", str(corpus), *[part for o in TINY for part in ("--set", o)]]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert "naive: transformers fp32, batch 1" in result.output and "project: hf, batch 32" in result.output
    assert "speed-up:" in result.output and "x tokens/s" in result.output
    assert "cold run of" in result.output and "(2 documents, 0 failed, empty store)" in result.output
    assert "peak memory" in result.output and "cold run, per stage" in result.output


def test_bench_refuses_a_missing_lines_folder_before_loading_anything(tmp_path):
    result = CliRunner().invoke(app, ["bench", "--lines", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no such folder" in result.output
