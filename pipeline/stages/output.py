"""Stage `output`: one JSON and one Markdown digest per document, and `digests.jsonl`.

Every file is written to a temporary name and renamed, so a reader (or a killed
run) never sees half a file. Article text is escaped in Markdown so it cannot
inject markup into whatever renders the digest.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from pipeline.config import Config
from pipeline.files import write_atomic
from pipeline.records import Document

SCHEMA = "digest/1"
LANGUAGE_NAMES = {"en": "English", "fr": "French", "zh": "Chinese"}


def file_stem(doc_id: str) -> str:
    """A safe, unique file name for any document id (unicode kept, separators and oddities replaced)."""
    readable = re.sub(r"[^\w.-]+", "_", doc_id, flags=re.UNICODE).strip("._")[:80] or "document"
    return f"{readable}-{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()[:8]}"


def digest_record(doc: Document, run: dict) -> dict:
    return {"schema": SCHEMA, "status": "failed" if doc.failed else "ok", **doc.to_dict(), "run": run}


class Output:
    """Write the digests of a run under `out_dir/digests/`."""

    name = "output"
    requires = ("summary", "alignments")
    provides = ()
    always_run = True  # files are cheap to write and may have been deleted since the last run

    def __init__(self, config: Config, out_dir: Path | None = None, run: dict | None = None):
        self.config = config
        self.out_dir = Path(out_dir or "out")
        self.run = run or {}

    def load(self) -> None:
        """Make the digests folder and remove the temp files a killed run left behind."""
        (self.out_dir / "digests").mkdir(parents=True, exist_ok=True)
        for folder in (self.out_dir, self.out_dir / "digests"):
            for temp in folder.glob(".*.tmp"):
                temp.unlink(missing_ok=True)

    def signature(self) -> dict:
        return {"schema": SCHEMA}

    def process_batch(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            stem = self.out_dir / "digests" / file_stem(doc.doc_id)
            record = json.dumps(digest_record(doc, self.run), ensure_ascii=False, indent=2)
            write_atomic(stem.with_name(stem.name + ".json"), record)
            write_atomic(stem.with_name(stem.name + ".md"), render_markdown(doc))
        return docs

    def finish(self, docs: list[Document]) -> None:
        """The run-level files, once every document is through."""
        lines = [json.dumps(digest_record(doc, self.run), ensure_ascii=False) for doc in docs]
        write_atomic(self.out_dir / "digests.jsonl", "\n".join(lines) + "\n")
        write_atomic(self.out_dir / "run.json", json.dumps(self.run, ensure_ascii=False, indent=2))


def md_code(text: str) -> str:
    """`text` as a Markdown code span: shown as is, so no escaping, but fenced by more backticks than it holds."""
    text = " ".join(text.split())
    fence = "`" * (max(map(len, re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_cell(text: str) -> str:
    """Article text made inert inside a Markdown table cell."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]|#!])", r"\\\1", text)
    return " ".join(text.split())


def render_markdown(doc: Document) -> str:
    title = md_cell(doc.title_english or doc.title or doc.doc_id)
    lines = [f"# {title}", ""]
    if doc.title and doc.title != doc.title_english:
        lines += [f"*{md_cell(doc.title)}*", ""]
    meta = [f"id {md_code(doc.doc_id)}", doc.date and f"date {md_cell(doc.date)}",
            doc.source and f"source {md_cell(doc.source)}",
            f"languages {', '.join(f'{k} ({v})' for k, v in doc.languages.items()) or 'unknown'}"
            + (" — mixed" if doc.mixed else "")]
    lines += [" · ".join(m for m in meta if m), ""]
    if doc.failed:
        return "\n".join(lines + [f"**Error in stage {doc.failed_stage}:** {md_cell(doc.error)}", ""])
    lines += _notes(doc)
    lines += ["## Summary", "", f"*{md_cell(doc.summary_method)}*", ""]
    for target, pairs in doc.alignments.items():
        name = LANGUAGE_NAMES.get(target, target)
        lines += [f"### English | {name}", "", f"| English | {name} | score |", "|---|---|---|"]
        lines += [f"| {md_cell(p.english_text)} | {md_cell(p.other_text)} | {p.score:.2f} |" for p in pairs]
        lines.append("")
    lines += _source_table(doc)
    return "\n".join(lines)


def _notes(doc: Document) -> list[str]:
    items = [*doc.notes, *doc.flags]
    return (["## Notes", ""] + [f"- {md_cell(item)}" for item in items] + [""]) if items else []


def _source_table(doc: Document) -> list[str]:
    lines = ["## Source | English", "", "| # | lang | source | English | quality |", "|---|---|---|---|---|"]
    for s in doc.sentences:
        quality = "" if s.quality is None else f"{s.quality:.2f}"
        if s.flags:
            quality += " ⚠ " + md_cell(", ".join(s.flags))
        english = "" if s.english == s.text else md_cell(s.english)
        lines.append(f"| {s.index} | {s.lang} | {md_cell(s.text)} | {english} | {quality} |")
    return lines + [""]
