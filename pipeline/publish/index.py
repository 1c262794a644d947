"""What the index shows a reader: each document's title and summary in English, French and Chinese, and the filters.

The summary is written in English and rendered into French and Chinese by the
align stage; a title exists in the article's language and, translated, in
English. Where a reader's language has neither, the English (or the original)
is shown and marked with the language it is in, never left out. The reader's
own words on the page (headings, filters, notes) come from `words.py`.
"""
from __future__ import annotations

from collections import Counter

from pipeline.publish.views import index_entry, title_lang
from pipeline.publish.words import HTML_LANG, NAMES, READERS, name_in, say
from pipeline.reading.boilerplate import parse_date
from pipeline.records import PIVOT, Document


def index_row(doc: Document, low: float) -> dict:
    """One document of the index: its entry, what each reader reads of it, and what the filters match."""
    entry = index_entry(doc, low)
    day = parse_date(doc.date or "") or ""
    return {**entry, "readings": {reader: reading(doc, reader, entry) for reader in READERS},
            "lang": doc.lang or "", "day": day[:10], "flagged": bool(entry["badges"])}


def reading(doc: Document, reader: str, entry: dict) -> dict:
    """Title, summary and source languages of `doc` for a reader of `reader`, each with the language it is in."""
    title, lang = _title(doc, reader)
    summary, summary_lang = _summary(doc, reader)
    shares = {item["code"]: item["share"] for item in entry["languages"]}
    return {
        "lang": HTML_LANG[reader], "title": title, "title_lang": lang, "title_in": _marked(lang, reader),
        "original": doc.title if doc.title and doc.title != title else "", "original_lang": entry["title_lang"],
        "summary": summary, "summary_lang": summary_lang, "summary_in": _marked(summary_lang, reader),
        "missing": "" if summary else _missing(doc, reader),
        "mixed": say("mixed", reader) if doc.mixed else "",
        "languages": " · ".join(name_in(code, reader) + (f" {share}%" if len(shares) > 1 else "")
                                for code, share in shares.items()),
    }


def _title(doc: Document, reader: str) -> tuple[str, str]:
    """The title a reader sees first: the original in their language, else the English one, else the original."""
    original = title_lang(doc) if doc.title else "und"
    if doc.title and _base(original) == reader:
        return doc.title, original
    if doc.title_english:
        return doc.title_english, HTML_LANG[PIVOT]
    return (doc.title, original) if doc.title else (doc.doc_id, "")


def _summary(doc: Document, reader: str) -> tuple[str, str]:
    """The summary in the reader's language: the English, or its render; the English where the render is missing."""
    rendered = doc.renders.get(reader) if reader != PIVOT else None
    if rendered:
        return ("" if reader == "zh" else " ").join(rendered), HTML_LANG[reader]
    return " ".join(doc.summary), HTML_LANG[PIVOT] if doc.summary else ""


def _marked(lang: str, reader: str) -> str:
    """'in English' (in the reader's words) for text in a known language other than the reader's; else empty."""
    if not lang or _base(lang) in ("", "und", reader):
        return ""
    return say("in", reader, language=name_in(_base(lang), reader))


def _missing(doc: Document, reader: str) -> str:
    if doc.failed:
        return say("not digested", reader, stage=doc.failed_stage or "?")
    return say("no summary", reader)


def _base(tag: str) -> str:
    return tag.split("-")[0]


def filter_choices(rows: list[dict]) -> dict:
    """What the filters offer: the source languages present (most documents first) and the range of dates."""
    counts = Counter(row["lang"] for row in rows if row["lang"])
    days = sorted(row["day"] for row in rows if row["day"])
    return {"languages": [{"code": code, "names": {reader: name_in(code, reader) for reader in READERS}, "count": n}
                          for code, n in counts.most_common()],
            "first": days[0] if days else "", "last": days[-1] if days else "",
            "readers": [{"reader": reader, "lang": HTML_LANG[reader], "name": NAMES[reader][reader].capitalize()}
                        for reader in READERS]}
