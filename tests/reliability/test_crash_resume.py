"""Kill `python -m pipeline run` with SIGKILL at random moments, resume each time, and compare.

The final digests must equal those of an uninterrupted run, and at no moment may
a digest file under OUT/digests be anything but complete JSON.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.publish.site import build_site
from pipeline.stages.base import RunContext
from pipeline.stages.ingest import Ingest
from pipeline.stages.output import Output
from reliability.conftest import TINY_OVERRIDES

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("DIGEST_TEST_KILLS", "10"))
SEED = int(os.environ.get("DIGEST_TEST_SEED", "20250501"))
ARTICLES = {
    "fr/port.md": "---\ntitle: Le port investit\n---\nLe port de Marseille investit 40 millions d'euros. "
                  "Les travaux commenceront en mai.\n\nLa ville attend 300 emplois nouveaux.",
    "fr/tram.txt": "À Lyon, la nouvelle ligne de tramway transportera quinze mille voyageurs par jour.",
    "zh/汽车.txt": "新能源汽车销量增长\n\n今年一季度，该省新能源汽车销量同比增长百分之三十。专家认为，增长势头将持续。",
    "zh/公园.txt": "北京今年将新增公园绿地两百公顷。新公园将于明年开放。",
    "en/rail.md": "# Rail link approved\n\nThe council approved the rail link on Monday. Work starts next year.",
    "en/rail copy.md": "# Rail link approved\n\nThe council approved the rail link on Monday. Work starts next year.",
    "mixed.txt": "Hubei set goals for 2027.\n\n湖北发布产业倍增行动方案。\n\nThe plan lists seven actions.",
    "ko.txt": "서울시는 오늘 새로운 교통 정책을 발표했다. 시민들은 대체로 환영하는 분위기다.",
    "broken.txt": b"\x00\x01\x02\xff\xfe binary \x00\x00" * 20,
    "empty.md": "",
    **{f"briefs/{n:02d}.txt": f"Le conseil a voté le plan {n} lundi. Les travaux commenceront en {2026 + n}."
       for n in range(8)},
}


def write_corpus(folder: Path) -> Path:
    for name, content in ARTICLES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def command(corpus: Path, out: Path) -> list[str]:
    # Windows of three documents: kills land inside pooled windows, and between windows already written out;
    # a small translation budget: documents cut by it resume to the same digests
    overrides = TINY_OVERRIDES + ["run.window=3", "translate.max_document_tokens=60"]
    settings = [part for override in overrides for part in ("--set", override)]
    return [sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out), "--no-progress", *settings]


class Watcher(threading.Thread):
    """Reads every finished output file under OUT over and over; any that is not complete JSON is a failure."""

    def __init__(self, out: Path):
        super().__init__(daemon=True)
        self.out, self.stop, self.samples, self.broken = out, threading.Event(), 0, []

    def run(self):
        while not self.stop.is_set():
            paths = sorted((self.out / "digests").glob("*.json")) + [self.out / "run.json"]
            for path in paths:
                self._check(path, lambda text: json.loads(text))
            self._check(self.out / "digests.jsonl", lambda text: [json.loads(line) for line in text.splitlines()])
            time.sleep(0.02)

    def _check(self, path: Path, parse) -> None:
        try:
            parse(path.read_text(encoding="utf-8"))
            self.samples += 1
        except FileNotFoundError:
            pass
        except ValueError as error:
            self.broken.append(f"{path.name}: {error}")


def run_cli(corpus: Path, out: Path, env: dict, due=None) -> tuple[int, Watcher]:
    """Run the CLI, killed with SIGKILL as soon as `due()` says so if given; (exit code, watcher)."""
    watcher = Watcher(out)
    watcher.start()
    process = subprocess.Popen(command(corpus, out), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    errors = []
    threading.Thread(target=lambda: errors.append(process.stderr.read()), daemon=True).start()
    while process.poll() is None:
        if due is not None and due():
            process.send_signal(signal.SIGKILL)
        time.sleep(0.01)
    watcher.stop.set()
    watcher.join()
    if process.returncode not in (0, -signal.SIGKILL):
        time.sleep(0.5)
        raise AssertionError(f"digest run failed ({process.returncode}):\n{''.join(errors)[-3000:]}")
    return process.returncode, watcher


def kill_plan(rng: random.Random, out: Path):
    """When to kill one run: at a random moment of start-up, or just after it stores its first or second
    stage result or writes a digest, so that every killed run is cut in the middle of some work."""
    started = time.time()
    if rng.random() < 0.25:
        moment = started + rng.uniform(0.3, 3.0)
        return lambda: time.time() >= moment
    before, events, extra, state = work_done(out, started), rng.choice([1, 2]), rng.uniform(0.0, 0.2), {}

    def due() -> bool:
        if "at" not in state and work_done(out, started) >= before + events:
            state["at"] = time.time() + extra
        return time.time() >= state.get("at", float("inf"))

    return due


def work_done(out: Path, since: float) -> int:
    """Stage results stored so far plus digest files written since `since`."""
    written = 0
    for path in (out / "digests").glob("*.json"):
        try:
            written += path.stat().st_mtime > since
        except FileNotFoundError:
            continue
    return sum(stored_results(out / "store.sqlite").values()) + written


def finished_outputs(out: Path) -> dict[str, str]:
    """Every output file a reader sees as finished, by name (temp files are hidden and excluded)."""
    files = sorted((out / "digests").glob("*.json")) + sorted((out / "digests").glob("*.md"))
    return {path.name: path.read_text(encoding="utf-8") for path in files + [out / "digests.jsonl"]}


@pytest.mark.slow
def test_sigkill_at_random_moments_then_resume_gives_the_uninterrupted_digests(tiny_manifests, tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    env = {**os.environ, "DIGEST_MODELS": str(tiny_manifests), "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    code, watcher = run_cli(corpus, tmp_path / "reference", env)
    assert code == 0 and not watcher.broken
    expected = finished_outputs(tmp_path / "reference")
    rng, out, samples, kills, progress = random.Random(SEED), tmp_path / "out", watcher.samples, 0, []
    for _ in range(KILLS):
        code, watcher = run_cli(corpus, out, env, due=kill_plan(rng, out))
        assert not watcher.broken, watcher.broken
        samples, kills = samples + watcher.samples, kills + (code == -signal.SIGKILL)
        progress.append(stored_results(out / "store.sqlite"))
    code, watcher = run_cli(corpus, out, env)
    assert code == 0 and not watcher.broken
    # A run that finds everything stored may finish before its kill lands; enough others must be cut.
    assert kills >= min(3, KILLS), f"only {kills} of {KILLS} runs were killed before they finished"
    assert finished_outputs(out) == expected
    leftovers = [path for folder in (out, out / "digests") for path in folder.glob(".*.tmp")]
    assert leftovers == [], "a killed run's temp files were not cleaned up"
    print(f"{kills} kills, {samples + watcher.samples} complete-file samples, seed {SEED}; "
          f"stored results after each kill: {progress}")


def stored_results(path: Path) -> dict[str, int]:
    """Results per stage in the run store (where each kill left the run)."""
    import sqlite3

    if not path.exists():
        return {}
    with closing(sqlite3.connect(path)) as connection:
        try:
            return dict(connection.execute("SELECT stage, COUNT(*) FROM results GROUP BY stage").fetchall())
        except sqlite3.OperationalError as error:  # the run has made the file, not yet its tables
            if "no such table" in str(error):
                return {}
            raise


# A site build killed at its worst moment: the new site is staged, the old one not yet swapped out.
KILLED_BEFORE_SWAP = """
import os, signal, sys
import pipeline.publish.site as site
site._swap = lambda staging, target: os.kill(os.getpid(), signal.SIGKILL)
site.build_site(sys.argv[1])
"""


def test_a_site_build_killed_before_its_swap_leaves_nothing_for_the_next_one(tmp_path):
    corpus, out = write_corpus(tmp_path / "corpus"), tmp_path / "out"
    docs = Ingest(Config(), RunContext(corpus_root=corpus)).process_batch(sorted(p for p in corpus.rglob("*.txt")))
    output = Output(Config(), RunContext(out_dir=out))
    output.load()
    output.finish(output.process_batch(docs))
    build_site(out)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.Popen([sys.executable, "-c", KILLED_BEFORE_SWAP, str(out)], env=env, cwd=ROOT)
    assert killed.wait(timeout=120) == -signal.SIGKILL
    [left] = out.glob(".site-*")
    assert left.name.startswith(f".site-{killed.pid}-") and (left / "index.html").is_file()
    assert (out / "site" / "index.html").is_file()
    other = out / f".site-{os.getppid()}-build"  # a build by a process still running: not this one's to remove
    other.mkdir()
    build_site(out)
    assert sorted(path.name for path in out.glob(".site-*")) == [other.name]
    assert len(list((out / "site" / "docs").glob("*.html"))) == len(docs)
