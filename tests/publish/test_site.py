"""The static digest site, built from digests written by the real Output stage."""
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from pipeline.config import load_config
from pipeline.publish.markdown import file_stem
from pipeline.publish.site import build_site
from pipeline.publish.views import html_lang
from pipeline.records import AlignedPair, Document, Paragraph, Sentence, Support
from pipeline.stages.base import RunContext
from pipeline.stages.output import Output

RUN = {"config": "3f9a1c0b7d2e4a65", "python": "3.11.9", "packages": {"digest": "0.1.0"},
       "stages": {"translate": {"models": [{"name": "qwen2.5-coder-1.5b-instruct", "architecture": "qwen2",
                                           "pinned": "9d1c4f0e5b7a2c3d8e6f"}]}}}
ATTACKS = [
    "<script>window.__pwned=1;document.title='PWNED'</script>",
    '"><img src=x onerror="window.__pwned=2">',
    "<a href=\"javascript:window.__pwned=3\">read more</a>",
    "<svg onload=\"window.__pwned=4\"></svg>",
    "</textarea></template></title><script>window.__pwned=5</script>",
    "{{ 7*7 }} {% raw %}<iframe srcdoc=\"<script>parent.__pwned=6</script>\"></iframe>",
]


def sentence(index, paragraph, text, lang, english=None, quality=None, flags=()):
    return Sentence(index, paragraph, text, lang, 0.99, text if english is None else english, quality, list(flags))


def french() -> Document:
    sentences = [
        sentence(0, 0, "Le Parlement adopte le budget 2025.", "fr", "Parliament adopts the 2025 budget.", 0.91),
        sentence(1, 1, "Les députés ont voté le texte mardi soir, après trois semaines de débats.", "fr",
                 "MPs voted on the text on Tuesday evening, after three weeks of debate.", 0.88),
        sentence(2, 1, "Le déficit devrait atteindre 5,4 % du PIB.", "fr",
                 "The deficit should reach 5.4% of GDP.", 0.86),
        sentence(3, 2, "L'opposition dénonce « un budget de renoncement ».", "fr",
                 "Opposition says budget is a hat.", 0.31, ["low-quality"]),
    ]
    summary = ["Parliament adopted the 2025 budget on Tuesday after three weeks of debate.",
               "The deficit is expected to reach 5.4% of GDP.", "The budget includes a new tax on yachts."]
    renders = {"fr": ["Le Parlement a adopté le budget 2025 mardi après trois semaines de débat.",
                      "Le déficit devrait atteindre 5,4 % du PIB.",
                      "Le budget comprend une nouvelle taxe sur les yachts."],
               "zh": ["经过三周辩论，议会周二通过了2025年预算。", "赤字预计将达到国内生产总值的5.4%。", "预算包括对游艇征收新税。"]}
    return Document(
        doc_id="fr/budget.md", text="\n\n".join(s.text for s in sentences), title="Le Parlement adopte le budget 2025",
        title_english="Parliament adopts the 2025 budget", date="2025-01-15", source="Le Monde", lang="fr",
        languages={"fr": 180}, paragraphs=[Paragraph(0, sentences[0].text, "fr", 0.99, "title")],
        sentences=sentences, summary=summary, summary_method="direct", renders=renders,
        alignments={target: [AlignedPair([i], [i], summary[i], lines[i], score)
                             for i, score in zip(range(3), (0.93, 0.9, 0.42 if target == "fr" else 0.81))]
                    for target, lines in renders.items()},
        support=[Support(0, [0, 1], [0.82, 0.77]), Support(1, [2], [0.9]), Support(2, [], [])],
        flags=["align-fr: 1 low-scoring pair(s)", "unsupported-summary-sentences:[2]"],
    )


def chinese_headline() -> Document:
    sentences = [
        sentence(0, 0, "Trade talks between China and the EU made progress on Friday.", "en", quality=None),
        sentence(1, 0, "“双方同意继续对话，”商务部发言人说。", "zh",
                 "“Both sides agreed to keep talking,” a ministry spokesman said.", 0.84),
        sentence(2, 1, "Tariffs on electric vehicles remain the main dispute.", "en"),
    ]
    summary = ["China and the EU made progress in trade talks.", "Electric vehicle tariffs remain the main dispute."]
    renders = {"fr": ["La Chine et l'UE ont progressé dans leurs négociations commerciales.",
                      "Les droits de douane sur les véhicules électriques restent le principal différend."],
               "zh": ["中国和欧盟在贸易谈判中取得进展。电动汽车关税仍是主要分歧。"]}
    return Document(
        doc_id="en/trade.txt", text=" ".join(s.text for s in sentences), title="中欧贸易谈判取得进展",
        title_english="China-EU trade talks make progress", date="2025-02-07", source="Xinhua", lang="en",
        languages={"en": 120, "zh": 20}, mixed=True, sentences=sentences, summary=summary, summary_method="direct",
        renders=renders,
        alignments={"fr": [AlignedPair([0], [0], summary[0], renders["fr"][0], 0.88),
                           AlignedPair([1], [1], summary[1], renders["fr"][1], 0.86)],
                    "zh": [AlignedPair([0, 1], [0], " ".join(summary), renders["zh"][0], 0.79)]},
        support=[Support(0, [0, 1], [0.8, 0.62]), Support(1, [2], [0.88])],
    )


def english() -> Document:
    text = "Heavy rain is expected across the north on Monday. Forecasters warned of flooding near rivers."
    sentences = [sentence(0, 0, text.split(". ")[0] + ".", "en"), sentence(1, 0, text.split(". ")[1], "en")]
    summary = ["Forecasters expect heavy rain and possible flooding in the north on Monday."]
    renders = {"fr": ["Les prévisionnistes attendent de fortes pluies lundi dans le nord."],
               "zh": ["预报员预计周一北方将有大雨并可能发生洪水。"]}
    return Document(
        doc_id="en/weather.txt", text=text, title="Storm warning for the north", date="2025-03-03", source="BBC",
        lang="en", languages={"en": len(text)}, sentences=sentences, summary=summary, summary_method="direct",
        renders=renders, alignments={t: [AlignedPair([0], [0], summary[0], r[0], 0.9)] for t, r in renders.items()},
        support=[Support(0, [0, 1], [0.85, 0.7])],
        notes=["truncated: kept 96 of 5000 characters (ingest.max_chars=96)"],
        flags=["truncated: kept 96 of 5000 characters"],
    )


def failed() -> Document:
    return Document(doc_id="bad/scan.pdf", text="", origin="bad/scan.pdf", failed_stage="ingest",
                    error="bad/scan.pdf: binary file, not text; convert it to .txt or .html and run again")


def hostile() -> Document:
    sentences = [sentence(i, i, attack, "en") for i, attack in enumerate(ATTACKS)]
    summary = [f"Summary {i}: {attack}" for i, attack in enumerate(ATTACKS[:2])]
    renders = {"fr": [f"Résumé : {attack}" for attack in ATTACKS[:2]]}
    return Document(
        doc_id="evil/<script>x</script>.html", text=" ".join(ATTACKS), title=ATTACKS[0], title_english=ATTACKS[4],
        date=ATTACKS[2], source=ATTACKS[1], lang="en", languages={"en": 300, '"><script>x</script>': 5},
        sentences=sentences, summary=summary, summary_method=ATTACKS[3], renders=renders,
        alignments={"fr": [AlignedPair([i], [i], summary[i], renders["fr"][i], 0.7) for i in range(2)]},
        support=[Support(0, [0, 1], [0.6, 0.5]), Support(1, [], [])], notes=[ATTACKS[5]], flags=[ATTACKS[3]],
    )


def write_run(out_dir: Path, docs: list[Document] | None = None) -> list[Document]:
    """Write the digests of `docs` (default: the five fixtures) with the real Output stage."""
    docs = docs or [french(), chinese_headline(), english(), failed(), hostile()]
    output = Output(load_config("default"), RunContext(out_dir=out_dir, signature=RUN))
    output.load()
    output.process_batch(docs)
    output.finish(docs)
    return docs


class Page(HTMLParser):
    """Every start tag of a page as (tag, attrs), and its text."""

    def __init__(self, path: Path):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def having(self, tag: str = "", **attrs) -> list[dict]:
        return [a for t, a in self.tags if (not tag or t == tag)
                and all(value in (a.get(key.rstrip("_").replace("_", "-")) or "").split()
                        for key, value in attrs.items())]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run")
    write_run(out)
    (out / "reports" / "mt").mkdir(parents=True)
    (out / "reports" / "mt" / "report.html").write_text("<html></html>")
    return build_site(out)


def page(site: Path, doc_id: str) -> Page:
    return Page(site / "docs" / f"{file_stem(doc_id)}.html")


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_index_links_every_document_and_the_reports(site):
    links = {a["href"] for a in Page(site / "index.html").having("a")}
    for doc in [french(), chinese_headline(), english(), failed(), hostile()]:
        assert f"docs/{file_stem(doc.doc_id)}.html" in links
    assert "../reports/mt/report.html" in links
    assert len(pages(site)) == 6
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
    evil = page(site, hostile().doc_id)
    text = "".join(evil.text)
    for attack in ATTACKS:
        assert attack in text  # shown to the reader as written, not interpreted
    assert "49" not in text


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


@pytest.mark.parametrize("doc, title_lang", [(french(), "fr"), (chinese_headline(), "zh-Hans"), (english(), "en")])
def test_title_language_is_marked_on_index_and_page(site, doc, title_lang):
    assert page(site, doc.doc_id).having("h1")[0]["lang"] == title_lang
    href = f"docs/{file_stem(doc.doc_id)}.html"
    index = Page(site / "index.html")
    position = next(i for i, (t, a) in enumerate(index.tags) if a.get("href") == href)
    assert index.tags[position + 1][1]["lang"] == title_lang


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
])
def test_index_flags(site, doc, badge):
    html = (site / "index.html").read_text()
    row = html[html.index(f"docs/{file_stem(doc.doc_id)}.html"):].split("</tr>")[0]
    assert badge in row


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
    (tmp_path / "run.json").unlink()
    site = build_site(tmp_path)
    assert "config 3f9a1c0b7d2e4a65" in (site / "index.html").read_text()
    assert json.loads((tmp_path / "digests.jsonl").read_text())["run"] == RUN
