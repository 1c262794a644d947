"""Tiny models for the reliability tests: a working one, a corrupt one and one whose folder is missing.

The working model is `tiny.llm`'s random Qwen2 with its output layer
untied from the embeddings: tied, a random model repeats its last input token
(a newline), so every output would be empty and the stages after translation
would only ever see the empty case. Untied, it writes non-empty noise.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from tiny.llm import build_tiny_llm, write_tiny_manifest

TINY_OVERRIDES = [
    "translate.model=tiny-llm", "summarize.model=tiny-llm", "translate.engine=hf", "summarize.engine=hf",
    "translate.generation.max_new_tokens=8", "summarize.generation.max_new_tokens=12",
    "run.threads=1",  # a tiny model on a shared CPU runs ten times faster on one thread than on two
]


def untie_output_layer(folder: Path, seed: int = 1) -> None:
    """Give the tiny model its own random output layer, saved back as safetensors."""
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(folder)
    model.config.tie_word_embeddings = False
    torch.manual_seed(seed)
    head = torch.nn.Linear(model.config.hidden_size, model.config.vocab_size, bias=False)
    torch.nn.init.normal_(head.weight, std=0.5)
    model.lm_head = head
    model.save_pretrained(folder, safe_serialization=True)


def corrupt_model(folder: Path, source: Path) -> Path:
    """A model folder whose config is valid but whose weights file is cut short."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        data = path.read_bytes()
        (folder / path.name).write_bytes(data[: len(data) // 3] if path.suffix == ".safetensors" else data)
    return folder


@pytest.fixture(scope="session")
def tiny_manifests(tmp_path_factory) -> Path:
    """A DIGEST_MODELS folder with `tiny-llm`, `corrupt-llm` (truncated weights) and `missing-llm` (no folder)."""
    root = tmp_path_factory.mktemp("reliability-models")
    model = build_tiny_llm(root / "tiny-llm")
    untie_output_layer(model)
    manifests = root / "manifests"
    write_tiny_manifest(manifests, model, max_input_tokens=512)
    write_tiny_manifest(manifests, corrupt_model(root / "corrupt-llm", model), name="corrupt-llm")
    write_tiny_manifest(manifests, root / "nowhere", name="missing-llm")
    return manifests


@pytest.fixture
def tiny_env(tiny_manifests, monkeypatch) -> Path:
    """DIGEST_MODELS pointing at the tiny manifests for this test."""
    monkeypatch.setenv("DIGEST_MODELS", str(tiny_manifests))
    return tiny_manifests


def digest_files(out: Path) -> dict[str, dict]:
    """The finished digests under OUT/digests, by document id."""
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "digests").glob("*.json"))]
    return {record["doc_id"]: record for record in records}
