"""How a file encodes its text, undone: bytes to str.

`decode` turns bytes into str and says what encoding was assumed: byte-order
mark, strict UTF-8, a charset the file declares (HTML `<meta charset>`),
mostly-valid UTF-8 with a few bad bytes, then charset-normalizer; binary files
are refused with a reason. What the text then says in markup (front matter,
Markdown) and how its lines make paragraphs is `markup.py`'s.
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from pipeline.text.scripts import EAST_ASIAN

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
        if EAST_ASIAN.match(char):
            good += not any(c.isascii() and c.isalpha() for c in around)
        elif char in _WESTERN:  # a sign ("·", "“") may sit beside Chinese, a letter ("é") may not
            good += not around or any(c.isascii() or c.isspace() or (not char.isalpha() and EAST_ASIAN.match(c))
                                      for c in around)
    return good / odd if odd else 1.0
