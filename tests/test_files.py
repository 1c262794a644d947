"""The file mechanisms every part shares: atomic writes, whole-folder swaps, hashes once per file version."""
from __future__ import annotations

import hashlib
import os

import pytest

from pipeline import files


def test_write_atomic_replaces_a_file_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "deep" / "digest.json"
    files.write_atomic(path, "first")
    files.write_atomic(path, "second ✓")
    assert path.read_text(encoding="utf-8") == "second ✓"
    assert sorted(p.name for p in path.parent.iterdir()) == ["digest.json"]


def test_a_failed_write_keeps_the_old_file_whole(tmp_path):
    path = tmp_path / "digest.json"
    files.write_atomic(path, "old")
    with pytest.raises(UnicodeEncodeError):
        files.write_atomic(path, "half \ud800 written")  # a lone surrogate cannot be encoded: fails mid-write
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["digest.json"]


def test_write_atomic_can_keep_its_temp_file_out_of_the_folder(tmp_path, monkeypatch):
    folder, seen = tmp_path / "model", []
    folder.mkdir()
    replace = os.replace
    monkeypatch.setattr(os, "replace", lambda source, target: (seen.append(source), replace(source, target)))
    files.write_atomic(folder / "record.json", "{}", temp_dir=tmp_path)
    assert os.path.dirname(seen[0]) == str(tmp_path)
    assert (folder / "record.json").read_text() == "{}"


@pytest.mark.parametrize("existing", [False, True])
def test_swap_folder_puts_the_new_folder_in_place_whole(tmp_path, existing):
    target, staging = tmp_path / "site", tmp_path / ".site-staging"
    if existing:
        target.mkdir()
        (target / "old.html").write_text("old")
    staging.mkdir()
    (staging / "index.html").write_text("new")
    assert files.swap_folder(staging, target) == target
    assert sorted(p.name for p in target.iterdir()) == ["index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # neither staging nor the old copy is left


def test_swap_folder_keeps_a_copy_another_process_put_in_place_first(tmp_path, monkeypatch):
    target, staging = tmp_path / "ct2-int8", tmp_path / ".ct2-int8.tmp"
    staging.mkdir()
    (staging / "model.bin").write_text("mine")
    replace = os.replace

    def racing(source, destination):
        if str(source) == str(staging):  # the other process finishes between our two renames
            target.mkdir()
            (target / "model.bin").write_text("theirs")
        return replace(source, destination)

    monkeypatch.setattr(os, "replace", racing)
    files.swap_folder(staging, target)
    assert (target / "model.bin").read_text() == "theirs"
    assert not staging.exists()


def test_sha256_once_hashes_a_file_again_only_when_it_changes(tmp_path, monkeypatch):
    path, calls = tmp_path / "weights.safetensors", []
    path.write_bytes(b"abc")
    sha256_file = files.sha256_file
    monkeypatch.setattr(files, "sha256_file", lambda p: (calls.append(p), sha256_file(p))[1])
    assert files.sha256_once(path) == files.sha256_once(path) == hashlib.sha256(b"abc").hexdigest()
    path.write_bytes(b"abcd")
    assert files.sha256_once(path) == hashlib.sha256(b"abcd").hexdigest()
    assert len(calls) == 2
