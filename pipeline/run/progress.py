"""Progress bars, one per stage for the whole run (rich); silent when disabled."""
from __future__ import annotations

from contextlib import contextmanager


class RunProgress:
    """A bar per stage whose total grows as windows of documents reach it."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.bars = None
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> RunProgress:
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            columns = (TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            self.bars = Progress(*columns, transient=False)
            self.bars.start()
        return self

    def __exit__(self, *_) -> None:
        if self.bars is not None:
            self.bars.stop()
            self.bars = None

    def expect(self, stage: str, count: int) -> None:
        """`count` more documents will go through `stage`."""
        if self.bars is None or not count:
            return
        if stage not in self.tasks:
            self.tasks[stage] = self.bars.add_task(stage, total=0)
        task = self.tasks[stage]
        self.bars.update(task, total=self.bars.tasks[task].total + count)

    def advance(self, stage: str, count: int) -> None:
        if self.bars is not None and stage in self.tasks:
            self.bars.advance(self.tasks[stage], count)


@contextmanager
def stage_progress(name: str, total: int, enabled: bool = True):
    """One bar for one piece of work of `total` items: yields an `advance(n)` callable."""
    with RunProgress(enabled) as bars:
        bars.expect(name, total)
        yield lambda count: bars.advance(name, count)
