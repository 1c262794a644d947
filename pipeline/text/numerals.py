"""Ways to write a number: digits with their marks, English and French words, Chinese and Roman numerals.

One composition rule serves all three languages: digits add up, a small unit (hundred, cent, 十, 百, 千)
multiplies what came since the last unit, a big unit (thousand, million, 万, 亿) multiplies everything
since the last bigger one. `numbers.py` decides what a number found here is worth to a comparison.
"""
from __future__ import annotations

import math
import re

LARGEST = 1e18  # larger "numbers" are runs of scale words, not amounts
# The financial forms (壹, 陆, 拾) are left out: in news they are other words far more often (陆军, 队伍, 收拾).
ZH_DIGITS = dict(zip("零〇一二三四五六七八九两", [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2]))
ZH_SMALL = {"十": 10, "百": 100, "千": 1000}
ZH_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
ZH_NUMERAL = "".join(ZH_DIGITS) + "".join(ZH_SMALL) + "".join(ZH_BIG)

_EN_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
             "sixteen seventeen eighteen nineteen").split()
_EN_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_FR_UNITS = ("zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
             "seize").split()
_FR_TENS = "vingt trente quarante cinquante soixante septante huitante nonante".split()

EN_WORDS = {word: n for n, word in enumerate(_EN_UNITS)} | {word: 20 + 10 * n for n, word in enumerate(_EN_TENS)}
FR_WORDS = {word: n for n, word in enumerate(_FR_UNITS)} | {word: 20 + 10 * n for n, word in enumerate(_FR_TENS)}
FR_WORDS |= {"une": 1, "vingts": 20, "quatrevingt": 80, "quatrevingts": 80, "octante": 80}
SMALL_UNITS = {"hundred": 100, "cent": 100, "cents": 100}
BIG_UNITS = {
    "en": {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12},
    "fr": {"mille": 10**3, "million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9,
           "billion": 10**12, "billions": 10**12},  # a French billion is a thousand milliards
}
# Words for "about N" (une vingtaine, a dozen): worth N to a comparison, never required of one.
APPROXIMATE = {"dozen": 12, "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
               "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000}
EN_DECADES = {word[:-1] + "ies": 20 + 10 * n for n, word in enumerate(_EN_TENS)}  # the twenties
EN_ORDINALS = {"first": 1, "second": 2, "third": 3, "fifth": 5, "eighth": 8, "ninth": 9, "twelfth": 12}
FR_ORDINALS = {"premier": 1, "première": 1, "premiers": 1, "premières": 1, "second": 2, "seconde": 2}
MONTHS = {
    "en": "January February March April May June July August September October November December".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
}


def _ordinal_words() -> None:
    """Fill EN_ORDINALS and FR_ORDINALS with the regular forms (fourteenth, twentieth; quatorzième)."""
    for word, n in EN_WORDS.items():
        stem = word[:-1] + "ie" if word.endswith("y") else word.rstrip("e") if word == "nine" else word
        EN_ORDINALS.setdefault(stem + "th", n)
    for word, n in FR_WORDS.items():
        stem = {"cinq": "cinqu", "neuf": "neuv", "un": "un", "une": "un"}.get(word, word.rstrip("e"))
        if n and not word.endswith("s"):
            FR_ORDINALS.setdefault(stem + "ième", n)
    FR_ORDINALS.update({"centième": 100, "millième": 1000, "unième": 1})


_ordinal_words()


def compose(parts: list[tuple[str, float]]) -> float:
    """The value of number parts in reading order, each ("digit" | "small" | "big", value)."""
    total, section, number, biggest = 0.0, 0.0, 0.0, 0.0
    for kind, value in parts:
        if kind == "digit":
            number += value
        elif kind == "small":
            section += (number or 1) * value
            number = 0.0
        elif value > biggest:
            total = (total + section + number or 1) * value
            section, number, biggest = 0.0, 0.0, value
        else:
            total += (section + number or 1) * value
            section, number = 0.0, 0.0
    return total + section + number


def chinese_value(run: str) -> float | None:
    """The value of a run of Chinese numerals ("一千二百三十四", "三亿五千万", "二〇二一", "四十四点二");
    None for runs that are not one number (三四 "three or four", 七八十)."""
    whole, _, decimals = run.partition("点")
    if decimals and not all(c in ZH_DIGITS for c in decimals):
        return None
    fraction = float("0." + "".join(str(ZH_DIGITS[c]) for c in decimals)) if decimals else 0.0
    if all(c in ZH_DIGITS for c in whole):  # read digit by digit: 二〇二一 (a year), 五
        if len(whole) > 1 and not any(c in "零〇" for c in whole) and not (len(whole) == 4 and decimals == ""):
            return None
        return int("".join(str(ZH_DIGITS[c]) for c in whole)) + fraction
    parts, previous = [], ""
    for char in whole:
        if char in ZH_DIGITS:
            if previous in ZH_DIGITS and previous not in "零〇" and ZH_DIGITS[char]:
                return None  # two digits side by side: a range (三四天), not a number
            if ZH_DIGITS[char]:
                parts.append(("digit", ZH_DIGITS[char]))
        else:
            unit = ZH_SMALL.get(char) or ZH_BIG[char]
            parts.append(("small" if char in ZH_SMALL else "big", unit))
        previous = char
    value = compose(parts)
    if not math.isfinite(value) or value > LARGEST:
        return None
    if len(parts) >= 2 and parts[-1][0] == "digit" and parts[-2][0] != "digit" and whole[-2] not in "零〇":
        value += parts[-1][1] * (parts[-2][1] / 10 - 1)  # 一万五 is 15000, 三千五 3500: the unit below is implied
    return value + fraction


def word_value(words: list[str], lang: str) -> float | None:
    """The value of consecutive number words ("three hundred and twenty", "quatre-vingt-dix", "a million")."""
    table = EN_WORDS if lang == "en" else FR_WORDS
    big = BIG_UNITS.get(lang, {})
    parts = []
    for word in words:
        if word in table:
            parts.append(("digit", table[word]))
        elif word in SMALL_UNITS and (lang == "en") == (word == "hundred"):
            parts.append(("small", SMALL_UNITS[word]))
        elif word in big:
            parts.append(("big", big[word]))
        elif word not in {"a", "an", "and", "et"}:
            return None
    value = compose(parts) if parts else None
    return value if value is not None and math.isfinite(value) and value <= LARGEST else None


_WORD = re.compile(r"[^\W\d_]+")
_CONNECTORS = {"en": {"and"}, "fr": {"et"}}
# Counts written as one word: a fraction (un tiers), how many times (once), how many years (centenary).
_COUNT_WORDS = {"tiers": 3, "quart": 4, "quarts": 4, "thirds": 3, "once": 1, "twice": 2, "thrice": 3,
                "centenary": 100, "centennial": 100, "centenaire": 100, "bicentenary": 200, "bicentennial": 200,
                "bicentenaire": 200}
MONTH_ABBREVIATIONS = {
    "en": {name: n for n, name in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
    | {"Sept": 9},
    "fr": {name: n for n, name in enumerate("Janv Févr Mars Avr Mai Juin Juil Août Sept Oct Nov Déc".split(), 1)},
}


def number_words(text: str, lang: str):
    """(start, end, value, kind) of each number written in words: twenty-five, trois cent quatre-vingt-dix,
    fourteenth, May (a month), une vingtaine."""
    if lang not in ("en", "fr"):
        return
    tokens = list(_WORD.finditer(text))
    index = 0
    while index < len(tokens):
        stop, words = _word_run(text, tokens, index, lang)
        if words:
            first, last = tokens[index], tokens[stop - 1]
            ordinal = (EN_ORDINALS if lang == "en" else FR_ORDINALS).get(words[-1])
            value = word_value(words[:-1], lang) if ordinal is not None else word_value(words, lang)
            if ordinal is not None and value is not None and value < 20:  # "un cinquième homme": a fifth man
                first, value = tokens[stop - 1], None
            if value is not None or ordinal is not None:
                kind = "ordinal" if ordinal is not None else "number"
                yield first.start(), last.end(), (value or 0) + (ordinal or 0), kind
            index = stop
            continue
        single = _single_word(tokens[index][0], lang)
        if single:
            yield tokens[index].start(), tokens[index].end(), single[1], single[0]
        index += 1


def _word_run(text: str, tokens: list, index: int, lang: str) -> tuple[int, list[str]]:
    """The tokens from `index` that spell one number ("three hundred and twenty", "vingt et un"), lower-cased."""
    table = EN_WORDS if lang == "en" else FR_WORDS
    units = {w for w in SMALL_UNITS if (lang == "en") == (w == "hundred")} | set(BIG_UNITS[lang])
    ordinals = EN_ORDINALS if lang == "en" else FR_ORDINALS
    words: list[str] = []
    stop = index
    while stop < len(tokens):
        word = tokens[stop][0].lower()
        if words and not re.fullmatch(r"[\s\-]+", text[tokens[stop - 1].end():tokens[stop].start()]):
            break
        following = tokens[stop + 1][0].lower() if stop + 1 < len(tokens) else ""
        if lang == "fr" and word == "quatre" and following.startswith("vingt"):
            word = "quatrevingt"
            stop += 1
        if word in table or word in units or (words and word in ordinals and word not in ("second", "seconde")):
            words.append(word)
        elif not words and word in ("a", "an") and following in units:
            words.append(word)
        elif words and word in _CONNECTORS[lang] and _joins(words[-1], tokens[stop + 1:stop + 2], lang):
            words.append(word)
        else:
            break
        stop += 1
        if words[-1] in ordinals and len(words) > 1:
            break
    while words and (words[-1] in _CONNECTORS[lang] or words[-1] in ("a", "an")):
        words.pop()
        stop -= 1
    if words in (["un"], ["une"]):  # the French article
        return stop, []
    return stop, words


def _joins(previous: str, following: list, lang: str) -> bool:
    """Whether "and"/"et" continues a number: three hundred and twenty, vingt et un (not "two and three")."""
    if not following:
        return False
    if lang == "en":
        return previous in ("hundred", "thousand", "million", "billion") and following[0][0].lower() in EN_WORDS
    return previous in FR_WORDS and following[0][0].lower() in ("un", "une", "onze", "unième", "onzième")


def _single_word(word: str, lang: str) -> tuple[str, float] | None:
    """An ordinal, a month name, a fraction or an approximate count written as one word."""
    lower = word.lower()
    ordinals = EN_ORDINALS if lang == "en" else FR_ORDINALS
    if lower in ordinals:
        return "ordinal", ordinals[lower]
    months = MONTHS[lang] if lang == "en" else [month.capitalize() for month in MONTHS["fr"]]
    name = word if lang == "en" else word.capitalize()  # French writes months in lower case, English does not
    if name in months:
        return "month", months.index(name) + 1
    if name in MONTH_ABBREVIATIONS[lang]:
        return "month", MONTH_ABBREVIATIONS[lang][name]
    if lang == "en" and lower in EN_DECADES:
        return "decade", EN_DECADES[lower]
    if lower in _COUNT_WORDS:
        return "number", _COUNT_WORDS[lower]
    approximate = APPROXIMATE.get(lower) or APPROXIMATE.get(lower.rstrip("s"))
    return ("number", approximate) if approximate else None


_GROUP_SPACES = {"fr": " \u00a0\u202f\u2009"}  # elsewhere only no-break and thin spaces group digits
_LEFT = r"(?<![\d.,])(?<![A-Za-z])(?<![A-Za-z]-)"  # not a digit inside a code: G20, COVID-19, A380


def _digit_pattern(spaces: str) -> re.Pattern:
    grouped = rf"\d{{1,3}}(?:[{spaces}]\d{{3}})+(?![\d])(?:,\d+)?"
    return re.compile(rf"{_LEFT}(?:{grouped}|\d+(?:[.,]\d+)*)")


DIGITS = {lang: _digit_pattern(_GROUP_SPACES.get(lang, "\u00a0\u202f\u2009")) for lang in ("en", "fr", "zh")}


def read_digits(written: str, lang: str) -> tuple[float, ...]:
    """What a run of digits and marks may be worth, the likeliest first: "1 234,5" is 1234.5; "1,234" is
    1234 in English but may be 1.234 in French; () for what is no number (a version such as 1.2.3)."""
    compact = re.sub(r"\s", "", written)
    if sum(c.isdigit() for c in compact) > 24:  # an identifier or a digit string, not an amount a reader checks
        return ()
    if compact != written:  # grouped by spaces: a comma left is the decimal mark
        return (float(compact.replace(",", ".")),)
    groups, marks = re.split(r"[.,]", compact), re.findall(r"[.,]", compact)
    if not marks:
        return (float(compact),)
    if len(set(marks)) == 2 and marks[-1] not in marks[:-1]:  # 1,234.5 or 1.234,5
        whole = groups[:-1]
        return (float("".join(whole) + "." + groups[-1]),) if all(len(g) == 3 for g in whole[1:]) else ()
    if len(marks) > 1:
        return (float("".join(groups)),) if len(set(marks)) == 1 and all(len(g) == 3 for g in groups[1:]) else ()
    whole, part = groups
    decimal = float(f"{whole}.{part}")
    if len(part) != 3 or whole == "0" or len(whole) > 3:
        return (decimal,)
    thousands = float(whole + part)
    if marks[0] == "," and lang != "fr":  # 20,000 in English or Chinese is never twenty
        return (thousands,)
    return (thousands, decimal) if (marks[0] == ",") != (lang == "fr") else (decimal, thousands)


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_FORM = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")


def roman_value(text: str) -> int | None:
    """The value of a Roman numeral written in capitals (XIV is 14); None for anything else."""
    if not text or not _ROMAN_FORM.fullmatch(text):
        return None
    values = [ROMAN[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
