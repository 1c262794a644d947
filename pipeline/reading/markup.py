"""Decoded text to plain blocks: YAML front matter, Markdown, and lines made paragraphs.

`front_matter` and `markdown_blocks` turn marked-up text into plain blocks;
lines are made NFC with one kind of newline and space, and grouped into
paragraphs (hard-wrapped lines joined, with no space between CJK characters).
The bytes were made text by `encoding.decode`.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, datetime

import yaml
from markdown_it import MarkdownIt

from pipeline.reading.webpage import html_blocks
from pipeline.text.scripts import EAST_ASIAN

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
# Zero-width and control characters, and the bidi embeddings/overrides (U+202A-E) that can make a line
# display in another order than it reads ("Trojan Source"); the bidi isolates that RTL text uses are kept.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\u202a-\u202e\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_TERMINAL = tuple(".!?。！？…:;”\"'»)")
_WRAP_WIDTHS = range(40, 101)  # columns of hard-wrapped prose lines (a CJK character takes two)
_SURROGATES = re.compile(r"[\ud800-\udfff]")  # only JSON's \uXXXX escapes make lone ones; no UTF-8 file holds them


def unify_newlines(text: str) -> str:
    """CRLF, CR and the Unicode line separators become "\\n"."""
    return _NEWLINES.sub("\n", text)


def clean_line(line: str) -> str:
    """NFC, invisible characters removed, runs of spaces made one space."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", line))).strip()


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines: a space between words, nothing between two CJK characters."""
    text = lines[0]
    for line in lines[1:]:
        text += ("" if EAST_ASIAN.match(text[-1:]) and EAST_ASIAN.match(line[:1]) else " ") + line
    return text


def wrap_width(line: str) -> bool:
    """Whether `line` is as wide as hard-wrapped prose lines are (a CJK character takes two columns)."""
    return len(line) + len(EAST_ASIAN.findall(line)) in _WRAP_WIDTHS


def paragraphs_from_lines(lines: list[str]) -> list[str]:
    """Blank-line blocks; a hard-wrapped block is one paragraph, otherwise one line is one paragraph."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    paragraphs = []
    for block in filter(None, blocks):
        head = block[:-1]
        wrapped = head and all(wrap_width(line) for line in head)
        if wrapped and any(not line.endswith(_TERMINAL) for line in head):
            paragraphs.append(join_lines(block))
        else:
            paragraphs.extend(block)
    return paragraphs


def plain(value) -> str:
    """A field value as text: dates in ISO form, lists as paragraphs, None as "", lone surrogates as U+FFFD."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "\n\n".join(plain(item) for item in value)
    return "" if value is None else _SURROGATES.sub("\ufffd", str(value)).strip()


def front_matter(text: str) -> tuple[dict, str, str]:
    """Split YAML front matter off `text`: (fields, body, note); a broken block stays in the text."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, ""
    try:
        fields = yaml.load(match.group(1), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        return {}, text, f"front matter: not valid YAML ({str(exc).splitlines()[0]}); kept as text"
    if not isinstance(fields, dict):
        return {}, text, ""  # a "---" rule around plain text, not front matter
    return {str(key).lower(): plain(value) for key, value in fields.items()}, text[match.end():], ""


@functools.cache
def _markdown_parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def markdown_blocks(text: str) -> list[str]:
    """Markdown as plain-text blocks: headings, paragraphs, list items, table rows, code."""
    blocks: list[str] = []
    row: list[str] | None = None  # cells of the table row being read
    for token in _markdown_parser().parse(text):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            blocks.append(" | ".join(row or []))
            row = None
        elif token.type == "inline":
            (row if row is not None else blocks).append(_inline(token))
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.rstrip("\n"))
        elif token.type == "html_block":
            blocks += html_blocks(token.content)[2]
    return [block for block in blocks if block.strip()]


def _inline(token) -> str:
    """The text of an inline token: markup dropped, link text and image alt text kept."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "image"):  # an image's content is its alt text
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return join_lines([line.strip() for line in "".join(parts).split("\n") if line.strip()] or [""])
