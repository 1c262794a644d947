"""Progress bars per stage (rich), silent when disabled or not on a terminal."""
from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def stage_progress(name: str, total: int, enabled: bool = True):
    """Yield an `advance(n)` callable that moves the stage's bar."""
    if not enabled:
        yield lambda n: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task(name, total=total)
        yield lambda n: bar.advance(task, n)
