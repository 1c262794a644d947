"""The local engine against `--engine ray` with 1 and 2 actors per model stage, on one machine.

Each engine runs in its own child process (a fresh interpreter: no model stays
loaded from an earlier run) over the same corpus with `--force`, into its own
output folder. Reported per engine: wall seconds (Ray's start counted apart),
documents per second, seconds per stage, and whether digests.jsonl is
byte-identical to the local engine's (apart from the config hash: it covers
the `ray` section, which differs between the engines here). On a few small
documents this measures Ray's overhead (instance start, actor start and one
model load per stage and actor), not its speed-up: that needs more documents
than actors have batches. Threads: Ray gives each actor OMP_NUM_THREADS equal
to its num_cpus (1), while the local engine uses torch's default (all cores);
pass `--set run.threads=1` to give both the same.

    python benchmarks/bench_ray.py                       # bundled corpus, tiny random Qwen2
    python benchmarks/bench_ray.py --config default      # the real bundled model (slow on a small CPU)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TINY = ["translate.model=tiny-llm", "summarize.model=tiny-llm", "translate.engine=hf", "summarize.engine=hf",
        "translate.generation.max_new_tokens=8", "summarize.generation.max_new_tokens=12"]
MODEL_STAGES = ("translate", "summarize", "align")
ENGINES = {  # name -> (engine, extra config overrides)
    "local": ("local", []),
    "ray-1-actor": ("ray", []),
    "ray-2-actors": ("ray", [f"ray.{stage}.concurrency=2" for stage in MODEL_STAGES]),
}


def tiny_setup(work: Path) -> tuple[list[str], dict[str, str]]:
    """Overrides and environment for the tiny random Qwen2 (built once under `work`)."""
    sys.path.insert(0, str(ROOT / "tests"))  # the tiny-model builders live with the tests
    from tiny.llm import build_tiny_llm, write_tiny_manifest

    model = work / "tiny-llm"
    if not (model / "model.safetensors").is_file():
        build_tiny_llm(model)
    manifests = write_tiny_manifest(work / "manifests", model).parent
    return TINY, {"DIGEST_MODELS": str(manifests)}


def run(corpus: Path, config: str, overrides: list[str], engines: list[str], cpus: int, work: Path) -> dict:
    """Run every engine in a child process; print and return the timings."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1")
    if config == "tiny":
        tiny, extra_env = tiny_setup(work)
        config, overrides = "default", tiny + overrides
        env.update(extra_env)
    results = {}
    for name in engines:
        engine, extra = ENGINES[name]
        spec = {"corpus": str(corpus), "out": str(work / f"out-{name}"), "config": config,
                "overrides": overrides + extra, "engine": engine, "cpus": cpus}
        results[name] = run_child(spec, env)
        print(f"  {name}: {results[name]['wall']:.1f} s", file=sys.stderr, flush=True)
    report = {"corpus": str(corpus), "config": config, "overrides": overrides, "cpus": cpus, "engines": results}
    print_report(report)
    return report


def run_child(spec: dict, env: dict) -> dict:
    command = [sys.executable, __file__, "--child", json.dumps(spec)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{spec['engine']} run failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(spec: dict) -> dict:
    """One engine, timed from a fresh interpreter (imports aside: both engines pay them alike)."""
    from pipeline.config import load_config

    config = load_config(spec["config"], spec["overrides"])
    ray_start = 0.0
    if spec["engine"] == "ray":
        import ray

        from pipeline.run.ray_engine import run as run_engine

        started = time.perf_counter()
        ray.init(num_cpus=spec["cpus"], include_dashboard=False, logging_level="ERROR")
        ray_start = time.perf_counter() - started
    else:
        from pipeline.run.runner import run as run_engine
    started = time.perf_counter()
    report = run_engine(Path(spec["corpus"]), Path(spec["out"]), config, force=True, progress=False)
    wall = time.perf_counter() - started
    digests = outputs_without_config_hash(Path(spec["out"]) / "digests.jsonl")
    return {"wall": wall, "ray_start": ray_start, "documents": len(report.documents),
            "failed": sum(doc.failed for doc in report.documents),
            "stages": {s.name: round(s.seconds, 2) for s in report.stages},
            "digests_sha256": hashlib.sha256(digests).hexdigest()}


def outputs_without_config_hash(path: Path) -> bytes:
    """digests.jsonl with `run.config` blanked: that hash covers the `ray` section, which differs per engine here."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for record in records:
        record["run"]["config"] = ""
    return "\n".join(json.dumps(record, ensure_ascii=False) for record in records).encode("utf-8")


def print_report(report: dict) -> None:
    engines = report["engines"]
    local = engines.get("local")
    stages = list(next(iter(engines.values()))["stages"])
    print(f"corpus {report['corpus']} ({next(iter(engines.values()))['documents']} documents), "
          f"config {report['config']}, Ray instance of {report['cpus']} CPUs")
    print(f"{'engine':<14}{'ray start s':>12}{'run s':>8}{'docs/s':>8}{'vs local':>9}  same digests  "
          + "".join(f"{name:>10}" for name in stages))
    for name, result in engines.items():
        ratio = f"{result['wall'] / local['wall']:.2f}x" if local else "-"
        same = "yes" if local and result["digests_sha256"] == local["digests_sha256"] else ("-" if not local else "NO")
        print(f"{name:<14}{result['ray_start']:>12.1f}{result['wall']:>8.1f}"
              f"{result['documents'] / result['wall']:>8.2f}{ratio:>9}  {same:<12}  "
              + "".join(f"{result['stages'][stage]:>10.1f}" for stage in stages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--config", default="tiny", help="tiny (random Qwen2, built here) or a config name/path")
    parser.add_argument("--set", dest="overrides", action="append", default=[], help="KEY.PATH=VALUE")
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=list(ENGINES))
    parser.add_argument("--cpus", type=int, default=os.cpu_count() or 2, help="CPUs of the local Ray instance")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "digest-bench-ray")
    parser.add_argument("--json", type=Path, help="also write the report here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    report = run(args.corpus.resolve(), args.config, args.overrides, args.engines, args.cpus, args.work)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
