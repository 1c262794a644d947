"""A store written by earlier code is reused in full: same stage signatures, same keys, same digests."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from tiny.llm import write_tiny_manifest

from pipeline.config import load_config
from pipeline.run.runner import run
from pipeline.run.store import RunStore

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store_v1"
MODEL_STAGES = ("detect", "translate", "summarize", "align")
MACHINE = ("packages", "python")  # what the run signature says of the installation, not of the work
# The hash of every setting: a new setting changes it even at its default; the stage signatures (checked through
# the store's reuse) say what the work depended on.
SETTINGS_HASH = "config"


def restore_store(path: Path) -> None:
    store = RunStore(path)
    rows: dict[str, list] = {}
    for line in (FIXTURE / "results.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        rows.setdefault(row["stage"], []).append((row["key"], row["payload"]))
    for stage, items in rows.items():
        store.put_many(stage, items)
    store.close()


def comparable(line: str) -> dict:
    record = json.loads(line)
    record["run"] = {key: value for key, value in record["run"].items() if key not in (*MACHINE, SETTINGS_HASH)}
    return record


def test_a_store_written_before_the_layout_change_is_fully_reused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # ids and origins are the corpus paths as given: relative, as when it was built
    shutil.copytree(FIXTURE / "corpus", "corpus")
    # The manifest points at no model: a stage that does not find its work in the store fails, and says so.
    monkeypatch.setenv("DIGEST_MODELS", str(write_tiny_manifest(tmp_path / "manifests", tmp_path / "none").parent))
    restore_store(Path("out/store.sqlite"))
    overrides = json.loads((FIXTURE / "overrides.json").read_text(encoding="utf-8"))
    report = run(Path("corpus"), Path("out"), load_config("default", overrides), progress=False)
    counts = {stage.name: (stage.processed, stage.reused, stage.failed) for stage in report.stages}
    assert all(counts[name] == (0, 3, 0) for name in MODEL_STAGES), counts
    written = Path("out/digests.jsonl").read_text(encoding="utf-8").splitlines()
    expected = (FIXTURE / "digests.jsonl").read_text(encoding="utf-8").splitlines()
    assert [comparable(line) for line in written] == [comparable(line) for line in expected]
