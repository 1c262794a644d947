"""Stage `output`: one JSON and one Markdown digest per document, and `digests.jsonl`.

Every file is written to a temporary name and renamed, so a reader (or a killed
run) never sees half a file. The Markdown comes from `pipeline.publish.markdown`.
"""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.config import Config
from pipeline.files import write_atomic
from pipeline.publish.markdown import file_stem, render_markdown
from pipeline.records import Document
from pipeline.stages.base import RunContext, Stage

SCHEMA = "digest/1"


def digest_record(doc: Document, run: dict) -> dict:
    return {"schema": SCHEMA, "status": "failed" if doc.failed else "ok", **doc.to_dict(), "run": run}


class Output(Stage):
    """Write the digests of a run under `out_dir/digests/`."""

    name = "output"
    requires = ("summary", "alignments")
    provides = ()
    always_run = True  # files are cheap to write and may have been deleted since the last run

    def __init__(self, config: Config, context: RunContext | None = None):
        super().__init__(config, context)
        self.out_dir = Path(self.context.out_dir)

    @property
    def run(self) -> dict:
        """The run signature each digest carries: the stages that made its content, so not this one."""
        signature = self.context.signature
        if self.name not in signature.get("stages", {}):
            return signature
        return {**signature, "stages": {name: stage for name, stage in signature["stages"].items()
                                        if name != self.name}}

    def load(self) -> None:
        """Make the digests folder and remove the temp files a killed run left behind."""
        (self.out_dir / "digests").mkdir(parents=True, exist_ok=True)
        for folder in (self.out_dir, self.out_dir / "digests"):
            for temp in folder.glob(".*.tmp"):
                temp.unlink(missing_ok=True)

    def signature(self) -> dict:
        return {"schema": SCHEMA}

    def process(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            stem = self.out_dir / "digests" / file_stem(doc.doc_id)
            record = json.dumps(digest_record(doc, self.run), ensure_ascii=False, indent=2)
            write_atomic(stem.with_name(stem.name + ".json"), record)
            write_atomic(stem.with_name(stem.name + ".md"), render_markdown(doc))
        return docs

    def finish(self, docs: list[Document]) -> None:
        """`digests.jsonl` of the documents through so far (after each window; the runner writes `run.json`)."""
        lines = [json.dumps(digest_record(doc, self.run), ensure_ascii=False) for doc in docs]
        write_atomic(self.out_dir / "digests.jsonl", "\n".join(lines) + "\n")


