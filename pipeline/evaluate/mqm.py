"""Expert MQM error annotations (Google's WMT format) read into one human score per translated segment.

A file has a header line and one tab-separated row per error: system, doc,
doc_id, seg_id, rater, source, target, category, severity, with the error's
span marked `<v>..</v>` in the source or target; a clean segment has one
`No-error` row. A segment's score is minus the weighted sum of its errors
(Google's weights: Major 5, Minor 1, Minor Fluency/Punctuation 0.1,
Non-translation 25; Neutral and No-error 0), averaged over its raters: 0 is
perfect, lower is worse.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("system", "doc", "doc_id", "seg_id", "rater", "source", "target", "category", "severity")
MAJOR, MINOR, NON_TRANSLATION, MINOR_PUNCTUATION = 5.0, 1.0, 25.0, 0.1
NO_WEIGHT = {"no-error", "neutral"}
SPAN_MARKS = re.compile(r"</?v>")


@dataclass
class Segment:
    """One system's translation of one source segment, with its human score."""

    system: str
    doc: str
    seg_id: str
    source: str
    target: str
    score: float
    raters: int

    @property
    def source_key(self) -> tuple[str, str]:
        """The source segment this is a translation of: systems' segments with one key share a source."""
        return self.doc, self.seg_id


def error_weight(category: str, severity: str) -> float:
    """The weight of one annotated error."""
    severity, category = severity.strip().lower(), category.strip().lower()
    if severity in NO_WEIGHT or category in NO_WEIGHT:
        return 0.0
    if category.startswith("non-translation"):
        return NON_TRANSLATION
    if severity == "major":
        return MAJOR
    if severity == "minor":
        return MINOR_PUNCTUATION if category == "fluency/punctuation" else MINOR
    raise ValueError(f"unknown MQM severity {severity!r} (expected Major, Minor, Neutral or No-error)")


def read_mqm(path: Path) -> list[Segment]:
    """The scored segments of an MQM file, in the order each first appears."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no such file; check the path") from None
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 ({error.reason} at byte {error.start}); convert it to UTF-8") from None
    header = lines[0].rstrip("\r").split("\t")
    if tuple(header) != COLUMNS:
        raise ValueError(f"{path}: not an MQM file: the header must be {', '.join(COLUMNS)} (tab-separated); "
                         f"found {', '.join(header)[:200]}")
    errors: dict[tuple[str, str, str], dict[str, float]] = {}
    texts: dict[tuple[str, str, str], tuple[str, str]] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        row = dict(zip(COLUMNS, line.rstrip("\r").split("\t")))
        if len(row) != len(COLUMNS) or line.count("\t") != len(COLUMNS) - 1:
            raise ValueError(f"{path}, line {number}: {line.count(chr(9)) + 1} tab-separated fields, expected "
                             f"{len(COLUMNS)}")
        key = (row["system"], row["doc"], row["seg_id"])
        try:
            weight = error_weight(row["category"], row["severity"])
        except ValueError as error:
            raise ValueError(f"{path}, line {number}: {error}") from None
        raters = errors.setdefault(key, {})
        raters[row["rater"]] = raters.get(row["rater"], 0.0) + weight
        texts.setdefault(key, (SPAN_MARKS.sub("", row["source"]), SPAN_MARKS.sub("", row["target"])))
    if not errors:
        raise ValueError(f"{path}: no annotated segment after the header")
    return [Segment(system, doc, seg_id, *texts[(system, doc, seg_id)],
                    score=-sum(raters.values()) / len(raters), raters=len(raters))
            for (system, doc, seg_id), raters in errors.items()]
