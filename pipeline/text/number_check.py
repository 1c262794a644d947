"""Whether a translation carries the numbers of its source, read the way each language writes them.

The numbers of both texts are matched one to one (a multiset: a number said twice must come twice).
A firm number (digits, 第十四, 二十) must find a partner; a soft one (five, 三, a dozen) only serves as a
partner, never counts against a text. Partners are found in three rounds: firm with firm of the same
value, firm with soft, then a value rounded from the other (74.87 billion written 749亿, 44.2 written 44).
A whole number inside a short range the other text gives by its ends is not required ("du XIe au XIIIe
siècle" for "the 11th, 12th and 13th centuries"). What is left is reported as pairs a reader can check: `number-mismatch: 20,000 vs 20万`.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Callable

from pipeline.text.numbers import WIDE, Number, extract_numbers
from pipeline.text.units import same_quantity

FLAG = "number-mismatch"
MISSING = "—"
SOFT_DISTANCE = 2  # orders of magnitude: "trois vs 30" says what came instead, "一 vs 2004" (一周, a week) does not


@dataclass(frozen=True)
class Mismatch:
    """A number of the source with no partner in the translation, or the other way round (None: nothing)."""

    source: Number | None
    target: Number | None

    def __str__(self) -> str:
        return f"{shown(self.source)} vs {shown(self.target)}"


def shown(number: Number | None) -> str:
    """A number as a flag shows it: its text on one line, MISSING for none."""
    return " ".join(number.text.split()) if number else MISSING


def number_mismatches(source: str, source_lang: str, target: str, target_lang: str) -> list[Mismatch]:
    """The firm numbers of either text that the other does not carry, paired for display, in source order."""
    left = _without_conversions(extract_numbers(source, source_lang))
    right = _without_conversions(extract_numbers(target, target_lang))
    left_spans, right_spans = spans(source, left), spans(target, right)
    left_spans, right_spans = _spelled_out(left_spans, right_spans, right), _spelled_out(right_spans, left_spans, left)
    partners: dict[int, int] = {}
    _match(left, right, partners, lambda a, b: a.firm and b.firm and bool(a.keys() & b.keys()))
    _match(left, right, partners, lambda a, b: bool(a.keys() & b.keys()))
    _match(left, right, partners, rounded)
    _match(left, right, partners, converted)
    matched = set(partners.values())
    missing = [a for i, a in enumerate(left)
               if a.firm and i not in partners and not _said(a, right) and not _between(a, right_spans)]
    extra = [b for j, b in enumerate(right)
             if b.firm and j not in matched and not _said(b, left) and not _between(b, left_spans)]
    swapped = _swapped_words(left, right)
    paired = {id(number) for mismatch in swapped for number in (mismatch.source, mismatch.target)}
    soft_left, soft_right = ([n for k, n in enumerate(numbers) if not n.firm and k not in used and id(n) not in paired
                              and not _said(n, other)]
                             for numbers, used, other in ((left, partners, right), (right, matched, left)))
    return _with_soft(_paired(missing, extra), soft_left, soft_right) + swapped


def _swapped_words(left: list[Number], right: list[Number]) -> list[Mismatch]:
    """An ordinal or a month in words that the other text swapped for another ("sa onzième édition", "its
    ninth edition"; "September 2024", "décembre 2024"): soft numbers both, but one of them is wrong. Told
    when, once the values both texts have are paired off, exactly one word of the kind is left on each
    side; ordinals from the third on (second is also a unit of time, first a manner of speaking)."""
    found = []
    for kind, smallest in (("ordinal", 3), ("month", 1)):
        ours, theirs = (_words_of(numbers, kind, smallest) for numbers in (left, right))
        for number in list(ours):
            partner = next((other for other in theirs if other.keys() & number.keys()), None)
            if partner:
                ours.remove(number)
                theirs.remove(partner)
        if len(ours) == 1 and len(theirs) == 1:
            found.append(Mismatch(ours[0], theirs[0]))
    return found


def _words_of(numbers: list[Number], kind: str, smallest: int) -> list[Number]:
    return [n for n in numbers if n.kind == kind and not n.firm and min(n.values) >= smallest]


def _said(number: Number, other: list[Number]) -> bool:
    """Whether the other text has this number at all: a repeat one text makes and the other leaves out
    (802.11a, 802.11b and 802.11g; "802.11a, b et g") is style, not a wrong number."""
    return any(number.keys() & partner.keys() for partner in other)


_SPAN = re.compile(r"\s*(?:-|–|—|to|through|à|au|jusqu'au|~|[\u4e00-\u9fff]?(?:到|至))\s*")  # 5岁至11岁
SPAN_KINDS = ("number", "ordinal")


def spans(text: str, numbers: list[Number]) -> list[tuple[float, float]]:
    """The short ranges of whole numbers `text` writes by their two ends ("du XIe au XIIIe siècle", "11-13"),
    as (low, high): a translation may spell out what lies between ("the 11th, 12th and 13th centuries")."""
    text = text.translate(WIDE)
    found = []
    for low, high in zip(numbers, numbers[1:]):
        a, b = low.values[0], high.values[0]
        if low.kind in SPAN_KINDS and high.kind in SPAN_KINDS and a == int(a) and b == int(b) and 1 < b - a <= 10 \
                and _SPAN.fullmatch(text[low.start + len(low.text):high.start]):
            found.append((a, b))
    return found


def _spelled_out(ranges: list[tuple[float, float]], others: list[tuple[float, float]], other: list[Number]
                 ) -> list[tuple[float, float]]:
    """The ranges one text gives by their ends that the other text spells out: both ends there, not as a range
    ("du XIe au XIIIe" for "the 11th, 12th and 13th"; not "8 to 12" for "8至10", a changed end is an error)."""
    values = {value for number in other if number.kind in SPAN_KINDS for value in number.values}
    return [(low, high) for low, high in ranges if low in values and high in values and (low, high) not in others]


def _between(number: Number, ranges: list[tuple[float, float]]) -> bool:
    """Whether a whole number lies inside a range the other text gives by its ends (12th in "XIe au XIIIe")."""
    value = number.values[0]
    return number.kind in SPAN_KINDS and value == int(value) and any(low < value < high
                                                                               for low, high in ranges)


def _without_conversions(numbers: list[Number]) -> list[Number]:
    """The numbers, with a conversion the text gives itself ("50 km (31 miles)") no longer required."""
    kept: list[Number] = []
    for number in numbers:
        if number.firm and any(converted(number, earlier) for earlier in kept):
            number = replace(number, firm=False)
        kept.append(number)
    return kept


def converted(a: Number, b: Number) -> bool:
    """Whether two amounts are one quantity in two units (491 miles, 790 km)."""
    return bool(a.unit and b.unit) and any(same_quantity(a.unit, x, b.unit, y) for x in a.values for y in b.values)


def number_flags(mismatches: list[Mismatch]) -> list[str]:
    """The flag text of each mismatch: `number-mismatch: 20,000 vs 20万`."""
    return [f"{FLAG}: {mismatch}" for mismatch in mismatches]


def _match(left: list[Number], right: list[Number], partners: dict[int, int],
           fits: Callable[[Number, Number], bool]) -> None:
    """Add to `partners` (left index -> right index) a largest set of new pairs that fit, at least one firm."""
    taken = set(partners.values())
    free_left = [i for i in range(len(left)) if i not in partners]
    free_right = [j for j in range(len(right)) if j not in taken]
    options = {i: [j for j in free_right if (left[i].firm or right[j].firm) and fits(left[i], right[j])]
               for i in free_left}
    owner: dict[int, int] = {}  # right index -> left index, this round

    def place(i: int, seen: set[int]) -> bool:  # an augmenting path (Kuhn): move earlier pairs aside if need be
        for j in options[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or place(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in sorted(free_left, key=lambda i: not left[i].firm):  # firm numbers choose first
        place(i, set())
    partners.update({i: j for j, i in owner.items()})


def rounded(a: Number, b: Number) -> bool:
    """Whether one number is the other rounded to its own last digit (749亿 for 74.87 billion, 44 for 44.2),
    for amounts written with a decimal part or of ten thousand and more (a year 2021 is never 2020)."""
    if "month" in (a.kind, b.kind):
        return False
    for x in a.values:
        for y in b.values:
            precise, rough = (x, y) if _last_digit(x) < _last_digit(y) else (y, x)
            if precise == rough or (precise == int(precise) and abs(precise) < 10_000):
                continue
            digits, place = _significant(rough), _last_digit(rough)
            if digits >= 2 and abs(precise - rough) <= 0.5 * 10.0**place * (1 + 1e-9):
                return True
    return False


def _last_digit(value: float) -> int:
    """The power of ten of the last significant digit: 3 for 12,000, -1 for 44.2."""
    return Decimal(repr(float(f"{value:.9g}"))).normalize().as_tuple().exponent


def _significant(value: float) -> int:
    return len(Decimal(repr(float(f"{value:.9g}"))).normalize().as_tuple().digits)


def _paired(missing: list[Number], extra: list[Number]) -> list[Mismatch]:
    """Each missing number beside the extra one closest in size (20,000 beside 20万), then the rest alone."""
    distances = sorted((_distance(a, b), i, j) for i, a in enumerate(missing) for j, b in enumerate(extra))
    pairs: dict[int, int] = {}
    for _, i, j in distances:
        if i not in pairs and j not in pairs.values():
            pairs[i] = j
    found = [Mismatch(a, extra[pairs[i]] if i in pairs else None) for i, a in enumerate(missing)]
    found += [Mismatch(None, b) for j, b in enumerate(extra) if j not in pairs.values()]
    return found


def _with_soft(found: list[Mismatch], soft_left: list[Number], soft_right: list[Number]) -> list[Mismatch]:
    """Each number left with nothing beside it shown beside the closest unpartnered soft number of its kind on
    the other side ("二十 vs twenty-four" for 二十多个 rendered "twenty-four"), so a reader sees what came
    instead; a soft number is never reported alone."""
    result = []
    for mismatch in found:
        alone, pool = (mismatch.source, soft_right) if mismatch.target is None else (mismatch.target, soft_left)
        options = [n for n in pool if n.kind == alone.kind and _distance(alone, n) <= SOFT_DISTANCE] \
            if None in (mismatch.source, mismatch.target) else []
        if options:
            partner = min(options, key=lambda n: _distance(alone, n))
            pool.remove(partner)
            mismatch = Mismatch(alone, partner) if pool is soft_right else Mismatch(partner, alone)
        result.append(mismatch)
    return result


def _distance(a: Number, b: Number) -> float:
    x, y = abs(a.values[0]) or 1e-9, abs(b.values[0]) or 1e-9
    return abs(math.log10(x) - math.log10(y))
