"""What the site's pages show: a document, an index row and a run signature as plain dicts for the templates.

Nothing here escapes or writes anything: the templates autoescape every value, and
`site.build_site` renders and writes the pages.
"""
from __future__ import annotations

import json
import re

from pipeline.language.guesser import script_language
from pipeline.publish.markdown import LANGUAGE_NAMES, file_stem
from pipeline.publish.words import HTML_LANG, say, ui
from pipeline.records import LOW_QUALITY, PIVOT, Document
from pipeline.text.scripts import is_traditional, script_profile


def html_lang(code: str, flags: list[str] | tuple = ()) -> str:
    """The BCP 47 tag for a detected language code: zh-Hans (zh-Hant when flagged), fr, en; `und` if unknown."""
    if code == "zh" and "zh-hant" in flags:
        return "zh-Hant"
    if code in HTML_LANG:
        return HTML_LANG[code]
    return code if re.fullmatch(r"[a-z]{2,3}", code or "") else "und"


def language_name(code: str) -> str:
    """English name of a language code, the code itself when unknown."""
    return LANGUAGE_NAMES.get(code, code or "unknown")


def title_lang(doc: Document) -> str:
    """The language of the title, which may differ from the article's (a Chinese headline on English text)."""
    if script_language(doc.title) == "zh":
        return "zh-Hant" if is_traditional(doc.title) else "zh-Hans"
    if script_profile(doc.title).get("latin", 0) > 0.5 and doc.lang == "zh":
        return "und"  # Latin letters over a Chinese article: English or French, nothing says which
    return html_lang(doc.lang)


def index_entry(doc: Document, low: float) -> dict:
    """One row of the index: what the document is and what a reader should worry about."""
    total = sum(doc.languages.values()) or 1
    return {
        "href": f"docs/{file_stem(doc.doc_id)}.html",
        "doc_id": doc.doc_id,
        "title": doc.title or doc.title_english or doc.doc_id,
        "title_lang": title_lang(doc) if doc.title else "en",
        "title_english": doc.title_english if doc.title_english and doc.title_english != doc.title else "",
        "date": doc.date, "source": doc.source, "mixed": doc.mixed, "failed": doc.failed,
        "languages": [{"code": code, "name": language_name(code), "share": round(100 * count / total)}
                      for code, count in doc.languages.items()],
        "chars": len(doc.text), "sentences": len(doc.sentences),
        "badges": badges(doc, low),
    }


# A sentence's glossary term or number its translation lost (or a number put right), a name a document renders
# two ways.
FACT_FLAGS = ("glossary-miss", "number-mismatch", "number-repaired", "name-inconsistent", "name-variants",
              "unsupported-name", "summary-number-from-mistranslation")


def badges(doc: Document, low: float) -> list[dict]:
    """Short labels for the problems of a document, worst first: in English, and in each reader's words."""
    found = []
    if doc.failed:
        found.append(("bad", "error in", {"stage": doc.failed_stage}) if doc.failed_stage else ("bad", "error", {}))
    if any(flag.startswith("truncated") for flag in doc.flags):
        found.append(("warn", "truncated", {}))
    weak_sentences = sum(quality_mark(s.quality, low, s.flags)["low"] for s in doc.sentences)
    weak_pairs = sum(pair_mark(pair, low)["low"] for pairs in doc.alignments.values() for pair in pairs)
    unsupported = sum(not s.sentences for s in doc.support)
    guarded = sum(flag.startswith(("render-", "summary-")) for flag in doc.flags)
    facts = sum(flag.startswith(FACT_FLAGS) for flags in [doc.flags, *(s.flags for s in doc.sentences)]
                for flag in flags)
    for count, key in ((weak_sentences, "weak translations"), (weak_pairs, "weak pairs"),
                       (unsupported, "unsupported"), (guarded, "guarded"), (facts, "facts")):
        if count:
            found.append(("warn", key, {"n": count}))
    if "no-summary" in doc.flags and not doc.failed:
        found.append(("warn", "no summary flag", {}))
    if any(flag.startswith("duplicate of") for flag in doc.flags):
        found.append(("info", "duplicate", {}))
    return [{"kind": kind, "text": say(key, "en", **values), "words": ui(key, **values)}
            for kind, key, values in found]


def quality_mark(score: float | None, low: float, flags: list[str] | tuple = ()) -> dict:
    """How a quality estimate shows on a page: its score, whether it is low, and the reasons given for it.

    The one place that decides, for a sentence's translation and a digest pair alike; the `quality`
    macro in macros.html.j2 and `quality_text` (Markdown) are the places that draw it.
    """
    reasons = []
    for flag in flags:
        if flag.startswith(f"{LOW_QUALITY}:"):
            reasons += [reason.strip() for reason in flag.removeprefix(f"{LOW_QUALITY}:").split("; ") if reason.strip()]
        elif flag != LOW_QUALITY:
            reasons.append(flag)
    return {"score": "" if score is None else f"{score:.2f}",
            "low": any(flag.split(":")[0] == LOW_QUALITY for flag in flags) or (score is not None and score < low),
            "reasons": list(dict.fromkeys(reasons))}


def pair_mark(pair, low: float) -> dict:
    """A digest pair's mark: its quality estimate and flags; a pair written before there was one, its match score."""
    return quality_mark(pair.score if pair.quality is None else pair.quality, low, pair.flags)


def quality_text(mark: dict) -> str:
    """A quality mark as plain text (Markdown): "0.13 ⚠ wrong-language words: customs"."""
    warning = " ⚠ " + "; ".join(mark["reasons"]) if mark["reasons"] else (" ⚠ low" if mark["low"] else "")
    return (mark["score"] + warning).strip()


def document_view(doc: Document, low: float) -> dict:
    """Everything the document page shows, ready for the template."""
    evidence = evidence_view(doc)
    pairs = pair_views(doc, low, evidence)
    return {
        "lang": html_lang(doc.lang), "error": doc.error, "failed_stage": doc.failed_stage,
        "notes": doc.notes, "flags": doc.flags, "pairs": pairs,
        "default_pair": pairs[0]["key"] if pairs else "",
        "summary": [{"index": i, "text": text, "unsupported": evidence.get(i, {}).get("unsupported", False)}
                    for i, text in enumerate(doc.summary)],
        "evidence": list(evidence.values()),
        "article": article_view(doc, low),
        "translated": any(s.english != s.text for s in doc.sentences),
        "plain_text": [] if doc.sentences else [p for p in doc.text.split("\n\n") if p.strip()],
    }


def pair_views(doc: Document, low: float, evidence: dict) -> list[dict]:
    """The parallel digest tables: source | English first (when the source is not English), then English | X."""
    views = []
    if doc.lang != PIVOT and doc.alignments.get(doc.lang):
        views.append(_pair(doc, doc.lang, low, evidence, source_first=True))
    views += [_pair(doc, target, low, evidence, source_first=False) for target, pairs in doc.alignments.items()
              if pairs]  # a render that came back empty has nothing to set beside the English; its flag says so
    return views


def _pair(doc: Document, target: str, low: float, evidence: dict, source_first: bool) -> dict:
    rows = []
    for pair in doc.alignments[target]:
        english = {"lang": "en", "english": True,
                   "sentences": [{"index": i, "text": doc.summary[i] if i < len(doc.summary) else pair.english_text,
                                  "clickable": i in evidence, "unsupported": evidence.get(i, {}).get("unsupported")}
                                 for i in pair.english]}
        other = {"lang": html_lang(target), "english": False, "text": pair.other_text}
        cells = [other, english] if source_first else [english, other]
        rows.append({"cells": cells, "quality": pair_mark(pair, low)})
    name = language_name(target)
    names = [name, "English"] if source_first else ["English", name]
    about = (f"The summary in {name}, the article's language, beside the English summary" if source_first
             else f"The English summary beside its {name} rendering")
    return {"key": "source" if source_first else f"en-{target}", "label": " | ".join(names),
            "columns": names, "rows": rows, "about": about + ", aligned sentence by sentence.", "source": source_first,
            "weak": sum(row["quality"]["low"] for row in rows)}


def evidence_view(doc: Document) -> dict[int, dict]:
    """Per summary sentence: the source sentences that support it, with scores; empty support is flagged."""
    by_index = {s.index: s for s in doc.sentences}
    found = {}
    for support in doc.support:
        sources = [
            {"index": k, "score": score, "text": by_index[k].text, "english": _english(by_index[k]),
             "lang": html_lang(by_index[k].lang, by_index[k].flags)}
            for k, score in zip(support.sentences, support.scores) if k in by_index
        ]
        found[support.summary_index] = {"index": support.summary_index, "sources": sources,
                                        "unsupported": not support.sentences}
    return found


def _english(sentence) -> str:
    """The English of a source sentence, empty when the sentence is English already."""
    return "" if sentence.english == sentence.text or not sentence.english else sentence.english


def article_view(doc: Document, low: float) -> list[dict]:
    """The article as paragraphs of source sentences, each with its English and quality estimate."""
    kinds = {p.index: p.kind for p in doc.paragraphs}
    paragraphs: dict[int, dict] = {}
    for s in doc.sentences:
        paragraph = paragraphs.setdefault(s.paragraph, {"index": s.paragraph, "kind": kinds.get(s.paragraph, "body"),
                                                        "sentences": []})
        english = _english(s)
        paragraph["sentences"].append({
            "index": s.index, "text": s.text, "lang": html_lang(s.lang, s.flags), "english": english,
            "same": s.english == s.text, "quality": quality_mark(s.quality, low, s.flags),
        })
    return [paragraphs[key] for key in sorted(paragraphs)]


def run_view(run: dict) -> dict:
    """The run signature: a one-line gist for the footer and the full JSON for whoever needs to reproduce it."""
    models = sorted({f"{m['name']} ({str(m.get('pinned', ''))[:12] or 'unpinned'})" for m in _models(run)})
    packages = run.get("packages") or {}
    gist = [f"config {run['config']}" if run.get("config") else "",
            ", ".join(models), f"digest {packages['digest']}" if packages.get("digest") else "",
            f"python {run['python']}" if run.get("python") else ""]
    return {"gist": " · ".join(part for part in gist if part) or "no run signature recorded",
            "json": json.dumps(run, ensure_ascii=False, indent=2, sort_keys=True)}


def _models(value) -> list[dict]:
    if isinstance(value, dict):
        if "name" in value and "pinned" in value:
            return [value]
        return [m for item in value.values() for m in _models(item)]
    if isinstance(value, list):
        return [m for item in value for m in _models(item)]
    return []
