"""Text helpers shared by the stages: normalisation, paragraphs, sentences, scripts (from `scripts.py`).

Splitting never loses or duplicates text: every piece is a slice of the input and
only whitespace between pieces is dropped (or, for wrapped lines, changed).
"""
from __future__ import annotations

import re
import unicodedata

from pipeline.text.scripts import SCRIPT_RANGES, is_cjk

SEGMENTER_VERSION = "1"  # bump when a rule changes paragraph or sentence boundaries

_HAN = re.compile(f"[{SCRIPT_RANGES['han']}]")
_LATIN_WORD = re.compile(f"[{SCRIPT_RANGES['latin']}]+")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028]")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_TERMINAL_END = re.compile(r"[.!?…。！？；:：]['\"”’»」』）)\]】》]*$")
_BULLET = re.compile(r"[-–—•·*▪►]\s|\d{1,2}[.)]\s")


def normalize(text: str) -> str:
    """NFC, one kind of line break, single spaces, at most one blank line; strips the ends."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).replace("\u2029", "\n\n")
    text = _LINE_BREAKS.sub("\n", text)
    text = re.sub(r"[^\S\n]+", " ", text)
    text = re.sub(r" ?\n ?", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines; lone lines (headlines) stay paragraphs, wrapped lines join."""
    paragraphs = []
    for block in _BLANK_LINE.split(text):
        lines = [line.strip() for line in block.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.extend(_group_lines(lines))
    return paragraphs


def _group_lines(lines: list[str]) -> list[str]:
    width = _wrap_width(lines)
    groups = [lines[0]]
    for previous, line in zip(lines, lines[1:]):
        if _continues(previous, line, width):
            groups[-1] = _join_wrapped(groups[-1], line)
        else:
            groups.append(line)
    return groups


def _wrap_width(lines: list[str]) -> int:
    """The column a hard-wrapped block was wrapped at, or 0 when lines were not wrapped."""
    width = max(len(line) for line in lines)
    full = [line for line in lines[:-1] if len(line) >= 0.75 * width]
    return width if 20 <= width <= 150 and len(full) >= 2 else 0


def _continues(previous: str, line: str, width: int) -> bool:
    if _TERMINAL_END.search(previous) or _BULLET.match(line):
        return False
    if width and len(previous) >= 0.75 * width:
        return True
    return line[0].islower() and len(previous) >= 40


def _join_wrapped(left: str, right: str) -> str:
    if is_cjk(left[-1]) and is_cjk(right[0]):
        return left + right
    if left[-1] == "-" and left[-2:-1].isalpha() and right[0].islower():
        return left + right
    return f"{left} {right}"


def split_sentences(text: str, lang: str = "en") -> list[str]:
    """Sentences of `text` in order; joined they give `text` back up to whitespace between them."""
    return [text[start:end] for start, end in sentence_spans(text, lang)]


_TERMINAL = re.compile(r"([.!?…‽。！？；｡．]+)((?:[\"'”’»」』）)\]】》〉]|\s+[»”」』）】》〉])*)")
_CJK_STOPS = frozenset("。！？；｡．")
_OPENERS = "\"'“‘«([{「『（【《¿¡"
_CLOSERS = "\"'”’»)]}」』）】》〉"
_PROTECTED = re.compile(
    r"(?:https?://|www\.)\S*[\w/#=]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|int|io|cn|fr|uk|jp|info|biz)\b"
)
_TOKEN = re.compile(r"\S+")
_WORD_BEFORE = re.compile(r"\S+$")
_NEXT_WORD = re.compile(r"(?:[-–—•·*] )?[\"'“‘«(\[]*([^\W\d_]*)")
_INITIALS = re.compile(r"(?:[^\W\d_]{1,2}\.-?)*[^\W\d_]")
_ORDINAL = re.compile(r"\d{1,2}(?:st|nd|rd|th|er|re|e)?")
_NEVER_END = {  # abbreviations always followed by more of the same sentence
    "en": {"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "gen", "gov", "sen", "rep", "col", "lt", "capt",
           "sgt", "rev", "hon", "messrs", "e.g", "i.e", "cf", "vs", "approx", "est", "dept", "ca", "viz"},
    "fr": {"mm", "mme", "mmes", "mlle", "mlles", "mgr", "dr", "pr", "cf", "env", "vs", "av", "bd", "éd",
           "ex", "p.ex", "c.-à-d", "c.-à.-d", "réf", "apr"},
}
_MAYBE_END = {"etc", "inc", "ltd", "co", "corp", "st", "al", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
              "sep", "sept", "oct", "nov", "dec", "janv", "févr", "fév", "avr", "juil", "déc"}
_NUMBER_ABBREVIATIONS = {"no", "nos", "nr", "n°", "p", "pp", "art", "vol", "fig", "ch", "chap", "sec", "tel", "op"}
_MONTHS = set(
    "january february march april may june july august september october november december "
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
) | _MAYBE_END
_STARTERS = set(
    "The A An It He She We They I This That These Those There In On At For But And As If When While After "
    "Before However Its His Her Our Their Some Many Most All No Not What Why How Who Meanwhile Also So Then "
    "Yet Now Next According Since Although Le La Les L Un Une Des Il Elle Ils Elles Nous Vous On Ce Cet "
    "Cette Ces C Mais Et En Dans Pour Par Selon Avec Sur Au Aux Du De Depuis Puis Ainsi Cependant Enfin "
    "Alors Si Son Sa Ses Leur Leurs Notre Nos Pourtant".split()
)


def sentence_spans(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, in order, without surrounding whitespace."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for cut in _punctuation_cuts(text, line.start(), line.end(), lang) + [line.end()]:
            piece = _strip(text, start, cut)
            if piece:
                spans.extend(_script_switch(text, *piece))
            start = cut
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _punctuation_cuts(text: str, lo: int, hi: int, lang: str) -> list[int]:
    return [m.end() for m in _TERMINAL.finditer(text, lo, hi) if m.end() < hi and _is_boundary(text, m, lo, hi, lang)]


def _is_boundary(text: str, m: re.Match, lo: int, hi: int, lang: str) -> bool:
    run, start, gap = m.group(1), m.start(), m.end()
    if _CJK_STOPS.intersection(run) or (run[0] == "…" and start > lo and is_cjk(text[start - 1])):
        return True
    while gap < hi and text[gap].isspace():
        gap += 1
    if gap == hi:
        return False
    if gap == m.end():  # glued, as in scraped "in 2019.At the end"
        if start == lo or not _glued_start(text, start - 1, gap, hi) or _in_link(text, start, lo, hi):
            return False
    elif not _spaced_start(text, gap, hi):
        return False
    return run != "." or _may_end(text, start, gap, lo, hi, lang)


def _in_link(text: str, position: int, lo: int, hi: int) -> bool:
    """Whether `position` lies inside a URL, an e-mail address or a domain name."""
    before = _WORD_BEFORE.search(text, max(lo, position - 300), position)
    start = before.start() if before else position
    end = _TOKEN.match(text, position, hi).end()
    return any(m.start() <= position < m.end() for m in _PROTECTED.finditer(text, start, end))


def _glued_start(text: str, before: int, gap: int, hi: int) -> bool:
    previous = text[before]
    if not (previous.islower() or previous.isdigit() or previous in _CLOSERS or is_cjk(previous)):
        return False
    if text[gap] in "“«\"" and gap + 1 < hi:
        gap += 1
    char, following = text[gap], text[gap + 1 : gap + 2]
    caseless = char.isalpha() and not char.isupper() and not char.islower()
    return caseless or (char.isupper() and following.islower())


def _spaced_start(text: str, gap: int, hi: int) -> bool:
    if text[gap] in "-–—•·*" and text[gap + 1 : gap + 2] == " ":
        gap += 2
    while gap < hi and text[gap] in _OPENERS:
        gap += 1
    char = text[gap : gap + 1]
    return char.isdigit() or (char.isalpha() and not char.islower())


def _may_end(text: str, start: int, gap: int, lo: int, hi: int, lang: str) -> bool:
    """Whether the word before a period at `start` can end a sentence, given what follows at `gap`."""
    word = _WORD_BEFORE.search(text, max(lo, start - 40), start)
    token = word.group().lstrip(_OPENERS).rstrip(_CLOSERS) if word else ""
    lowered = token.lower()
    following = _NEXT_WORD.match(text, gap, hi).group(1)
    if lowered in _NEVER_END.get(lang, _NEVER_END["en"]):
        return False
    if lowered in _MAYBE_END or _INITIALS.fullmatch(token):
        return following in _STARTERS
    if text[gap].isdigit():
        return lowered not in _NUMBER_ABBREVIATIONS and not re.fullmatch(r"\d{1,2}", lowered)
    return not (_ORDINAL.fullmatch(lowered) and following.lower() in _MONTHS)


def _script_switch(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a sentence in two where a line clearly switches between Chinese and Latin script."""
    if not (_HAN.search(text, start, end) and _LATIN_WORD.search(text, start, end)):
        return [(start, end)]
    runs: list[list] = []  # [kind, start, end, han characters, latin words, latin letters]
    for token in _TOKEN.finditer(text, start, end):
        word = token.group()
        kind = "han" if _HAN.search(word) else ("latin" if _LATIN_WORD.search(word) else "")
        if not runs or (kind and runs[-1][0] and kind != runs[-1][0]):
            runs.append([kind, token.start(), token.end(), 0, 0, 0])
        run = runs[-1]
        run[0], run[2] = run[0] or kind, token.end()
        latin = _LATIN_WORD.findall(word) if kind == "latin" else []
        run[3:] = run[3] + len(_HAN.findall(word)), run[4] + bool(latin), run[5] + sum(map(len, latin))
    if len(runs) == 2 and all(_substantial(run) for run in runs):
        return [(run[1], run[2]) for run in runs]
    return [(start, end)]


def _substantial(run: list) -> bool:
    kind, _, _, han, words, letters = run
    return (kind == "han" and han >= 6) or (kind == "latin" and words >= 2 and letters >= 8)


_CLAUSE_CUTS = [re.compile(p) for p in (r"[;；]\s*", r"[:：]\s*", r"[,，、]\s*", r"\s+")]


def split_long(sentence: str, max_chars: int) -> list[str]:
    """Pieces of at most `max_chars`, cut at clauses, then spaces, then anywhere; joined they give `sentence`."""
    if max_chars < 1:
        raise ValueError(f"split_long: max_chars must be at least 1, got {max_chars}")
    pieces, start = [], 0
    while len(sentence) - start > max_chars:
        cut = _clause_cut(sentence, start, start + max_chars)
        pieces.append(sentence[start:cut])
        start = cut
    if start < len(sentence):
        pieces.append(sentence[start:])
    return pieces


def _clause_cut(text: str, start: int, limit: int) -> int:
    """The best cut in (start, limit]: the strongest clause boundary not too close to `start`."""
    for shortest in (max(1, (limit - start) // 3), 1):
        for pattern in _CLAUSE_CUTS:
            ends = [m.end() for m in pattern.finditer(text, start, limit) if m.end() - start >= shortest]
            if ends:
                return ends[-1]
    cut = limit
    while cut > start + 1 and unicodedata.combining(text[cut]):
        cut -= 1  # keep an accent with its letter
    return cut
