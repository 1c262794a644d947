"""The CTranslate2 engine: conversion once, cache invalidation, and equality with the HF engine."""
from __future__ import annotations

import json
import logging

import pytest
from conftest import tiny_manifest

pytest.importorskip("ctranslate2", reason="CTranslate2 is the optional `ct2` extra")

from tiny.seq2seq import generated_lines

from pipeline.backends.base import BackendError
from pipeline.backends.ct2 import converted_model, ct2_options, load_ct2
from pipeline.backends.seq2seq import generation_settings, load_seq2seq
from pipeline.config import (
    GenerationConfig,
    RunConfig,
    SummarizeConfig,
    TranslateConfig,
)
from pipeline.registry.errors import ModelError
from pipeline.registry.integrity import SOURCE_STAMP, read_stamp, stamp_problems

TEXTS = generated_lines(12, seed=7)
RUN = RunConfig(device="cpu", dtype="float32", threads=1)  # float32: a bf16 CPU would make HF differ from CT2 float32


def role_for(name: str, quantization: str = "float32", **generation):
    manifest = tiny_manifest(name)
    config = TranslateConfig if "translate" in manifest.roles else SummarizeConfig
    settings = {"max_new_tokens": 16, **generation}
    return config(batch_size=4, quantization=quantization, generation=GenerationConfig(**settings))


def engines(folder, name: str, quantization: str = "float32", **generation):
    role = role_for(name, quantization, **generation)
    hf = load_seq2seq(tiny_manifest(name), folder, role, RUN)
    ct2 = load_ct2(tiny_manifest(name), folder, role, RUN)
    hf.load()
    ct2.load()
    return hf, ct2


def prepared_for(backend, name: str):
    if "translate" in backend.manifest.roles:
        source, target = ("fr", "en") if name in ("marian", "nllb") else ("en", "fr")
        return backend.inputs.translation(TEXTS, source, target)
    return backend.inputs.summary(TEXTS)


def assert_same_greedy(folder, name):
    hf, ct2 = engines(folder, name)
    prepared = prepared_for(hf, name)
    settings = generation_settings(hf.role_config.generation)
    expected = hf.generate(prepared, settings)
    assert ct2.generate(prepared, settings) == expected
    assert len({tuple(row) for row in expected}) > 1  # outputs depend on the input, so equality means something


@pytest.mark.parametrize("name", ["marian-multi", "nllb", "bart"])
def test_ct2_equals_hf_greedy(tiny_models, name):
    assert_same_greedy(tiny_models(name), name)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["marian", "m2m100", "mbart50", "pegasus", "t5", "mt5"])
def test_ct2_equals_hf_greedy_other_architectures(tiny_models, name):
    assert_same_greedy(tiny_models(name), name)


def test_texts_match_and_keep_input_order(tiny_models):
    hf, ct2 = engines(tiny_models("nllb"), "nllb")
    together = ct2.translate(TEXTS, "fr", "zh")
    assert together == hf.translate(TEXTS, "fr", "zh")
    assert together == [ct2.translate([text], "fr", "zh")[0] for text in TEXTS]


def test_converts_once_and_reconverts_when_weights_change(fresh_model):
    folder = fresh_model("marian")
    _, ct2 = engines(folder, "marian")
    converted = folder / "ct2-float32"
    assert (converted / "model.bin").is_file() and (converted / SOURCE_STAMP).is_file()
    assert not list(folder.glob(".ct2-*"))  # no staging folder left behind
    stamp = (converted / SOURCE_STAMP).read_text()
    modified = (converted / "model.bin").stat().st_mtime_ns
    engines(folder, "marian")
    assert (converted / "model.bin").stat().st_mtime_ns == modified  # reused, not reconverted
    fresh_model("marian", seed=5)  # new weights in the same folder
    engines(folder, "marian")
    assert (converted / SOURCE_STAMP).read_text() != stamp


def old_stamp(folder):
    """A conversion stamp as written before stamps recorded the converted files."""
    path = folder / SOURCE_STAMP
    stamp = json.loads(path.read_text())
    path.write_text(json.dumps({key: stamp[key] for key in ("weights", "quantization")}))
    return path


@pytest.fixture
def converted(fresh_model):
    folder = fresh_model("marian")
    return folder, converted_model(folder, "float32")


def test_checking_a_conversion_writes_nothing(converted):
    folder, target = converted
    weights = read_stamp(target)["weights"]
    assert stamp_problems(target, read_stamp(target), weights) == []
    path = old_stamp(target)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    assert stamp_problems(target, read_stamp(target), weights) == [f"{SOURCE_STAMP} records no files"]
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_conversion_stamped_before_file_records_is_kept_and_its_files_recorded(converted):
    folder, target = converted
    modified = (target / "model.bin").stat().st_mtime_ns
    old_stamp(target)
    assert converted_model(folder, "float32") == target
    assert (target / "model.bin").stat().st_mtime_ns == modified  # not converted again
    assert "model.bin" in read_stamp(target)["files"]


@pytest.mark.parametrize("damage, reason", [
    (lambda target: (target / "model.bin").write_bytes(b"not a model"), "model.bin changed"),
    (lambda target: (target / "model.bin").unlink(), "missing file model.bin"),
    (lambda target: (target / SOURCE_STAMP).write_text("{torn"), f"no readable {SOURCE_STAMP}"),
    (lambda target: (target / "extra.txt").write_text("x"), "unexpected file extra.txt"),
])
def test_a_damaged_conversion_is_made_again_with_a_warning(converted, caplog, damage, reason):
    folder, target = converted
    sound = (target / "model.bin").read_bytes()
    damage(target)
    with caplog.at_level(logging.WARNING, logger="digest.ct2"):
        converted_model(folder, "float32")
    assert reason in caplog.text and "converting again" in caplog.text
    assert (target / "model.bin").read_bytes() == sound and not (target / "extra.txt").exists()
    assert stamp_problems(target, read_stamp(target), read_stamp(target)["weights"]) == []


def test_auto_quantization_is_int8_on_cpu(fresh_model):
    folder = fresh_model("marian-multi")
    ct2 = load_ct2(tiny_manifest("marian-multi"), folder, role_for("marian-multi", "auto"), RUN)
    ct2.load()
    assert ct2.signature()["quantization"] == "int8" and (folder / "ct2-int8" / "model.bin").is_file()
    outputs = ct2.translate(TEXTS, "en", "zh")
    assert len(outputs) == len(TEXTS) and all(isinstance(text, str) for text in outputs)


def test_unsupported_quantization_is_a_clear_error(tiny_models):
    with pytest.raises(BackendError, match="quantization 'int4' is not supported by CTranslate2 on cpu"):
        load_ct2(tiny_manifest("marian"), tiny_models("marian"), role_for("marian", "int4"), RUN)


def test_missing_folder_is_a_clear_error(tmp_path):
    ct2 = load_ct2(tiny_manifest("marian"), tmp_path / "absent", role_for("marian"), RUN)
    with pytest.raises(ModelError, match="config.json missing.*digest models import PATH tiny-marian"):
        ct2.load()


@pytest.mark.parametrize(
    "settings, forced_eos, expected",
    [
        ({"num_beams": 4, "max_new_tokens": 32, "length_penalty": 1.0, "no_repeat_ngram_size": 3,
          "repetition_penalty": 1.1}, False,
         {"beam_size": 4, "max_decoding_length": 32, "min_decoding_length": 0, "length_penalty": 1.0,
          "no_repeat_ngram_size": 3, "repetition_penalty": 1.1, "max_batch_size": 8, "batch_type": "examples",
          "max_input_length": 0}),
        ({"num_beams": 1, "max_new_tokens": 32, "min_new_tokens": 32, "length_penalty": 2.0,
          "no_repeat_ngram_size": 0, "repetition_penalty": 1.0}, True,
         {"beam_size": 1, "max_decoding_length": 31, "min_decoding_length": 31, "length_penalty": 2.0,
          "no_repeat_ngram_size": 0, "repetition_penalty": 1.0, "max_batch_size": 8, "batch_type": "examples",
          "max_input_length": 0}),
    ],
)
def test_ct2_options_mirror_hf_settings(settings, forced_eos, expected):
    assert ct2_options(settings, 8, forced_eos) == expected
