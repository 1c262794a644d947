"""The site's index, read in English, French or Chinese: titles, summaries, markers and filters."""
from html.parser import HTMLParser
from pathlib import Path

import pytest
from site_fixtures import (
    build_run,
    chinese,
    chinese_headline,
    english,
    failed,
    french,
    hostile,
    long_title,
)

from pipeline.publish.markdown import file_stem
from pipeline.publish.words import READERS, UI, say, ui

PARTS = ("title", "in", "original", "summary", "meta", "badges")


class Index(HTMLParser):
    """Each document of an index page: its data attributes and, per reader language, the text and language of
    each part ("title", "title in" for its marker, "summary", "summary in", "original", "meta", "badges")."""

    def __init__(self, path: Path):
        super().__init__()
        self.entries: dict[str, dict] = {}
        self.stack: list[tuple[str, list[str], dict]] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "li" and "entry" in classes:
            self.current = {"attrs": attrs, "readings": {reader: {} for reader in READERS}}
        if tag == "a" and "title" in self._classes():
            self.entries[attrs["href"]] = self.current
        self.stack.append((tag, classes, attrs))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass  # void elements (input, meta) have no end tag

    def handle_data(self, data):
        classes = self._classes()
        reader = next((c[3:] for c in classes if c.startswith("in-")), None)
        if "entry" not in classes or not reader or not data.strip():
            return
        key = " ".join(c for c in classes if c in PARTS)
        reading = self.current["readings"][reader]
        reading[key] = f"{reading.get(key, '')} {data.strip()}".strip()
        reading[f"{key} lang"] = next(attrs["lang"] for _, _, attrs in reversed(self.stack) if "lang" in attrs)

    def _classes(self) -> list[str]:
        return [c for _, classes, _ in self.stack for c in classes]

    def of(self, doc) -> dict:
        return self.entries[f"docs/{file_stem(doc.doc_id)}.html"]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Index:
    return Index(build_run(tmp_path_factory.mktemp("run")) / "index.html")


LONG_EN = long_title().title_english
CHINESE_EN = chinese().title_english
READS = [  # (document, reader): title, its language, its marker; summary start, its language, its marker
    (french(), "en", "Parliament adopts the 2025 budget", "en", None, "Parliament adopted the 2025", "en", None),
    (french(), "fr", "Le Parlement adopte le budget 2025", "fr", None, "Le Parlement a adopté", "fr", None),
    (french(), "zh", "Parliament adopts the 2025 budget", "en", "英文", "经过三周辩论", "zh-Hans", None),
    (chinese(), "en", CHINESE_EN, "en", None, "China extended", "en", None),
    (chinese(), "fr", CHINESE_EN, "en", "en anglais", "La Chine a prolongé", "fr", None),
    (chinese(), "zh", "新能源汽车购置补贴政策延长至2027年底", "zh-Hans", None, "中国将新能源汽车", "zh-Hans", None),
    (chinese_headline(), "en", "China-EU trade talks make progress", "en", None, "China and the EU", "en", None),
    (chinese_headline(), "fr", "China-EU trade talks make progress", "en", "en anglais", "La Chine et", "fr", None),
    (chinese_headline(), "zh", "中欧贸易谈判取得进展", "zh-Hans", None, "中国和欧盟", "zh-Hans", None),
    (long_title(), "fr", long_title().title, "fr", None, "Le gouvernement et les syndicats", "fr", None),
    (long_title(), "zh", LONG_EN, "en", "英文", "The government and the unions", "en", "英文"),  # the render failed
    (english(), "fr", "Storm warning for the north", "en", "en anglais", "Les prévisionnistes", "fr", None),
    (english(), "zh", "Storm warning for the north", "en", "英文", "预报员预计", "zh-Hans", None),
    (failed(), "en", "bad/scan.pdf", "", None, "Not digested: the ingest stage failed.", "en", None),
    (failed(), "fr", "bad/scan.pdf", "", None, "Pas de résumé : l'étape ingest a échoué.", "fr", None),
    (failed(), "zh", "bad/scan.pdf", "", None, "未能生成摘要：ingest 阶段出错。", "zh-Hans", None),
    (hostile(), "zh", hostile().title_english, "en", "英文", hostile().summary[0], "en", "英文"),
]


@pytest.mark.parametrize("doc, reader, title, title_lang, title_in, summary, summary_lang, summary_in", READS,
                         ids=[f"{doc.doc_id}-{reader}" for doc, reader, *_ in READS])
def test_each_reader_reads_title_and_summary_in_their_language_or_is_told(
        index, doc, reader, title, title_lang, title_in, summary, summary_lang, summary_in):
    reading = index.of(doc)["readings"][reader]
    assert (reading["title"], reading["title lang"], reading.get("title in")) == (title, title_lang, title_in)
    assert reading["summary"].startswith(summary) and reading["summary lang"] == summary_lang
    assert reading.get("summary in") == summary_in
    if title_in:
        assert reading["title in lang"] == {"en": "en", "fr": "fr", "zh": "zh-Hans"}[reader]


@pytest.mark.parametrize("doc, reader, original, lang", [
    (french(), "en", "Le Parlement adopte le budget 2025", "fr"), (french(), "fr", None, None),
    (chinese(), "fr", "新能源汽车购置补贴政策延长至2027年底", "zh-Hans"), (chinese(), "zh", None, None),
    (chinese_headline(), "en", "中欧贸易谈判取得进展", "zh-Hans"), (english(), "zh", None, None),
])
def test_the_original_title_stands_under_a_translated_one(index, doc, reader, original, lang):
    reading = index.of(doc)["readings"][reader]
    assert (reading.get("original"), reading.get("original lang")) == (original, lang)


@pytest.mark.parametrize("doc, lang, day, flagged", [
    (french(), "fr", "2025-01-15", True), (chinese(), "zh", "2025-02-10", True),
    (chinese_headline(), "en", "2025-02-07", False),
    (long_title(), "fr", "2025-01-09", True), (english(), "en", "2025-03-03", True), (failed(), "", "", True),
    (hostile(), "en", "", True),  # its "date" is an attack, not a date
])
def test_what_the_filters_match(index, doc, lang, day, flagged):
    attrs = index.of(doc)["attrs"]
    assert (attrs["data-lang"], attrs["data-day"], "data-flagged" in attrs) == (lang, day, flagged)


def test_filters_offer_the_languages_and_dates_of_the_run(tmp_path):
    page = (build_run(tmp_path) / "index.html").read_text(encoding="utf-8")
    form = page[page.index('<form class="filters"'):page.index("</form>")]
    assert form.count("<option") == 4 and 'data-zh="中文 (1)"' in form and 'data-fr="anglais (3)"' in form
    assert [form.index(f'value="{code}"') for code in ("", "en", "fr", "zh")] == sorted(
        form.index(f'value="{code}"') for code in ("", "en", "fr", "zh"))  # most documents first
    assert form.count('min="2025-01-09" max="2025-03-03"') == 2
    assert " hidden>" in page[page.index('<div class="switch"'):][:120] and '<form class="filters" hidden>' in page


@pytest.mark.parametrize("doc, reader, words", [
    (french(), "fr", "1 traduction douteuse 1 paire de résumé faible 1 phrase du résumé sans appui"),
    (chinese(), "zh", "1 处译文质量低"), (failed(), "fr", "erreur à l'étape ingest"),
    (long_title(), "en", "1 output guard flag"),
])
def test_flags_in_the_readers_words(index, doc, reader, words):
    assert index.of(doc)["readings"][reader]["badges"] == words


def test_every_word_exists_in_every_reader_language():
    for key, texts in UI.items():
        assert set(texts) == set(READERS), key
        assert {item["reader"] for item in ui(key, n=2, stage="x", language="y")} == set(READERS)


@pytest.mark.parametrize("key, reader, n, expected", [
    ("documents", "en", 1, "1 document"), ("documents", "en", 7, "7 documents"), ("documents", "zh", 7, "7 篇文档"),
    ("weak translations", "fr", 2, "2 traductions douteuses"), ("weak translations", "fr", 1, "1 traduction douteuse"),
])
def test_counted_words(key, reader, n, expected):
    assert say(key, reader, n=n) == expected
