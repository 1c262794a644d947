"""The transformers seq2seq backend on tiny random models of every supported architecture."""
from __future__ import annotations

import shutil

import pytest
from conftest import tiny_manifest
from tiny.seq2seq import generated_lines

from pipeline.backends.base import BackendError
from pipeline.backends.seq2seq import (
    generation_settings,
    length_sorted_batches,
    load_seq2seq,
)
from pipeline.config import (
    GenerationConfig,
    RunConfig,
    SummarizeConfig,
    TranslateConfig,
)
from pipeline.registry.errors import ModelError

TEXTS = generated_lines(7, seed=3)  # lengths differ, so length sorting reorders them


def backend(folder, name, role=None, **changes):
    manifest = tiny_manifest(name, **changes)
    if role is None:
        config = TranslateConfig if "translate" in manifest.roles else SummarizeConfig
        role = config(batch_size=3, generation=GenerationConfig(max_new_tokens=12))
    loaded = load_seq2seq(manifest, folder, role, RunConfig(device="cpu", dtype="float32", threads=1))  # fp32 on every CPU
    loaded.load()
    return loaded


@pytest.mark.parametrize(
    "name, source, target, source_token, first_token",
    [
        ("marian", "fr", "en", None, None),
        ("marian-multi", "en", "fr", ">>fra<<", None),
        ("marian-multi", "en", "zh", ">>cmn_Hans<<", None),
        ("nllb", "fr", "en", "fra_Latn", "eng_Latn"),
        ("nllb", "en", "zh", "eng_Latn", "zho_Hans"),
        ("m2m100", "fr", "en", "__fr__", "__en__"),
        ("m2m100", "en", "zh", "__en__", "__zh__"),
        ("mbart50", "zh", "en", "zh_CN", "en_XX"),
        ("mbart50", "en", "fr", "en_XX", "fr_XX"),
    ],
)
def test_language_codes_reach_encoder_and_decoder(tiny_models, name, source, target, source_token, first_token):
    model = backend(tiny_models(name), name)
    tokenizer = model.inputs.tokenizer
    prepared = model.inputs.translation(TEXTS[:2], source, target)
    for row in prepared.input_ids:
        tokens = tokenizer.convert_ids_to_tokens(row)
        assert tokens[-1] == tokenizer.eos_token
        if source_token:
            assert tokens[0] == source_token
        else:
            assert not any(t.startswith(">>") or t.endswith("_Latn") for t in tokens)
    expected = tokenizer.convert_tokens_to_ids(first_token) if first_token else None
    assert prepared.first_token == expected
    rows = model.generate(prepared, generation_settings(model.role_config.generation))
    if expected is not None:  # the decoder really was forced to start with the target code
        assert [row[0] for row in rows] == [expected, expected]


@pytest.mark.parametrize("name", ["marian-multi", "nllb", "bart", "t5"])
def test_batches_return_outputs_in_input_order(tiny_models, name):
    model = backend(tiny_models(name), name)
    if "translate" in model.manifest.roles:
        run = lambda texts: model.translate(texts, "en", "fr" if name != "nllb" else "zh")  # noqa: E731
    else:
        run = lambda texts: model.summarize(texts, max_words=20)  # noqa: E731
    together = run(TEXTS)
    assert together == [run([text])[0] for text in TEXTS]
    assert len(set(together)) > 1  # the random model does react to its input


@pytest.mark.parametrize(
    "name, prefix, first_generated",
    [("t5", "summarize: ", None), ("mt5", "", None), ("pegasus", "", None), ("bart", "", "<s>")],
)
def test_summarizers_use_task_prefix_and_forced_start(tiny_models, name, prefix, first_generated):
    model = backend(tiny_models(name), name)
    tokenizer = model.inputs.tokenizer
    prepared = model.inputs.summary(TEXTS[:2])
    seen = tokenizer.decode(prepared.input_ids[0], skip_special_tokens=True)
    assert " ".join(seen.split()) == prefix + TEXTS[0]
    rows = model.generate(prepared, generation_settings(model.role_config.generation))
    if first_generated:  # BART-CNN's generation_config forces <s> first
        assert tokenizer.convert_ids_to_tokens(rows[0][0]) == first_generated
    summaries = model.summarize(TEXTS[:2], max_words=20)
    assert len(summaries) == 2 and all(isinstance(s, str) for s in summaries)


def test_over_long_input_is_refused_not_cut(tiny_models):
    model = backend(tiny_models("nllb"), "nllb")
    long_text = " ".join(TEXTS * 6)
    assert model.count_tokens(long_text) > model.max_input_tokens == 128
    with pytest.raises(BackendError, match=r"input 1 has \d+ tokens, over the limit of 128.*nothing was cut"):
        model.translate([TEXTS[0], long_text], "fr", "en")


@pytest.mark.parametrize("name", ["marian-multi", "nllb", "t5"])
def test_count_tokens_matches_what_the_model_sees(tiny_models, name):
    model = backend(tiny_models(name), name)
    if "translate" in model.manifest.roles:
        prepared = model.inputs.translation([TEXTS[4]], "en", "fr")
    else:
        prepared = model.inputs.summary([TEXTS[4]])
    assert model.count_tokens(TEXTS[4]) == len(prepared.input_ids[0])


@pytest.mark.parametrize(
    "wanted, expected", [(0, 128), (64, 64), (128, 128), (129, None)],
)
def test_max_input_tokens_from_model_or_config(tiny_models, wanted, expected):
    role = TranslateConfig(max_input_tokens=wanted)
    if expected is None:
        with pytest.raises(BackendError, match="has 128 positions but max_input_tokens is 129"):
            backend(tiny_models("marian"), "marian", role)
    else:
        assert backend(tiny_models("marian"), "marian", role).max_input_tokens == expected


@pytest.mark.parametrize(
    "name, changes, call, message",
    [
        ("marian", {}, lambda m: m.translate(["x"], "zh", "en"), r"does not translate zh->en \(it covers fr-en\)"),
        ("nllb", {}, lambda m: m.translate(["x"], "de", "en"), "does not translate de->en"),
        ("marian", {}, lambda m: m.summarize(["x"], 20), "does not summarize"),
        ("bart", {}, lambda m: m.translate(["x"], "fr", "en"), "does not translate"),
        ("nllb", {"options": {"lang_codes": {"fr": "fra_Latn", "en": "eng_Latn_typo"}}},
         lambda m: m.translate(["x"], "fr", "en"), "language token 'eng_Latn_typo' is not in its vocabulary"),
        ("mbart50", {"options": {"lang_codes": {"fr": "fr_FR", "en": "en_XX"}}},
         lambda m: m.translate(["x"], "fr", "en"), "language token 'fr_FR' is not in its vocabulary"),
        ("marian-multi", {"options": {"pairs": ["en-fr"], "target_prefix": ">>{code}<<"}},
         lambda m: m.translate(["x"], "en", "fr"), "language token '>>fr<<' is not in its vocabulary"),
    ],
)
def test_unsupported_requests_are_clear_errors(tiny_models, name, changes, call, message):
    model = backend(tiny_models(name), name, **changes)
    with pytest.raises(BackendError, match=message):
        call(model)


def test_missing_folder_says_how_to_install(tmp_path):
    with pytest.raises(ModelError, match=r"no model in .*config.json missing.*digest models pull tiny-marian"):
        backend(tmp_path / "absent", "marian")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"architecture": "bart"}, "holds a 'marian' model but the manifest says 'bart'"),
        ({"architecture": "whisper"}, "'whisper' is not a seq2seq architecture"),
    ],
)
def test_wrong_architecture_is_refused(tiny_models, changes, message):
    with pytest.raises(ModelError, match=message):
        backend(tiny_models("marian"), "marian", **changes)


def test_pickle_only_weights_are_refused(tiny_models, tmp_path):
    folder = shutil.copytree(tiny_models("marian"), tmp_path / "pickled")
    (folder / "model.safetensors").rename(folder / "pytorch_model.bin")
    with pytest.raises(ModelError, match="only pickle weights"):
        backend(folder, "marian")


def test_signature_names_weights_and_settings(tiny_models, fresh_model):
    first = backend(fresh_model("marian", seed=0), "marian").signature()
    assert first["engine"] == "hf" and first["dtype"] == "float32" and first["generation"]["max_new_tokens"] == 12
    assert backend(tiny_models("marian"), "marian").signature()["weights"] == first["weights"]  # same seed
    assert backend(fresh_model("marian", seed=1), "marian").signature()["weights"] != first["weights"]


@pytest.mark.parametrize(
    "retry, expected",
    [
        (False, {"num_beams": 4, "max_new_tokens": 99, "length_penalty": 1.5, "no_repeat_ngram_size": 0,
                 "repetition_penalty": 1.0}),
        (True, {"num_beams": 4, "max_new_tokens": 99, "length_penalty": 1.5, "no_repeat_ngram_size": 3,
                "repetition_penalty": 1.2}),
    ],
)
def test_generation_settings_come_from_config(retry, expected):
    generation = GenerationConfig(num_beams=4, max_new_tokens=99, length_penalty=1.5)
    assert generation_settings(generation, retry) == expected


def test_beam_settings_reach_generate(tiny_models):
    greedy = backend(tiny_models("nllb"), "nllb")
    beams = backend(tiny_models("nllb"), "nllb", role=TranslateConfig(
        batch_size=3, generation=GenerationConfig(num_beams=4, max_new_tokens=12, no_repeat_ngram_size=2)))
    prepared = greedy.inputs.translation(TEXTS, "fr", "en")
    rows = beams.generate(prepared, generation_settings(beams.role_config.generation))
    assert all(len(set(zip(row, row[1:]))) == len(row) - 1 for row in rows)  # no repeated bigram
    assert rows != greedy.generate(prepared, generation_settings(greedy.role_config.generation))


@pytest.mark.parametrize(
    "lengths, size, expected",
    [([3, 9, 1, 5], 2, [[1, 3], [0, 2]]), ([2, 2, 2], 5, [[0, 1, 2]]), ([], 4, [])],
)
def test_length_sorted_batches(lengths, size, expected):
    assert length_sorted_batches([[0] * n for n in lengths], size) == expected
