"""Finding a term in a text: case, accents, plurals, elision, hyphens, Chinese without spaces."""
from __future__ import annotations

import pytest

from pipeline.terms.matching import count_term, find_term, is_acronym, term_pattern

FOUND = [
    ("The supply-side structural reforms were", "supply-side structural reform"),
    ("supply side structural reform", "supply-side structural reform"),
    ("la réforme structurelle du côté de l’offre", "réforme structurelle du côté de l'offre"),
    ("les zones de développement", "zone de développement"),
    ("Le Conseil d'Etat a dit", "Conseil d'État"),
    ("l'économie et d'État", "économie"),
    ("their GDPs", "GDP"),
    ("在GDP中", "GDP"),
    ("湖北省国务院办公厅", "国务院"),
    ("new policies", "policy"),
    ("les parcs nationaux", "parc national"),
    ("the TAXES", "tax"),
    ("the 14th five year plan", "14th Five-Year Plan"),
    ("Xiong\u2019an New Area", "Xiong'an New Area"),
    ("des véhicules à énergie nouvelle", "véhicule à énergie nouvelle"),
    ("nuclear\u00a0power", "nuclear power"),
]
NOT_FOUND = [
    ("GDPR rules", "GDP"),
    ("the gdp", "GDP"),  # acronyms keep their case: "US" is not "us"
    ("us and them", "US"),
    ("new ideas", "news"),
    ("customer service", "custom"),
    ("第十四个五年规划", "十四五规划"),
    ("reformed", "reform"),
]


@pytest.mark.parametrize(("text", "term"), FOUND)
def test_found(text, term):
    assert find_term(text, term)


@pytest.mark.parametrize(("text", "term"), NOT_FOUND)
def test_not_found(text, term):
    assert not find_term(text, term)


def test_counts_acronyms_and_empty_terms():
    assert count_term("GDP, then GDP again and gdp", "GDP") == 2
    assert is_acronym("WHDZ") and is_acronym("G20")
    assert not any(is_acronym(word) for word in ("5G", "A", "Hubei"))
    assert term_pattern("--") is None and not find_term("a -- b", "--")
