import pytest

from pipeline.config import CONFIG_DIR, ConfigError, load_config


def test_default_config_loads_with_the_bundled_model():
    config = load_config("default")
    assert config.translate.model == "qwen2.5-coder-1.5b-instruct"
    assert config.align.languages == ["en", "fr", "zh"]


@pytest.mark.parametrize(
    "override, check",
    [
        ("translate.batch_size=3", lambda c: c.translate.batch_size == 3),
        ("summarize.max_words=40", lambda c: c.summarize.max_words == 40),
        ("translate.pairs={zh-en: other}", lambda c: c.translate.model_for("zh", "en") == "other"),
        ("translate.generation.num_beams=4", lambda c: c.translate.generation.num_beams == 4),
        ("align.languages=[en, fr]", lambda c: c.align.languages == ["en", "fr"]),
    ],
)
def test_overrides_reach_typed_fields(override, check):
    assert check(load_config("default", [override]))


@pytest.mark.parametrize("override", ["translate.batchsize=3", "nosuchsection.x=1", "translate.generation.beams=2"])
def test_unknown_keys_are_an_error(override):
    with pytest.raises(ConfigError, match="unknown key"):
        load_config("default", [override])


def test_missing_config_names_the_choices():
    with pytest.raises(ConfigError, match="default"):
        load_config("no-such-config")


def test_config_digest_changes_with_settings():
    assert load_config("default").digest() != load_config("default", ["summarize.max_words=10"]).digest()


@pytest.mark.parametrize("name", sorted(path.stem for path in CONFIG_DIR.glob("*.yaml")))
def test_every_bundled_config_loads_and_names_models_with_manifests(name):
    from pipeline.registry.manifests import load_manifest

    config = load_config(name)
    for model in {config.translate.model, config.summarize.model, *config.translate.pairs.values()}:
        assert load_manifest(model).name == model


@pytest.mark.parametrize(
    "override, named",
    [
        ("translate.batch_size=four", ["translate.batch_size", "'four'", "int"]),
        ("translate.batch_size=true", ["translate.batch_size", "True", "int"]),
        ("detect.languages=fr", ["detect.languages", "'fr'", "list[str]"]),
        ("detect.languages=[en, 3]", ["detect.languages", "3", "list[str]"]),
        ("align.low_score=high", ["align.low_score", "'high'", "float"]),
        ("ingest.strip_boilerplate=maybe", ["ingest.strip_boilerplate", "'maybe'", "bool"]),
        ("translate.pairs={fr-en: 1}", ["translate.pairs", "{'fr-en': 1}", "dict[str, str]"]),
        ("run.threads=", ["run.threads", "None", "int"]),
    ],
)
def test_override_values_are_checked_against_the_field_type(override, named):
    with pytest.raises(ConfigError) as error:
        load_config("default", [override])
    assert all(part in str(error.value) for part in named), str(error.value)


@pytest.mark.parametrize(
    "override, check",
    [
        ("translate.model=1.5", lambda c: c.translate.model == "1.5"),  # a string field keeps the text as written
        ("translate.pairs.fr-en=opus-mt-fr-en", lambda c: c.translate.model_for("fr", "en") == "opus-mt-fr-en"),
        ("ray.translate.num_gpus=1", lambda c: c.ray.translate.num_gpus == 1),  # an int where a float goes
        ("ingest.strip_boilerplate=false", lambda c: c.ingest.strip_boilerplate is False),
        ("ray.address=", lambda c: c.ray.address == ""),
    ],
)
def test_override_values_of_the_right_type_are_taken(override, check):
    assert check(load_config("default", [override]))


def test_a_config_file_value_of_the_wrong_type_names_the_file_and_key(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("translate:\n  batch_size: eight\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mine.yaml.translate.batch_size: expected int, got 'eight'"):
        load_config(str(path))


@pytest.mark.parametrize("override", ["translate.batch_size.x=1", "x=[", "translate.model=[unclosed"])
def test_malformed_overrides_are_config_errors(override):
    with pytest.raises(ConfigError):
        load_config("default", [override])
