"""The tiny real Qwen2 the likelihood tests score with, found by name through DIGEST_MODELS."""
from __future__ import annotations

import pytest
from tiny.llm import build_tiny_llm, write_tiny_manifest


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    """A folder holding the tiny model and its manifest; DIGEST_MODELS points there for the module's tests."""
    root = tmp_path_factory.mktemp("llm")
    write_tiny_manifest(root / "manifests", build_tiny_llm(root / "tiny-llm"))
    patch = pytest.MonkeyPatch()
    patch.setenv("DIGEST_MODELS", str(root / "manifests"))
    yield root
    patch.undo()
