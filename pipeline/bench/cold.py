"""A whole run of a corpus from an empty store, in a child process: its wall time, stages and peak memory.

A child process, so its memory is its own: the naive baseline's fp32 weights,
loaded in this process, would otherwise count in the run's peak.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ColdRun:
    seconds: float
    peak_memory_mb: float
    stages: list[dict] = field(default_factory=list)
    documents: int = 0
    failed: int = 0
    with_all_languages: int = 0  # digests that carry every digest language


def cold_run(corpus: Path, config: str, overrides: list[str], languages: list[str]) -> ColdRun:
    """`digest run corpus` into a fresh output folder, as a user would start it."""
    with tempfile.TemporaryDirectory(prefix="digest-bench-") as folder:
        out = Path(folder) / "out"
        command = [sys.executable, "-m", "pipeline", "-q", "run", str(corpus), "--out", str(out), "--config", config,
                   "--no-progress", *[part for item in overrides for part in ("--set", item)]]
        started = time.perf_counter()
        finished = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if finished.returncode not in (0, 1) or not (out / "run.json").is_file():
            raise RuntimeError(f"the cold run failed (exit {finished.returncode}): {finished.stderr.strip()[-2000:]}")
        report = json.loads((out / "run.json").read_text(encoding="utf-8"))["report"]
        digests = [json.loads(line) for line in (out / "digests.jsonl").read_text(encoding="utf-8").splitlines()]
    complete = sum(1 for d in digests if d["status"] == "ok"
                   and all(lang == "en" and d["summary"] or d["renders"].get(lang) for lang in languages))
    return ColdRun(seconds=seconds, peak_memory_mb=report["peak_memory_mb"],
                   stages=report["stages"], documents=report["documents"], failed=report["failed"],
                   with_all_languages=complete)
