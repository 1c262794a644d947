"""Scripts of a text and Simplified versus Traditional Chinese."""
import pytest

from pipeline.text.scripts import (
    SIMPLIFIED,
    TRADITIONAL,
    is_cjk,
    is_traditional,
    script_profile,
)


@pytest.mark.parametrize("text, expected", [
    ("Hello world", {"latin": 1.0}),
    ("Économie française", {"latin": 1.0}),
    ("中国经济", {"han": 1.0}),
    ("湖北 Hubei", {"han": 2 / 7, "latin": 5 / 7}),
    ("ひらがなカタカナ漢字", {"kana": 0.8, "han": 0.2}),
    ("한국어", {"hangul": 1.0}),
    ("Русский", {"cyrillic": 1.0}),
    ("عربي", {"arabic": 1.0}),
    ("ქართ", {"other": 1.0}),
    ("2025-05-01 00:03 !", {}),
])
def test_script_profile(text, expected):
    assert script_profile(text) == pytest.approx(expected)


@pytest.mark.parametrize("text, expected", [
    ("這是台灣的新聞，他們說經濟會發展。", True),
    ("这是中国的新闻，他们说经济会发展。", False),
    ("The economy", False),
    ("中国", False),
])
def test_is_traditional(text, expected):
    assert is_traditional(text) is expected


def test_character_pairs_line_up():
    assert len(SIMPLIFIED) == len(TRADITIONAL)
    assert not set(SIMPLIFIED) & set(TRADITIONAL)


@pytest.mark.parametrize("char, expected", [("中", True), ("か", True), ("한", True), ("a", False), ("。", False)])
def test_is_cjk(char, expected):
    assert is_cjk(char) is expected
