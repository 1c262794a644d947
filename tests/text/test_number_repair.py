"""A translation's wrong number rewritten as the source's, only where the pairing is certain, never silently."""
from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.text.number_check import number_mismatches
from pipeline.text.number_repair import (
    chinese_numeral,
    repair_numbers,
    repaired,
    written_number,
)
from pipeline.text.numerals import chinese_value, read_digits

REPAIRED = [
    # fr -> en
    ("fr", "Le PIB a progressé de 3,5 % en 2023.", "en", "GDP grew by 35% in 2023.",
     "GDP grew by 3.5% in 2023.", ["35% -> 3.5%"]),
    ("fr", "La ville compte 20 000 habitants.", "en", "The city has 2,000 inhabitants.",
     "The city has 20,000 inhabitants.", ["2,000 -> 20,000"]),
    ("fr", "Le musée a coûté 12,5 millions d'euros.", "en", "The museum cost €125 million.",
     "The museum cost €12.5 million.", ["125 million -> 12.5 million"]),
    ("fr", "L'équipe a terminé au 14e rang.", "en", "The team finished 4th.", "The team finished 14th.",
     ["4th -> 14th"]),
    ("fr", "La tour fait 50 m de haut.", "en", "The tower is 5 m high.", "The tower is 50 m high.", ["5 m -> 50 m"]),
    ("fr", "Il a coûté 5 milliards de dollars.", "en", "It cost $5m.", "It cost $5 billion.", ["5m -> 5 billion"]),
    # zh -> en
    ("zh", "海关查获20万吨走私货物。", "en", "Customs seized 20,000 tonnes of smuggled goods.",
     "Customs seized 200,000 tonnes of smuggled goods.", ["20,000 tonnes -> 200,000 tonnes"]),
    ("zh", "第十四届全运会在西安举行。", "en", "The 4th National Games were held in Xi'an.",
     "The 14th National Games were held in Xi'an.", ["4th -> 14th"]),
    ("zh", "国内生产总值增长2万亿元。", "en", "GDP grew by 200 billion yuan.", "GDP grew by 2 trillion yuan.",
     ["200 billion -> 2 trillion"]),
    ("zh", "今年出口增长了3.5%。", "en", "Exports grew by 35% this year.", "Exports grew by 3.5% this year.",
     ["35% -> 3.5%"]),
    # en -> fr
    ("en", "GDP grew by 3.5% in 2023.", "fr", "Le PIB a progressé de 35 % en 2023.",
     "Le PIB a progressé de 3,5 % en 2023.", ["35 % -> 3,5 %"]),
    ("en", "About 12,000 people marched.", "fr", "Environ 1 200 personnes ont défilé.",
     "Environ 12 000 personnes ont défilé.", ["1 200 -> 12 000"]),
    ("en", "The bridge cost $1.5 million.", "fr", "Le pont a coûté 15 millions de dollars.",
     "Le pont a coûté 1,5 million de dollars.", ["15 millions -> 1,5 million"]),
    ("en", "The 14th Five-Year Plan starts in 2021.", "fr", "Le 4e plan quinquennal commence en 2021.",
     "Le 14e plan quinquennal commence en 2021.", ["4e -> 14e"]),
    # en -> zh
    ("en", "Customs seized 20,000 tonnes.", "zh", "海关查获20万吨。", "海关查获2万吨。", ["20万吨 -> 2万吨"]),
    ("en", "The fund holds $3.5 billion.", "zh", "该基金持有3.5亿美元。", "该基金持有35亿美元。",
     ["3.5亿 -> 35亿"]),
    ("en", "The 14th Five-Year Plan starts in 2021.", "zh", "第十三个五年规划于2021年开始。",
     "第十四个五年规划于2021年开始。", ["第十三 -> 第十四"]),
    ("en", "Unemployment fell to 3.5%.", "zh", "失业率降至35%。", "失业率降至3.5%。", ["35% -> 3.5%"]),
    ("en", "The bridge is 1,200 metres long.", "zh", "这座桥长12000米。", "这座桥长1200米。",
     ["12000米 -> 1200米"]),
    # zh -> fr and fr -> zh
    ("zh", "目标规模达10万亿元。", "fr", "L'objectif est de 100 milliards de yuans.",
     "L'objectif est de 10 000 milliards de yuans.", ["100 milliards -> 10 000 milliards"]),
    ("fr", "Le taux est de 3,5 %.", "zh", "利率为35%。", "利率为3.5%。", ["35% -> 3.5%"]),
    # two kinds, one number of each left on each side: both pairs are certain
    ("fr", "En 2023, 3,5 % des salariés sont partis.", "en", "In 2024, 35% of employees left.",
     "In 2023, 3.5% of employees left.", ["2024 -> 2023", "35% -> 3.5%"]),
]

NOT_REPAIRED = [
    ("fr", "Il a 30 ans et 4 enfants.", "en", "He is 31 and has 5 children."),  # two numbers on each side
    ("fr", "Il y a 25 ans.", "en", "It was twenty years ago."),  # a word: nothing in digits to rewrite
    ("en", "He arrived on 2021-03-14.", "fr", "Il est arrivé le 2021-03-15."),  # a date
    ("en", "Toledo, 12 March", "zh", "托莱多，5月12日"),  # a month
    ("en", "The meeting ends at 3 p.m.", "fr", "La réunion se termine à 16 h."),  # a time
    ("en", "Prices rose 5% in May.", "fr", "Les prix ont augmenté en mai."),  # missing: nothing to replace
    ("en", "More than 20,000 people came.", "zh", "有20多万人前来。"),  # an estimate
    ("fr", "Le taux est de 3,5 %.", "en", "The rate is 35."),  # a percent against a plain number
    ("en", "They collided 491 miles above the Earth.", "fr", "Ils sont entrés en collision à 900 km d'altitude."),
    ("fr", "Ils roulaient à 28000 km/h.", "en", "They travelled at 19,000 mph."),  # a conversion gone wrong
    ("fr", "Il a payé 1,500 euros.", "en", "He paid 2,500 euros."),  # 1,500: one and a half or fifteen hundred
]


@pytest.mark.parametrize("source_lang, source, target_lang, target, fixed, repairs", REPAIRED)
def test_a_certain_pairing_is_repaired_the_way_the_target_writes_numbers(source_lang, source, target_lang, target,
                                                                         fixed, repairs):
    assert number_mismatches(source, source_lang, target, target_lang)
    text, made = repair_numbers(source, source_lang, target, target_lang)
    assert (text, [str(repair) for repair in made]) == (fixed, repairs)
    assert number_mismatches(source, source_lang, text, target_lang) == []


@pytest.mark.parametrize("source_lang, source, target_lang, target", NOT_REPAIRED)
def test_an_uncertain_mismatch_is_left_as_it_is(source_lang, source, target_lang, target):
    assert number_mismatches(source, source_lang, target, target_lang)
    assert repair_numbers(source, source_lang, target, target_lang) == (target, [])


def test_a_repair_replaces_its_flag_in_place_and_is_logged(caplog):
    flags = ["guard:too-long", "glossary-miss: GDP", "number-mismatch: 20,000 tonnes vs 20万吨", "name-inconsistent: x"]
    with caplog.at_level(logging.INFO, logger="digest.numbers"):
        text, now = repaired("Customs seized 20,000 tonnes.", "en", "海关查获20万吨。", "zh", flags)
    assert text == "海关查获2万吨。"
    assert now == ["guard:too-long", "glossary-miss: GDP", "number-repaired: 20万吨 -> 2万吨", "name-inconsistent: x"]
    assert [record.name for record in caplog.records] == ["digest.numbers"]
    assert "number-repaired: 20万吨 -> 2万吨 (the source has 20,000 tonnes)" in caplog.text


def test_mismatches_a_repair_leaves_keep_their_flags():
    source, target = "Sur 3,5 % des 30 sites, 4 ont fermé.", "At 35% of the 31 sites, 5 closed."
    flags = ["number-mismatch: 3,5 % vs 35%", "number-mismatch: 30 vs 31", "number-mismatch: 4 vs 5"]
    assert repaired(source, "fr", target, "en", flags) == (
        "At 3.5% of the 31 sites, 5 closed.",
        ["number-repaired: 35% -> 3.5%", "number-mismatch: 30 vs 31", "number-mismatch: 4 vs 5"])


def test_nothing_repaired_leaves_output_and_flags_alone():
    flags = ["number-mismatch: 30 vs 31", "number-mismatch: 4 vs 5"]
    assert repaired("Il a 30 ans et 4 enfants.", "fr", "He is 31 and has 5 children.", "en", flags) == (
        "He is 31 and has 5 children.", flags)
    assert repaired("Il a 30 ans.", "fr", "He is 31.", "en", ["guard:too-long"]) == ("He is 31.", ["guard:too-long"])


@pytest.mark.parametrize("value, lang, scaled, written", [
    (20000, "en", False, "20,000"), (20000, "fr", False, "20 000"), (20000, "zh", False, "20000"),
    (20000, "zh", True, "2万"), (7.487e9, "zh", True, "74.87亿"), (2e12, "zh", True, "2万亿"),
    (3.5, "en", False, "3.5"), (3.5, "fr", False, "3,5"), (2021, "en", False, "2021"), (1500, "fr", False, "1500"),
    (1.5e6, "en", True, "1.5 million"), (1.5e6, "fr", True, "1,5 million"), (2.5e9, "fr", True, "2,5 milliards"),
    (1e13, "fr", True, "10 000 milliards"), (20000, "en", True, "20,000"), (-4.2, "en", False, "-4.2"),
])
def test_numbers_are_written_as_the_language_writes_them(value, lang, scaled, written):
    assert written_number(value, lang, scaled) == written


@pytest.mark.parametrize("n, numeral", [(1, "一"), (10, "十"), (14, "十四"), (21, "二十一"), (105, "一百零五"),
                                        (110, "一百一十"), (1005, "一千零五"), (2024, "二千零二十四")])
def test_chinese_numerals(n, numeral):
    assert chinese_numeral(n) == numeral
    assert chinese_value(numeral) == n


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=2),
       st.sampled_from(["en", "fr", "zh"]))
def test_a_written_number_reads_back_as_itself(whole, places, lang):
    value = whole / 10**places
    assert read_digits(written_number(value, lang, False), lang)[0] == pytest.approx(value)
