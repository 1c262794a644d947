"""The lines a translation prompt adds for the terms and names of one unit.

Kept apart from the backends: any engine that takes instructions (the LLM prompts) can append this text;
engines that cannot (seq2seq, CTranslate2 translation models) rely on `glossary.check` and the flags.
"""
from __future__ import annotations

import re

from pipeline.terms.glossary_file import Entry
from pipeline.terms.matching import find_term, fold, term_pattern
from pipeline.text.checks import instruction_like

LIMIT = 12  # renderings per prompt: a small model follows a short list, and the prompt stays cheap
MAX_NAME_WORDS = 6  # names come from the article: a longer "name" is a sentence, not a name


def prompt_hint(entries: list[Entry], source: str, target: str, names: list[tuple[str, str]] = (),
                limit: int = LIMIT, text: str = "") -> str:
    """"Use these renderings: GDP -> PIB; State Council -> Conseil d'État. Keep these as written: WHDZ."
    for the glossary entries found in a unit (`Glossary.entries_in`) and the names remembered for it
    (`NameMemory.hints`); each term as `text` writes it when given (十四五 rather than 第十四个五年规划);
    glossary entries win over names; names that read like an instruction or run longer than a name are left
    out; '' when there is nothing to ask."""
    renderings: dict[str, str] = {}
    kept: list[str] = []
    for entry in entries:
        term, rendering = (entry.written_in(text, source), entry.term(target))
        if entry.keep:
            kept.append(term)
        elif term and rendering:
            renderings.setdefault(term, rendering)
    for name, rendering in names:
        if len(f"{name} {rendering}".split()) > 2 * MAX_NAME_WORDS or instruction_like(f"{name} {rendering}"):
            continue  # an article's text must not become an instruction in the prompt
        if name not in renderings and name not in kept:
            if rendering == name:
                kept.append(name)
            else:
                renderings.setdefault(name, rendering)
    pairs = list(renderings.items())[:limit]
    kept = list(dict.fromkeys(kept))[:max(0, limit - len(pairs))]
    lines = []
    if pairs:
        lines.append("Use these renderings: " + "; ".join(f"{term} -> {rendering}" for term, rendering in pairs) + ".")
    if kept:
        lines.append("Keep these as written: " + ", ".join(kept) + ".")
    return " ".join(lines)


def pin_terms(text: str, entries: list[Entry], source: str, target: str) -> str:
    """`text` with the rendering asked for written after each entry's term, "bande dessinée (comic)": a
    last try for terms a model left out twice (it copies a rendering it reads in the text far more
    reliably than one it is told about). A term that cannot be located in `text` is left alone."""
    spans = []
    for entry in entries:
        rendering = entry.term(target)
        span = _span(text, entry.forms(source)) if rendering and not entry.keep else None
        if span and not any(start < span[1] and span[0] < end for start, end, _ in spans):
            spans.append((*span, rendering))
    for _, end, rendering in sorted(spans, reverse=True):
        text = f"{text[:end]} ({rendering}){text[end:]}"
    return text


def _span(text: str, forms: tuple[str, ...]) -> tuple[int, int] | None:
    """Where the first form found occurs in `text` (a folded text must keep its length to tell)."""
    folded = fold(text)
    for form in forms:
        pattern = term_pattern(form)
        match = pattern.search(folded) if pattern and len(folded) == len(text) else None
        if match:
            return match.span()
    return None


def unpin(output: str, renderings: list[str]) -> str:
    """A translation of a `pin_terms` text without the copied "(comic)": "scanning (3D scanning)" becomes
    "3D scanning", "comic festival (comic)" "comic festival"; `renderings`: every form the glossary accepts
    (start-up, startup); a rendering found nowhere else stays."""
    for rendering in renderings:
        pattern = re.compile(rf"\s*[(（\[]\s*{re.escape(rendering)}\s*[)）\]]", re.IGNORECASE)
        while match := pattern.search(output):
            before, after = output[:match.start()], output[match.end():]
            overlap = _overlap(before, rendering)
            if overlap:
                output = before[:len(before) - overlap] + rendering + after
            elif any(find_term(before + after, form) for form in renderings):  # start-up (startup)
                output = before + after
            else:
                break
    return output


def _overlap(before: str, rendering: str) -> int:
    """The length of the longest end of `before` that ends `rendering` too (whole words, or two characters
    or more of Chinese): "scanning" of "3D scanning"."""
    words = rendering.split()
    ends = [" ".join(words[k:]) for k in range(len(words))] if len(words) > 1 or rendering.isascii() else \
        [rendering[k:] for k in range(len(rendering) - 1)]
    for end in ends:
        if before.casefold().endswith(end.casefold()) and (not end[0].isalnum() or not end.isascii()
                                                           or len(before) == len(end)
                                                           or not before[-len(end) - 1].isalnum()):
            return len(end)
    return 0
