import json
import tarfile

import pytest

from pipeline.registry.errors import ModelError
from pipeline.registry.install import import_model
from pipeline.registry.integrity import verify
from pipeline.registry.manifests import is_installed, load_manifest, model_path


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty model cache and a manifest folder holding one local-import model."""
    monkeypatch.setenv("DIGEST_HOME", str(tmp_path / "home"))
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    manifest = {"name": "toy", "roles": ["translate"], "backend": "seq2seq", "architecture": "marian",
                "source": {"kind": "hub", "repo": "example/toy", "revision": "0" * 40}, "license": "MIT",
                "languages": ["fr", "en"]}
    (manifests / "toy.yaml").write_text(json.dumps(manifest))
    monkeypatch.setenv("DIGEST_MODELS", str(manifests))
    return tmp_path


def model_folder(root, weights="model.safetensors"):
    folder = root / "toy-model"
    folder.mkdir()
    (folder / "config.json").write_text('{"model_type": "marian"}')
    (folder / weights).write_bytes(b"weights")
    return folder


def test_bundled_manifests_pin_their_weights():
    manifest = load_manifest("qwen2.5-coder-1.5b-instruct")
    assert manifest.source["sha256"].startswith("cc324af0")
    assert "Apache-2.0" in manifest.license


def test_missing_model_says_how_to_install(home):
    with pytest.raises(ModelError, match="digest models pull toy"):
        model_path("toy")


def test_unknown_model_lists_known_ones(home):
    with pytest.raises(ModelError, match="toy"):
        load_manifest("nope")


def test_import_then_verify_then_tamper(home):
    import_model(model_folder(home), "toy")
    assert is_installed("toy") and verify("toy") == []
    (model_path("toy") / "model.safetensors").write_bytes(b"swapped")
    assert verify("toy") == ["toy: model.safetensors changed (sha256 mismatch)"]


def test_import_from_an_archive_with_a_top_folder(home):
    folder = model_folder(home)
    archive = home / "toy.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(folder, arcname="toy-model")
    import_model(archive, "toy")
    assert (model_path("toy") / "config.json").exists()


def test_pickle_only_weights_are_refused(home):
    with pytest.raises(ModelError, match="pickle"):
        import_model(model_folder(home, weights="pytorch_model.bin"), "toy")
    assert not is_installed("toy")
