"""Numbers in English, French and Chinese text, normalised so that a source and its translation can be compared.

`extract_numbers(text, lang)` finds every number a reader would check: digits with either decimal mark and
any thousands separator, percentages, scales (3.5万, 10 trillion, 10 000 milliards), ordinals (14th, 14e,
XIVe, 第十四), times, months, decades, Chinese numerals and number words. Each `Number` keeps what it may be
worth (an ambiguous 1,234 in French may be 1.234 or 1234) and whether a translation must carry it (`firm`:
digits and multi-character Chinese numerals are; "five", 三 or "a dozen" are not, since translators write
them as words, digits or not at all). `number_check.py` compares two texts with them.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from pipeline.text.numerals import (
    DIGITS,
    LARGEST,
    ZH_DIGITS,
    ZH_NUMERAL,
    chinese_value,
    number_words,
    read_digits,
    roman_value,
)
from pipeline.text.units import unit_after

WIDE = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)}, "％": "%", "ᵉ": "e", "ʳ": "r"})
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6, "k": 1e3,
          "m": 1e6, "mille": 1e3, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "md": 1e9, "mds": 1e9,
          "mrd": 1e9, "mrds": 1e9, "billions": 1e12, "万": 1e4, "亿": 1e8}
FR_SCALES = {"billion": 1e12}  # a French billion is a thousand milliards
ZH_UNITS = {"十": 10, "百": 100, "千": 1e3, "万": 1e4, "亿": 1e8}

_ZH_RUN = f"[{ZH_NUMERAL}]+(?:点[{''.join(ZH_DIGITS)}]+)?"
_SUFFIXES = {
    "en": re.compile(r"\s?(?P<percent>%|‰|per ?cent\b)|(?P<ordinal>st|nd|rd|th)\b"
                     r"|\s?(?P<scale>thousand|million|billion|trillion|bn|mn)\b|(?P<k>k)\b"
                     r"|\s?(?P<time>[ap]\.?m\b\.?|o'clock)|(?P<decade>'?s)\b", re.IGNORECASE),
    "fr": re.compile(r"\s?(?P<percent>%|‰|pour ?cent\b|p\.\s?100\b)|(?P<ordinal>e|er|re|ère|ème|eme|è|nde?)\b"
                     r"|\s?(?P<scale>mille|millions?|milliards?|billions?|Mds?|Mrds?)\b"
                     r"|\s?(?P<time>h(?:eures?)?)(?:\s?(?P<minutes>\d\d))?\b"),
    "zh": re.compile(r"\s?(?P<percent>%|‰)|\s?[多余]?(?P<scale>[万亿百]+|千(?![米克瓦卡兆焦帕伏])[万亿]*)"
                     r"|\s?(?P<time>点|时(?![期代间候刻]))|\s?(?P<month>月)|\s?(?P<decade>年代)|(?P<half>个半|[年天周]半)"),
}
_DATE = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)|(?<![\d.])(\d{1,2})([/.])(\d{1,2})\6(\d{4})(?!\d)")
_YEARS = re.compile(r"(?<!\d)((?:1[6-9]|20)\d\d)\s?[-–/]\s?(\d\d)(?![\d.,%])")
_CLOCK = re.compile(r"(?<![\d.,:])(\d{1,2}):(\d\d)(?::\d\d)?(?![\d:])")
_RACE_TIME = re.compile(r"(?<![\d.,:])(\d{1,2}):(\d\d)[.,](\d{1,3})(?![\d:])")  # 4:41.30, a time taken, no hour
_CODE = re.compile(r"(?<![\w-])[A-Za-z]+-?(\d{1,6})(?![\d.,])")
_ZONE = re.compile(r"\s?(?:GMT|UTC)\b")  # 1200 GMT is noon
_CITATION = re.compile(r"\[\d{1,3}\]")  # reference marks from scraped pages: [1][2]
# Chinese words written with a numeral that count nothing: 一些 "some", 统一 "unify", 十分 "very", 千万 "by all means".
_ZH_WORDS = re.compile(f"(?<![{ZH_NUMERAL}\\d])(?:一些|一样|一起|一直|一定|一般|一旦|统一|唯一|之一|一致|一切"
                       "|一下|一点|一同|同一|这一|那一|每一|另一|某一|万一|一方面|一边|十分|千万(?![人元美欧英吨户家个名辆台套平公])"
                       "|进一步|一再|一向|一律|一流|一线|一体|一带一路)")
_ZH_DECADE = re.compile(rf"(?<![{ZH_NUMERAL}\d])(\d+|{_ZH_RUN})\s?世纪\s?(\d0|[一二三四五六七八九]{{0,2}}十)\s?年代")
_ZH_PERCENT = re.compile(rf"(百分之|千分之)\s?(\d+(?:\.\d+)?|{_ZH_RUN})")
_ZH_NUMERAL = re.compile(_ZH_RUN)
_ROMAN = re.compile(r"(?<![\w-])([IVXLC]{1,7})(e|er|re|ème|ᵉ)?(?![\w-])")


@dataclass(frozen=True)
class Number:
    """A number as written in a text, what it may be worth, and whether a translation must carry it."""

    text: str
    values: tuple[float, ...]  # the likeliest first
    kind: str = "number"  # number | percent | permille | ordinal | time | month | date | decade
    firm: bool = True
    start: int = 0
    unit: str = ""  # a unit of measure (units.UNITS): 491 miles and 790 km are one distance

    def keys(self) -> set[tuple[str, float]]:
        """What it matches: months only match months, everything else matches by value."""
        if self.kind == "month":
            return {("month", _normal(value)) for value in self.values}
        keys = {("n", _normal(value)) for value in self.values}
        if self.kind == "date":  # the day or month of a numeric date (03/14 or 14/03)
            keys |= {("month", value) for group, value in keys if value <= 12}
        return keys


def _normal(value: float) -> float:
    return float(f"{value:.9g}")


def extract_numbers(text: str, lang: str) -> list[Number]:
    """Every number in `text` (a language code: en, fr, zh; others are read like English), in reading order."""
    text = text.translate(WIDE)
    lang = lang if lang in _SUFFIXES else "en"
    found: list[Number] = []
    taken = bytearray(len(text) + 1)  # characters an earlier extractor has read

    def add(start: int, end: int, numbers: list[Number]) -> None:
        if not any(taken[start:end]):
            taken[start:end] = b"\x01" * (end - start)
            found.extend(numbers)

    for extractor in (_citations, _dates, _zh_special, _digits, _zh_numerals, _words, _romans):
        for start, end, numbers in extractor(text, lang):
            add(start, end, numbers)
    found = [replace(n, firm=False) if n.kind == "number" and n.values == (1,) else n for n in found]  # "1个" is "a"
    return _shared_units(text, sorted(found, key=lambda number: number.start))


_RANGE = re.compile(r"\s*(?:-|–|to|and|or|à|et|ou|au|~|到|至|或)\s*")


def _shared_units(text: str, numbers: list[Number]) -> list[Number]:
    """A range gives its unit once: "328 to 820 feet", "de 100 à 250 mètres", "3至5公里"."""
    for i in range(len(numbers) - 2, -1, -1):
        number, following = numbers[i], numbers[i + 1]
        if following.unit and not number.unit and number.kind == "number":
            end = number.start + len(number.text)
            if _RANGE.fullmatch(text[end:following.start]):
                numbers[i] = replace(number, unit=following.unit)
    return numbers


def _citations(text: str, lang: str):
    """Spans that hold no number to compare: reference marks, Chinese words such as 一些."""
    for match in _CITATION.finditer(text):
        yield match.start(), match.end(), []
    for match in _ZH_WORDS.finditer(text) if lang == "zh" else ():
        yield match.start(), match.end(), []
    for match in _CODE.finditer(text):  # G20 may be 二十国集团: worth 20, never required
        yield match.start(), match.end(), [Number(match[0], (int(match[1]),), firm=False, start=match.start())]


def _dates(text: str, lang: str):
    """Numeric dates (2021-03-14, 14/03/2021), year ranges (2019-20) and clock times (15:30)."""
    for match in _DATE.finditer(text):
        year, first, second = (match[1], match[3], match[4]) if match[1] else (match[8], match[5], match[7])
        parts = [Number(match[0], (int(part),), kind, start=match.start())
                 for part, kind in ((year, "number"), (first, "date"), (second, "date"))]
        yield match.start(), match.end(), parts
    for match in _YEARS.finditer(text):
        century, short = match[1][:2], int(match[2])
        end_year = Number(match[0], (int(century + match[2]), short), start=match.start(2))
        yield match.start(), match.end(), [Number(match[0], (int(match[1]),), start=match.start()), end_year]
    for match in _RACE_TIME.finditer(text):  # worth its seconds: 4:41.30 is 281.3
        seconds = int(match[1]) * 60 + int(match[2]) + float("0." + match[3])
        yield match.start(), match.end(), [Number(match[0], (seconds,), start=match.start())]
    for match in _CLOCK.finditer(text):
        yield match.start(), match.end(), _time(int(match[1]), match[0], match.start(), int(match[2]))


def _time(hour: int, text: str, start: int, minutes: int = 0, firm: bool = True) -> list[Number]:
    """A time of day, worth its hour on either clock (3 p.m. is 15 h); minutes are never required."""
    hours = (hour, (hour + 12) % 24) if hour <= 12 else (hour, hour - 12)
    numbers = [Number(text, hours, "time", firm, start)]
    return numbers + [Number(text, (minutes,), "number", False, start)] if minutes else numbers


def _zh_special(text: str, lang: str):
    """Chinese forms read as a whole: 20世纪90年代 (the 1990s), 百分之四十 (40%), 十四五 (the 14th Five-Year Plan)."""
    if lang != "zh":
        return
    for match in _ZH_DECADE.finditer(text):
        century = _zh_or_digits(match[1])
        tens = [_zh_or_digits(match[2])] if len(match[2]) < 3 else [ZH_DIGITS[c] * 10 for c in match[2][:2]]
        if century and None not in tens:  # 六七十年代: the sixties and seventies
            yield match.start(), match.end(), [Number(match[0], ((century - 1) * 100 + decade,), "decade",
                                                      start=match.start()) for decade in tens]
    for match in _ZH_PERCENT.finditer(text):
        value = _zh_or_digits(match[2])
        if value is not None:
            kind = "percent" if match[1] == "百分之" else "permille"
            yield match.start(), match.end(), [Number(match[0], (value,), kind, start=match.start())]
    for match in re.finditer(r"十([一二三四五六七八九])五(?=[”\"'’」』]|规划|计划|时期|期间)", text):
        plan = Number(match[0], (10 + ZH_DIGITS[match[1]],), "ordinal", start=match.start())
        yield match.start(), match.end(), [plan, Number(match[0], (5,), firm=False, start=match.start())]


def _zh_or_digits(text: str) -> float | None:
    return float(text) if text[0].isdigit() else chinese_value(text)


def _digits(text: str, lang: str):
    """Numbers written with digits, with what follows them: a scale, a percent sign, an ordinal ending, a time."""
    for match in DIGITS[lang].finditer(text):
        values = read_digits(match[0], lang)
        if not values:
            continue
        start, end = match.start(), match.end()
        suffix = _SUFFIXES[lang].match(text, end)
        groups = {name: value for name, value in suffix.groupdict().items() if value} if suffix else {}
        end = suffix.end() if groups else end
        if lang == "en" and not groups and text[end:end + 1] in ("m", "M") and text[start - 1:start] in "$€£¥" \
                and start and not text[end + 1:end + 2].isalpha():
            groups, end = {"scale": "m"}, end + 1  # $5m
        kind = "ordinal" if "ordinal" in groups else "percent" if "percent" in groups else "number"
        if lang == "zh" and text[start - 1:start] == "第":
            kind, start = "ordinal", start - 1
        if lang == "zh" and groups.get("scale") in ("万", "亿") and (rest := re.match(r"\d+", text[end:])):
            if int(rest[0]) < SCALES[groups["scale"]]:  # 2万4801 is 24801
                values, end = (values[0] * SCALES[groups.pop("scale")] + int(rest[0]),), end + rest.end()
        if lang == "fr" and _after_annees(text, start):
            groups["decade"] = "années"
        if not groups and len(match[0]) == 4 and _ZONE.match(text, end) and int(match[0][2:]) < 60:
            yield start, end, _time(int(match[0][:2]), match[0], start, int(match[0][2:]))
            continue
        unit, stop = unit_after(text, end, lang) if kind == "number" else ("", end)
        numbers = _digits_number(text[start:stop].strip(), values, kind, groups, start, lang)
        yield start, stop, [replace(number, unit=unit) if number.kind == "number" else number for number in numbers]


def _digits_number(text: str, values: tuple[float, ...], kind: str, groups: dict, start: int,
                   lang: str) -> list[Number]:
    if "scale" in groups or "k" in groups:
        scale = groups.get("scale") or "k"
        factor = _zh_scale(scale) if lang == "zh" else FR_SCALES.get(scale.lower(), 0) if lang == "fr" else 0
        values = tuple(v * (factor or SCALES[scale.lower()]) for v in values)
    if not all(math.isfinite(v) and v <= LARGEST for v in values):  # 5万亿亿亿亿...: no amount
        return []
    whole = values[0] == int(values[0])
    clock = re.match(r"(\d{1,2})[.,](\d\d)(?!\d)", text)  # 5.30pm, 12.00 GMT
    if "time" in groups and clock and int(clock[1]) <= 24:
        return _time(int(clock[1]), text, start, int(clock[2]))
    if "time" in groups and whole and values[0] <= 24:
        return _time(int(values[0]), text, start, int(groups.get("minutes") or 0))
    if "month" in groups and whole and 1 <= values[0] <= 12:
        return [Number(text, values[:1], "month", start=start)]
    if "decade" in groups and whole:
        year = int(values[0])
        years = (year, 1900 + year, 2000 + year) if year < 100 else (year, year // 100 + 1) if year % 100 == 0 \
            else (year,)  # the 90s; the 1800s are the 19th century
        return [Number(text, years, "decade", start=start)]
    if "half" in groups:
        values = tuple(v + 0.5 for v in values)
    return [Number(text, values, kind, start=start)]


def _zh_scale(units: str) -> float:
    factor = 1.0
    for unit in units:
        factor *= ZH_UNITS[unit]
    return factor


def _zh_numerals(text: str, lang: str):
    """Chinese numerals: 十四, 两千, 三亿五千万, 二〇二一, 第十四, 三月, 三点, 三成, 一个半."""
    if lang != "zh":
        return
    for match in _ZH_NUMERAL.finditer(text):
        run, start, end = match[0], match.start(), match.end()
        before, after = text[start - 1:start], text[end:end + 2]
        if (before and before in "几数上成好") or after.startswith("几"):  # 几十, 数百, 成千上万, 十几: not a count
            yield start, end, []
            continue
        value = chinese_value(run)
        if value is not None and len(run) == 4 and all(c in ZH_DIGITS for c in run) and not after.startswith("年") \
                and not any(c in "零〇" for c in run):
            value = None
        if value is None:  # a range (三四天, "three or four days") or a set phrase: each digit counts, none is required
            yield start, end, [Number(c, (ZH_DIGITS[c],), firm=False, start=start + i)
                               for i, c in enumerate(run) if c in ZH_DIGITS]
            continue
        yield start, end, _zh_number(text, run, value, start, end)


def _zh_number(text: str, run: str, value: float, start: int, end: int) -> list[Number]:
    after = text[end:end + 2]
    firm = any(c in ZH_DIGITS for c in run) and len(run) >= 2  # 十四, 两千, 二〇二一; not 三, 十 or 百 alone
    whole = value == int(value)
    if text[start - 1:start] == "第":
        return [Number("第" + run, (value,), "ordinal", firm, start - 1)]
    if after.startswith("月") and whole and 1 <= value <= 12:
        return [Number(run + "月", (value,), "month", True, start)]
    if after[:1] in ("点", "时") and after[1:2] not in tuple("期代间候刻") and whole and value <= 24:
        return _time(int(value), run + after[0], start, firm=firm)
    if after.startswith("成") and whole and value <= 10:
        return [Number(run + "成", (value * 10,), "percent", False, start)]
    if re.match(r"个半|[年天周]半", after):
        value += 0.5
    if scale := re.match(r"[多余]([万亿]+)", after):  # 十多万: over a hundred thousand
        value *= _zh_scale(scale[1])
    unit, stop = unit_after(text, end, "zh")
    return [Number(text[start:stop], (value,), "number", firm, start, unit)]


# What may follow "quatre cents" when it is four cents, not four hundred of something: "avec quatre cents à son nom".
_NO_NOUN = re.compile(r"\s*(?:[,.;:!?)»\"]|$|(?:à|au|aux|pour|par|en poche|chacun|chacune|dans)\b)")


def _words(text: str, lang: str):
    """Number words (never required of a translation): twenty-five, trois cent quatre-vingt-dix, fourteenth, May,
    the twenties (les années vingt)."""
    for start, end, value, kind in number_words(text, lang):
        if lang == "fr" and kind == "number" and value in range(10, 100, 10) and _after_annees(text, start):
            kind = "decade"
        if kind == "decade":
            yield start, end, [Number(text[start:end], (value, 1900 + value, 2000 + value), kind, False, start)]
            continue
        values = (value,)
        if lang == "fr" and text[start:end].lower().endswith(" cents") and _NO_NOUN.match(text, end):
            values = (value, value / 100)
        unit, stop = unit_after(text, end, lang) if kind == "number" else ("", end)
        yield start, stop, [Number(text[start:stop], values, kind, False, start, unit)]


def _after_annees(text: str, start: int) -> bool:
    """Whether a number follows "années": les années 20, les années vingt are a decade."""
    return text[max(0, start - 7):start].lower().rstrip() == "années"


def _romans(text: str, lang: str):
    """Roman numerals: XIVe and XXIe siècle are ordinals a translation must carry; Louis XIV's is not."""
    for match in _ROMAN.finditer(text):
        numeral, ending = match[1], match[2]
        value = roman_value(numeral)
        if not value or (len(numeral) == 1 and (not ending or numeral in "LC" or lang != "fr")):
            continue
        firm = bool(ending) and lang == "fr" and numeral != "I"
        yield match.start(), match.end(), [Number(match[0], (value,), "ordinal", firm, match.start())]
