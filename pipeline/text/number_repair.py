"""Numbers a translation got wrong, put right where the fix is certain, and said so.

After the retries a translation may still carry a `number-mismatch`. Where the source has exactly one
number of a kind (a plain number, a percent, a permille, an ordinal) that the translation lacks, and the
translation exactly one of that kind that the source lacks, written in digits or Chinese numerals, the
translation's number is rewritten as the source's value, the way the target language writes it (en
"20,000" "3.5" "14th"; fr "20 000" "3,5" "14e"; zh "20000", "2万" or "第十四" after the translation's own
style), with its unit, currency and percent words kept. The repair is kept only where the numbers of both
texts then match for that pair. Anything else (two candidates of a kind, words, dates, times, an
approximate 20多万) keeps its mismatch flag. A repair is never silent: its flag is
`number-repaired: Y -> Z`, Y the translation's span as written, Z what replaced it (`20万吨 -> 2万吨`),
and it is logged at INFO on `digest.numbers`.
"""
from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from pipeline.text.number_check import FLAG as MISMATCH
from pipeline.text.number_check import Mismatch, number_flags, number_mismatches, shown
from pipeline.text.numbers import FR_SCALES, SCALES, WIDE, ZH_UNITS, Number
from pipeline.text.numerals import DIGITS, ZH_NUMERAL, chinese_value, read_digits

FLAG = "number-repaired"
KINDS = ("number", "percent", "permille", "ordinal")  # dates, times, months and decades are never rewritten
log = logging.getLogger("digest.numbers")

_SCALE_WORDS = {
    "en": re.compile(r"\s?(?:thousand|million|billion|trillion|bn|mn)\b|[km]\b", re.IGNORECASE),  # 5 m: metres
    "fr": re.compile(r"\s?(mille|millions?|milliards?|billions?|Mds?|Mrds?)\b"),
    "zh": re.compile(r"\s?(千?[万亿]+)"),
}
_SCALES = {  # the scales a repair may write, largest first
    "en": ((1e12, " trillion"), (1e9, " billion"), (1e6, " million")),
    "fr": ((1e9, " milliard"), (1e6, " million")),
    "zh": ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")),
}
_MARKS = {"en": (",", "."), "fr": (" ", ","), "zh": (",", ".")}  # thousands separator, decimal mark
_ORDINAL_ENDING = {"en": re.compile(r"(st|nd|rd|th)\b"), "fr": re.compile(r"(er|re|ère|ème|eme|è|nde?|e)\b")}
_APPROXIMATE = re.compile(r"[多余几]")
_ZH_RUN = re.compile(f"[{ZH_NUMERAL}]+")
_ZH_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Repair:
    """A number of the translation (`target`) rewritten as the source's (`source`): its span now reads `written`."""

    source: Number
    target: Number
    written: str

    def __str__(self) -> str:
        return f"{shown(self.target)} -> {' '.join(self.written.split())}"


@dataclass(frozen=True)
class _Written:
    """A number's span cut in parts: 第 | 20 | 万 | 吨; `numerals`: the head is in Chinese numerals."""

    prefix: str
    head: str
    scale: str
    rest: str
    numerals: bool


def repair_numbers(source: str, source_lang: str, target: str, target_lang: str) -> tuple[str, list[Repair]]:
    """`target` with each unambiguous number mismatch against `source` put right, and the repairs made."""
    repairs = []
    pairs = _pairs(number_mismatches(source, source_lang, target, target_lang))
    for wanted, wrong in sorted(pairs, key=lambda pair: -pair[1].start):  # from the end: earlier spans stay put
        written = rewritten(wanted, wrong, target, target_lang)
        if written is None:
            continue
        candidate = target[:wrong.start] + written + target[wrong.start + len(wrong.text):]
        if _fixed(number_mismatches(source, source_lang, candidate, target_lang), wanted, wrong.start):
            target = candidate
            repairs.append(Repair(wanted, wrong, written))
    return target, repairs[::-1]


def repaired(source: str, source_lang: str, output: str, target_lang: str, flags: list[str]
             ) -> tuple[str, list[str]]:
    """`output` and its `flags` after `repair_numbers`: the number-mismatch flags those of the repaired text,
    one `number-repaired: Y -> Z` flag per repair in their place; unchanged where nothing was repaired."""
    if not any(flag.startswith(MISMATCH + ":") for flag in flags):
        return output, flags
    fixed, repairs = repair_numbers(source, source_lang, output, target_lang)
    if not repairs:
        return output, flags
    for repair in repairs:
        log.info("%s: %s (the source has %s) in %r", FLAG, repair, shown(repair.source), fixed)
    return fixed, repaired_flags(source, source_lang, fixed, target_lang, flags, repairs)


def repaired_flags(source: str, source_lang: str, fixed: str, target_lang: str, flags: list[str],
                   repairs: list[Repair]) -> list[str]:
    """`flags` with the number-mismatch flags replaced, where the first of them stood, by one flag per repair
    and the mismatches `fixed` still has; unchanged without repairs."""
    if not repairs:
        return flags
    place = next(i for i, flag in enumerate(flags) if flag.startswith(MISMATCH + ":"))
    kept = [flag for flag in flags if not flag.startswith(MISMATCH + ":")]
    now = [f"{FLAG}: {repair}" for repair in repairs]
    now += number_flags(number_mismatches(source, source_lang, fixed, target_lang))
    return kept[:place] + now + kept[place:]


def _pairs(mismatches: list[Mismatch]) -> list[tuple[Number, Number]]:
    """(source number, translation number) for each kind with exactly one firm number left on each side."""
    missing = [m.source for m in mismatches if m.source is not None and m.source.firm]
    extra = [m.target for m in mismatches if m.target is not None and m.target.firm]
    pairs = []
    for kind in KINDS:
        ours, theirs = [n for n in missing if n.kind == kind], [n for n in extra if n.kind == kind]
        if len(ours) == 1 and len(theirs) == 1 and _compatible(ours[0], theirs[0]):
            pairs.append((ours[0], theirs[0]))
    return pairs


def _compatible(wanted: Number, wrong: Number) -> bool:
    """One reading of the source's value, the same unit or none on both (28000 km/h against 17,000 mph is a
    conversion gone wrong, not a number to copy), and a translation number that is no estimate."""
    return len(wanted.values) == 1 and wanted.unit == wrong.unit and not _APPROXIMATE.search(wrong.text)


def _fixed(mismatches: list[Mismatch], wanted: Number, at: int) -> bool:
    """Whether neither the source's number nor the rewritten one is left in a mismatch."""
    return not any((m.source is not None and m.source.start == wanted.start)
                   or (m.target is not None and m.target.start == at) for m in mismatches)


def rewritten(wanted: Number, wrong: Number, target: str, lang: str) -> str | None:
    """The span of `wrong` in `target` with `wanted`'s value written in its place; None where the span is not
    one number in digits or Chinese numerals read as `wrong` was read."""
    if target.translate(WIDE)[wrong.start:wrong.start + len(wrong.text)] != wrong.text:
        return None
    parts = _parts(wrong.text, lang)
    if parts is None or not any(abs(_value(parts, lang) - v) <= 1e-9 * abs(v) for v in wrong.values):
        return None
    value = wanted.values[0]
    scaled = bool(parts.scale) or (parts.numerals and any(c in "万亿" for c in parts.head))
    if parts.numerals and not scaled and value == int(value) and 0 < value < 10_000:
        head = chinese_numeral(int(value))
    else:
        head = written_number(value, lang, scaled, _separator(parts.head, lang))
    rest = parts.rest
    if wanted.kind == "ordinal" and lang in _ORDINAL_ENDING:
        rest = _ORDINAL_ENDING[lang].sub(lambda ending: ordinal_ending(value, lang, ending[0]), rest, count=1)
    if lang == "fr" and parts.scale and not re.search(r"[a-z]$", head):  # "2 millions de" without its millions
        rest = re.sub(r"^\s+d(?:e\s+|')", " ", rest)
    return parts.prefix + head + rest


def _parts(text: str, lang: str) -> _Written | None:
    """A span cut in prefix, head, scale and the rest (unit, percent sign, ordinal ending); None where its rest
    holds a digit (a date, a race time)."""
    prefix = "第" if lang == "zh" and text.startswith("第") else ""
    body = text[len(prefix):]
    digits = DIGITS.get(lang, DIGITS["en"]).match(body)
    if digits:
        scale = _SCALE_WORDS.get(lang, _SCALE_WORDS["en"]).match(body, digits.end())
        cut = scale.end() if scale else digits.end()
        parts = _Written(prefix, digits[0], scale[0] if scale else "", body[cut:], False)
    elif lang == "zh" and (run := _ZH_RUN.match(body)):
        parts = _Written(prefix, run[0], "", body[run.end():], True)
    else:
        return None
    return None if re.search(r"\d", parts.rest) else parts


def _value(parts: _Written, lang: str) -> float:
    """What the head and scale of a span are worth (nan where they are no number)."""
    if parts.numerals:
        return chinese_value(parts.head) or float("nan")
    values = read_digits(parts.head, lang)
    factor = 1.0
    for word in parts.scale.split():
        if lang == "zh":
            factor *= math.prod(ZH_UNITS[c] for c in word)
        else:
            factor *= (FR_SCALES if lang == "fr" else {}).get(word.lower()) or SCALES[word.lower()]
    return values[0] * factor if values else float("nan")


def _separator(head: str, lang: str) -> str | None:
    """The thousands separator the translation used in this number, if any."""
    grouped = re.search(r"\d([ \u00a0\u202f\u2009,.])\d{3}(?!\d)", head)
    if grouped and not (lang == "fr" and grouped[1] == ",") and not (lang != "fr" and grouped[1] == "."):
        return grouped[1]
    return None


def written_number(value: float, lang: str, scaled: bool, separator: str | None = None) -> str:
    """`value` as `lang` writes it in digits: en 20,000 and 3.5, fr 20 000 and 3,5, zh 20000; with `scaled`,
    with the largest scale word that leaves at most two decimals (74.87亿, 2 trillion, 1,5 million)."""
    for size, word in _SCALES.get(lang, _SCALES["en"]) if scaled else ():
        mantissa = round(value / size, 9)
        if abs(mantissa) >= 1 and round(mantissa, 2) == mantissa:
            plural = "s" if lang == "fr" and abs(mantissa) >= 2 else ""
            return written_number(mantissa, lang, False) + word + plural
    group, mark = _MARKS.get(lang, _MARKS["en"])
    whole, _, decimals = format(Decimal(f"{abs(value):.12g}").normalize(), "f").partition(".")
    if separator or (len(whole) > 4 and lang != "zh"):
        group = separator or group
        whole = re.sub(r"(?<=\d)(?=(\d{3})+$)", group, whole)
    return ("-" if value < 0 else "") + whole + (mark + decimals if decimals else "")


def ordinal_ending(value: float, lang: str, ending: str) -> str:
    """The ending of an ordinal: en 1st 2nd 3rd 11th 21st; fr 1er (or 1re as written) and 14e (or 14ème)."""
    n = int(value)
    if lang == "en":
        return "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    if n == 1:
        return ending if ending in ("er", "re", "ère") else "er"
    return ending if ending in ("e", "ème", "eme", "è") else "e"


def chinese_numeral(n: int) -> str:
    """A whole number from 1 to 9999 in Chinese numerals: 十四, 二十一, 一百零五, 一千零五."""
    parts, gap = [], False
    for size, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // size % 10
        if not digit:
            gap = bool(parts)
            continue
        parts += ["零"] if gap else []
        parts.append(_ZH_DIGITS[digit] + name)
        gap = False
    numeral = "".join(parts)
    return numeral[1:] if 10 <= n < 20 else numeral
