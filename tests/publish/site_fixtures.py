"""The site's tests' documents, as the stages leave them, written to a run folder by the real Output stage.

French, Chinese and English articles (a Chinese headline over English text, long titles, a render that
failed, a weak translation, flags), a document that failed, and one made of attacks on the page; and a
parser for the pages built from them.
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from pipeline.config import load_config
from pipeline.publish.markdown import file_stem
from pipeline.publish.site import build_site
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


def chinese() -> Document:
    lines = [
        ("新能源汽车购置补贴政策延长至2027年底", "New-energy vehicle purchase subsidies extended to the end of 2027", 0.9),
        ("财政部周一宣布，新能源汽车购置税减免政策将延续三年。",
         "The Ministry of Finance said on Monday the purchase tax exemption for new-energy vehicles will last "
         "three more years.", 0.87),
        ("业内人士认为，这将稳定市场预期。", "Industry insiders believe this will stabilise market expectations.", 0.83),
        ("去年全国新能源汽车销量增长了百分之三十五。", "Last year the country's sales grew by the mountain.", 0.28),
    ]
    sentences = [sentence(i, min(i, 2), text, "zh", english, quality, ["low-quality"] if quality < 0.5 else [])
                 for i, (text, english, quality) in enumerate(lines)]
    summary = ["China extended the purchase tax exemption for new-energy vehicles by three years, to the end of 2027.",
               "Industry insiders expect the move to stabilise the market."]
    renders = {"fr": ["La Chine a prolongé de trois ans, jusqu'à fin 2027, l'exonération de la taxe d'achat sur "
                      "les véhicules à énergie nouvelle.",
                      "Les professionnels du secteur estiment que la mesure stabilisera le marché."],
               "zh": ["中国将新能源汽车购置税减免政策延长三年，至2027年底。", "业内人士预计此举将稳定市场。"]}
    return Document(
        doc_id="zh/新能源汽车.html", text="\n\n".join(s.text for s in sentences), title=sentences[0].text,
        title_english="New-energy vehicle purchase subsidies extended to the end of 2027", date="2025-02-10",
        source="新华社", lang="zh", languages={"zh": 96}, sentences=sentences, summary=summary,
        paragraphs=[Paragraph(0, sentences[0].text, "zh", 0.99, "title")], summary_method="direct", renders=renders,
        alignments={target: [AlignedPair([i], [i], summary[i], lines[i], 0.89 - 0.05 * i) for i in range(2)]
                    for target, lines in renders.items()},
        support=[Support(0, [0, 1], [0.86, 0.8]), Support(1, [2], [0.84])],
    )


def long_title() -> Document:
    """A French article with a very long title (and a long unbroken word) whose Chinese render came back empty."""
    title = ("Réforme des retraites : après des mois de mobilisation, le gouvernement et les syndicats rouvrent "
             "des négociations sur l'âge de départ, la pénibilité et le financement du système par répartition "
             "#RéformeDesRetraitesEtDuFinancementDuSystèmeParRépartition2025")
    sentences = [sentence(0, 0, "Les syndicats et le gouvernement se retrouvent jeudi pour une nouvelle réunion.", "fr",
                          "The unions and the government meet again on Thursday.", 0.92),
                 sentence(1, 0, "L'âge de départ reste le principal point de désaccord.", "fr",
                          "The retirement age remains the main point of disagreement.", 0.9)]
    summary = ["The government and the unions reopen talks on Thursday on the pension reform, including the "
               "retirement age, arduous work and how the system is funded.",
               "The retirement age remains the main disagreement."]
    renders = {"fr": ["Le gouvernement et les syndicats rouvrent jeudi les négociations sur la réforme des retraites, "
                      "dont l'âge de départ, la pénibilité et le financement du système.",
                      "L'âge de départ reste le principal désaccord."], "zh": []}
    return Document(
        doc_id="fr/retraites-negociations-" + "x" * 70 + ".html", text=" ".join(s.text for s in sentences), title=title,
        title_english=("Pension reform: after months of protest, the government and the unions reopen talks on the "
                       "retirement age, arduous work and funding of the pay-as-you-go system"),
        date="2025-01-09", source="Libération", lang="fr", languages={"fr": 140}, sentences=sentences,
        summary=summary, summary_method="direct", renders=renders,
        alignments={"fr": [AlignedPair([i], [i], summary[i], renders["fr"][i], 0.9) for i in range(2)], "zh": []},
        support=[Support(0, [0], [0.81]), Support(1, [1], [0.88])], flags=["render-zh-guard:empty"],
    )


def named() -> dict[str, Document]:
    """Every fixture by a short name (for screenshots), in run order."""
    return {"french": french(), "chinese": chinese(), "chinese-headline": chinese_headline(), "long-title": long_title(),
            "english": english(), "failed": failed(), "hostile": hostile()}


def documents() -> list[Document]:
    """Every fixture, in run order."""
    return list(named().values())


def write_run(out_dir: Path, docs: list[Document] | None = None) -> list[Document]:
    """Write the digests of `docs` (default: every fixture) with the real Output stage."""
    docs = docs or documents()
    output = Output(load_config("default"), RunContext(out_dir=out_dir, signature=RUN))
    output.load()
    output.process_batch(docs)
    output.finish(docs)
    return docs


def build_run(out_dir: Path) -> Path:
    """The site of a run of every fixture, with an evaluation report beside it."""
    write_run(out_dir)
    (out_dir / "reports" / "mt").mkdir(parents=True)
    (out_dir / "reports" / "mt" / "report.html").write_text("<!doctype html><title>mt report</title>")
    return build_site(out_dir)


def page(site: Path, doc_id: str) -> Page:
    """The parsed page of one document."""
    return Page(site / "docs" / f"{file_stem(doc_id)}.html")


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


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

