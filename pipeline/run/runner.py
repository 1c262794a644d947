"""Run the stages in order over a corpus, skipping work the store already holds.

The runner owns what every stage shares: batching, the store, per-document
failure isolation, progress, timing and the run signature. Stages only
transform records.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.backends.usage import USAGE
from pipeline.config import Config
from pipeline.files import sha256_file, write_atomic
from pipeline.reading.inputs import discover, printable_path
from pipeline.records import Document
from pipeline.run.progress import RunProgress
from pipeline.run.report import RunReport, StageReport, budget_hits, peak_memory_mb
from pipeline.run.signature import run_signature
from pipeline.run.store import RunStore, content_key
from pipeline.run.windows import plan_windows
from pipeline.stages import STAGES
from pipeline.stages.base import RunContext, Stage, contract_gaps

log = logging.getLogger("digest.run")

# Documents per batch of the stages that run no model; a model stage takes a whole window of documents at once
# (run.window), so their texts are pooled into large batches.
BATCH_SIZES = {"ingest": 16, "detect": 64, "output": 64}
POOLED = ("translate", "summarize", "align")


@dataclass
class StagePlan:
    """One stage's work: a result slot per input (filled when reused or passed through) and what is left to do."""

    results: list[list[Document] | None]
    todo: list[tuple[int, str]] = field(default_factory=list)  # (position in the inputs, store key)

    def fill(self, batch: list[tuple[int, str]], outputs: list[list[Document]]) -> None:
        """Set the results of a processed batch."""
        for (position, _), docs in zip(batch, outputs):
            self.results[position] = docs

    def documents(self) -> list[Document]:
        """The flat list of output documents in input order."""
        return [doc for docs in self.results for doc in docs]


def build_stages(names: list[str], config: Config, corpus: Path, out_dir: Path) -> list[Stage]:
    """The stages of `names`, sharing one context: document ids relative to the corpus, outputs under `out_dir`,
    and the run signature, known once every stage exists."""
    context = RunContext(corpus_root=corpus if corpus.is_dir() else corpus.parent, out_dir=out_dir)
    stages = [STAGES[name](config, context) for name in names]
    context.signature = run_signature(config, stages)
    return stages


def check_chain(names: list[str], stages: dict[str, type[Stage]] = STAGES) -> None:
    """Refuse a stage list out of order, or whose stages' contracts do not hold together, before any model loads;
    one error lists every gap."""
    unknown = [n for n in names if n not in stages]
    if unknown:
        raise ValueError(f"unknown stage(s) {', '.join(unknown)}; stages are {', '.join(stages)}")
    expected = [n for n in stages if n in names]
    first = next(iter(stages))
    if names != expected or names[0] != first:
        raise ValueError(f"stages must start at {first} and keep the order {' -> '.join(stages)}; got {names}")
    gaps = contract_gaps([stages[name] for name in names])
    if gaps:
        raise ValueError("the stages do not fit together:\n- " + "\n- ".join(gaps))


def stages_until(last: str) -> list[str]:
    names = list(STAGES)
    return names[: names.index(last) + 1]


def run(corpus: Path, out_dir: Path, config: Config, until: str = "output", force: bool = False,
        progress: bool = True) -> RunReport:
    """Run ingest .. `until` over `corpus`, storing results under `out_dir`."""
    return run_stages(corpus, out_dir, config, run_stage, until, force, progress)


def run_stages(corpus: Path, out_dir: Path, config: Config, run_one, until: str, force: bool,
               progress: bool) -> RunReport:
    """The run every engine shares: ingest over the corpus, then each window of documents through every other
    stage before the next window starts; `run_one(stage, items, store, force, report, bars)` does one stage."""
    started = time.perf_counter()
    names = stages_until(until)
    check_chain(names)
    store = RunStore(out_dir / "store.sqlite")
    stages = build_stages(names, config, corpus, out_dir)
    run_id = store.start_run(stages[0].context.signature)
    report = RunReport(stages=[StageReport(stage.name) for stage in stages])
    with RunProgress(progress) as bars:
        docs = _timed(run_one, stages[0], discover_inputs(corpus), store, force, report.stages[0], bars)
        done: dict[int, Document] = {}
        for window in plan_windows(docs, config.run.window):
            items, window_started = [docs[position] for position in window], time.perf_counter()
            for stage, stage_report in zip(stages[1:], report.stages[1:]):
                items = _timed(run_one, stage, items, store, force, stage_report, bars)
            done.update(zip(window, items))
            report.budget_hits += budget_hits(items, time.perf_counter() - window_started)
            stages[-1].finish([done[position] for position in sorted(done)])  # run-level files of what is through
    store.finish_run(run_id)
    store.close()
    report.documents = [done[position] for position in sorted(done)]
    report.seconds, report.peak_memory_mb = time.perf_counter() - started, peak_memory_mb()
    if stages[-1].name == "output":
        write_atomic(out_dir / "run.json", json.dumps({**stages[-1].run, "report": report.to_dict()},
                                                      ensure_ascii=False, indent=2))
    return report


def _timed(run_one, stage, items: list, store: RunStore, force: bool, report: StageReport, bars) -> list:
    """`run_one` for one stage over `items`, its seconds and model usage added to the stage's report."""
    started, usage = time.perf_counter(), USAGE.copy()
    outputs = run_one(stage, items, store, force, report, bars)
    report.seconds += time.perf_counter() - started
    report.usage.add(USAGE.since(usage))
    return outputs


def discover_inputs(corpus: Path) -> list[Path]:
    paths = discover(corpus)  # the one place the runner knows which paths ingest reads
    if not paths:
        raise FileNotFoundError(f"no readable inputs under {corpus} (txt, md, html, jsonl, json, parquet, datasets)")
    return paths


def input_record(item) -> object:
    """What the store key of an input covers: a document's JSON, or a file's path and bytes."""
    if isinstance(item, Document):
        return item.to_dict()
    path = Path(item)
    if path.is_dir():
        return [str(path), sorted((str(p.relative_to(path)), p.stat().st_size, p.stat().st_mtime_ns)
                                  for p in path.rglob("*") if p.is_file())]
    return [str(path), sha256_file(path)]


def run_stage(stage, items: list, store: RunStore, force: bool, report: StageReport, bars: RunProgress) -> list:
    """Process `items` through `stage`; returns the flat list of output documents in input order."""
    plan = plan_stage(stage, items, store, force, report)
    if plan.todo:
        _process_todo(stage, items, plan, store, report, bars)
    return plan.documents()


def plan_stage(stage, items: list, store: RunStore, force: bool, report: StageReport) -> StagePlan:
    """Take what the store holds, pass failed documents through; the rest is the plan's `todo`."""
    signature = stage.signature()
    always = stage.always_run
    plan = StagePlan(results=[None] * len(items))
    for position, item in enumerate(items):
        if isinstance(item, Document) and item.failed and not always:
            plan.results[position] = [item]
            continue
        if always:  # nothing is looked up or stored: no key to compute (ingest would hash every file)
            plan.todo.append((position, ""))
            continue
        key = content_key(signature, input_record(item))
        stored = None if force else store.get(stage.name, key)
        if stored is None:
            plan.todo.append((position, key))
        else:
            plan.results[position] = [Document.from_dict(d) for d in stored]
            report.reused += 1
    return plan


def batches(todo: list[tuple[int, str]], stage_name: str, size: int = 0) -> list[list[tuple[int, str]]]:
    """The todo list cut into the batches the stage processes (`size` 0: the stage's default; a model stage's
    default is the whole window, pooled)."""
    size = size or BATCH_SIZES.get(stage_name, 0) or len(todo) or 1
    return [todo[start : start + size] for start in range(0, len(todo), size)]


def commit_batch(stage, store: RunStore, plan: StagePlan, batch: list[tuple[int, str]],
                 outputs: list[list[Document]], report: StageReport) -> None:
    """Store a processed batch in one transaction (failed documents are not stored) and fill its results."""
    finished = [(key, [d.to_dict() for d in docs]) for (_, key), docs in zip(batch, outputs)
                if not any(d.failed for d in docs)]
    if not stage.always_run:
        store.put_many(stage.name, finished)
    plan.fill(batch, outputs)
    report.processed += len(batch)


def _process_todo(stage, items, plan: StagePlan, store, report, bars) -> None:
    try:
        stage.load()
    except Exception as error:  # a model that cannot load fails its documents, not the run
        log.error("%s: could not load: %s", stage.name, error)
        for position, _ in plan.todo:
            plan.results[position] = [load_failure(items[position], stage.name, error)]
            report.failed += 1
        return
    bars.expect(stage.name, len(plan.todo))
    for batch in batches(plan.todo, stage.name):
        outputs = process_isolated(stage, [items[p] for p, _ in batch], report)
        commit_batch(stage, store, plan, batch, outputs, report)
        bars.advance(stage.name, len(batch))


def load_failure(item, stage_name: str, error: Exception) -> Document:
    """The record of an item whose stage could not load its models."""
    return _failed(item, stage_name, f"could not load {stage_name} models: {error}")


def process_isolated(stage, batch: list, report: StageReport) -> list[list[Document]]:
    """One output list per input; a failing batch is split in halves and each half tried again, so one bad
    document fails alone and the others still go through in batches (a pooled window is not redone one by one)."""
    try:
        return _count_failures(stage, stage.process_grouped(batch), report)
    except Exception as error:
        if len(batch) == 1:
            log.error("%s failed on %s: %s", stage.name, _name(batch[0]), error)
            report.failed += 1
            return [[_failed(batch[0], stage.name, f"{type(error).__name__}: {error}")]]
        half = len(batch) // 2
        return process_isolated(stage, batch[:half], report) + process_isolated(stage, batch[half:], report)


def _count_failures(stage, grouped: list[list[Document]], report: StageReport) -> list[list[Document]]:
    for doc in stage_failures(stage.name, grouped):
        log.error("%s: %s", doc.doc_id, doc.error)
        report.failed += 1
    return grouped


def stage_failures(stage_name: str, outputs: list[list[Document]]) -> list[Document]:
    """The documents this stage failed (those that came in failed are not counted again)."""
    return [doc for docs in outputs for doc in docs if doc.failed and doc.failed_stage == stage_name]


def _failed(item, stage_name: str, message: str) -> Document:
    if isinstance(item, Document):
        item.error, item.failed_stage = message, stage_name
        return item
    origin = printable_path(item)
    return Document(doc_id=Path(origin).name, text="", origin=origin, error=f"{origin}: {message}",
                    failed_stage=stage_name)


def _name(item) -> str:
    return item.doc_id if isinstance(item, Document) else printable_path(item)
