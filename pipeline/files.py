"""File mechanisms every part shares: atomic writes, whole-folder swaps, content hashes.

A reader (or a killed run) sees a file or a folder either as it was or as it is
now, never half written.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path


def write_atomic(path: Path, text: str, temp_dir: Path | None = None) -> None:
    """Write `text` to `path` through a synced temp file (`.<name>.*.tmp`) and an atomic rename.

    `temp_dir` (same file system) holds the temp file instead of `path`'s folder, for folders whose
    every file is checked, such as a model folder.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=temp_dir or path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def swap_folder(staging: Path, target: Path) -> Path:
    """Put the finished folder `staging` in place of `target`, whole; returns `target`.

    The old folder is moved aside (`.<name>-old-<pid>-*`) and removed after. When another process puts
    its own copy in place meanwhile, that copy is kept and `staging` removed.
    """
    staging, target = Path(staging), Path(target)
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-old-{os.getpid()}-"))
        os.replace(target, old / target.name)
    try:
        os.replace(staging, target)
    except OSError:
        if not target.exists():
            raise
        shutil.rmtree(staging, ignore_errors=True)
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return target


def sha256_file(path: Path, chunk: int = 1 << 22) -> str:
    """The sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def sha256_once(path: Path) -> str:
    """`sha256_file`, computed once per process while the file keeps its size and modification time."""
    stat = Path(path).stat()
    return _sha256_of_version(Path(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=256)
def _sha256_of_version(path: Path, size: int, modified: int) -> str:
    return sha256_file(path)
