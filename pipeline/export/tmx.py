"""Sentence pairs as TMX 1.4 translation memories, one file per language pair (`fr-en.tmx`, `en-zh.tmx`...).

Each pair is a `<tu>` whose `tuid` is `<doc id>#<unit id>`; `<prop>`s carry the document id (`x-doc-id`),
the kind of pair (`x-kind`: translation or summary), its score (`x-score`, 0-1) and flags (`x-flag`, one
prop per flag), so a CAT tool keeps them beside each segment.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from pipeline.export.pairs import FinishedRun, Pair, by_language_pair
from pipeline.export.xmlfile import XML_LANG, child, write_xml


def write_tmx(run: FinishedRun, folder: Path) -> list[Path]:
    """One `<source>-<target>.tmx` per language pair of `run` in `folder`; returns the files written."""
    return [write_xml(_memory(pairs, source, run.version), folder / f"{source}-{target}.tmx")
            for (source, target), pairs in by_language_pair(run.pairs()).items()]


def _memory(pairs: list[Pair], source: str, version: str) -> ET.Element:
    root = ET.Element("tmx", version="1.4")
    child(root, "header", creationtool="digest", creationtoolversion=version or "unknown", segtype="sentence",
          datatype="plaintext", adminlang="en", srclang=source, **{"o-tmf": "digest-jsonl"})
    body = child(root, "body")
    for pair in pairs:
        unit = child(body, "tu", tuid=f"{pair.doc_id}#{pair.unit_id}", srclang=pair.source_lang)
        child(unit, "prop", pair.doc_id, type="x-doc-id")
        child(unit, "prop", pair.kind, type="x-kind")
        if pair.score is not None:
            child(unit, "prop", f"{pair.score:.4f}", type="x-score")
        for flag in pair.flags:
            child(unit, "prop", flag, type="x-flag")
        for lang, text in ((pair.source_lang, pair.source), (pair.target_lang, pair.target)):
            child(child(unit, "tuv", **{XML_LANG: lang}), "seg", text)
    return root
