"""The `digest` command: run the pipeline or one stage, manage models, evaluate, benchmark."""
from __future__ import annotations

import logging
import os
import sys
from enum import Enum
from importlib import metadata
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from pipeline.config import Config, ConfigError, load_config
from pipeline.registry.cli import models_app
from pipeline.run.report import models_table, stage_table
from pipeline.stages import STAGES
from pipeline.terminal import console, fail

app = typer.Typer(help="Translate and summarize multilingual news into parallel bilingual digests.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
app.add_typer(models_app, name="models")

ConfigOption = typer.Option("default", "--config", "-c", help="A config name from configs/ or a YAML path.")
SetOption = typer.Option(None, "--set", help="Override a config value: KEY.PATH=VALUE (repeatable).")
OutOption = typer.Option(Path("out"), "--out", "-o", help="Output folder (digests, store, site).")
CorpusArgument = typer.Argument(..., help="A corpus folder, a file, or a saved HF dataset.", show_default=False)
ForceOption = typer.Option(False, "--force", help="Redo all work, ignoring the results stored in OUT/store.sqlite.")
ProgressOption = typer.Option(True, "--progress/--no-progress", help="Show a progress bar per stage.")
ExportOption = typer.Option(None, "--export", help="At the end, export the run as tmx, xliff, parquet or hf "
                                                  "(repeatable or comma-separated; see `digest export`).")
GlossaryOption = typer.Option(None, "--glossary", help="A glossary (TSV or CSV with a header of language codes, "
                                                      "see README), or a bundled one by name (news); repeatable.")


class Engine(str, Enum):
    """Where the stages run."""

    local = "local"
    ray = "ray"


def _print_version(asked: bool) -> None:
    if asked:
        try:
            version = metadata.version("digest")
        except metadata.PackageNotFoundError:
            version = "unknown (not installed; run `pip install -e .`)"
        typer.echo(f"digest {version}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                      help="Print the version and exit."),
         verbose: int = typer.Option(0, "--verbose", "-v", count=True,
                                     help="Log more: -v each step (INFO), -vv debug detail."),
         quiet: bool = typer.Option(False, "--quiet", "-q", help="Log errors only.")) -> None:
    """Translate and summarize multilingual news into parallel bilingual digests."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if quiet:
        logging.getLogger().setLevel(logging.ERROR)
    # NOTSET by default: digest's loggers then follow the root's level, as they do outside the command
    level = logging.ERROR if quiet else {0: logging.NOTSET, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.getLogger("digest").setLevel(level)


def _check_paths(corpus: Path, out: Path) -> None:
    """Refuse a missing corpus or an unusable output folder before anything is installed, loaded or written."""
    if not corpus.exists():
        fail(f"corpus {corpus}: no such file or folder")
    if not os.access(corpus, os.R_OK):
        fail(f"corpus {corpus}: not readable")
    existing = next(path for path in (out.absolute(), *out.absolute().parents) if path.exists())
    if not existing.is_dir():
        fail(f"--out {out}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        fail(f"--out {out}: {existing} is not writable")


def _config(name: str, overrides: Optional[list[str]]) -> Config:
    try:
        return load_config(name, overrides or [])
    except ConfigError as error:
        fail(f"config: {error}")


def _models_of(config: Config, until: str) -> list[str]:
    stages = list(STAGES)
    names = []
    if stages.index(until) >= stages.index("translate"):
        names += [config.translate.model, *config.translate.pairs.values()]
    if stages.index(until) >= stages.index("summarize"):
        names.append(config.summarize.model)
    return names


def _with_glossaries(config: Config, glossaries: Optional[list[str]]) -> Config:
    """`config` with the --glossary files after its own, each read and checked now (before any install, load
    or write) and named by its absolute path, the way every stage will read it."""
    from pipeline.terms.glossary import GlossaryError, config_glossary
    from pipeline.terms.glossary_file import resolve_glossary

    try:
        config_glossary(config, glossaries or [])
    except GlossaryError as error:
        fail(str(error))
    config.glossary = [str(resolve_glossary(path).absolute()) for path in [*config.glossary, *(glossaries or [])]]
    return config


def _run(corpus: Path, out: Path, config_name: str, overrides, until: str, force: bool, engine: str,
         address: Optional[str], progress: bool, exports: Optional[list[str]] = None,
         glossaries: Optional[list[str]] = None) -> None:
    from pipeline.registry.errors import ModelError
    from pipeline.registry.install import ensure_installed

    _check_paths(corpus, out)
    formats = _export_formats(exports) if exports else []
    config = _with_glossaries(_config(config_name, overrides), glossaries)
    try:
        ensure_installed(_models_of(config, until), say=lambda line: console.print(line, highlight=False))
    except ModelError as error:
        fail(f"model install failed: {error}", 3)
    if engine == Engine.ray:
        from pipeline.run.ray_engine import run as run_engine

        report = run_engine(corpus, out, config, until=until, force=force, address=address, progress=progress)
    else:
        from pipeline.run.runner import run as run_engine

        report = run_engine(corpus, out, config, until=until, force=force, progress=progress)
    _print_report(report, out)
    if until == "output":
        from pipeline.publish.site import build_site

        console.print(f"site: {build_site(out) / 'index.html'}")
    if formats:
        _write_exports(out, formats)
    if report.documents and all(doc.failed for doc in report.documents):
        raise typer.Exit(1)


def _export_formats(values: list[str]) -> list[str]:
    from pipeline.export.formats import parse_formats
    from pipeline.export.pairs import ExportError

    try:
        return parse_formats(values)
    except ExportError as error:
        fail(str(error))


def _write_exports(out: Path, formats: list[str]) -> None:
    """Export the run in `out`; the paths written go to stdout, one a line."""
    from pipeline.export.formats import export_run
    from pipeline.export.pairs import ExportError

    try:
        written = export_run(out, formats)
    except ExportError as error:
        fail(str(error), 1)
    for name, paths in written.items():
        if not paths:
            console.print(f"{name}: no sentence pairs in {out}, nothing written", highlight=False)
        for path in paths:
            typer.echo(path)


def _print_report(report, out: Path) -> None:
    docs = report.documents
    failed = [doc for doc in docs if doc.failed]
    languages: dict[str, int] = {}
    for doc in docs:
        for sentence in doc.sentences:
            languages[sentence.lang] = languages.get(sentence.lang, 0) + 1
    title = f"digest: {len(docs)} documents, {sum(languages.values())} sentences -> {out}"
    console.print(stage_table(report.stages, title))
    models = models_table(report.stages)
    if models.row_count:
        console.print(models)
    console.print(f"wall {report.seconds:.1f} s, peak memory {report.peak_memory_mb:.0f} MB")
    for hit in report.budget_hits:
        console.print(f"[yellow]budget[/yellow] {escape(hit.doc_id)} ({hit.window_seconds:.1f} s in a window of "
                      f"{hit.window_documents}): {escape('; '.join(hit.budgets))}", highlight=False, soft_wrap=True)
    console.print("sentences by language: " + ", ".join(f"{k or '?'} {v}" for k, v in sorted(languages.items())))
    for doc in failed:
        console.print(f"[red]failed[/red] {doc.doc_id} ({doc.failed_stage}): {doc.error}")


@app.command()
def run(corpus: Path = CorpusArgument, out: Path = OutOption, config: str = ConfigOption,
        set_: Optional[list[str]] = SetOption, force: bool = ForceOption,
        engine: Engine = typer.Option(Engine.local, help="local, or ray to run the stages on Ray Data."),
        address: Optional[str] = typer.Option(None, help="Ray cluster address (with --engine ray)."),
        progress: bool = ProgressOption, export: Optional[list[str]] = ExportOption,
        glossary: Optional[list[str]] = GlossaryOption) -> None:
    """Run every stage and write one parallel bilingual digest per document."""
    _run(corpus, out, config, set_, "output", force, engine, address, progress, export, glossary)


def _stage_command(stage: str):
    def command(corpus: Path = CorpusArgument, out: Path = OutOption, config: str = ConfigOption,
                set_: Optional[list[str]] = SetOption, force: bool = ForceOption,
                progress: bool = ProgressOption, glossary: Optional[list[str]] = GlossaryOption) -> None:
        _run(corpus, out, config, set_, stage, force, Engine.local, None, progress, glossaries=glossary)

    command.__doc__ = f"Run the stages up to and including `{stage}` (earlier results come from the store)."
    return command


for _stage in list(STAGES)[:-1]:  # the last stage is `digest run`
    app.command(name=_stage)(_stage_command(_stage))


@app.command()
def site(out: Path = typer.Argument(Path("out"), help="A run's output folder.")) -> None:
    """Build (or rebuild) the static HTML site of an existing run into OUT/site/."""
    from pipeline.publish.site import build_site

    try:
        console.print(f"site: {build_site(out) / 'index.html'}")
    except (FileNotFoundError, ValueError) as error:
        fail(str(error), 1)


@app.command()
def export(out: Path = typer.Argument(Path("out"), help="A finished run's output folder (it holds digests.jsonl)."),
           formats: Optional[list[str]] = typer.Option(
               None, "--format", "-f", show_default=False,
               help="tmx, xliff, parquet or hf (repeatable or comma-separated); default: all four.")) -> None:
    """Write a run's sentence pairs and documents under OUT/export/ (TMX, XLIFF, Parquet, HF datasets)."""
    from pipeline.export.formats import FORMATS

    _write_exports(out, _export_formats(formats or list(FORMATS)))


@app.command()
def bench(lines: Optional[Path] = typer.Option(
              None, "--lines", help="A FLORES-200 folder (fra_Latn.txt, eng_Latn.txt) to translate instead of the "
                                    "16 bundled French news lines."),
          count: int = typer.Option(16, "--count", help="How many lines to translate with each engine (0: none)."),
          corpus: Path = typer.Option(Path(__file__).resolve().parents[1] / "corpus", "--corpus",
                                      help="The corpus of the cold run (default: the bundled sample corpus)."),
          naive: bool = typer.Option(True, "--naive/--no-naive", help="Measure the naive transformers baseline."),
          whole_run: bool = typer.Option(True, "--run/--no-run", help="Time a whole cold run of the corpus."),
          config: str = ConfigOption, set_: Optional[list[str]] = SetOption) -> None:
    """Size this machine: the project's engine against naive transformers generation on the same prompts
    (tokens/s, ratio, chrF), then a whole run of a corpus from an empty store (per-stage seconds, peak memory)."""
    from rich.console import Console as StdoutConsole

    from pipeline.bench.command import bench as run_bench
    from pipeline.registry.errors import ModelError
    from pipeline.registry.install import ensure_installed

    if lines is not None and not lines.is_dir():
        fail(f"--lines {lines}: no such folder")
    if whole_run and not corpus.exists():
        fail(f"--corpus {corpus}: no such file or folder")
    settings = _config(config, set_)
    try:
        ensure_installed(_models_of(settings, "output"), say=lambda line: console.print(line, highlight=False))
        run_bench(settings, config, set_ or [], lines, count, corpus, naive, whole_run,
                  StdoutConsole(width=None if sys.stdout.isatty() else 200))
    except (ModelError, FileNotFoundError, ValueError, RuntimeError) as error:
        fail(str(error), 1)


def _mount_optional() -> None:
    """Sub-commands whose modules may pull heavy imports are mounted lazily and only if present."""
    try:
        from pipeline.evaluate.cli import evaluate_app

        app.add_typer(evaluate_app, name="evaluate", help="Evaluate translation, summaries, language ID, alignment.")
    except ImportError as error:  # pragma: no cover - only while a module is missing
        print(f"digest: evaluate unavailable ({error})", file=sys.stderr)


_mount_optional()
