"""Units of measure after a number, so that 491 miles and 790 km count as the same distance.

Translators convert units (FLORES's French and Chinese references turn miles, feet and pounds into
kilometres, metres and kilograms) and add a conversion in brackets ("50 kilometres (31 miles)"); a number
check that ignored units would flag every one of them.
"""
from __future__ import annotations

import re

# unit name -> (dimension, its size in the base unit: metre, kilogram, square metre, litre)
UNITS = {
    "km": ("length", 1000.0), "m": ("length", 1.0), "cm": ("length", 0.01), "mm": ("length", 0.001),
    "mile": ("length", 1609.344), "foot": ("length", 0.3048), "inch": ("length", 0.0254), "yard": ("length", 0.9144),
    "kg": ("mass", 1.0), "g": ("mass", 0.001), "t": ("mass", 1000.0), "pound": ("mass", 0.45359),
    "ounce": ("mass", 0.02835), "short ton": ("mass", 907.18),
    "km2": ("area", 1e6), "m2": ("area", 1.0), "mile2": ("area", 2.59e6), "foot2": ("area", 0.0929),
    "hectare": ("area", 1e4), "acre": ("area", 4046.86),
    "litre": ("volume", 1.0), "gallon": ("volume", 3.785),
    "celsius": ("temperature", 1.0), "fahrenheit": ("temperature", 1.0),
}
_SQUARE = {"km": "km2", "m": "m2", "mile": "mile2", "foot": "foot2"}
_WORDS = {
    "en": {"km": r"km|kilomet(?:re|er)s?|kph", "m": r"m|met(?:re|er)s?", "cm": r"cm|centimet(?:re|er)s?",
           "mm": r"mm|millimet(?:re|er)s?", "mile": r"miles?|mi|mph", "foot": r"feet|foot|ft",
           "inch": r"inch(?:es)?", "yard": r"yards?|yds?", "kg": r"kg|kilo(?:gram)?s?", "g": r"g|grams?",
           "t": r"tonnes?|metric tons?", "short ton": r"tons?", "pound": r"pounds?|lbs?", "ounce": r"ounces?|oz",
           "hectare": r"hectares?|ha", "acre": r"acres?", "litre": r"lit(?:re|er)s?", "gallon": r"gallons?",
           "celsius": r"°\s?C|degrees? (?:Celsius|centigrade)", "fahrenheit": r"°\s?F|degrees? Fahrenheit"},
    "fr": {"km": r"km|kilomètres?", "m": r"m|mètres?", "cm": r"cm|centimètres?", "mm": r"mm|millimètres?",
           "mile": r"milles?|miles?", "foot": r"pieds?", "inch": r"pouces?", "yard": r"yards?",
           "kg": r"kg|kilo(?:gramme)?s?", "g": r"g|grammes?", "t": r"t|tonnes?", "pound": r"livres?",
           "ounce": r"onces?", "hectare": r"hectares?|ha", "acre": r"acres?", "litre": r"litres?",
           "gallon": r"gallons?", "celsius": r"°\s?C|degrés? Celsius", "fahrenheit": r"°\s?F|degrés? Fahrenheit"},
    "zh": {"km2": "平方公里|平方千米", "m2": "平方米", "mile2": "平方英里", "foot2": "平方英尺", "km": "公里|千米",
           "mile": "英里", "foot": "英尺", "inch": "英寸", "yard": "码", "cm": "厘米", "mm": "毫米", "m": "米",
           "kg": "公斤|千克", "t": "吨", "pound": "磅", "ounce": "盎司", "g": "克", "hectare": "公顷", "acre": "英亩",
           "litre": "升", "gallon": "加仑", "celsius": "摄氏度|°\\s?C", "fahrenheit": "华氏度|°\\s?F"},
}


def _pattern(lang: str) -> re.Pattern:
    names = _WORDS[lang]
    alternatives = "|".join(f"(?P<u{i}>{names[name]})" for i, name in enumerate(names))
    if lang == "zh":
        return re.compile(rf"\s?(?:多|余)?\s?(?:{alternatives})")
    square = r"(?P<square>square\s|sq\.?\s)?" if lang == "en" else ""
    carre = r"(?P<carre>\s?(?:carrés?|²|2)\b)?" if lang == "fr" else r"(?P<carre>²|2\b)?"
    return re.compile(rf"(?:\s?-\s?|\s)?{square}(?:{alternatives})(?![^\W\d_]){carre}")


_PATTERNS = {lang: (_pattern(lang), list(_WORDS[lang])) for lang in _WORDS}


def unit_after(text: str, position: int, lang: str) -> tuple[str, int]:
    """The unit written at `position` (right after a number) and where it ends; ("", position) if none."""
    pattern, names = _PATTERNS.get(lang, _PATTERNS["en"])
    match = pattern.match(text, position)
    if not match:
        return "", position
    index = next(int(name[1:]) for name, value in match.groupdict().items() if value and name[0] == "u")
    unit = names[index]
    squared = match.groupdict().get("square") or match.groupdict().get("carre")
    return (_SQUARE.get(unit, unit) if squared else unit), match.end()


def same_quantity(unit_a: str, value_a: float, unit_b: str, value_b: float) -> bool:
    """Whether two amounts in different units of one dimension are the same, give or take the 2% that
    rounding a conversion costs (491 miles and 790 km; 1,000 pounds and 450 kg)."""
    if unit_a == unit_b or unit_a not in UNITS or unit_b not in UNITS or UNITS[unit_a][0] != UNITS[unit_b][0]:
        return False
    a, b = _base(unit_a, value_a), _base(unit_b, value_b)
    if UNITS[unit_a][0] == "temperature":
        return abs(a - b) <= 1.5
    return abs(a - b) <= 0.02 * max(abs(a), abs(b))


def _base(unit: str, value: float) -> float:
    if unit == "fahrenheit":
        return (value - 32) * 5 / 9
    return value * UNITS[unit][1]
