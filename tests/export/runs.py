"""Finished run folders written by the real output stage from digested documents.

The documents hold what exports must carry through intact: French, Chinese and English sources, text
that is markup or XML-hostile (`<b>`, `&`, `]]>`, a control character), sentences with and without
quality estimates and flags, French and Chinese renders with their links, and a failed document.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.config import load_config
from pipeline.records import AlignedPair, Document, Sentence
from pipeline.stages.base import RunContext
from pipeline.stages.output import Output

HOSTILE_FR = "Le « port » & <b>quai</b> ]]> \x01fin."
HOSTILE_EN = 'The "port" & <b>quay</b> ]]> end.'
SIGNATURE = {"config": "3f9a1c0b7d2e4a65", "packages": {"digest": "0.1.0"}}


def documents() -> list[Document]:
    french = Document(
        doc_id="news/port de Marseille.md", text="...", title="Le port investit", date="2025-03-01", lang="fr",
        sentences=[Sentence(0, 0, "Le port investit 40 millions.", "fr", 0.99, "The port invests 40 million.", 0.91),
                   Sentence(1, 0, HOSTILE_FR, "fr", 0.97, HOSTILE_EN, 0.42, ["low-quality"]),
                   Sentence(2, 1, "2025", "und", 0.0, "2025")],
        summary=["The port invests 40 million.", "Work starts in May."], summary_method="direct",
        renders={"fr": ["Le port investit 40 millions.", "Les travaux commencent en mai."],
                 "zh": ["港口投资4000万。"]},
        alignments={"fr": [AlignedPair([0], [0], "The port invests 40 million.", "Le port investit 40 millions.", 0.93),
                           AlignedPair([1], [1], "Work starts in May.", "Les travaux commencent en mai.", 0.88)],
                    "zh": [AlignedPair([0, 1], [0], "The port invests 40 million. Work starts in May.",
                                       "港口投资4000万。", 0.31)]},
        flags=["align-zh: 1 low-scoring pair(s)", "low-quality-sentences:1"],
    )
    chinese = Document(
        doc_id="zh.txt", text="...", lang="zh",
        sentences=[Sentence(0, 0, "新能源汽车销量增长。", "zh", 1.0, "Sales of new energy vehicles grew.", 0.8),
                   Sentence(1, 0, "专家认为增长将持续。", "zh", 1.0, "Experts think growth will last.", None)],
        summary=["Sales grew."], renders={"fr": ["Les ventes ont augmenté."], "zh": ["销量增长。"]},
        alignments={"fr": [AlignedPair([0], [0], "Sales grew.", "Les ventes ont augmenté.", 0.9)],
                    "zh": [AlignedPair([0], [0], "Sales grew.", "销量增长。", 0.86)]},
    )
    english = Document(
        doc_id="en.md", text="...", lang="en",
        sentences=[Sentence(0, 0, "The council approved the rail link.", "en", 1.0,
                            "The council approved the rail link.", 1.0)],
        summary=["The rail link was approved."], renders={"fr": ["La liaison a été approuvée."]},
        alignments={"fr": [AlignedPair([0], [0], "The rail link was approved.", "La liaison a été approuvée.", 0.95)]},
    )
    failed = Document(doc_id="broken.txt", text="", error="could not decode broken.txt", failed_stage="ingest")
    return [french, chinese, english, failed]


def write_run(folder: Path, docs: list[Document]) -> Path:
    """`folder` as the real output stage leaves it after a run over `docs`."""
    stage = Output(load_config("default"), RunContext(out_dir=folder, signature=SIGNATURE))
    stage.load()
    done = stage.process_batch(docs)
    stage.finish(done)
    return folder
