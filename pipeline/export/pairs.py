"""The sentence pairs of a finished run, read back from its `digests.jsonl`.

Two kinds of pair come out of a digest: `translation`, each source sentence and its English translation
(with the sentence's quality estimate and flags), and `summary`, each aligned link between the English
summary and its French or Chinese render (with the link's score and the render's flags). English source
sentences, sentences without letters and failed documents give no pairs.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.records import PIVOT, UNDETERMINED, Document

SCHEMA = "digest/1"  # the digest records this reads (written by the output stage)


class ExportError(ValueError):
    """A run folder that cannot be exported; the message names the file and the problem."""


@dataclass
class Pair:
    """One source text and its target, as a row of the pairs table and a unit of a TMX or XLIFF file."""

    doc_id: str
    kind: str  # "translation" | "summary"
    index: int  # the source sentence's index, or the link's position among the render's links
    source_lang: str
    target_lang: str
    source: str
    target: str
    score: float | None  # the quality estimate (0-1); a summary pair of a digest written before estimates: its match score
    flags: list[str] = field(default_factory=list)

    @property
    def unit_id(self) -> str:
        """An id unique within the document: `s3` for sentence 3, `a3` for the fourth summary link."""
        return f"{'s' if self.kind == 'translation' else 'a'}{self.index}"


@dataclass
class FinishedRun:
    """The documents of a run folder, in run order, and the digest version that wrote them."""

    folder: Path
    documents: list[Document]
    version: str = ""

    def pairs(self) -> list[Pair]:
        return [pair for doc in self.documents if not doc.failed for pair in document_pairs(doc)]


def read_run(out: Path) -> FinishedRun:
    """The digests of the run folder `out` (its `digests.jsonl`), or an ExportError naming what is wrong."""
    out = Path(out)
    path = out / "digests.jsonl"
    if not out.is_dir():
        raise ExportError(f"{out}: no such folder")
    if not path.is_file():
        raise ExportError(f"{path}: not found; export reads a finished run (`digest run CORPUS --out {out}`)")
    documents, version = [], ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            record = _record(line, f"{path}:{number}")
            documents.append(_document(record, f"{path}:{number}"))
            version = version or str(((record.get("run") or {}).get("packages") or {}).get("digest", ""))
    return FinishedRun(out, documents, version)


def _record(line: str, where: str) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ExportError(f"{where}: not JSON ({error}); rerun `digest run` to rewrite it") from None
    if not isinstance(record, dict) or record.get("schema") != SCHEMA:
        found = record.get("schema") if isinstance(record, dict) else type(record).__name__
        raise ExportError(f"{where}: not a {SCHEMA} digest (schema {found!r}); rerun `digest run` to rewrite it")
    return record


def _document(record: dict, where: str) -> Document:
    try:
        return Document.from_dict(record)
    except (TypeError, KeyError, AttributeError) as error:
        raise ExportError(f"{where}: a digest record with fields out of place ({error})") from None


def document_pairs(doc: Document) -> list[Pair]:
    """The translation pairs, then the summary pairs, of one digested document."""
    pairs = [Pair(doc.doc_id, "translation", s.index, s.lang, PIVOT, s.text, s.english, s.quality, list(s.flags))
             for s in doc.sentences if s.lang not in ("", UNDETERMINED, PIVOT) and s.english.strip()]
    for lang, links in doc.alignments.items():
        flags = [flag for flag in doc.flags if flag.startswith((f"render-{lang}-", f"align-{lang}:"))]
        pairs += [Pair(doc.doc_id, "summary", position, PIVOT, lang, link.english_text, link.other_text,
                       link.score if link.quality is None else link.quality, [*link.flags, *flags])
                  for position, link in enumerate(links) if lang != PIVOT]
    return pairs


def by_language_pair(pairs: list[Pair]) -> dict[tuple[str, str], list[Pair]]:
    """`pairs` grouped by (source language, target language), in their order."""
    groups: dict[tuple[str, str], list[Pair]] = {}
    for pair in pairs:
        groups.setdefault((pair.source_lang, pair.target_lang), []).append(pair)
    return groups
