"""Every check of a model folder: its install record, safe weights, the architecture its manifest names,
and the stamp of a CTranslate2 conversion made from it.

An install record (`digest-install.json`) holds each file's sha256, and its size
and mtime when recorded: `verify` hashes every file in full, `check_files` (run
before each load) hashes only the files whose size or mtime changed. A
conversion stamp (`digest-source.json`) is the same record for a converted copy
(`<model_dir>/ct2-<quantization>/`), plus the digest of the weights it came from.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipeline import files
from pipeline.registry.errors import ModelError
from pipeline.registry.manifests import INSTALL_RECORD, Manifest, model_path

SAFE_WEIGHT_SUFFIXES = (".safetensors", ".json", ".model", ".spm", ".txt", ".vocab", ".bin.index.json")
SOURCE_STAMP = "digest-source.json"
# manifest architecture -> transformers model_type in config.json
ARCHITECTURES = {
    "marian": "marian", "nllb": "m2m_100", "m2m100": "m2m_100", "mbart50": "mbart",
    "bart": "bart", "pegasus": "pegasus", "t5": "t5", "mt5": "mt5",
}
WEIGHT_FILES = ("config.json", "generation_config.json", "*.safetensors", "*.spm", "*.model", "vocab.json",
                "merges.txt", "tokenizer.json", "tokenizer_config.json")


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
    found = model_files(folder, record_name)
    return {"files": {relative: files.sha256_file(path) for relative, path in found.items()},
            "stamps": {relative: _stamp(path) for relative, path in found.items()}}


def write_install_record(folder: Path, manifest: Manifest, origin: str) -> None:
    record = {"manifest": manifest.__dict__, "origin": origin, **file_record(folder)}
    files.write_atomic(folder / INSTALL_RECORD, json.dumps(record, indent=2, ensure_ascii=False))


def verify(name: str) -> list[str]:
    """Problems found in an installed model (missing, changed or extra weight files); empty when sound.

    Hashes every file in full: this is `digest models verify`. Loading uses `check_files`."""
    folder = model_path(name)
    record_path = folder / INSTALL_RECORD
    if not record_path.exists():
        return [f"{name}: no {INSTALL_RECORD} in {folder}; re-import it with `digest models import`"]
    expected = json.loads(record_path.read_text(encoding="utf-8"))["files"]
    return _problems(name, folder, expected, INSTALL_RECORD, lambda relative, path: files.sha256_file(path))


def check_files(name: str, folder: Path, record: dict, record_name: str = INSTALL_RECORD) -> list[str]:
    """`verify` for every load: a file whose size and mtime are those recorded is taken as recorded;
    any other is hashed (once per process while it stays as it is)."""
    expected, stamps = record["files"], record.get("stamps", {})

    def digest(relative: str, path: Path) -> str:
        return expected[relative] if stamps.get(relative) == _stamp(path) else files.sha256_once(path)

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
        raise ModelError(f"{name}: the files in {folder} differ from its install record ({'; '.join(problems)}); "
                         f"install it again (`digest models pull {name}` or `digest models import PATH {name}`)")
    if "stamps" not in record:  # installed before stamps were recorded: add them so later loads only stat files
        _add_stamps(record_path, record)


def _add_stamps(record_path: Path, record: dict) -> None:
    folder = record_path.parent
    record["stamps"] = {relative: _stamp(path) for relative, path in model_files(folder).items()}
    try:  # the temp file sits beside the folder: inside, a leftover would be an unexpected model file
        files.write_atomic(record_path, json.dumps(record, indent=2, ensure_ascii=False), temp_dir=folder.parent)
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


def check_safe_weights(folder: Path, allow_pickle: bool = False) -> None:
    """Refuse pickle-based weights unless the user opted in: they can run code on load."""
    pickles = [p.name for p in folder.rglob("*") if p.suffix in {".bin", ".pt", ".pth", ".ckpt", ".pkl"}]
    weights = list(folder.rglob("*.safetensors"))
    if pickles and not weights and not allow_pickle:
        raise ModelError(
            f"{folder}: only pickle weights ({', '.join(sorted(pickles)[:3])}), which can run code when loaded; "
            "digest loads safetensors only: convert them where you trust them (transformers: from_pretrained, then "
            "save_pretrained(..., safe_serialization=True)) and `digest models import` the converted folder"
        )


def check_model_dir(manifest: Manifest, model_dir: Path) -> dict:
    """A seq2seq folder's config.json, after checking it exists and holds the manifest's architecture."""
    if manifest.architecture not in ARCHITECTURES:
        raise ModelError(
            f"model {manifest.name!r}: architecture {manifest.architecture!r} is not a seq2seq architecture "
            f"(supported: {', '.join(ARCHITECTURES)}); fix models/{manifest.name}.yaml"
        )
    config_path = Path(model_dir) / "config.json"
    if not config_path.is_file():
        raise ModelError(
            f"model {manifest.name!r}: no model in {model_dir} (config.json missing); run "
            f"`digest models pull {manifest.name}` or `digest models import PATH {manifest.name}`"
        )
    config = json.loads(config_path.read_text(encoding="utf-8"))
    expected, found = ARCHITECTURES[manifest.architecture], config.get("model_type")
    if found != expected:
        raise ModelError(
            f"model {manifest.name!r}: {model_dir} holds a {found!r} model but the manifest says "
            f"{manifest.architecture!r} (model_type {expected!r}); import the right weights or fix the manifest"
        )
    check_safe_weights(Path(model_dir))
    return config


def weights_digest(model_dir: Path) -> str:
    """A short hash naming these exact weights and tokenizer (from the install record when there is one)."""
    record = model_dir / INSTALL_RECORD
    if record.is_file():
        digests = json.loads(record.read_text(encoding="utf-8"))["files"]
    else:
        paths = sorted({p for pattern in WEIGHT_FILES for p in model_dir.glob(pattern) if p.is_file()})
        digests = {p.name: files.sha256_once(p) for p in paths}
    return hashlib.sha256(json.dumps(digests, sort_keys=True).encode()).hexdigest()[:16]


def read_stamp(target: Path) -> dict | None:
    """The conversion stamp in `target`, or None when there is none or it cannot be read."""
    try:
        stamp = json.loads((target / SOURCE_STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def stamp_problems(target: Path, stamp: dict | None, weights: str) -> list[str]:
    """Why `target` is not a sound conversion of these weights (empty when it is); reads, never writes."""
    if stamp is None:
        return [f"no readable {SOURCE_STAMP}"]
    if stamp.get("weights") != weights:
        return ["converted from other weights"]
    if "files" not in stamp:
        return [f"{SOURCE_STAMP} records no files"]
    return check_files(target.name, target, stamp, SOURCE_STAMP)


def stamp_with_files(target: Path, stamp: dict) -> dict:
    """`stamp` with the files of the converted copy `target` as they are now."""
    return {**stamp, **file_record(target, SOURCE_STAMP)}


def write_stamp(target: Path, stamp: dict) -> None:
    """Save `stamp` in `target` atomically (the temp file inside: beside it is the checked model folder)."""
    files.write_atomic(target / SOURCE_STAMP, json.dumps(stamp, indent=1))
