"""What the commands print on: one stderr console, and the one-line error that ends a command."""
from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

console = Console(stderr=True, width=None if sys.stderr.isatty() else 200)  # a log file gets whole table rows


def fail(message: str, code: int = 2) -> NoReturn:
    """Print `message` as one line and leave with exit status `code`."""
    console.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)
    raise typer.Exit(code)
