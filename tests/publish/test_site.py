"""The static digest site, built from digests written by the real Output stage."""
import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from site_fixtures import (
    ATTACKS,
    RUN,
    Page,
    build_run,
    chinese,
    chinese_headline,
    documents,
    english,
    failed,
    french,
    hostile,
    long_title,
    page,
    pages,
    write_run,
)

from pipeline.publish.markdown import file_stem, render_markdown
from pipeline.publish.site import build_site
from pipeline.publish.views import html_lang, pair_mark, quality_mark, quality_text
from pipeline.records import AlignedPair


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_run(tmp_path_factory.mktemp("run"))


def test_index_links_every_document_and_the_reports(site):
    links = {a["href"] for a in Page(site / "index.html").having("a")}
    for doc in documents():
        assert f"docs/{file_stem(doc.doc_id)}.html" in links
    assert "../reports/mt/report.html" in links
    assert len(pages(site)) == 1 + len(documents())
    hrefs = [a["href"] for a in page(site, french().doc_id).having("a")]
    assert "../index.html" in hrefs
    assert [Path(h).suffix for h in hrefs if h.startswith("../../digests/")] == [".json", ".md"]  # resolve: see below


def test_every_link_is_local_and_resolves(site):
    for path in pages(site):
        for tag, attrs in Page(path).tags:
            for key in ("href", "src", "action", "srcset", "poster", "data"):
                value = attrs.get(key)
                if value is None or (key == "data" and tag != "object"):
                    continue
                parts = urlsplit(value)
                assert not parts.scheme and not parts.netloc, f"{path.name}: external {key}={value!r}"
                if parts.path:
                    assert (path.parent / unquote(parts.path)).resolve().exists(), f"{path.name}: broken {value!r}"
    for asset in ("site.css", "site.js", "icon.svg"):
        text = (site / "assets" / asset).read_text().replace('xmlns="http://www.w3.org/2000/svg"', "")  # a name
        assert "http:" not in text and "https:" not in text and "url(" not in text and "@import" not in text


def test_hostile_content_stays_text(site):
    for path in pages(site):
        parsed = Page(path)
        scripts = parsed.having("script")
        assert [s.get("src") for s in scripts] == [f"{'..' if path.parent.name == 'docs' else '.'}/assets/site.js"]
        assert not parsed.having("img") and not parsed.having("svg") and not parsed.having("iframe")
        for tag, attrs in parsed.tags:
            assert not [k for k in attrs if k.startswith("on")], f"{path.name}: event handler on <{tag}>"
            assert not (attrs.get("href") or "").lower().startswith("javascript:")
    evil = "".join(page(site, hostile().doc_id).text)
    for attack in ATTACKS:
        assert attack in evil  # shown to the reader as written, not interpreted
    assert "49" not in evil
    index = "".join(Page(site / "index.html").text)
    for attack in (ATTACKS[0], ATTACKS[4], f"Summary 0: {ATTACKS[0]}", f"Résumé : {ATTACKS[1]}"):
        assert attack in index  # the title, its English, the summary and its French render


def test_content_security_policy_forbids_inline_script(site):
    for path in pages(site):
        policy = Page(path).having("meta", http_equiv="Content-Security-Policy")[0]["content"]
        assert "script-src 'self'" in policy and "default-src 'none'" in policy and "unsafe" not in policy


@pytest.mark.parametrize("doc, expected", [
    (french(), {"fr", "en", "zh-Hans"}),
    (chinese_headline(), {"fr", "en", "zh-Hans"}),
    (english(), {"fr", "en", "zh-Hans"}),
    (hostile(), {"fr", "en"}),
])
def test_every_text_cell_has_its_language(site, doc, expected):
    parsed = page(site, doc.doc_id)
    cells = parsed.having(class_="text")
    assert cells and all(c.get("lang") in {"en", "fr", "zh-Hans"} for c in cells)
    assert {c["lang"] for c in cells} == expected


@pytest.mark.parametrize("doc, title_lang", [(french(), "fr"), (chinese(), "zh-Hans"), (chinese_headline(), "zh-Hans"),
                                            (english(), "en")])
def test_title_language_is_marked_on_the_page(site, doc, title_lang):
    assert page(site, doc.doc_id).having("h1")[0]["lang"] == title_lang


@pytest.mark.parametrize("code, flags, expected", [
    ("zh", [], "zh-Hans"), ("zh", ["zh-hant"], "zh-Hant"), ("fr", [], "fr"), ("en", [], "en"),
    ("und", [], "und"), ("", [], "und"), ('"><x', [], "und"), ("de", [], "de"),
])
def test_html_lang(code, flags, expected):
    assert html_lang(code, flags) == expected


def test_pair_picker_defaults_to_source_and_english(site):
    french_page = page(site, french().doc_id)
    choices = french_page.having("input", name="pair")
    assert [c["value"] for c in choices] == ["source", "en-fr", "en-zh"] and "checked" in choices[0]
    tables = french_page.having("table", class_="pairs")
    assert [("hidden" in t) for t in tables] == [False, True, True]
    english_page = page(site, english().doc_id)
    assert [c["value"] for c in english_page.having("input", name="pair")] == ["en-fr", "en-zh"]


def test_scores_low_rows_and_unsupported_sentences_are_marked(site):
    parsed = page(site, french().doc_id)
    assert len(parsed.having("tr", class_="low")) == 2 + 1  # one weak pair shown twice (source|en, en|fr), one sentence
    unsupported = parsed.having("button", class_="unsupported")
    assert {b["data-summary"] for b in unsupported} == {"2"}
    assert {t["id"] for t in parsed.having("template")} == {"evidence-0", "evidence-1", "evidence-2"}
    sources = [(a["data-source"], a["data-score"]) for a in parsed.having("li") if "data-source" in a]
    assert sources == [("0", "0.82"), ("1", "0.77"), ("2", "0.90")]
    text = "".join(parsed.text)
    assert text.count("possible hallucination") == 3 + 1  # its mark in each of the three tables, its evidence


@pytest.mark.parametrize("doc, badge", [
    (failed(), "error in ingest"), (english(), "truncated"), (french(), "1 low-quality translation"),
    (french(), "1 weak digest pair"), (french(), "1 unsupported summary sentence"), (chinese_headline(), "code-mixed"),
    (chinese(), "1 low-quality translation"), (long_title(), "1 output guard flag"),
])
def test_index_flags(site, doc, badge):
    html = (site / "index.html").read_text()
    entry = html[html.index(f"docs/{file_stem(doc.doc_id)}.html"):].split("</li>")[0]
    assert badge in entry


def test_failed_document_page_says_what_went_wrong(site):
    text = " ".join(" ".join(page(site, failed().doc_id).text).split())
    assert "Stage ingest failed" in text and "convert it to .txt or .html" in text


def test_run_signature_in_every_footer(site):
    for path in pages(site):
        text = "".join(Page(path).text)
        assert "config 3f9a1c0b7d2e4a65" in text and "qwen2.5-coder-1.5b-instruct (9d1c4f0e5b7a)" in text


def test_rebuild_replaces_the_site_whole(tmp_path):
    write_run(tmp_path)
    first = build_site(tmp_path)
    write_run(tmp_path, [english()])
    second = build_site(tmp_path)
    assert first == second == tmp_path / "site"
    assert [p.name for p in (second / "docs").iterdir()] == [f"{file_stem(english().doc_id)}.html"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("content, message", [(None, "digest run"), ("{not json\n", "digests.jsonl:1")])
def test_unreadable_run_folder_says_what_to_do(tmp_path, content, message):
    if content is not None:
        (tmp_path / "digests.jsonl").write_text(content)
    with pytest.raises((FileNotFoundError, ValueError), match=message):
        build_site(tmp_path)
    assert not (tmp_path / "site").exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".site")]


def test_signature_falls_back_to_the_digests_without_run_json(tmp_path):
    write_run(tmp_path, [english()])
    (tmp_path / "run.json").unlink(missing_ok=True)  # a run folder without it, whichever part of the run writes it
    site = build_site(tmp_path)
    assert "config 3f9a1c0b7d2e4a65" in (site / "index.html").read_text()
    assert json.loads((tmp_path / "digests.jsonl").read_text())["run"] == RUN


@pytest.mark.parametrize("score, flags, expected", [
    (0.91, [], {"score": "0.91", "low": False, "reasons": []}),
    (0.31, ["low-quality"], {"score": "0.31", "low": True, "reasons": []}),
    (0.49, [], {"score": "0.49", "low": True, "reasons": []}),  # below the run's threshold, flagged or not
    (0.8, ["low-quality", "guard:echo"], {"score": "0.80", "low": True, "reasons": ["guard:echo"]}),
    (None, ["guard:empty"], {"score": "", "low": False, "reasons": ["guard:empty"]}),
    # the estimate's reasons, one by one, from the stages' flag
    (0.13, ["low-quality: wrong-language words: customs; numbers: 14th vs —"],
     {"score": "0.13", "low": True, "reasons": ["wrong-language words: customs", "numbers: 14th vs —"]}),
    (0.62, ["wrong-language words: State"], {"score": "0.62", "low": False, "reasons": ["wrong-language words: State"]}),
    (0.42, ["low-quality: long sentence: room for errors", "split:2 pieces"],
     {"score": "0.42", "low": True, "reasons": ["long sentence: room for errors", "split:2 pieces"]}),
])
def test_quality_mark(score, flags, expected):
    assert quality_mark(score, 0.5, flags) == expected


@pytest.mark.parametrize("mark, text", [
    ({"score": "0.91", "low": False, "reasons": []}, "0.91"),
    ({"score": "0.31", "low": True, "reasons": []}, "0.31 ⚠ low"),
    ({"score": "0.13", "low": True, "reasons": ["wrong-language words: customs", "numbers: 14th vs —"]},
     "0.13 ⚠ wrong-language words: customs; numbers: 14th vs —"),
    ({"score": "", "low": False, "reasons": ["guard:empty"]}, "⚠ guard:empty"),
])
def test_quality_text(mark, text):
    assert quality_text(mark) == text


def test_a_pair_shows_its_estimate_and_an_older_pair_its_match_score():
    estimated = AlignedPair([0], [0], "The GDP grew.", "Le GDP a augmenté.", 1.0, 0.12,
                            ["low-quality: wrong-language words: GDP"])
    assert pair_mark(estimated, 0.5) == {"score": "0.12", "low": True, "reasons": ["wrong-language words: GDP"]}
    older = AlignedPair([0], [0], "The port grew.", "Le port a grandi.", 0.93)
    assert pair_mark(older, 0.5) == {"score": "0.93", "low": False, "reasons": []}


def test_quality_marks_on_the_page_match_the_index_counts(site):
    parsed = page(site, chinese().doc_id)
    rows = parsed.having("tr", class_="low")
    assert [row.get("id") for row in rows] == ["s-3"]  # the weak translation; every digest pair is sound
    assert "1 low-quality translation" in (site / "index.html").read_text()


def test_an_empty_render_gets_no_pair_to_pick(site):
    parsed = page(site, long_title().doc_id)
    assert [c["value"] for c in parsed.having("input", name="pair")] == ["source", "en-fr"]
    assert "render-zh-guard:empty" in "".join(parsed.text)


def test_markdown_shows_the_marks_the_site_shows():
    doc = french()
    doc.alignments["fr"] = [AlignedPair([0], [0], doc.summary[0], "Le Conseil du State a parlé.", 1.0, 0.08,
                                        ["low-quality: wrong-language words: State"])]
    markdown = render_markdown(doc)
    assert "| 0.08 ⚠ wrong-language words: State |" in markdown
    assert "| 0.31 ⚠ low |" in markdown  # the fixture's weak sentence, flagged before the estimate had reasons
