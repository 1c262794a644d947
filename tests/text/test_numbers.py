"""Numbers found and normalised in English, French and Chinese text."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.numbers import extract_numbers
from pipeline.text.numerals import chinese_value, read_digits, roman_value, word_value


def found(text: str, lang: str) -> list[tuple]:
    """(likeliest value, kind, firm) of each number, in reading order."""
    return [(number.values[0], number.kind, number.firm) for number in extract_numbers(text, lang)]


N, P, ORD, T, M, D = "number", "percent", "ordinal", "time", "month", "decade"

EXTRACTED = [
    # English: separators, decimals, scales, percentages, ordinals, times, decades, words
    ("en", "Sales rose to 1,234.5 tonnes.", [(1234.5, N, True)]),
    ("en", "A city of 600,000 people", [(600000, N, True)]),
    ("en", "GDP grew 44.2% and prices 3 per cent", [(44.2, P, True), (3, P, True)]),
    ("en", "a joint fund of 5 billion yuan", [(5e9, N, True)]),
    ("en", "10 trillion yuan", [(1e13, N, True)]),
    ("en", "it cost $38m and £2bn", [(38e6, N, True), (2e9, N, True)]),
    ("en", "the 14th Five-Year Plan", [(14, ORD, True), (5, N, False)]),
    ("en", "on the 1st and the 22nd", [(1, ORD, True), (22, ORD, True)]),
    ("en", "The meeting starts at 3 p.m. sharp", [(3, T, True)]),
    ("en", "released at 15:30 local time", [(15, T, True), (30, N, False)]),
    ("en", "at 1200 GMT today", [(12, T, True)]),
    ("en", "a run time of 4:41.30, 1:09.02 minutes slower", [(281.3, N, True), (69.02, N, True)]),
    ("en", "Throughout the 1960s and the '90s", [(1960, D, True), (90, D, True)]),
    ("en", "just before 5.30pm on Jan. 24th", [(5, T, True), (30, N, False), (1, M, False), (24, ORD, True)]),
    ("en", "at least once since the centenary", [(1, N, False), (100, N, False)]),
    ("en", "three hundred and twenty people", [(320, N, False)]),
    ("en", "twenty-five of the fourteenth", [(25, N, False), (14, ORD, False)]),
    ("en", "two and three", [(2, N, False), (3, N, False)]),
    ("en", "a million visitors in May 2021", [(1e6, N, False), (5, M, False), (2021, N, True)]),
    ("en", "It may rain in march", []),
    ("en", "COVID-19 in G20 nations", [(19, N, False), (20, N, False)]),
    ("en", "Growth will continue [1][2].", []),
    ("en", "on 2021-03-14 at noon", [(2021, N, True), (3, "date", True), (14, "date", True)]),
    ("en", "the 2019-20 season", [(2019, N, True), (2020, N, True)]),
    ("en", "Elizabeth II and Louis XIV", [(2, ORD, False), (14, ORD, False)]),
    ("en", "version 1.2.3 ships", []),
    # French: comma decimals, space and no-break space groups, scales, ordinals, times, words
    ("fr", "une hausse de 44,2 % en 2021", [(44.2, P, True), (2021, N, True)]),
    ("fr", "soit 1 234,5 tonnes", [(1234.5, N, True)]),
    ("fr", "plus de 25\u202f000 visiteurs et 12\u00a0000 arbres", [(25000, N, True), (12000, N, True)]),
    ("fr", "un budget de 1.234.567,89 euros", [(1234567.89, N, True)]),
    ("fr", "estimé à 1,8 million d'euros", [(1.8e6, N, True)]),
    ("fr", "10 000 milliards de yuans", [(1e13, N, True)]),
    ("fr", "un billion de dollars et 3 billions", [(1e12, N, False), (3e12, N, True)]),
    ("fr", "le 14e plan quinquennal et le 1er janvier", [(14, ORD, True), (1, ORD, True), (1, M, False)]),
    ("fr", "au XXIe siècle, sous Louis XIV", [(21, ORD, True), (14, ORD, False)]),
    ("fr", "Ce sont les Ve et VIe", [(5, ORD, True), (6, ORD, True)]),
    ("fr", "réunion à 15 h 30 puis à 9h", [(15, T, True), (30, N, False), (9, T, True)]),
    ("fr", "dans les années 1990", [(1990, D, True)]),
    ("fr", "trois cent quatre-vingt-dix euros", [(390, N, False)]),
    ("fr", "vingt et un ans et soixante-dix-sept jours", [(21, N, False), (77, N, False)]),
    ("fr", "un homme et une femme", []),
    ("fr", "une vingtaine de pays", [(20, N, False)]),
    ("fr", "la quatorzième édition", [(14, ORD, False)]),
    ("fr", "1.234 habitants", [(1234, N, True)]),
    ("fr", "pendant les années 20", [(20, D, True)]),
    ("fr", "pendant les années vingt", [(20, D, False)]),
    ("fr", "arrivé avec quatre cents à son nom", [(400, N, False)]),  # 400, or 4 cents: see the values test
    ("en", "in the Roaring Twenties", [(20, D, False)]),
    # Chinese: numerals, mixed digits and units, percentages, ordinals, months, times, decades
    ("zh", "增长百分之四十四点二", [(44.2, P, True)]),
    ("zh", "同比增长1.3%", [(1.3, P, True)]),
    ("zh", "达到3.5万人", [(35000, N, True)]),
    ("zh", "目标五年工业规模达10万亿级", [(5, N, False), (1e13, N, True)]),
    ("zh", "投资4500 万澳元", [(4.5e7, N, True)]),
    ("zh", "共计两千三百万元", [(2.3e7, N, True)]),
    ("zh", "三亿五千万", [(3.5e8, N, True)]),
    ("zh", "一万五千人与一万五", [(15000, N, True), (15000, N, True)]),
    ("zh", "一百零五名", [(105, N, True)]),
    ("zh", "第十四个五年规划", [(14, ORD, True), (5, N, False)]),
    ("zh", "“十四五”规划", [(14, ORD, True), (5, N, False)]),
    ("zh", "二〇二一年", [(2021, N, True)]),
    ("zh", "2021年3月14日", [(2021, N, True), (3, M, True), (14, N, True)]),
    ("zh", "十一月十六日", [(11, M, True), (16, N, True)]),
    ("zh", "下午3点和十点半", [(3, T, True), (10, T, False)]),
    ("zh", "增长三成", [(30, P, False)]),
    ("zh", "一个半小时", [(1.5, N, False)]),
    ("zh", "20 世纪 60 年代", [(1960, D, True)]),
    ("zh", "20世纪六七十年代", [(1960, D, True), (1970, D, True)]),
    ("zh", "共发出2万4801张", [(24801, N, True)]),
    ("zh", "“十四五”实现良好开局", [(14, ORD, True), (5, N, False)]),
    ("zh", "400多万人", [(4e6, N, True)]),
    ("zh", "几十人和数百万人，成千上万", []),
    ("zh", "三四天", [(3, N, False), (4, N, False)]),
    ("zh", "一些人统一行动，十分重要", []),
    ("zh", "陆军的队伍", []),
    ("zh", "全长约38公里", [(38, N, True)]),
    ("zh", "１２３人", [(123, N, True)]),
]


@pytest.mark.parametrize(("lang", "text", "expected"), EXTRACTED, ids=[f"{c[0]}:{c[1][:30]}" for c in EXTRACTED])
def test_numbers_are_found_and_normalised(lang, text, expected):
    assert found(text, lang) == expected


@pytest.mark.parametrize(("written", "lang", "values"), [
    ("1,234", "en", (1234,)),  # a comma before three digits groups thousands in English
    ("1,234", "fr", (1.234, 1234)),  # the decimal mark in French, but a French text may copy English
    ("1.234", "fr", (1234, 1.234)),
    ("1.234", "en", (1.234, 1234)),
    ("44,2", "en", (44.2,)),
    ("0,125", "fr", (0.125,)),
    ("1 234 567", "fr", (1234567,)),
    ("1,234,567.5", "en", (1234567.5,)),
    ("1.234.567,5", "fr", (1234567.5,)),
    ("1.2.3", "en", ()),
])
def test_digits_are_read_by_the_language_s_marks(written, lang, values):
    assert read_digits(written, lang) == pytest.approx(values)


@pytest.mark.parametrize(("run", "value"), [
    ("十", 10), ("十四", 14), ("二十", 20), ("一百零五", 105), ("一千二百三十四", 1234), ("两千", 2000),
    ("三千五", 3500), ("十万", 100000), ("一亿", 1e8), ("十万亿", 1e13), ("二〇二一", 2021), ("四十四点二", 44.2),
    ("三四", None),
])
def test_chinese_numerals(run, value):
    assert chinese_value(run) == (pytest.approx(value) if value is not None else None)


@pytest.mark.parametrize(("text", "lang", "values"), [
    ("les années 20", "fr", (20, 1920, 2020)),
    ("les années vingt", "fr", (20, 1920, 2020)),
    ("the twenties", "en", (20, 1920, 2020)),
    ("avec quatre cents à son nom", "fr", (400, 4)),  # no noun after it: may be four cents (FLORES dev line 449)
    ("Il a quatre cents.", "fr", (400, 4)),
    ("quatre cents personnes", "fr", (400,)),
    ("dix années", "fr", (10,)),
])
def test_every_value_a_number_may_have(text, lang, values):
    assert extract_numbers(text, lang)[0].values == pytest.approx(values)


def test_number_words_and_roman_numerals():
    assert word_value(["two", "thousand", "five", "hundred"], "en") == 2500
    assert word_value(["one", "million", "two", "hundred", "thousand"], "en") == 1_200_000
    assert word_value(["deux", "cent", "mille"], "fr") == 200_000
    assert word_value(["quatrevingt", "dix"], "fr") == 90
    assert [roman_value(r) for r in ("XIV", "XXI", "MCMLXXXV", "IIII", "")] == [14, 21, 1985, None, None]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.%-:/万亿十百千一二三四两第年月点hème kmstMdbn年代")),
               max_size=40), st.sampled_from(["en", "fr", "zh", "de"]))
def test_any_text_is_read_without_error(text, lang):
    for number in extract_numbers(text, lang):
        assert number.values and number.text
