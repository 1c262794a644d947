"""A digest as Markdown, and the file names digests are written under.

Article text is escaped so it cannot inject markup into whatever renders the
digest.
"""
from __future__ import annotations

import hashlib
import re

from pipeline.records import Document

LANGUAGE_NAMES = {"en": "English", "fr": "French", "zh": "Chinese"}


def file_stem(doc_id: str) -> str:
    """A safe, unique file name for any document id (unicode kept, separators and oddities replaced)."""
    readable = re.sub(r"[^\w.-]+", "_", doc_id, flags=re.UNICODE).strip("._")[:80] or "document"
    return f"{readable}-{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()[:8]}"


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


def render_markdown(doc: Document, low: float = 0.5) -> str:
    """The digest as Markdown; quality estimates under `low` are marked as the site marks them."""
    # views reads this module's names: imported here, when both are loaded
    from pipeline.publish.views import pair_mark, quality_text

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
        lines += [f"### English | {name}", "", f"| English | {name} | quality |", "|---|---|---|"]
        lines += [f"| {md_cell(p.english_text)} | {md_cell(p.other_text)} | {md_cell(quality_text(pair_mark(p, low)))} |"
                  for p in pairs]
        lines.append("")
    lines += _source_table(doc, low)
    return "\n".join(lines)


def _notes(doc: Document) -> list[str]:
    items = [*doc.notes, *doc.flags]
    return (["## Notes", ""] + [f"- {md_cell(item)}" for item in items] + [""]) if items else []


def _source_table(doc: Document, low: float) -> list[str]:
    from pipeline.publish.views import quality_mark, quality_text

    lines = ["## Source | English", "", "| # | lang | source | English | quality |", "|---|---|---|---|---|"]
    for s in doc.sentences:
        quality = md_cell(quality_text(quality_mark(s.quality, low, s.flags)))
        english = "" if s.english == s.text else md_cell(s.english)
        lines.append(f"| {s.index} | {s.lang} | {md_cell(s.text)} | {english} | {quality} |")
    return lines + [""]
