"""TMX exports read back with translate-toolkit, a reader CAT tools' users rely on."""
from __future__ import annotations

import pytest
from translate.storage import tmx  # translate-toolkit, in the test extra

from export.runs import HOSTILE_EN, HOSTILE_FR
from pipeline.export.formats import export_run

PORT = "news/port de Marseille.md"
EXPECTED = {  # file -> (tuid, source, target), in run order
    "fr-en.tmx": [(f"{PORT}#s0", "Le port investit 40 millions.", "The port invests 40 million."),
                  (f"{PORT}#s1", HOSTILE_FR.replace("\x01", "\ufffd"), HOSTILE_EN)],
    "zh-en.tmx": [("zh.txt#s0", "新能源汽车销量增长。", "Sales of new energy vehicles grew."),
                  ("zh.txt#s1", "专家认为增长将持续。", "Experts think growth will last.")],
    "en-fr.tmx": [(f"{PORT}#a0", "The port invests 40 million.", "Le port investit 40 millions."),
                  (f"{PORT}#a1", "Work starts in May.", "Les travaux commencent en mai."),
                  ("zh.txt#a0", "Sales grew.", "Les ventes ont augmenté."),
                  ("en.md#a0", "The rail link was approved.", "La liaison a été approuvée.")],
    "en-zh.tmx": [(f"{PORT}#a0", "The port invests 40 million. Work starts in May.", "港口投资4000万。"),
                  ("zh.txt#a0", "Sales grew.", "销量增长。")],
}


@pytest.fixture
def memories(run_folder):
    paths = export_run(run_folder, ["tmx"])["tmx"]
    return {path.name: tmx.tmxfile.parsefile(str(path)) for path in paths}


def test_one_memory_per_language_pair_with_every_pair_in_it(memories):
    assert sorted(memories) == sorted(EXPECTED)
    for name, memory in memories.items():
        assert [(unit.getid(), unit.source, unit.target) for unit in memory.units] == EXPECTED[name], name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_segments_carry_their_language_codes(memories, name):
    source, target = name.removesuffix(".tmx").split("-")
    memory = memories[name]
    assert memory.sourcelanguage == source
    for unit in memory.units:
        assert [node.get("{http://www.w3.org/XML/1998/namespace}lang") for node in unit.getlanguageNodes()] == \
            [source, target]


def props(unit) -> list[tuple[str, str]]:
    return [(prop.get("type"), prop.text) for prop in unit.xmlelement.iter("prop")]


def test_document_kind_score_and_flags_are_properties(memories):
    units = {unit.getid(): unit for unit in memories["fr-en.tmx"].units}
    assert props(units[f"{PORT}#s1"]) == [("x-doc-id", PORT), ("x-kind", "translation"), ("x-score", "0.4200"),
                                          ("x-flag", "low-quality")]
    no_estimate = {unit.getid(): unit for unit in memories["zh-en.tmx"].units}["zh.txt#s1"]
    assert props(no_estimate) == [("x-doc-id", "zh.txt"), ("x-kind", "translation")]
    weak_link = memories["en-zh.tmx"].units[0]
    assert props(weak_link) == [("x-doc-id", PORT), ("x-kind", "summary"), ("x-score", "0.3100"),
                                ("x-flag", "align-zh: 1 low-scoring pair(s)")]


def test_the_header_has_every_attribute_tmx_1_4_requires(memories):
    header = memories["fr-en.tmx"].document.getroot().find("header")
    required = {"creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"}
    assert required <= set(header.attrib)
    assert header.get("srclang") == "fr" and header.get("creationtoolversion") == "0.1.0"
