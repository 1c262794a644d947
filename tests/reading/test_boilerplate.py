"""Site furniture: which lines are boilerplate, what the head of an article says."""
from __future__ import annotations

import pytest

from pipeline.reading.boilerplate import (
    classify,
    date_line,
    parse_date,
    read_head,
    strip_lines,
)


@pytest.mark.parametrize("line, kind", [
    ("ACCUEIL > ACTUALITÉS\u00a0\u00a0>\u00a0\u00a0Économie > Entreprises", "breadcrumb"),
    ("Home › World › Asia", "breadcrumb"),
    ("首页 > 新闻 > 财经", "breadcrumb"),
    ("Tel: +86 13921985178", "phone"),
    ("Tél. : 01 23 45 67 89", "phone"),
    ("电话：010-6512 3456", "phone"),
    ("+33 1 23 45 67 89", "phone"),
    ("#Climat #Paris #Énergie", "hashtags"),
    ("1707364198", "timestamp"),
    ("1707364198123", "timestamp"),
    ("Search documents", "navigation"),
    ("Home | Search | Log in", "navigation"),
    ("Facebook  Twitter  LinkedIn", "navigation"),
    ("Share this article", "share"),
    ("Partager sur Facebook", "share"),
    ("We use cookies to improve your experience. Accept all cookies", "cookie notice"),
    ("© 2024 Example News. All rights reserved.", "copyright"),
    ("Lire aussi : Les prix du blé s'envolent", "see also"),
    ("Nan Fang Ri Bao· 2025-05-01 00:03", "byline"),
])
def test_boilerplate_lines_are_named(line, kind):
    assert classify([line]) == [kind]


@pytest.mark.parametrize("line", [
    "Share prices rose 5% on Monday after the results.",
    "Shares of the company rose sharply",
    "The index climbed from 3,000 > 3,200 within a week.",
    "Tel Aviv hosted the conference on Tuesday.",
    "Le Premier ministre a dit : « Nous partagerons les résultats. »",
    "Les cookies de Noël se vendent bien cette année.",
    "Copyright law is changing in the European Union, lawyers say.",
    "Related companies rose: the sector gained 2% on the day.",
    "Source: officials said the plan would be delayed by several more months.",
    "In 2019 the city counted 1707364198 visits to its website.",
    "#1 in sales for the third year, the company said.",
    "2024-02-08 06:31:11",
    "Politiques",
    "La province du Hubei compte 103 zones de développement.",
    "上海市政府周三发布新的绿色金融政策。",
    "Region | 2023 | 2024",
])
def test_sentences_and_data_are_never_boilerplate(line):
    assert classify([line]) == [None]


def test_a_lone_label_under_a_breadcrumb_goes_with_it():
    lines = ["Home > News > Economy", "Economy", "", "Markets", "Port traffic doubles in first half"]
    assert classify(lines) == ["breadcrumb", "section label", None, None, None]
    kept, removed = strip_lines(lines)
    assert kept == ["", "Markets", "Port traffic doubles in first half"]
    assert removed == {"breadcrumb": 1, "section label": 1}


def test_a_label_under_a_breadcrumb_is_kept_when_it_is_a_headline():
    lines = ["Home > News > Economy", "Port traffic doubles"]
    assert classify(lines) == ["breadcrumb", None]


@pytest.mark.parametrize("line, iso", [
    ("2024-02-08 06:31:11", "2024-02-08 06:31:11"),
    ("Mettre à jour : 2020-11-11", "2020-11-11"),
    ("Mis à jour le 2021/03/04", "2021-03-04"),
    ("- Feb 14, 2019 -", "2019-02-14"),
    ("2022-06-03 0 By", "2022-06-03"),
    ("Publié le 3 mars 2023", "2023-03-03"),
    ("1er janvier 2024", "2024-01-01"),
    ("发布时间：2024年2月8日 10:30", "2024-02-08 10:30"),
    ("Updated: 12 September 2023", "2023-09-12"),
    ("2023-05-01 was a public holiday in most of the country.", None),
    ("2020-13-45", None),
    ("The plant opened on Feb 14, 2019.", None),
])
def test_date_line(line, iso):
    assert date_line(line) == iso


def test_parse_date_finds_a_date_inside_text():
    assert parse_date("Posted by the desk on March 5, 2021 at noon") == "2021-03-05"
    assert parse_date("no date here") is None


def _head(lines, **known):
    found = {"title": "", "date": "", "source": ""} | known
    rest = read_head(lines, found)
    return found, rest


@pytest.mark.parametrize("lines, title, date, source, rest", [
    (["ACCUEIL > ÉCONOMIE > Entreprises", "Entreprises", "", "La région lance un fonds pour les PME", "",
      "Mettre à jour : 2021-03-04", "", "Le fonds aidera 300 entreprises."],
     "La région lance un fonds pour les PME", "2021-03-04", "",
     ["ACCUEIL > ÉCONOMIE > Entreprises", "Entreprises", "", "", "", "Le fonds aidera 300 entreprises."]),
    (["2023-07-01 08:00:00", "A ferry leaves the harbour at dawn, seen from the pier. (Photo by Staff)",
      "The port handled more ships."],
     "", "2023-07-01 08:00:00", "",
     ["A ferry leaves the harbour at dawn, seen from the pier. (Photo by Staff)", "The port handled more ships."]),
    (["Tel: +1 555 010 9999", "", "Home > News > Content", "Port traffic doubles in first half", "- Mar 3, 2020 -",
      "", "Traffic rose."],
     "Port traffic doubles in first half", "2020-03-03", "",
     ["Tel: +1 555 010 9999", "", "Home > News > Content", "", "Traffic rose."]),
    (["Solar farms expand across the north", "", "2022-06-03 0 By", "", "Farmers lease land to developers."],
     "Solar farms expand across the north", "2022-06-03", "", ["", "", "Farmers lease land to developers."]),
    (["区域经济", "", "Search documents", "某市发布新政策 目标五年翻番", "Nan Fang Ri Bao· 2025-05-01 00:03",
      "Core points of the plan."],
     "区域经济", "2025-05-01 00:03", "Nan Fang Ri Bao",
     ["", "Search documents", "某市发布新政策 目标五年翻番", "Core points of the plan."]),
    (["City opens new library", "By Jane Smith", "The library has 40,000 books.", "Source : L'Écho des Cimes"],
     "City opens new library", "", "Jane Smith", ["The library has 40,000 books.", "Source : L'Écho des Cimes"]),
    (["Le port double son trafic", "mis à jour le 2024-01-02", "Le trafic a doublé."],
     "Le port double son trafic", "2024-01-02", "", ["Le trafic a doublé."]),
    (["The port authority said on Monday that container traffic", "had doubled in six months."],
     "", "", "", ["The port authority said on Monday that container traffic", "had doubled in six months."]),
    (["The council met on Monday and approved the budget.", "Source: Harbour Times"],
     "", "", "Harbour Times", ["The council met on Monday and approved the budget."]),
], ids=["fr-breadcrumb", "date-then-caption", "phone-breadcrumb", "date-by", "zh-byline", "by-line",
        "lowercase-dateline", "wrapped-first-line", "source-line"])
def test_read_head(lines, title, date, source, rest):
    found, remaining = _head(lines)
    assert (found["title"], found["date"], found["source"]) == (title, date, source)
    assert remaining == rest


def test_read_head_drops_a_heading_that_repeats_the_known_title_and_keeps_known_fields():
    found, rest = _head(["Hello world", "Published: 2024-01-02", "Body."], title="Hello world", date="2023-12-31")
    assert found == {"title": "Hello world", "date": "2023-12-31", "source": ""}
    assert rest == ["Body."]


def test_read_head_keeps_a_first_line_that_differs_from_the_known_title():
    found, rest = _head(["区域经济简报", "Body."], title="Regional brief")
    assert found["title"] == "Regional brief" and rest == ["区域经济简报", "Body."]
