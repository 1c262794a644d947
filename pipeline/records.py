"""Plain records that flow one way through the stages.

A `Document` is created by ingest and filled in by each later stage; every
stage returns the same documents, in the same order, with its own fields set.
Records round-trip through JSON (`to_dict` / `Document.from_dict`) so the run
store and a distributed engine can move them between processes.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

PIVOT = "en"  # the language every text is translated to, and summarized in
UNDETERMINED = "und"  # the language label of text without letters
OVER_BUDGET = "over-budget"  # flag prefix of a sentence a per-document budget left unprocessed
LOW_QUALITY = "low-quality"  # flag of a translation or render the quality estimate marks low: "low-quality: <reasons>"


@dataclass
class Paragraph:
    index: int
    text: str
    lang: str = ""
    lang_score: float = 0.0
    kind: str = "body"  # "title" | "body"


@dataclass
class Sentence:
    index: int
    paragraph: int
    text: str
    lang: str = ""
    lang_score: float = 0.0
    english: str = ""  # pivot translation; equal to text for English sentences
    quality: float | None = None  # reference-free estimate of the translation, 0..1
    flags: list[str] = field(default_factory=list)
    # how the translation used the glossary: {"hits": {term: rendering}, "misses": {term: rendering asked for}}
    terms: dict = field(default_factory=dict)


@dataclass
class AlignedPair:
    """One link between English summary sentences and rendered sentences."""

    english: list[int]
    other: list[int]
    english_text: str
    other_text: str
    score: float  # how well the sentences match (calibrated similarity), what the aligner chose by
    quality: float | None = None  # quality estimate of other_text as a translation of english_text, 0..1
    flags: list[str] = field(default_factory=list)  # what a reader should check: low quality, wrong-language words


@dataclass
class Support:
    """Source sentences that support one English summary sentence."""

    summary_index: int
    sentences: list[int]
    scores: list[float]


@dataclass
class Document:
    doc_id: str
    text: str
    title: str = ""
    date: str = ""
    source: str = ""
    origin: str = ""
    meta: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    lang: str = ""
    languages: dict[str, int] = field(default_factory=dict)  # language -> characters
    mixed: bool = False
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    title_english: str = ""
    summary: list[str] = field(default_factory=list)
    summary_method: str = ""
    renders: dict[str, list[str]] = field(default_factory=dict)
    alignments: dict[str, list[AlignedPair]] = field(default_factory=dict)
    support: list[Support] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    error: str = ""
    failed_stage: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.error)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["paragraphs"] = [Paragraph(**p) for p in data.get("paragraphs", [])]
        values["sentences"] = [Sentence(**s) for s in data.get("sentences", [])]
        values["alignments"] = {
            lang: [AlignedPair(**pair) for pair in pairs]
            for lang, pairs in data.get("alignments", {}).items()
        }
        values["support"] = [Support(**s) for s in data.get("support", [])]
        return cls(**values)

    def english_text(self) -> str:
        """The pivot text: English sentences joined by paragraph."""
        paragraphs: dict[int, list[str]] = {}
        for sentence in self.sentences:
            paragraphs.setdefault(sentence.paragraph, []).append(sentence.english or sentence.text)
        return "\n\n".join(" ".join(parts) for _, parts in sorted(paragraphs.items()))
