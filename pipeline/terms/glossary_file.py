"""One glossary file read and checked: its header, its rows, its encoding.

See `glossary.py` for the format. Every problem is a one-line `GlossaryError` naming the file and line.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import CONFIG_DIR
from pipeline.terms.matching import find_term, fold, term_pattern

LANGUAGES = ("en", "fr", "zh")
OPTIONAL = ("keep", "note")
YES, NO = {"yes", "y", "true", "1", "oui"}, {"", "no", "n", "false", "0", "non"}
BUNDLED = CONFIG_DIR / "glossaries"


class GlossaryError(ValueError):
    """A glossary that cannot be used, in one line naming the file and the line."""


@dataclass(frozen=True)
class Entry:
    """One row: the term in each language (alternatives split on |), or a term kept verbatim everywhere."""

    terms: tuple[tuple[str, tuple[str, ...]], ...]  # (language, alternatives), in column order
    keep: bool = False
    note: str = ""
    where: str = ""  # file:line

    def forms(self, lang: str) -> tuple[str, ...]:
        """Every way `lang` may write the term (a kept term: its own text, in any language)."""
        if self.keep:
            return self.terms[0][1]
        return dict(self.terms).get(lang, ())

    def term(self, lang: str) -> str:
        """The rendering asked for in `lang` ('' if none)."""
        forms = self.forms(lang)
        return forms[0] if forms else ""

    def written_in(self, text: str, lang: str) -> str:
        """The term as `text` writes it (十四五 rather than 第十四个五年规划), else as `term` gives it."""
        return next((form for form in self.forms(lang) if find_term(text, form)), self.term(lang))


def resolve_glossary(name_or_path: str) -> Path:
    """A glossary file: the path as given, or a bundled glossary in configs/glossaries/ by name."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    for candidate in (BUNDLED / name_or_path, BUNDLED / f"{name_or_path}.tsv", BUNDLED / f"{name_or_path}.csv"):
        if candidate.is_file():
            return candidate
    bundled = ", ".join(sorted(p.stem for p in BUNDLED.glob("*.[tc]sv"))) or "none"
    if path.exists():
        raise GlossaryError(f"glossary {name_or_path}: not a file")
    raise GlossaryError(f"glossary {name_or_path}: no such file (a path, or a bundled glossary: {bundled})")


def read_glossary(path: Path) -> list[Entry]:
    """The entries of one glossary file, checked."""
    text = _decode(path)
    first = next((line for line in text.splitlines() if line.strip() and not line.startswith("#")), "")
    if not first:
        raise GlossaryError(f"glossary {path}: empty; its first line names the columns, e.g. en<TAB>fr<TAB>zh")
    delimiter = "\t" if "\t" in first else ";" if ";" in first and "," not in first else ","
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns: list[str] | None = None
    entries: list[Entry] = []
    for cells in rows:
        cells = [" ".join(cell.split()) for cell in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        where = f"{path}:{rows.line_num}"
        if columns is None:
            columns = _header(cells, where)
            continue
        entries.append(_entry(columns, cells, where))
    if not entries:
        raise GlossaryError(f"glossary {path}: no terms under the header line")
    return entries


def _decode(path: Path) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark) or UTF-16 with one."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise GlossaryError(f"glossary {path}: cannot be read ({error.strerror or error})") from None
    wide = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    if data.startswith(b"PK\x03\x04") or (not wide and b"\x00" in data[:4096]):
        raise GlossaryError(f"glossary {path}: not a text file; save the sheet as CSV UTF-8 or as tab-separated text")
    try:
        return data.decode("utf-16" if wide else "utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise GlossaryError(f"glossary {path}:{line}: not UTF-8 text; save the file as UTF-8 "
                            f"(\"CSV UTF-8\" in a spreadsheet)") from None


def _header(cells: list[str], where: str) -> list[str]:
    """The column names of a header row, checked: known names, none twice, two languages or more."""
    columns = [cell.lower() for cell in cells]
    for name in columns:
        if name and name not in LANGUAGES + OPTIONAL:
            raise GlossaryError(f"glossary {where}: unknown column {name!r}; columns are language codes "
                                f"({', '.join(LANGUAGES)}), keep and note")
    named = [name for name in columns if name]
    twice = next((name for name in named if named.count(name) > 1), None)
    if twice:
        raise GlossaryError(f"glossary {where}: column {twice!r} is named twice")
    languages = [name for name in named if name in LANGUAGES]
    if len(languages) < 2:
        raise GlossaryError(f"glossary {where}: the header names {len(languages)} language(s); a glossary needs "
                            f"two or more of {', '.join(LANGUAGES)}")
    return columns


def _entry(columns: list[str], cells: list[str], where: str) -> Entry:
    """One row as an entry, checked against its header."""
    if len(cells) > len(columns) and any(cells[len(columns):]):
        raise GlossaryError(f"glossary {where}: {len(cells)} cells under {len(columns)} columns "
                            f"(a separator inside a cell needs quotes)")
    cells = cells + [""] * (len(columns) - len(cells))
    if any(cell for name, cell in zip(columns, cells) if not name):
        raise GlossaryError(f"glossary {where}: a value under a column with no name")
    values = {name: cell for name, cell in zip(columns, cells) if name}
    keep_text = values.get("keep", "").lower()
    if keep_text not in YES | NO:
        raise GlossaryError(f"glossary {where}: keep must be yes, no or empty, not {values['keep']!r}")
    terms = tuple((name, _forms(values[name], where)) for name in columns if name in LANGUAGES and values[name])
    if not terms:
        raise GlossaryError(f"glossary {where}: no term in any language column")
    if keep_text in YES:
        kept = {fold(form).casefold() for form in terms[0][1]}
        for lang, forms in terms[1:]:
            if {fold(form).casefold() for form in forms} != kept:
                raise GlossaryError(f"glossary {where}: keep is yes but the {lang} cell ({'|'.join(forms)!r}) differs "
                                    f"from the {terms[0][0]} cell; a kept term is the same in every language")
        return Entry(terms[:1], True, values.get("note", ""), where)
    if len(terms) < 2:
        raise GlossaryError(f"glossary {where}: only the {terms[0][0]} cell is filled; add the term in another "
                            f"language, or set keep to yes")
    return Entry(terms, False, values.get("note", ""), where)


def _forms(cell: str, where: str) -> tuple[str, ...]:
    """The alternatives of one cell ("十四五规划|第十四个五年规划"), each a term that can be found."""
    forms = tuple(form.strip() for form in cell.split("|"))
    for form in forms:
        if not form or term_pattern(form) is None:
            raise GlossaryError(f"glossary {where}: {cell!r} holds a term with no letters, digits or characters")
    return forms
