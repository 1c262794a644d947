"""The tiny real Qwen2 the likelihood tests score with, found by name through DIGEST_MODELS."""
from __future__ import annotations

import pytest
from tiny.llm import tiny_llm_installed


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    """A folder holding the tiny model and its manifest; DIGEST_MODELS points there for the module's tests."""
    root = tmp_path_factory.mktemp("llm")
    with tiny_llm_installed(root):
        yield root
