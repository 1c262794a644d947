"""What every stage shares: its declared contract, clean input copies, one result per input, a signature.

A stage fills small hooks (`load`, `signature`, `process`, and where it needs
them `group_outputs` and `finish`); the runner calls only what this base defines.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import ClassVar

from pipeline.config import Config
from pipeline.records import Document, Paragraph, Sentence

# The names `requires` and `provides` may use: fields of the records that flow through the stages.
RECORD_FIELDS = frozenset(f.name for record in (Document, Paragraph, Sentence) for f in fields(record))


@dataclass
class RunContext:
    """What a stage may need of its run besides the config: where it reads and writes, what it is made with."""

    corpus_root: Path | None = None  # document ids are input paths relative to it (default: the working folder)
    out_dir: Path = Path("out")
    signature: dict = field(default_factory=dict)  # the run signature, set by the runner once every stage exists


class Stage:
    """One step of the pipeline: documents in, the same documents out with the fields it `provides` set."""

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ()  # record fields an earlier stage must provide
    provides: ClassVar[tuple[str, ...]] = ()  # record fields this stage sets
    # Runs every time, with nothing looked up or stored (its results depend on more than one input, or it
    # writes files a user may have deleted); it also sees documents an earlier stage failed.
    always_run: ClassVar[bool] = False

    def __init__(self, config: Config, context: RunContext | None = None):
        """Cheap: never loads a model (`load` does, once the runner knows there is work)."""
        self.config = config
        self.context = context or RunContext()

    def load(self) -> None:
        """Load models; called once, and only when the stage has work to do."""

    def signature(self) -> dict:
        """The models (name, revision or sha256) and settings that change this stage's outputs."""
        raise NotImplementedError(f"stage {self.name} must say what its outputs depend on")

    def process(self, items: list) -> list[Document]:
        """The hook: process copies of the inputs; their documents come back, in input order."""
        raise NotImplementedError(f"stage {self.name} has no process()")

    def finish(self, docs: list[Document]) -> None:
        """Called once every document of the run has passed this stage (a run-level file, say)."""

    def process_batch(self, items: list) -> list[Document]:
        """Every output document of `items`, in input order (a retried batch starts from clean inputs)."""
        return [doc for docs in self.process_grouped(items) for doc in docs]

    def process_grouped(self, items: list) -> list[list[Document]]:
        """The output documents of each input, in input order."""
        return self.group_outputs(items, self.process([copy.deepcopy(item) for item in items]))

    def group_outputs(self, items: list, outputs: list[Document]) -> list[list[Document]]:
        """One document per input: anything else is this stage's bug, and says so."""
        if len(outputs) != len(items):
            raise RuntimeError(f"{self.name} returned {len(outputs)} records for {len(items)} inputs")
        return [[doc] for doc in outputs]


def contract_gaps(stages: list[type[Stage]]) -> list[str]:
    """Every broken promise of a chain of stage classes: a required field no earlier stage provides, or a
    declared name that is no record field. Empty when the chain holds together."""
    gaps, provided = [], set()
    for stage in stages:
        for kind, names in (("requires", stage.requires), ("provides", stage.provides)):
            gaps += [f"{stage.name} {kind} {name!r}, which is no field of Document, Paragraph or Sentence"
                     for name in names if name not in RECORD_FIELDS]
        gaps += [f"{stage.name} requires {name!r}, which no stage before it provides"
                 for name in stage.requires if name in RECORD_FIELDS and name not in provided]
        provided.update(stage.provides)
    return gaps
