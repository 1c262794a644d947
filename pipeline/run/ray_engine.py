"""`--engine ray`: the same stages as Ray Data `map_batches` steps; the run store stays on the driver.

Each stage is planned on the driver exactly as the local engine plans it (work
the store holds is skipped before anything is dispatched). The rest goes out in
the batches the local engine would form, one Ray Data block per batch, to an
actor pool whose actors load the stage's models once. Results stream back to
the driver, which alone writes SQLite, committing each batch in one
transaction: a run killed on the cluster keeps every batch that came back.
"""
from __future__ import annotations

import json
import logging
import os
from functools import partial
from pathlib import Path

from pipeline.config import Config, RayConfig, RayStageConfig
from pipeline.records import Document
from pipeline.run.progress import RunProgress
from pipeline.run.runner import (
    RunReport,
    StagePlan,
    StageReport,
    batches,
    commit_batch,
    load_failure,
    plan_stage,
    process_isolated,
    run_stages,
    stage_failures,
)
from pipeline.run.store import RunStore
from pipeline.stages import STAGES

log = logging.getLogger("digest.ray")

# Stages that read the corpus or write OUT run on the driver's node, so only the driver's disks hold those files.
ON_DRIVER_NODE = ("ingest", "output")
# Environment the workers need to find the same models as the driver (model cache, extra manifests, offline hub).
FORWARDED_ENV = ("DIGEST_MODELS", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HOME")


def run(corpus: Path, out_dir: Path, config: Config, until: str = "output", force: bool = False,
        address: str | None = None, progress: bool = True) -> RunReport:
    """Run ingest .. `until` over `corpus` on Ray; same store, outputs and report as `runner.run`."""
    check_settings(config.ray)
    started = connect(config.ray.address if address is None else address)
    try:
        return run_stages(corpus, out_dir, config, partial(run_stage, config.ray), until, force, progress)
    finally:
        if started:
            import ray

            ray.shutdown()


def check_settings(settings: RayConfig) -> None:
    """Refuse settings that would change outputs or cannot run, before anything starts."""
    if settings.ingest.concurrency != 1:
        raise ValueError("ray.ingest.concurrency must be 1: ingest makes ids unique and flags duplicates across "
                         "the whole corpus, so one actor must see every file; set ray.ingest.concurrency=1")
    for name in STAGES:
        stage = getattr(settings, name)
        if stage.concurrency < 1 or stage.batch_size < 0 or stage.num_cpus < 0 or stage.num_gpus < 0:
            raise ValueError(f"ray.{name}: concurrency must be >= 1 and batch_size, num_cpus, num_gpus >= 0 "
                             f"(got {stage}); fix the ray section of the config")


def connect(address: str) -> bool:
    """Join the cluster at `address` ("" starts a local instance); True when this call started Ray."""
    import ray

    if ray.is_initialized():
        return False
    ray.init(address=address or None, include_dashboard=False, logging_level=logging.WARNING)
    return True


def worker_env(settings: RayConfig) -> dict:
    """The runtime_env of the actors: the driver's model cache and manifests, plus `ray.env`."""
    from pipeline.registry.manifests import model_home

    env = {"DIGEST_HOME": str(model_home().parent.resolve())}
    env.update({name: os.environ[name] for name in FORWARDED_ENV if name in os.environ})
    env.update({str(k): str(v) for k, v in settings.env.items()})
    return {"env_vars": env}


def run_stage(settings: RayConfig, stage, items: list, store: RunStore, force: bool, report: StageReport,
              bars: RunProgress) -> list:
    """Like `runner.run_stage`, with the work left after planning done by an actor pool on Ray."""
    plan = plan_stage(stage, items, store, force, report)
    if plan.todo:
        _dispatch(stage, items, plan, store, report, bars, settings)
    return plan.documents()


def _dispatch(stage, items: list, plan: StagePlan, store: RunStore, report: StageReport, bars: RunProgress,
              settings: RayConfig) -> None:
    resources: RayStageConfig = getattr(settings, stage.name)
    groups = batches(plan.todo, stage.name, resources.batch_size)
    results = _map(stage, items, groups, resources, worker_env(settings))
    bars.expect(stage.name, len(plan.todo))
    for number, outputs, loaded in results:
        if loaded:
            commit_batch(stage, store, plan, groups[number], outputs, report)
        else:  # as in the local engine: failed, not counted as processed
            plan.fill(groups[number], outputs)
        report.failed += count_failed(stage.name, outputs)
        bars.advance(stage.name, len(outputs))


def _map(stage, items: list, groups: list, resources: RayStageConfig, runtime_env: dict):
    """Yield (batch number, outputs per input, models loaded) as batches come back from the actor pool."""
    import ray.data

    logging.getLogger("ray.data").setLevel(logging.WARNING)  # its INFO lines would bury digest's own progress
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = context.print_on_execution_start = False
    context.execution_options.preserve_order = True  # ingest's one actor must see files in corpus order
    actors = min(resources.concurrency, len(groups))  # an actor with no batch would still load its models
    mapped = ray.data.from_arrow(_blocks(items, groups)).map_batches(
        StageWorker, fn_constructor_args=(stage, os.getcwd()), batch_size=max(len(g) for g in groups),
        batch_format="pyarrow", compute=ray.data.ActorPoolStrategy(size=actors),
        num_cpus=resources.num_cpus, num_gpus=resources.num_gpus, runtime_env=runtime_env, **placement(stage.name))
    pending: dict[int, dict[int, list[Document]]] = {}
    for block in mapped.iter_batches(batch_size=None, batch_format="pyarrow"):
        for row in block.to_pylist():
            number = row["batch"]
            pending.setdefault(number, {})[row["position"]] = decode_documents(row["outputs"])
            if len(pending[number]) == len(groups[number]):  # the whole batch is back: hand it over to commit
                done = pending.pop(number)
                yield number, [done[position] for position, _ in groups[number]], row["loaded"]


def placement(stage_name: str) -> dict:
    """`map_batches` arguments that keep the stages touching the corpus or OUT on the driver's node."""
    if stage_name not in ON_DRIVER_NODE:
        return {}
    import ray

    return {"label_selector": {"ray.io/node-id": ray.get_runtime_context().get_node_id()}}


def _blocks(items: list, groups: list) -> list:
    """One Arrow block per batch, so each actor call gets exactly the batch the local engine would run."""
    import pyarrow as pa

    return [pa.table({"batch": [number] * len(group), "position": [p for p, _ in group],
                      "record": [encode_item(items[p]) for p, _ in group]})
            for number, group in enumerate(groups)]


class StageWorker:
    """A Ray Data actor: loads one stage's models once, then runs batches with per-document isolation."""

    def __init__(self, stage, cwd: str):
        if Path(cwd).is_dir():  # relative corpus and output paths must mean what they mean on the driver
            os.chdir(cwd)
        self.stage = stage
        self.load_error: Exception | None = None
        try:
            stage.load()
        except Exception as error:  # a model that cannot load fails its documents, not the run
            log.error("%s: could not load: %s", stage.name, error)
            self.load_error = error

    def __call__(self, table):
        """Process the batches in `table` (rows: batch, position, record); one output row per input row."""
        import pyarrow as pa

        schema = pa.schema([("batch", pa.int64()), ("position", pa.int64()), ("outputs", pa.string()),
                            ("loaded", pa.bool_())])
        groups: dict[int, list[dict]] = {}
        for row in table.to_pylist():
            groups.setdefault(row["batch"], []).append(row)
        rows = []
        for number, group in groups.items():
            outputs = self.process([decode_item(row["record"]) for row in group])
            rows += [{"batch": number, "position": row["position"], "outputs": encode_documents(docs),
                      "loaded": self.load_error is None} for row, docs in zip(group, outputs)]
        return pa.Table.from_pylist(rows, schema=schema)

    def process(self, items: list) -> list[list[Document]]:
        """What the local engine would make of one batch: one list of documents per item."""
        if self.load_error is not None:
            return [[load_failure(item, self.stage.name, self.load_error)] for item in items]
        return process_isolated(self.stage, items, StageReport(self.stage.name))


def count_failed(stage_name: str, outputs: list[list[Document]]) -> int:
    """How many documents this stage failed (the worker logged them; the driver counts them)."""
    return len(stage_failures(stage_name, outputs))


def encode_item(item) -> str:
    """A stage input as JSON: a Document's dict, or the path ingest reads."""
    if isinstance(item, Document):
        return json.dumps({"document": item.to_dict()}, ensure_ascii=False)
    return json.dumps({"path": str(item)})  # ASCII escapes: Arrow refuses a file name's undecodable bytes


def decode_item(text: str):
    """The inverse of `encode_item`."""
    data = json.loads(text)
    return Document.from_dict(data["document"]) if "document" in data else Path(data["path"])


def encode_documents(docs: list[Document]) -> str:
    """Stage outputs as JSON."""
    return json.dumps([doc.to_dict() for doc in docs], ensure_ascii=False)


def decode_documents(text: str) -> list[Document]:
    """The inverse of `encode_documents`."""
    return [Document.from_dict(data) for data in json.loads(text)]
