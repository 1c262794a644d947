"""Glossaries: a spreadsheet of terms and how each language must render them.

A glossary is a TSV or CSV file (UTF-8; a `;` or `,` separator is recognised, and UTF-16 from a
spreadsheet's "Unicode text") whose first row names its columns: two or more language codes (en, fr, zh),
and optionally `keep` and `note`. Each row is one term in each language; an empty cell asks nothing of
that language; `a|b` in a cell gives alternatives (the first is the rendering asked for, any one counts);
a row whose `keep` is `yes` is a do-not-translate term whose text stays verbatim in every language. Rows
whose first cell starts with `#` are comments. Every problem is a one-line `GlossaryError` naming the
file and line, raised before any model loads.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Config
from pipeline.files import sha256_file
from pipeline.terms.glossary_file import (
    Entry,
    GlossaryError,
    read_glossary,
    resolve_glossary,
)
from pipeline.terms.matching import find_term, fold

__all__ = ["Entry", "Glossary", "GlossaryError", "check", "config_glossary", "entries_key", "glossary_flags",
           "load_glossary", "required", "term_usage"]

FLAG = "glossary-miss"


@dataclass(frozen=True)
class Glossary:
    """The entries of one or more glossary files, with each file's sha256."""

    entries: tuple[Entry, ...] = ()
    files: tuple[tuple[str, str], ...] = ()  # (path as given, sha256)

    @property
    def sha256(self) -> str:
        """One hash of every file's contents, in order ('' for no glossary)."""
        if not self.files:
            return ""
        return hashlib.sha256("\n".join(sha for _, sha in self.files).encode()).hexdigest()

    def signature(self) -> dict:
        """What a stage signature records of it: {} without a glossary, so signatures stay as they were."""
        return {"glossary": self.sha256, "entries": len(self.entries)} if self.files else {}

    def entries_in(self, text: str, lang: str) -> list[Entry]:
        """The entries whose term in `lang` occurs in `text`, in glossary order."""
        folded = fold(text).casefold()
        return [entry for entry in self.entries
                if any(_may_occur(form, folded) and find_term(text, form) for form in entry.forms(lang))]


def required(entries: list[Entry], target: str) -> list[str]:
    """The renderings a translation into `target` must contain, each once, in order."""
    return list(dict.fromkeys(entry.term(target) for entry in entries if entry.term(target)))


def check(output: str, target: str, entries: list[Entry]) -> list[str]:
    """The required renderings (see `required`) that `output` lacks: none of their alternatives occurs."""
    missing = []
    for entry in entries:
        forms = entry.forms(target)
        if forms and not any(find_term(output, form) for form in forms) and forms[0] not in missing:
            missing.append(forms[0])
    return missing


def term_usage(entries: list[Entry], text: str, source: str, output: str, target: str) -> dict:
    """How a translation used the glossary: {"hits": {term: rendering used}, "misses": {term: rendering asked
    for}}, each term as `text` writes it; {} when no entry asks anything of `target`."""
    hits: dict[str, str] = {}
    misses: dict[str, str] = {}
    for entry in entries:
        forms = entry.forms(target)
        if not forms:
            continue
        term = entry.written_in(text, source)
        used = next((form for form in forms if find_term(output, form)), None)
        if used:
            hits[term] = used
        else:
            misses[term] = forms[0]
    return {"hits": hits, "misses": misses} if hits or misses else {}


def entries_key(entries: list[Entry]) -> str:
    """A short hash of the entries that apply to one text: a store key that changes only when an edit of the
    glossary touches a term this text has ('' for none)."""
    if not entries:
        return ""
    rows = sorted(repr((entry.terms, entry.keep)) for entry in entries)
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]


def glossary_flags(misses: list[str]) -> list[str]:
    """The flag text of each missed term: `glossary-miss: PIB`."""
    return [f"{FLAG}: {term}" for term in misses]


def _may_occur(form: str, folded: str) -> bool:
    """A cheap test before the pattern: the term's first two letters are somewhere in the text."""
    return fold(form).casefold()[:2] in folded


def load_glossary(paths: list[str | Path]) -> Glossary:
    """Read and check glossary files (a path, or a bundled name such as `news`); a term given twice, in
    one file or in two, is an error."""
    entries: list[Entry] = []
    files: list[tuple[str, str]] = []
    seen: dict[tuple[str, str], str] = {}
    for given in paths:
        path = resolve_glossary(str(given))
        for entry in read_glossary(path):
            for lang, forms in entry.terms:
                for form in forms:
                    key = (lang, fold(form).casefold())
                    if key in seen:
                        raise GlossaryError(f"glossary {entry.where}: {lang} term {form!r} is already on {seen[key]}")
                    seen[key] = entry.where
            entries.append(entry)
        files.append((str(given), sha256_file(path)))
    return Glossary(tuple(entries), tuple(files))


def config_glossary(config: Config, extra: list[str] | tuple[str, ...] = ()) -> Glossary:
    """Every glossary of a run: the config's `glossary` list, then `--glossary` files. Call it before any
    model is installed or loaded, so that a bad file stops the run at once."""
    listed = config.glossary
    if isinstance(listed, str) or not all(isinstance(path, str) for path in listed):
        raise GlossaryError(f"config: glossary must be a list of paths, e.g. glossary: [{listed!r}]")
    return load_glossary([*listed, *extra])
