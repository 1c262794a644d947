"""The lines a translation prompt adds for the terms and names of one unit.

Kept apart from the backends: any engine that takes instructions (the LLM prompts) can append this text;
engines that cannot (seq2seq, CTranslate2 translation models) rely on `glossary.check` and the flags.
"""
from __future__ import annotations

from pipeline.terms.glossary_file import Entry
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
