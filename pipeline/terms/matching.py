"""Finding a term in a text the way a reader would: whatever the case, accents, plural or elision.

Latin-script words match whole (GDP is not found in "GDPR") in any case, with or without accents, as
written or in the plural (reform, reforms; zone, zones; policy, policies; national, nationaux: so terms are
written in the singular), after an elided article
(l'économie, d'État), with a space, hyphen or no-break space between words. Acronyms (GDP, WHDZ) keep their
case, so "US" is not found in "us". Chinese has no spaces or boundaries: 国务院 is found inside any text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LATIN = r"A-Za-z0-9\u00c0-\u024f"
_PIECES = re.compile(rf"[{_LATIN}]+|[\u3400-\u9fff\uf900-\ufaff]+|\s+|.", re.DOTALL)
_SEPARATOR = r"[\s\-\u2010\u2011\u2013]+"
_APOSTROPHE = r"['\u2019]\s?"


@lru_cache(maxsize=256)  # one text is searched for every term of a glossary
def fold(text: str) -> str:
    """`text` without accents, with plain apostrophes and spaces (the case is kept: acronyms need it)."""
    decomposed = unicodedata.normalize("NFD", text.replace("\u2019", "'"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\u00a0\u202f\u2009]", " ", unicodedata.normalize("NFC", bare))


def is_acronym(word: str) -> bool:
    """GDP, WHDZ, G20: a capital, then capitals or digits (one more at least), no lower-case letter."""
    letters = [c for c in word if c.isalpha()]
    return len(word) >= 2 and word[0].isalpha() and all(c.isupper() for c in letters) and word.isalnum()


def _word_forms(word: str) -> str:
    """A regex for `word` and its plurals: reform(s), tax(es), policy/policies, national/nationaux."""
    if is_acronym(word):
        return f"(?-i:{re.escape(word)})s?"
    if len(word) < 3 or not word.isalpha():
        return re.escape(word)
    lower = word.lower()
    forms = {lower, lower + "s", lower + "es", lower + "x"}  # a plural only: "news" must not find "new"
    if lower.endswith("y"):
        forms.add(lower[:-1] + "ies")
    if lower.endswith("al"):
        forms.add(lower[:-2] + "aux")
    return "(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + ")"


@lru_cache(maxsize=8192)
def term_pattern(term: str) -> re.Pattern | None:
    """The compiled pattern that finds `term` in a folded text; None for a term with nothing to find."""
    pieces = _PIECES.findall(fold(term).strip())
    parts: list[str] = []
    for piece in pieces:
        if piece[0].isspace() or piece in "-\u2010\u2011\u2013":
            if parts and parts[-1] != _SEPARATOR:
                parts.append(_SEPARATOR)
        elif piece == "'":
            parts.append(_APOSTROPHE)
        elif re.match(f"[{_LATIN}]", piece):
            parts.append(_word_forms(piece))
        else:
            parts.append(re.escape(piece))
    if not any(re.match(f"[{_LATIN}\u3400-\u9fff]", p) for p in pieces):
        return None
    body = "".join(parts)
    starts_latin, ends_latin = re.match(f"[{_LATIN}]", pieces[0]), re.match(f"[{_LATIN}]", pieces[-1])
    before = f"(?<![{_LATIN}])" if starts_latin else ""
    after = f"(?![{_LATIN}])" if ends_latin else ""
    return re.compile(before + body + after, re.IGNORECASE)


def find_term(text: str, term: str) -> bool:
    """Whether `term` occurs in `text` (see the module's rules)."""
    pattern = term_pattern(term)
    return bool(pattern and pattern.search(fold(text)))


def count_term(text: str, term: str) -> int:
    """How many times `term` occurs in `text`."""
    pattern = term_pattern(term)
    return len(pattern.findall(fold(text))) if pattern else 0
