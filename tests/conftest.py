"""Shared fixtures: tiny random seq2seq models of each architecture, built once per test session.

The models are real model folders (config, safetensors, generation config,
tokenizer files) made by `tiny.seq2seq`; their manifests mirror the options
of the real hub manifests in models/ (language codes, prefixes, pairs).
"""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a missing folder must fail at once, not retry a hub for 30 s

from tiny.seq2seq import MARIAN_CODES, build_tiny  # noqa: E402

from pipeline.registry.manifests import Manifest  # noqa: E402

NLLB = {"en": "eng_Latn", "fr": "fra_Latn", "zh": "zho_Hans"}
TINY = {  # name -> (architecture, build options, roles, manifest options)
    "marian": ("marian", {}, ["translate"], {"pairs": ["fr-en"]}),
    "marian-multi": ("marian", {"target_codes": MARIAN_CODES}, ["translate"],
                     {"pairs": ["en-fr", "en-zh"], "target_prefix": ">>{code}<<",
                      "lang_codes": {"fr": "fra", "zh": "cmn_Hans"}}),
    "nllb": ("nllb", {}, ["translate"], {"lang_codes": NLLB}),
    "m2m100": ("m2m100", {}, ["translate"], {"lang_codes": {"en": "en", "fr": "fr", "zh": "zh"}}),
    "mbart50": ("mbart50", {}, ["translate"], {"lang_codes": {"en": "en_XX", "fr": "fr_XX", "zh": "zh_CN"}}),
    "bart": ("bart", {}, ["summarize"], {}),
    "pegasus": ("pegasus", {}, ["summarize"], {}),
    "t5": ("t5", {}, ["summarize"], {"task_prefix": "summarize: "}),
    "mt5": ("mt5", {"seed": 1}, ["summarize"], {}),
}


def tiny_manifest(name: str, **changes) -> Manifest:
    """The manifest of tiny model `name` (see TINY), with `changes` applied."""
    architecture, _, roles, options = TINY[name]
    fields = {
        "name": f"tiny-{name}", "roles": roles, "backend": "seq2seq", "architecture": architecture,
        "source": {"kind": "local", "revision": "tiny"}, "license": "MIT", "languages": ["en", "fr", "zh"],
        "options": options,
    }
    return Manifest(**{**fields, **changes})


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory):
    """Build-on-first-use: `tiny_models(name)` returns the folder of tiny model `name` (see TINY)."""
    root = tmp_path_factory.mktemp("tiny-models")
    built: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in built:
            architecture, options, _, _ = TINY[name]
            built[name] = build_tiny(architecture, root / name, **options)
        return built[name]

    return get


@pytest.fixture
def fresh_model(tmp_path):
    """A tiny model built into this test's own folder, for tests that change or convert it."""

    def build(name: str, seed: int = 0) -> Path:
        architecture, options, _, _ = TINY[name]
        return build_tiny(architecture, tmp_path / name, **{**options, "seed": seed})

    return build


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the code under test tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
