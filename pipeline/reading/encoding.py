"""How a file encodes its text, undone: charset, YAML front matter, Markdown.

`decode` turns bytes into str and says what encoding was assumed: byte-order
mark, strict UTF-8, a charset the file declares (HTML `<meta charset>`),
mostly-valid UTF-8 with a few bad bytes, then charset-normalizer; binary files
are refused with a reason. `front_matter` and `markdown_blocks` turn marked-up
text into plain blocks; lines are made NFC with one kind of newline and space,
and grouped into paragraphs.
"""
from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from datetime import date, datetime

import yaml
from charset_normalizer import from_bytes
from markdown_it import MarkdownIt

from pipeline.reading.webpage import html_blocks

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (docx/xlsx/epub are ZIP files too)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"PAR1", "a Parquet file"),
    (b"SQLite format 3", "an SQLite database"),
)
# Decoders that are strict supersets of what detectors report: same text, fewer failures.
# Keys are `codecs.lookup(...).name` spellings.
_SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030",
    "big5": "big5hkscs", "cp950": "big5hkscs",
    "shift_jis": "cp932",
    "iso8859-1": "cp1252", "ascii": "cp1252",
}
# Letters and signs of English and French text outside ASCII; misdecoded bytes rarely sit among ASCII letters.
_WESTERN = frozenset("àâäçéèêëîïôöùûüÿœæáíóúñÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆÁÍÓÚÑß«»€£¥¢§°±×½¼¾²³’‘“”–—…•·©®\u00a0\u202f")
# Encodings of English, French and Chinese text, and Shift-JIS for Japanese: they win ties.
_HOME = frozenset(("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "gb18030", "big5hkscs", "cp932", "cp1252"))
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_MAX_BAD_UTF8 = 0.01  # share of bad bytes below which a mostly-UTF-8 file is kept as UTF-8
_MAX_NUL_UTF8 = 0.01  # share of NUL bytes up to which valid UTF-8 is read as UTF-8 (stray NULs)
_MAX_CHAOS = 0.3  # charset-normalizer "mess" above which the bytes are not text
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
# Zero-width and control characters, and the bidi embeddings/overrides (U+202A-E) that can make a line
# display in another order than it reads ("Trojan Source"); the bidi isolates that RTL text uses are kept.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\u202a-\u202e\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_TERMINAL = tuple(".!?。！？…:;”\"'»)")
_WRAP_WIDTHS = range(40, 101)  # columns of hard-wrapped prose lines (a CJK character takes two)
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")  # only JSON's \uXXXX escapes make lone ones; no UTF-8 file holds them


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can recognise."""


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 KB, if any and known to Python."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode `data`; return the text and a note on the encoding ("" for plain UTF-8)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding, errors="replace")
            bad = text.count("\ufffd")
            replaced = f", {bad} invalid sequence(s) replaced with U+FFFD" if bad else ""
            return text, f"encoding: {encoding} (byte-order mark){replaced}"
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(f"is {what}, not text")
    nuls = data.count(b"\x00")
    if nuls <= _MAX_NUL_UTF8 * len(data):  # NULs are valid UTF-8, but many of them mean UTF-16/32 text
        try:
            return data.decode("utf-8"), f"encoding: utf-8 with {nuls} NUL byte(s), removed" if nuls else ""
        except UnicodeDecodeError:
            pass
    if declared:
        text = _try_declared(data, declared)
        if text is not None:
            return text, f"encoding: {declared} (declared by the page)"
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    return _detect(data)


def _wider(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return _SUPERSETS.get(name, name)


def _try_declared(data: bytes, declared: str) -> str | None:
    try:
        return data.decode(_wider(declared))
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few stray bytes: replacing them beats misreading the whole file."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    multibyte = sum(1 for char in text if "\u0080" <= char and char != "\ufffd")
    if b"\x00" in data or multibyte == 0 or bad > _MAX_BAD_UTF8 * len(data):
        return None
    return text, f"encoding: assumed utf-8, {bad} invalid byte sequence(s) replaced with U+FFFD"


def _detect(data: bytes) -> tuple[str, str]:
    """charset-normalizer's guesses plus cp1252 and gb18030, ranked by how natural the text reads."""
    guesses = [match.encoding for match in from_bytes(data) if match.chaos <= _MAX_CHAOS]
    if not guesses:
        raise DecodeError("is not text in any recognised encoding (binary or corrupt)")
    decoded: dict[str, str] = {}
    for encoding in map(_wider, guesses + ["cp1252", "gb18030"]):
        try:
            decoded.setdefault(encoding, data.decode(encoding))
        except UnicodeDecodeError:
            continue
    if not decoded:
        raise DecodeError(f"could not be decoded as {guesses[0]}, the likeliest encoding")
    # Among equals, home code pages first, then the detector's order.
    encoding = max(decoded, key=lambda name: (round(_fit(decoded[name]), 3), name in _HOME))
    return decoded[encoding], f"encoding: assumed {encoding} (detected)"


def _fit(text: str) -> float:
    """Share of non-ASCII characters that read naturally in English, French or Chinese text.

    On short texts the detector often ties Latin-1 with Central European or CJK
    code pages ("dès" / "dčs" / "d鑣"); a French letter beside ASCII letters, or
    a Chinese character away from them, tells the right reading.
    """
    odd = good = 0
    for i, char in enumerate(text):
        if char.isascii() and (char.isprintable() or char in "\n\t"):
            continue
        odd += 1
        around = text[max(i - 1, 0):i] + text[i + 1:i + 2]
        if _CJK.match(char):
            good += not any(c.isascii() and c.isalpha() for c in around)
        elif char in _WESTERN:  # a sign ("·", "“") may sit beside Chinese, a letter ("é") may not
            good += not around or any(c.isascii() or c.isspace() or (not char.isalpha() and _CJK.match(c))
                                      for c in around)
    return good / odd if odd else 1.0


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
        text += ("" if _CJK.match(text[-1:]) and _CJK.match(line[:1]) else " ") + line
    return text


def wrap_width(line: str) -> bool:
    """Whether `line` is as wide as hard-wrapped prose lines are (a CJK character takes two columns)."""
    return len(line) + len(_CJK.findall(line)) in _WRAP_WIDTHS


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
