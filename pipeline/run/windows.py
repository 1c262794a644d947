"""Which documents go through the model stages together.

The documents after ingest are cut into windows of `run.window`. Each window
passes every remaining stage, and is written out, before the next one starts:
its texts are pooled into large batches, a user sees digests arrive, and a
killed run loses at most the window in flight. A very long document goes in a
window of its own, after the others, so its long work never holds theirs back.
"""
from __future__ import annotations

from pipeline.records import Document

# Past this many characters a document needs a hierarchical summary of several chunks and minutes of work.
LONG_DOCUMENT_CHARS = 20_000


def plan_windows(docs: list[Document], size: int) -> list[list[int]]:
    """Positions of `docs` in the windows they go through, in order; `size` 0 puts the rest in one window."""
    long = [p for p, doc in enumerate(docs) if len(doc.text) > LONG_DOCUMENT_CHARS and not doc.failed]
    ordinary = [p for p in range(len(docs)) if p not in set(long)]
    if size <= 0:
        return [ordinary + long] if docs else []
    windows = [ordinary[start : start + size] for start in range(0, len(ordinary), size)]
    return windows + [[position] for position in long]
