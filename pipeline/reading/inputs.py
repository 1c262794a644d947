"""What ingest reads: the corpus inputs under a path, and the ids and printable names they get.

An input is a file of a known kind (`KINDS`) or a folder saved by Hugging Face
`datasets`; README and LICENSE files describe a corpus folder and are skipped.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

KINDS = {
    ".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
    ".jsonl": "jsonl", ".json": "json", ".parquet": "parquet",
}
DATASET_MARKERS = ("dataset_info.json", "state.json", "dataset_dict.json")
NOT_ARTICLES = ("readme", "license", "licence")  # file stems describing a corpus folder, not articles


def is_dataset(path: Path) -> bool:
    """True for a folder written by Hugging Face `datasets` `save_to_disk`."""
    return path.is_dir() and any((path / marker).is_file() for marker in DATASET_MARKERS)


def discover(path: Path) -> list[Path]:
    """The inputs under `path`: the file itself, a saved dataset, or the known files of a folder.

    In a folder: sorted by relative path; hidden files and folders, README and
    LICENSE files are skipped; a saved dataset inside it is one input.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"corpus path {path} does not exist; pass a file or a folder of "
                                f"{', '.join(sorted(KINDS))} files")
    if path.is_file() or is_dataset(path):
        return [path]
    found = []
    for folder, dirs, files in os.walk(path):
        here = Path(folder)
        datasets = [d for d in dirs if is_dataset(here / d) and not d.startswith(".")]
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in datasets]
        found += [here / d for d in datasets]
        found += [here / f for f in files if _is_article_file(f)]
    return sorted(found, key=lambda p: p.relative_to(path).as_posix())


def _is_article_file(name: str) -> bool:
    path = Path(name)
    return not name.startswith(".") and path.suffix.lower() in KINDS and path.stem.lower() not in NOT_ARTICLES


def printable_path(path: str | Path) -> str:
    """A path as text that can be written anywhere: bytes that are not UTF-8 become \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def slug(relative: str) -> str:
    """A file-name-safe id for a relative path; keeps unicode letters, "/" becomes "__"."""
    parts = [re.sub(r"[^\w.\-]+", "-", part).strip("-") or "_" for part in Path(relative).parts]
    return "__".join(parts)
