"""`digest bench`: the engine against the naive baseline, then a whole cold run, with ratios printed."""
from __future__ import annotations

import os
import platform
from pathlib import Path

from rich.console import Console
from rich.table import Table

from pipeline.bench.cold import cold_run
from pipeline.bench.speed import EngineResult, measure, naive_config, read_lines
from pipeline.config import Config
from pipeline.run.report import StageReport, models_table, stage_table

SAMPLE_CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def machine() -> str:
    """The hardware the figures belong to: the GPU when torch sees one, else the CPU, its cores and features."""
    import torch

    if torch.cuda.is_available():
        return f"GPU {torch.cuda.get_device_name(0)}"
    flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    names = [line.split(":", 1)[1].strip() for line in flags.splitlines() if line.startswith("model name")]
    features = [name for name in ("amx_bf16", "avx512_bf16", "avx512f", "avx2") if f" {name}" in flags]
    return f"CPU {names[0] if names else platform.processor()} x{os.cpu_count()} ({', '.join(features) or 'no AVX2'})"


def speed_table(results: list[EngineResult], lines: int) -> Table:
    table = Table(title=f"translation fr->en, {lines} lines, the same one-line prompt")
    for column in ("engine", "tokens", "seconds", "tokens/s", "chrF"):
        table.add_column(column, justify="left" if column == "engine" else "right")
    for result in results:
        table.add_row(result.name, str(result.generated_tokens), f"{result.seconds:.1f}",
                      f"{result.tokens_per_second:.2f}", f"{result.chrf:.2f}")
    return table


def bench(config: Config, config_name: str, overrides: list[str], lines: Path | None, count: int, corpus: Path,
          naive: bool, whole_run: bool, console: Console) -> None:
    """Print the engine comparison and the cold run; the ratios are the lines to read."""
    console.print(f"digest bench on {machine()}; model {config.translate.model}", highlight=False, soft_wrap=True)
    if naive or count:
        sources, references = read_lines(lines, count)
        results = []
        if naive:
            results.append(measure("naive: transformers fp32, batch 1", naive_config(config), sources, references))
        engine = f"{config.translate.engine}, batch {config.translate.batch_size}"
        results.append(measure(f"project: {engine}", config, sources, references))
        console.print(speed_table(results, len(sources)))
        if naive:
            slow, fast = results
            ratio = f"{fast.tokens_per_second / slow.tokens_per_second:.1f}x" if slow.tokens_per_second else "n/a"
            console.print(f"speed-up: {ratio} tokens/s; chrF {fast.chrf - slow.chrf:+.2f} (project minus naive)",
                          highlight=False, soft_wrap=True)
    if whole_run:
        run = cold_run(corpus, config_name, overrides, config.align.languages)
        stages = [StageReport.from_dict(stage) for stage in run.stages]
        console.print(stage_table(stages, "cold run, per stage"))
        console.print(models_table(stages))
        minutes, seconds = divmod(run.seconds, 60)
        console.print(f"cold run of {corpus} ({run.documents} documents, {run.failed} failed, empty store): "
                      f"wall {int(minutes)}:{seconds:04.1f}, peak memory {run.peak_memory_mb / 1024:.2f} GB, "
                      f"{run.with_all_languages}/{run.documents} digests carry {'/'.join(config.align.languages)}",
                      highlight=False, soft_wrap=True)
