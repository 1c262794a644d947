"""XLIFF 2.0 exports read back with translate-toolkit's XLIFF 2 reader."""
from __future__ import annotations

import pytest
from translate.storage import xliff2  # translate-toolkit, in the test extra

from export.runs import HOSTILE_EN, HOSTILE_FR
from pipeline.export.formats import export_run

PORT = "news/port de Marseille.md"


@pytest.fixture
def stores(run_folder):
    paths = export_run(run_folder, ["xliff"])["xliff"]
    return {path.name: xliff2.Xliff2File.parsefile(str(path)) for path in paths}


def units_by_document(store) -> dict[str, list]:
    found: dict[str, list] = {}
    for unit in store.units:
        found.setdefault(unit.getunitelement().getparent().get("original"), []).append(unit)
    return found


def notes(unit) -> list[tuple[str, str]]:
    """The unit's notes: XLIFF 2.0 puts them on the <unit>, beside its segments."""
    element = unit.getunitelement()
    return [(note.get("category"), note.text) for note in element.iter(f"{{{xliff2.Xliff2Unit.namespace}}}note")]


def test_one_file_per_language_pair_with_its_languages(stores):
    assert sorted(stores) == ["en-fr.xlf", "en-zh.xlf", "fr-en.xlf", "zh-en.xlf"]
    for name, store in stores.items():
        assert (store.sourcelanguage, store.targetlanguage) == tuple(name.removesuffix(".xlf").split("-"))


def test_one_file_element_per_document_and_one_unit_per_pair(stores):
    by_document = units_by_document(stores["en-fr.xlf"])
    assert {doc: [unit.getid() for unit in units] for doc, units in by_document.items()} == \
        {PORT: ["a0", "a1"], "zh.txt": ["a0"], "en.md": ["a0"]}
    french = units_by_document(stores["fr-en.xlf"])[PORT]
    assert [(unit.source, unit.target) for unit in french] == [
        ("Le port investit 40 millions.", "The port invests 40 million."),
        (HOSTILE_FR.replace("\x01", "\ufffd"), HOSTILE_EN)]


def test_score_kind_and_flags_are_notes_and_flagged_pairs_need_work(stores):
    clean, flagged = units_by_document(stores["fr-en.xlf"])[PORT]
    assert notes(clean) == [("kind", "translation"), ("score", "0.9100")]
    assert notes(flagged) == [("kind", "translation"), ("score", "0.4200"), ("flag", "low-quality")]
    assert flagged.isfuzzy() and not clean.isfuzzy() and clean.istranslated()


def test_failed_documents_and_english_sources_give_no_translation_units(stores):
    assert set(units_by_document(stores["fr-en.xlf"])) == {PORT}
    assert set(units_by_document(stores["zh-en.xlf"])) == {"zh.txt"}
    assert not any("broken.txt" in units_by_document(store) for store in stores.values())
