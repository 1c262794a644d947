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
