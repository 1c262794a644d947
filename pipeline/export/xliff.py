"""Sentence pairs as XLIFF 2.0 files for review and post-editing, one file per language pair (`fr-en.xlf`...).

XLIFF 2.0 names one source and one target language per file, so each language pair gets its own; inside,
one `<file>` per document (`original` is its id) and one `<unit>` per pair, with `<note>`s for the score,
the kind of pair and each flag. A flagged pair's segment is `initial` (CAT tools show it as needing work);
the others are `translated`.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from pipeline.export.pairs import FinishedRun, Pair, by_language_pair
from pipeline.export.xmlfile import child, write_xml

NAMESPACE = "urn:oasis:names:tc:xliff:document:2.0"


def write_xliff(run: FinishedRun, folder: Path) -> list[Path]:
    """One `<source>-<target>.xlf` per language pair of `run` in `folder`; returns the files written."""
    return [write_xml(_xliff(pairs, source, target), folder / f"{source}-{target}.xlf")
            for (source, target), pairs in by_language_pair(run.pairs()).items()]


def _xliff(pairs: list[Pair], source: str, target: str) -> ET.Element:
    # the namespace is written as a plain attribute: ElementTree's own handling would prefix every name
    root = ET.Element("xliff", xmlns=NAMESPACE, version="2.0", srcLang=source, trgLang=target)
    documents: dict[str, ET.Element] = {}
    for pair in pairs:
        if pair.doc_id not in documents:
            documents[pair.doc_id] = child(root, "file", id=f"d{len(documents) + 1}", original=pair.doc_id)
        _unit(documents[pair.doc_id], pair)
    return root


def _unit(file: ET.Element, pair: Pair) -> None:
    unit = child(file, "unit", id=pair.unit_id)
    notes = child(unit, "notes")
    child(notes, "note", pair.kind, category="kind")
    if pair.score is not None:
        child(notes, "note", f"{pair.score:.4f}", category="score")
    for flag in pair.flags:
        child(notes, "note", flag, category="flag")
    segment = child(unit, "segment", state="initial" if pair.flags else "translated")
    child(segment, "source", pair.source)
    child(segment, "target", pair.target)
