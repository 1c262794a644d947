"""The ingest stage: corpus files in, one `Document` per article out.

`doc.text` holds the article body only, paragraphs separated by a blank line;
the title, date and source found in front matter, HTML meta tags, table
columns or the first lines of the text go to their own fields. A file that
cannot be read becomes a Document with `error` set, so a run never loses it.
"""
from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from pipeline.config import Config
from pipeline.reading import boilerplate
from pipeline.reading.encoding import DecodeError, declared_charset, decode
from pipeline.reading.inputs import KINDS, is_dataset, printable_path, slug
from pipeline.reading.markup import (
    clean_line,
    front_matter,
    markdown_blocks,
    paragraphs_from_lines,
    plain,
    unify_newlines,
    wrap_width,
)
from pipeline.reading.rows import RowsError, dataset_rows, file_rows
from pipeline.reading.webpage import html_blocks
from pipeline.records import Document
from pipeline.stages.base import RunContext, Stage
from pipeline.text.checks import without_repeated_blocks

log = logging.getLogger("digest.ingest")

VERSION = 2  # bump when a change alters what ingest produces for the same input (2: repeated paragraphs dropped)
_PART_MARGIN = 16_384  # characters read past ingest.max_chars at first, for the head and boilerplate lines
_HEAD_LINES = 16  # non-blank lines a part holds at least: boilerplate.read_head looks at the first 8 and one more


class IngestError(ValueError):
    """A corpus file that cannot be turned into a document; the message says why."""


class Ingest(Stage):
    """Read corpus files (text, markdown, HTML, JSON lines, JSON, Parquet, saved datasets)."""

    name = "ingest"
    requires: tuple[str, ...] = ()
    provides = ("text", "title", "date", "source")
    # Ids and duplicate flags depend on every file read before: a resumed run that took the first files
    # from the store would give a later file another id or miss its duplicate, so ingest reads them all.
    always_run = True

    def __init__(self, config: Config, context: RunContext | None = None):
        super().__init__(config, context)
        self.settings = config.ingest
        root = self.context.corpus_root
        self.root = Path(root) if root is not None else None  # ids are paths relative to it
        self._ids: dict[str, str] = {}  # doc id -> origin and row, so a re-read keeps its id
        self._contents: dict[str, str] = {}

    def signature(self) -> dict:
        """The settings that change what ingest produces."""
        return {"stage": self.name, "version": VERSION, "settings": asdict(self.settings)}

    def process(self, paths: list[Path]) -> list[Document]:
        """All documents of `paths`, in order; a file or a table may give many documents."""
        return [doc for path in paths for doc in self.read(path)]

    def group_outputs(self, paths: list, docs: list[Document]) -> list[list[Document]]:
        """The documents of each input path, matched by `origin`: one file may hold many documents. A document of
        no input, or an input without any, is an error rather than a silent loss (the runner then retries path by
        path)."""
        if len(paths) == 1:  # every document is this input's, whatever its origin says
            grouped = [docs]
        else:
            origins = [printable_path(path) for path in paths]
            grouped = [[doc for doc in docs if doc.origin == origin] for origin in origins]
        placed = [id(doc) for found in grouped for doc in found]
        unique = set(placed)
        lost = [doc.doc_id for doc in docs if id(doc) not in unique]
        empty = [printable_path(path) for path, found in zip(paths, grouped) if not found]
        if lost or empty or len(placed) != len(docs):
            raise RuntimeError(f"ingest's documents do not match its inputs one to one (documents of no input: "
                               f"{', '.join(lost) or 'none'}; inputs without a document: {', '.join(empty) or 'none'}); "
                               "please report this bug in ingest")
        return grouped

    def read(self, path: Path) -> list[Document]:
        """The documents of one input; an unreadable one gives a single failed Document."""
        path = Path(path)
        try:
            docs = self._read(path)
        except Exception as exc:  # no input may stop the run: its problem is recorded instead
            log.debug("reading %s failed", path, exc_info=True)
            docs = [self._failed(printable_path(path), slug(self._relative(path)), _problem(exc))]
        if printable_path(path) != str(path):
            for doc in docs:
                doc.notes.append("file name: not UTF-8; its odd bytes are written as \\xNN in the id and origin")
        return [self._register(doc) for doc in docs]

    def _relative(self, path: Path) -> str:
        root = self.root if self.root is not None else Path.cwd()
        try:
            relative = path.resolve().relative_to(root.resolve())
        except ValueError:
            return printable_path(path.name)
        return printable_path(relative.as_posix() if relative.parts else path.name)

    def _read(self, path: Path) -> list[Document]:
        relative = self._relative(path)
        if is_dataset(path):
            return self._documents_from_rows(path, relative, dataset_rows(path), "dataset")
        kind = KINDS.get(path.suffix.lower(), "text")
        if kind in ("jsonl", "json", "parquet"):
            return self._documents_from_rows(path, relative, file_rows(path, kind), kind)
        data = path.read_bytes()
        if not data:
            raise IngestError("is empty (0 bytes); add text or remove the file")
        text, encoding_note = decode(data, declared_charset(data) if kind == "html" else None)
        if not text.strip():
            raise IngestError("contains only whitespace; add text or remove the file")
        found, meta, blocks, notes = _parse(text, kind)
        notes = ([encoding_note] if encoding_note else []) + notes
        meta = {"format": kind, **meta}
        return [self._document(slug(relative), printable_path(path), blocks, found, notes, meta, prose=kind == "text")]

    def _document(self, doc_id: str, origin: str, lines: list[str], found: dict, notes: list[str],
                  meta: dict, prose: bool) -> Document:
        """Clean, take the head, strip boilerplate, build paragraphs, truncate."""
        head, paragraphs, unread = self._read_lines(lines, found, notes, prose)
        for note in notes:
            if note.startswith("repeats:"):
                log.warning("%s: %s", doc_id, note)
        if not paragraphs and head["title"]:
            paragraphs = [head["title"]]  # a one-line text is its own body, not just a title
        if not paragraphs:
            failed = self._failed(origin, doc_id, "has no text left after removing boilerplate; "
                                  "check the file or set ingest.strip_boilerplate: false")
            failed.meta = meta
            return failed
        flags: list[str] = []
        paragraphs = self._truncate(doc_id, paragraphs, notes, flags, unread)
        return Document(doc_id=doc_id, text="\n\n".join(paragraphs), origin=origin, meta=meta,
                        notes=notes, flags=flags, **head)

    def _read_lines(self, lines: list[str], found: dict, notes: list[str],
                    prose: bool) -> tuple[dict, list[str], int]:
        """(head, paragraphs, characters left unread) of the first part of `lines` (parts grow by doubling) whose
        paragraphs are the whole text's up to ingest.max_chars and past it: a text far over the limit is not
        cleaned to its end, which for a 5 MB article was most of the time ingest took."""
        limit, cleaned = self.settings.max_chars, []
        for size in _part_sizes(lines, limit, prose):
            cleaned += ["\n".join(clean_line(part) for part in line.split("\n")) for line in lines[len(cleaned):size]]
            head = {key: clean_line(found.get(key, "")) for key in ("title", "date", "source")}
            body = boilerplate.read_head(cleaned, head)
            removed: Counter = Counter()
            if self.settings.strip_boilerplate:
                body, removed = boilerplate.strip_lines(body)
            paragraphs = paragraphs_from_lines(body) if prose else [line for line in body if line.strip()]
            paragraphs, repeats = without_repeated_blocks(paragraphs)
            whole = size == len(lines)
            if whole or (len("\n\n".join(paragraphs)) > limit and _cut_keeps_paragraphs(body, lines[size], prose)):
                break
        if removed:
            kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(removed.items()))
            notes.append(f"boilerplate: removed {sum(removed.values())} line(s) ({kinds})")
        if repeats:
            notes.append(f"repeats: dropped {repeats} paragraph(s) that repeat an earlier one word for word")
        return head, paragraphs, 0 if whole else sum(len(line) + 1 for line in lines[size:])

    def _truncate(self, doc_id: str, paragraphs: list[str], notes: list[str], flags: list[str],
                  unread: int = 0) -> list[str]:
        limit = self.settings.max_chars
        total = len("\n\n".join(paragraphs)) + unread
        if total <= limit:
            return paragraphs
        kept: list[str] = []
        for paragraph in paragraphs:
            if len("\n\n".join(kept + [paragraph])) > limit:
                break
            kept.append(paragraph)
        kept = kept or [_cut(paragraphs[0], limit)]
        size = len("\n\n".join(kept))
        message = f"truncated: kept {size} of {'about ' if unread else ''}{total} characters"
        notes.append(f"{message} (ingest.max_chars={limit}, cut at a paragraph boundary"
                     f"{'; the rest was not read' if unread else ''})")
        flags.append(message)
        log.warning("%s: %s; raise ingest.max_chars to keep more", doc_id, message)
        return kept

    def _failed(self, origin: str, doc_id: str, problem: str) -> Document:
        # The runner logs failed documents; logging here too would say it twice.
        return Document(doc_id=doc_id, text="", origin=origin, error=f"{origin}: {problem}", failed_stage="ingest")

    def _register(self, doc: Document) -> Document:
        """Make the id unique and flag a text already seen under another id."""
        base, number = doc.doc_id, 1
        unit = f"{doc.origin}#{doc.meta.get('row', '')}"
        while self._ids.get(doc.doc_id, unit) != unit:
            number += 1
            doc.doc_id = f"{base}~{number}"
        if doc.doc_id != base:
            doc.notes.append(f"id: {base} is already used by {self._ids[base]}; renamed")
        self._ids[doc.doc_id] = unit
        if doc.failed:
            return doc
        first = self._contents.setdefault(hashlib.sha256(doc.text.encode()).hexdigest(), doc.doc_id)
        if first != doc.doc_id:
            doc.flags.append(f"duplicate of {first}")
            doc.notes.append(f"duplicate of {first}: same text, kept both")
        return doc

    def _documents_from_rows(self, path: Path, relative: str, rows: list[tuple[str, dict | str]],
                             kind: str) -> list[Document]:
        """One document per row; a row given as a str is the problem that row has."""
        column = self.settings.text_column
        objects = [row for _, row in rows if isinstance(row, dict)]
        if not rows:
            raise IngestError("has no rows; add rows or remove the file")
        if objects and not any(column in row for row in objects):
            names = ", ".join(sorted({plain(key) for row in objects for key in row}))
            raise IngestError(f"has no '{column}' column (columns: {names}); set ingest.text_column")
        return [self._row_document(path, slug(relative), key, row, kind) for key, row in rows]

    def _row_document(self, path: Path, base: str, key: str, row: dict | str, kind: str) -> Document:
        config, origin = self.settings, printable_path(path)
        ident = plain(row.get(config.id_column)) if isinstance(row, dict) else ""
        doc_id = f"{base}#{slug(ident) if ident else key}"
        if isinstance(row, str):
            failed = self._failed(origin, doc_id, f"row {key}: {row}")
        elif not plain(row.get(config.text_column)):
            failed = self._failed(origin, doc_id, f"row {key} has no text in '{config.text_column}'; "
                                  "fill it or drop the row")
        else:
            found = {name: plain(row.get(getattr(config, f"{name}_column"))) for name in ("title", "date", "source")}
            lines = unify_newlines(plain(row[config.text_column])).split("\n")
            return self._document(doc_id, origin, lines, found, [], {"format": kind, "row": key}, prose=True)
        failed.meta["row"] = key
        return failed


def _problem(exc: Exception) -> str:
    if isinstance(exc, (IngestError, RowsError)):
        return str(exc)
    if isinstance(exc, DecodeError):
        return f"{exc}; convert it to UTF-8 text or remove it from the corpus"
    return f"could not be read ({type(exc).__name__}: {exc}); check or remove the file"


def _part_sizes(lines: list[str], limit: int, prose: bool) -> list[int]:
    """How many lines to read in turn: about `limit` characters and a margin, twice as many, ..., then all.

    Each part ends where a cut is likely clean (see `_cut_keeps_paragraphs`) and holds at least _HEAD_LINES
    non-blank lines, so the head (title, date, source) is read as from the whole.
    """
    target, total, filled, sizes = limit + max(limit // 4, _PART_MARGIN), 0, 0, []
    for count, line in enumerate(lines[:-1], 1):
        total += len(line) + 1
        filled += filled < _HEAD_LINES and bool(line.strip())
        following = lines[count]
        likely_clean = not prose or not following.strip() or (count >= 2 and not wrap_width(lines[count - 2]))
        if total >= target and filled >= _HEAD_LINES and likely_clean:
            sizes.append(count)
            target *= 2
    return sizes + [len(lines)]


def _cut_keeps_paragraphs(body: list[str], following: str, prose: bool) -> bool:
    """Whether the paragraphs of `body` (lines cut before the raw line `following`) are those the whole text
    starts with: a cut at a blank line ends a block; a block that holds a line of no hard-wrap width (besides its
    last) is one paragraph per line, however far it goes on."""
    if not prose or not clean_line(following):
        return True
    start = max((n for n, line in enumerate(body) if not line.strip()), default=-1) + 1
    block = body[start:]
    return not block or any(not wrap_width(line) for line in block[:-1])


def _cut(paragraph: str, limit: int) -> str:
    """The longest start of `paragraph` within `limit` that ends at a space or a CJK stop."""
    head = paragraph[:limit]
    stop = max(head.rfind(" "), *(head.rfind(mark) + 1 for mark in "。！？；"))
    return head[:stop].rstrip() if stop > limit // 2 else head


def _parse(text: str, kind: str) -> tuple[dict, dict, list[str], list[str]]:
    """(title/date/source found, extra meta, lines or blocks, notes) of a decoded text file."""
    text = unify_newlines(text)
    if kind == "html":
        found, meta, blocks = html_blocks(text)
        return found, meta, blocks, []
    fields, body, note = front_matter(text)
    found = {key: fields.pop(key, "") for key in ("title", "date", "source")}
    lines = markdown_blocks(body) if kind == "markdown" else body.split("\n")
    return found, fields, lines, [note] if note else []
