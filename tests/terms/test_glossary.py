"""Glossary files: the format, every error a user can make, and the checks a translation goes through."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipeline.config import Config, ConfigError, load_config
from pipeline.terms.glossary import (
    GlossaryError,
    check,
    config_glossary,
    entries_key,
    glossary_flags,
    load_glossary,
    required,
    term_usage,
)

TSV = ("en\tfr\tzh\tkeep\tnote\n"
       "# a comment line\n"
       "GDP|gross domestic product\tPIB\t国内生产总值|GDP\t\t\n"
       "supply-side structural reform\tréforme structurelle du côté de l'offre\t供给侧结构性改革\t\tnot demand\n"
       "State Council\tConseil des affaires d'État\t国务院\t\t\n"
       "customs\tdouane\t\t\t\n"
       "WHDZ\t\t\tyes\tkept as written\n")


@pytest.fixture
def glossary(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text(TSV, encoding="utf-8")
    return load_glossary([path])


def write(tmp_path, text: str | bytes, name: str = "g.tsv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_entries_are_read_with_alternatives_keep_and_notes(glossary):
    gdp, reform, council, customs, whdz = glossary.entries
    assert gdp.forms("en") == ("GDP", "gross domestic product") and gdp.term("zh") == "国内生产总值"
    assert reform.note == "not demand" and reform.where.endswith(":4")
    assert customs.term("zh") == ""  # an empty cell asks nothing of Chinese
    assert whdz.keep and [whdz.term(lang) for lang in ("en", "fr", "zh")] == ["WHDZ"] * 3


def test_sha256_and_signature(tmp_path, glossary):
    assert glossary.files[0][1] == hashlib.sha256(TSV.encode()).hexdigest()
    assert glossary.signature() == {"glossary": glossary.sha256, "entries": 5}
    assert load_glossary([]).signature() == {}  # no glossary: stage signatures stay as they were
    changed = write(tmp_path, TSV.replace("douane", "douanes"), "changed.tsv")
    assert load_glossary([changed]).sha256 != glossary.sha256


@pytest.mark.parametrize(("text", "lang", "found"), [
    ("Their GDP rose 44.2%.", "en", ["GDP"]),
    ("Leur PIB représente 44,2 % du PIB total.", "fr", ["GDP"]),
    ("国务院发布了关于供给侧结构性改革的意见。", "zh", ["supply-side structural reform", "State Council"]),
    ("The supply side structural reforms of the state council", "en", ["supply-side structural reform",
                                                                       "State Council"]),
    ("le Conseil des affaires d'Etat et les douanes", "fr", ["State Council", "customs"]),
    ("Les zones de la WHDZ", "fr", ["WHDZ"]),
    ("GDPR rules, the gdp of a customer", "en", []),
])
def test_entries_in_a_text(glossary, text, lang, found):
    assert [entry.term("en") for entry in glossary.entries_in(text, lang)] == found


def test_entries_key_changes_only_with_the_entries_a_text_has(tmp_path, glossary):
    text = "Their GDP rose."
    edited = load_glossary([write(tmp_path, TSV.replace("douane", "douanes"))])
    assert entries_key(glossary.entries_in(text, "en")) == entries_key(edited.entries_in(text, "en")) != ""
    edited = load_glossary([write(tmp_path, TSV.replace("PIB", "P.I.B."))])
    assert entries_key(glossary.entries_in(text, "en")) != entries_key(edited.entries_in(text, "en"))
    assert entries_key([]) == ""


def test_required_terms_and_misses(glossary):
    entries = glossary.entries_in("Leur PIB et les douanes de la WHDZ.", "fr")
    assert required(entries, "en") == ["GDP", "customs", "WHDZ"]
    assert required(entries, "zh") == ["国内生产总值", "WHDZ"]
    assert check("Their gross domestic product and WHDZ customs.", "en", entries) == []
    assert check("Their GDP and the custom of the zone.", "en", entries) == ["customs", "WHDZ"]
    assert check("其GDP增长。", "zh", entries) == ["WHDZ"]  # any alternative counts
    assert glossary_flags(check("其GDP增长。", "zh", entries)) == ["glossary-miss: WHDZ"]


def test_term_usage_names_each_term_as_the_source_writes_it(glossary):
    text = "Leur PIB et les douanes de la WHDZ."
    entries = glossary.entries_in(text, "fr")
    assert term_usage(entries, text, "fr", "Their gross domestic product and the zone's customs.", "en") == {
        "hits": {"PIB": "gross domestic product", "douane": "customs"}, "misses": {"WHDZ": "WHDZ"}}
    assert term_usage(entries, text, "fr", "其GDP增长。", "zh") == {"hits": {"PIB": "GDP"}, "misses": {"WHDZ": "WHDZ"}}
    assert term_usage([], text, "fr", "Anything.", "en") == {}


@pytest.mark.parametrize(("content", "message"), [
    ("", "empty"),
    ("# only a comment\n\n", "empty"),
    ("en\tfr\n", "no terms under the header"),
    ("english\tfrench\nGDP\tPIB\n", "g.tsv:1: unknown column 'english'"),
    ("en\tkeep\nWHDZ\tyes\n", "g.tsv:1: the header names 1 language(s)"),
    ("en\ten\tfr\nGDP\tGDP\tPIB\n", "g.tsv:1: column 'en' is named twice"),
    ("en\tfr\nGDP\tPIB\nGDP\tproduit\n", "g.tsv:3: en term 'GDP' is already on"),
    ("en\tfr\tkeep\nWHDZ\t\toui\nGDP\tPIB\tmaybe\n", "g.tsv:3: keep must be yes, no or empty, not 'maybe'"),
    ("en\tfr\tkeep\nWHDZ\tZone W\tyes\n", "g.tsv:2: keep is yes but the fr cell"),
    ("en\tfr\nGDP\t\n", "g.tsv:2: only the en cell is filled"),
    ("en\tfr\tnote\n\t\ta note\n", "g.tsv:2: no term in any language column"),
    ("en\tfr\nGDP\tPIB\textra\n", "g.tsv:2: 3 cells under 2 columns"),
    ("en\tfr\nGDP\tPIB|\n", "g.tsv:2: 'PIB|' holds a term with no letters"),
    ("en\tfr\n--\tPIB\n", "g.tsv:2: '--' holds a term with no letters"),
])
def test_bad_glossaries_fail_in_one_line_naming_file_and_line(tmp_path, content, message):
    with pytest.raises(GlossaryError) as error:
        load_glossary([write(tmp_path, content)])
    assert message in str(error.value) and "\n" not in str(error.value)


def test_encodings_and_separators(tmp_path):
    latin1 = write(tmp_path, "en\tfr\nState\tÉtat\n".encode("latin-1"))
    with pytest.raises(GlossaryError, match=r"g.tsv:2: not UTF-8 text"):
        load_glossary([latin1])
    with pytest.raises(GlossaryError, match="not a text file"):
        load_glossary([write(tmp_path, b"PK\x03\x04\x14\x00binary", "sheet.xlsx")])
    excel_csv = write(tmp_path, "\ufeffen;fr;zh\r\nGDP;PIB;国内生产总值\r\n", "excel.csv")  # BOM, ; and CRLF
    unicode_text = write(tmp_path, "en\tfr\r\nState Council\tConseil des affaires d'État\r\n".encode("utf-16"), "u.txt")
    quoted = write(tmp_path, 'en,fr,note\n"customs","douane","plural, in English"\n', "quoted.csv")
    terms = [e.term("fr") for e in load_glossary([excel_csv, unicode_text, quoted]).entries]
    assert terms == ["PIB", "Conseil des affaires d'État", "douane"]


def test_a_term_in_two_files_is_an_error(tmp_path):
    first = write(tmp_path, "en\tfr\nGDP\tPIB\n", "a.tsv")
    second = write(tmp_path, "en\tzh\ngdp\t国内生产总值\n", "b.tsv")
    with pytest.raises(GlossaryError, match=r"b.tsv:2: en term 'gdp' is already on .*a.tsv:2"):
        load_glossary([first, second])


def test_missing_files_and_bundled_names(tmp_path):
    with pytest.raises(GlossaryError, match="no such file .*bundled glossary: .*news"):
        load_glossary([tmp_path / "nowhere.tsv"])
    with pytest.raises(GlossaryError, match="not a file"):
        load_glossary([tmp_path])
    bundled = load_glossary(["news"])
    assert bundled.sha256 == load_glossary([Path(__file__).parents[2] / "configs/glossaries/news.tsv"]).sha256


def test_the_config_lists_glossaries_and_the_cli_adds_more(tmp_path):
    extra = write(tmp_path, "en\tfr\nbattery\tbatterie\n")
    config = load_config("default", ["glossary=[news]"])
    glossary = config_glossary(config, [str(extra)])
    assert [name for name, _ in glossary.files] == ["news", str(extra)]
    assert config_glossary(load_config("default")).signature() == {}
    with pytest.raises(ConfigError, match="glossary"):  # the config's types are checked as it is read
        load_config("default", ["glossary=news"])
    with pytest.raises(GlossaryError, match="glossary must be a list of paths"):
        config_glossary(Config(glossary="news"))


def test_the_bundled_glossary_covers_the_seed_subjects():
    glossary = load_glossary(["news"])
    source = ("Hubei will deepen supply-side structural reform under the 14th Five-Year Plan; the State Council "
              "and customs said GDP grew.")
    assert required(glossary.entries_in(source, "en"), "fr") == [
        "14e plan quinquennal", "réforme structurelle du côté de l'offre", "PIB", "Conseil des affaires d'État",
        "douane"]
    assert [e.term("en") for e in glossary.entries if e.keep] == ["WHDZ", "5G", "GPS"]
