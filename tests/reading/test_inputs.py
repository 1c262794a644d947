"""Which files under a path are corpus inputs, and the ids their paths give."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.reading.inputs import discover, printable_path, slug


def write(root: Path, name: str, content: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def test_discover_walks_a_folder_in_order_and_skips_what_is_not_an_article(tmp_path):
    import datasets

    for name in ["b.txt", "a/z.md", "a/y.html", "c.jsonl", "d.json", "e.parquet", "README.md", ".hidden.txt",
                 ".git/config.json", "notes.pdf", "table.csv"]:
        write(tmp_path, name, "x")
    datasets.Dataset.from_dict({"text": ["row"]}).save_to_disk(str(tmp_path / "saved"))
    found = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)]
    assert found == ["a/y.html", "a/z.md", "b.txt", "c.jsonl", "d.json", "e.parquet", "saved"]
    assert discover(tmp_path / "saved") == [tmp_path / "saved"]
    assert discover(tmp_path / "b.txt") == [tmp_path / "b.txt"]


def test_discover_refuses_a_missing_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        discover(tmp_path / "nowhere")


@pytest.mark.parametrize("relative, expected", [
    ("économie/été 2024.md", "économie__été-2024.md"),
    ("新闻/上海 政策.txt", "新闻__上海-政策.txt"),
    ("a#b?.txt", "a-b-.txt"),
])
def test_slug_keeps_unicode_and_replaces_separators(relative, expected):
    assert slug(relative) == expected


@pytest.mark.parametrize("path, printed", [
    ("plain/été.txt", "plain/été.txt"),
    (b"bad/\xe9t\xe9.txt", "bad/\\xe9t\\xe9.txt"),
    (os.fsdecode(b"bad/\xe9t\xe9.txt"), "bad/\\xe9t\\xe9.txt"),  # as os.listdir gives such a name
])
def test_printable_path_escapes_bytes_that_are_not_utf8(path, printed):
    assert printable_path(path) == printed
