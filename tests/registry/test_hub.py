"""Models named by Hugging Face id: through a Hugging Face cache laid out as huggingface_hub writes it, offline."""
import hashlib
import os
import shutil

import pytest

from pipeline.config import load_config
from pipeline.registry import hub
from pipeline.registry.errors import ModelError
from pipeline.registry.install import ensure_installed, pull
from pipeline.registry.integrity import verify
from pipeline.registry.manifests import (
    all_manifests,
    install_dir,
    is_installed,
    load_manifest,
    model_home,
)
from pipeline.run.runner import run

COMMIT = "0123456789abcdef0123456789abcdef01234567"
OTHER = "fedcba9876543210fedcba9876543210fedcba98"
REPO = "tiny-org/opus-mt-fr-en"


def cache_snapshot(cache, repo, model, commit, branch="main", skip=()):
    """Put `model`'s files in the cache as huggingface_hub does: blobs by hash, snapshot links, a branch ref."""
    storage = cache / f"models--{repo.replace('/', '--')}"
    for path in sorted(model.rglob("*")):
        if not path.is_file() or path.name in skip:
            continue
        blob = storage / "blobs" / hashlib.sha256(path.read_bytes()).hexdigest()
        blob.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, blob)
        link = storage / "snapshots" / commit / path.relative_to(model)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(os.path.relpath(blob, link.parent))
    (storage / "refs").mkdir(exist_ok=True)
    (storage / "refs" / branch).write_text(commit)
    return storage / "snapshots" / commit


@pytest.fixture
def offline_cache(tmp_path, monkeypatch):
    """An empty model home and an empty Hugging Face cache, with the hub unreachable as HF_HUB_OFFLINE says."""
    monkeypatch.setenv("DIGEST_HOME", str(tmp_path / "digest"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return tmp_path / "hf" / "hub"


@pytest.mark.parametrize("name, parsed", [
    ("Helsinki-NLP/opus-mt-fr-en@" + COMMIT, ("Helsinki-NLP/opus-mt-fr-en", COMMIT)),
    ("org/name", ("org/name", None)),
    ("org/name@v1.0", ("org/name", "v1.0")),
    ("opus-mt-fr-en", None),
    ("org/name/extra", None),
    ("org/name@", None),
])
def test_a_hub_id_is_told_from_a_manifest_name(name, parsed):
    assert hub.parse(name) == parsed


def test_a_hub_id_is_installed_from_the_cache_with_a_generated_manifest(offline_cache, tiny_models):
    snapshot = cache_snapshot(offline_cache, REPO, tiny_models("marian"), COMMIT)
    name = f"{REPO}@{COMMIT}"
    folder = pull(name)
    assert folder == model_home() / f"tiny-org--opus-mt-fr-en@{COMMIT}" and is_installed(name)
    manifest = load_manifest(name)
    assert (manifest.name, manifest.backend, manifest.architecture) == (name, "seq2seq", "marian")
    assert manifest.languages == ["fr", "en"] and manifest.options == {"pairs": ["fr-en"]}
    assert manifest.identity()["pinned"] == COMMIT and verify(name) == []
    weights = folder / "model.safetensors"  # a link to the cached blob: nothing copied, nothing fetched
    assert weights.stat().st_ino == (snapshot / "model.safetensors").resolve().stat().st_ino
    assert name in [m.name for m in all_manifests()]


def test_an_id_without_a_revision_is_its_default_branch_pinned_at_install(offline_cache, tiny_models):
    cache_snapshot(offline_cache, REPO, tiny_models("marian"), COMMIT)
    pull(REPO)
    assert install_dir(REPO) == model_home() / "tiny-org--opus-mt-fr-en"
    assert load_manifest(REPO).source == {"kind": "hub", "repo": REPO, "revision": COMMIT}


def test_a_revision_the_cache_lacks_is_refused_offline_and_nothing_is_installed(offline_cache, tiny_models):
    cache_snapshot(offline_cache, REPO, tiny_models("marian"), COMMIT)
    with pytest.raises(ModelError, match="HF_HUB_OFFLINE is set"):
        pull(f"{REPO}@{OTHER}")
    with pytest.raises(ModelError, match=f"digest models pull {REPO}@{OTHER}"):
        load_manifest(f"{REPO}@{OTHER}")
    assert not model_home().exists() or not any(model_home().iterdir())


def test_a_snapshot_with_only_pickle_weights_is_refused(offline_cache, tiny_models):
    cache_snapshot(offline_cache, REPO, tiny_models("marian"), COMMIT, skip={"model.safetensors"})
    with pytest.raises(ModelError, match="no safetensors weights"):
        pull(f"{REPO}@{COMMIT}")
    assert not is_installed(f"{REPO}@{COMMIT}")


def test_the_id_of_a_bundled_manifest_is_that_manifest(offline_cache, tiny_models):
    bundled = load_manifest("opus-mt-fr-en")
    repo, pinned = bundled.source["repo"], bundled.source["revision"]
    assert load_manifest(repo) == bundled == load_manifest(f"{repo}@{pinned}")
    assert install_dir(repo) == install_dir("opus-mt-fr-en")
    cache_snapshot(offline_cache, repo, tiny_models("marian"), pinned)
    pull("opus-mt-fr-en")  # the bundled manifest's pull goes through the cache too
    assert is_installed(repo) and verify("opus-mt-fr-en") == []
    cache_snapshot(offline_cache, repo, tiny_models("marian"), OTHER, branch="other")
    other = load_manifest(f"{repo}@{OTHER}")  # another revision: the bundled options, that revision's weights
    assert other.options == bundled.options and other.source["revision"] == OTHER and other.name == f"{repo}@{OTHER}"


@pytest.mark.parametrize("tiny, repo, architecture, roles, option", [
    ("nllb", "tiny-org/nllb-tiny", "nllb", ["translate"], "lang_codes"),
    ("mbart50", "tiny-org/mbart-tiny", "mbart50", ["translate"], "lang_codes"),
    ("bart", "tiny-org/bart-tiny", "bart", ["summarize"], None),
    ("t5", "tiny-org/t5-tiny", "t5", ["summarize"], "task_prefix"),
])
def test_generated_manifests_take_options_from_a_bundled_one_of_their_architecture(offline_cache, tiny_models, tiny,
                                                                                   repo, architecture, roles, option):
    cache_snapshot(offline_cache, repo, tiny_models(tiny), COMMIT)
    manifest = load_manifest(f"{repo}@{COMMIT}")
    assert (manifest.architecture, manifest.roles) == (architecture, roles)
    template = next(m for m in all_manifests() if m.architecture == architecture and m.source["kind"] == "hub")
    assert manifest.options == template.options and (option is None or option in manifest.options)


def test_a_marian_model_not_named_by_its_pair_needs_a_manifest(offline_cache, tiny_models):
    cache_snapshot(offline_cache, "tiny-org/my-marian", tiny_models("marian"), COMMIT)
    with pytest.raises(ModelError, match="cannot tell which languages"):
        load_manifest(f"tiny-org/my-marian@{COMMIT}")


def test_a_config_naming_a_hub_id_installs_it_and_translates(offline_cache, tiny_models, tmp_path):
    cache_snapshot(offline_cache, REPO, tiny_models("marian"), COMMIT)
    name = f"{REPO}@{COMMIT}"
    said = []
    ensure_installed([name], say=said.append)  # what `digest run` does first
    assert is_installed(name) and "through the Hugging Face cache" in said[0]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "fr.md").write_text("# Le port\n\nLe port investit 40 millions.", encoding="utf-8")
    config = load_config("hub-seq2seq", [f"translate.model={name}", f"translate.pairs.fr-en={name}",
                                         "translate.generation.max_new_tokens=8", "translate.generation.num_beams=1"])
    docs = run(corpus, tmp_path / "out", config, until="translate", progress=False).documents
    assert not docs[0].failed and all(s.english for s in docs[0].sentences)
