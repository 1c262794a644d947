"""The ingest stage on real files of every supported kind, good and bad."""
from __future__ import annotations

import json
import logging
import random
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.reading.inputs import discover
from pipeline.stages.base import RunContext
from pipeline.stages.ingest import Ingest

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
FRENCH = ("La région a publié vingt mesures pour soutenir l'économie locale.\n\n"
          "« Nous visons les entreprises innovantes », a déclaré la présidente.")
CHINESE = "上海市政府周三发布新的绿色金融政策，支持企业发行碳中和债券。\n\n分析人士认为，这将推动长三角地区的产业转型。"


def write(root: Path, name: str, content: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def ingest(root: Path, config: Config | None = None):
    stage = Ingest(config or Config(), RunContext(corpus_root=root))
    return stage.process_batch(discover(root))


PLAIN = """Tél : +33 4 76 00 12 34

ACCUEIL > ACTUALITÉS > Économie
Économie

Le port de Marseille double son trafic de conteneurs

Mis à jour : 2024-09-18

Le trafic a doublé en six mois, selon la direction du port.
Les armateurs ont ajouté trois lignes vers l'Asie.

#Marseille #Port
1707364198
"""
MARKDOWN = """---
title: Port traffic doubles
date: 2024-09-18
source: Harbour Times
author: J. Doe
---

# Port traffic doubles

Container traffic *doubled* in six months,
the port authority said on Monday.

| Year | Ships |
|---|---|
| 2024 | 12,000 |

```
growth = 2.0
```
"""
HTML = """<html lang="en"><head><title>Port traffic doubles | Harbour Times</title>
<meta property="og:site_name" content="Harbour Times"><meta name="date" content="2024-09-18"></head>
<body><nav>Home | News</nav><p class="crumbs">Home &gt; News &gt; Economy</p>
<h1>Port traffic doubles</h1><p>Container traffic doubled in six months &amp; more.</p>
<script>alert("x")</script><footer>&copy; 2024 Harbour Times</footer></body></html>"""
WRAPPED = """The port authority said on Monday that container traffic
had doubled in six months, helped by three new shipping
lines to Asia.

A second paragraph follows here."""


@pytest.mark.parametrize("name, content, expected", [
    ("port.txt", PLAIN, {
        "title": "Le port de Marseille double son trafic de conteneurs", "date": "2024-09-18", "source": "",
        "text": "Le trafic a doublé en six mois, selon la direction du port.\n\n"
                "Les armateurs ont ajouté trois lignes vers l'Asie.",
        "notes": ["boilerplate: removed 5 line(s) (breadcrumb 1, hashtags 1, phone 1, section label 1, timestamp 1)"],
    }),
    ("port.md", MARKDOWN, {
        "title": "Port traffic doubles", "date": "2024-09-18", "source": "Harbour Times",
        "text": "Container traffic doubled in six months, the port authority said on Monday.\n\n"
                "Year | Ships\n\n2024 | 12,000\n\ngrowth = 2.0",
        "notes": [], "meta": {"format": "markdown", "author": "J. Doe"},
    }),
    ("port.html", HTML, {
        "title": "Port traffic doubles", "date": "2024-09-18", "source": "Harbour Times",
        "text": "Container traffic doubled in six months & more.",
        "notes": ["boilerplate: removed 1 line(s) (breadcrumb 1)"], "meta": {"format": "html", "lang": "en"},
    }),
    ("wrapped.txt", WRAPPED, {
        "title": "", "date": "", "source": "",
        "text": "The port authority said on Monday that container traffic had doubled in six months, helped by "
                "three new shipping lines to Asia.\n\nA second paragraph follows here.",
        "notes": [],
    }),
], ids=["txt", "markdown", "html", "hard-wrapped"])
def test_reads_each_text_format(tmp_path, name, content, expected):
    path = write(tmp_path, name, content)
    [doc] = Ingest(Config(), RunContext(corpus_root=tmp_path)).read(path)
    assert not doc.error
    got = {key: getattr(doc, key) for key in expected}
    assert got == expected
    assert (doc.doc_id, doc.origin) == (name, str(path))


def test_boilerplate_is_kept_when_stripping_is_off(tmp_path):
    config = Config()
    config.ingest.strip_boilerplate = False
    [doc] = ingest(write(tmp_path, "port.txt", PLAIN).parent, config)
    assert doc.text.startswith("Tél : +33 4 76 00 12 34\n\nACCUEIL > ACTUALITÉS > Économie\n\nÉconomie\n\nLe trafic")
    assert doc.text.endswith("#Marseille #Port\n\n1707364198") and doc.notes == []
    assert doc.title == "Le port de Marseille double son trafic de conteneurs"


@pytest.mark.parametrize("text, encoding, note", [
    (FRENCH, "utf-8", ""),
    (FRENCH, "utf-8-sig", "encoding: utf-8 (byte-order mark)"),
    (FRENCH, "utf-16", "encoding: utf-16-le (byte-order mark)"),
    (CHINESE, "utf-16-le", "encoding: assumed utf-16-le (detected)"),
    (FRENCH, "utf-16-be", "encoding: assumed utf-16-be (detected)"),
    (CHINESE, "gb18030", "encoding: assumed gb18030 (detected)"),
    (CHINESE, "gbk", "encoding: assumed gb18030 (detected)"),
    ("台北市政府週三發布新的綠色金融政策，支持企業發行碳中和債券。", "big5", "encoding: assumed big5hkscs (detected)"),
    ("東京都は水曜日、新しい環境政策を発表した。企業の脱炭素化を支援する計画だ。", "shift_jis",
     "encoding: assumed cp932 (detected)"),
    (FRENCH, "latin-1", "encoding: assumed cp1252 (detected)"),
    (FRENCH + " Coût : 5 €.", "cp1252", "encoding: assumed cp1252 (detected)"),
])
def test_decodes_files_and_notes_the_encoding(tmp_path, text, encoding, note):
    [doc] = ingest(write(tmp_path, "article.txt", text.encode(encoding)).parent)
    assert doc.text == text and not doc.error
    assert doc.notes == ([note] if note else [])


def test_invalid_utf8_bytes_are_replaced_and_noted(tmp_path):
    [doc] = ingest(write(tmp_path, "a.txt", FRENCH.encode() + b" \xff fin.").parent)
    assert doc.text.endswith("présidente. \ufffd fin.")
    assert doc.notes == ["encoding: assumed utf-8, 1 invalid byte sequence(s) replaced with U+FFFD"]


BAD_INPUTS = [
    ("empty.txt", b"", "is empty (0 bytes)"),
    ("blank.txt", b"  \n\n\t \n", "contains only whitespace"),
    ("blank16.md", "   \n ".encode("utf-16"), "contains only whitespace"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "is a PNG image, not text"),
    ("noise.html", random.Random(3).randbytes(3000), "is not text in any recognised encoding"),
    ("chrome.txt", "Home > News > Economy\nEconomy\nShare this article\n1707364198\n",
     "has no text left after removing boilerplate"),
    ("broken.json", "{oops", "is not valid JSON"),
    ("wrong.json", json.dumps([{"body": "text in the wrong field"}]), "has no 'text' column (columns: body)"),
    ("empty.jsonl", "", "has no rows"),
    ("corrupt.parquet", b"PAR1 this is not parquet", "could not be read (ArrowInvalid"),
]


@pytest.mark.parametrize("name, content, problem", BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_a_bad_input_becomes_a_failed_document_and_the_batch_goes_on(tmp_path, name, content, problem):
    bad = write(tmp_path, name, content)
    good = write(tmp_path, "zz-good.txt", FRENCH)
    docs = Ingest(Config(), RunContext(corpus_root=tmp_path)).process_batch([bad, good])
    assert [d.origin for d in docs] == [str(bad), str(good)]
    failed, fine = docs
    assert failed.failed and failed.failed_stage == "ingest" and failed.text == ""
    assert failed.error.startswith(f"{bad}: ") and problem in failed.error
    assert failed.doc_id == name
    assert not fine.failed and fine.text == FRENCH


def test_bad_rows_fail_alone(tmp_path):
    rows = ['{"id": "a1", "text": "First row."}', "", '{"text": ""}', "not json", "[1, 2]", '{"text": "Last row."}']
    path = write(tmp_path, "rows.jsonl", "\n".join(rows))
    docs = ingest(tmp_path)
    assert [(d.doc_id, d.meta["row"], d.failed) for d in docs] == [
        ("rows.jsonl#a1", "1", False), ("rows.jsonl#3", "3", True), ("rows.jsonl#4", "4", True),
        ("rows.jsonl#5", "5", True), ("rows.jsonl#6", "6", False),
    ]
    assert docs[1].error == f"{path}: row 3 has no text in 'text'; fill it or drop the row"
    assert "row 4: is not valid JSON" in docs[2].error
    assert "row 5: is a JSON list, not an object" in docs[3].error
    assert all(d.origin == str(path) for d in docs)  # the runner groups a file's documents by origin


def _rows_config() -> Config:
    config = Config()
    ingest_config = config.ingest
    ingest_config.text_column, ingest_config.title_column = "body", "headline"
    ingest_config.date_column, ingest_config.source_column, ingest_config.id_column = "published", "outlet", "key"
    return config


ROWS = {
    "key": ["k1", "k2"],
    "body": ["Port traffic doubled.\n\nShips queued for days.", "Le trafic a doublé."],
    "headline": ["Port traffic doubles", "Le trafic double"],
    "published": [datetime(2024, 9, 18, 8, 30), datetime(2024, 9, 19)],
    "outlet": ["Harbour Times", "Le Port"],
}


def _write_rows(root: Path, kind: str) -> Path:
    records = [dict(zip(ROWS, values)) for values in zip(*ROWS.values())]
    if kind == "jsonl":
        return write(root, "rows.jsonl", "\n".join(json.dumps(r, default=str) for r in records))
    if kind == "json":
        return write(root, "rows.json", json.dumps(records, default=str))
    if kind == "parquet":
        import pyarrow
        import pyarrow.parquet

        path = root / "rows.parquet"
        pyarrow.parquet.write_table(pyarrow.table(ROWS), path)
        return path
    import datasets

    path = root / "rows"
    data = datasets.Dataset.from_dict(ROWS)
    (datasets.DatasetDict({"train": data}) if kind == "datasetdict" else data).save_to_disk(str(path))
    return path


@pytest.mark.parametrize("kind, ids", [
    ("jsonl", ["rows.jsonl#k1", "rows.jsonl#k2"]),
    ("json", ["rows.json#k1", "rows.json#k2"]),
    ("parquet", ["rows.parquet#k1", "rows.parquet#k2"]),
    ("dataset", ["rows#k1", "rows#k2"]),
    ("datasetdict", ["rows#k1", "rows#k2"]),
])
def test_reads_rows_with_configured_columns(tmp_path, kind, ids):
    path = _write_rows(tmp_path, kind)
    docs = Ingest(_rows_config(), RunContext(corpus_root=tmp_path)).read(path)
    assert [d.doc_id for d in docs] == ids
    assert [(d.title, d.date, d.source) for d in docs] == [
        ("Port traffic doubles", "2024-09-18 08:30:00", "Harbour Times"),
        ("Le trafic double", "2024-09-19 00:00:00", "Le Port"),
    ]
    assert docs[0].text == "Port traffic doubled.\n\nShips queued for days."
    assert all(d.origin == str(path) and not d.failed for d in docs)


def test_rows_without_ids_are_numbered(tmp_path):
    import datasets

    datasets.Dataset.from_dict({"text": ["One.", "Two."]}).save_to_disk(str(tmp_path / "plain"))
    assert [d.doc_id for d in ingest(tmp_path)] == ["plain#1", "plain#2"]


def test_same_text_under_two_names_is_kept_and_flagged(tmp_path):
    write(tmp_path, "a.txt", FRENCH)
    write(tmp_path, "b/copy.txt", FRENCH)
    first, second = ingest(tmp_path)
    assert (first.flags, second.flags) == ([], ["duplicate of a.txt"])
    assert second.doc_id == "b__copy.txt" and "duplicate of a.txt: same text, kept both" in second.notes


def test_ids_stay_unique_and_stable_on_a_second_read(tmp_path):
    first, second = write(tmp_path, "a b.txt", "One."), write(tmp_path, "a-b.txt", "Two.")
    stage = Ingest(Config(), RunContext(corpus_root=tmp_path))
    assert [d.doc_id for d in stage.process_batch([first, second])] == ["a-b.txt", "a-b.txt~2"]
    assert [d.doc_id for d in stage.process_batch([second])] == ["a-b.txt~2"]


@pytest.mark.parametrize("paragraphs, limit, kept", [
    (["First paragraph, a full sentence.", "Second paragraph, one more.", "Third paragraph, the last."], 70,
     "First paragraph, a full sentence.\n\nSecond paragraph, one more."),
    (["word " * 30 + "end."], 52, ("word " * 10).strip()),
])
def test_long_text_is_cut_at_a_boundary_and_says_so(tmp_path, caplog, paragraphs, limit, kept):
    config = Config()
    config.ingest.max_chars = limit
    text = "\n\n".join(p.strip() for p in paragraphs)
    write(tmp_path, "long.txt", text + "\n")
    with caplog.at_level(logging.WARNING, logger="digest.ingest"):
        [doc] = ingest(tmp_path, config)
    message = f"truncated: kept {len(kept)} of {len(text)} characters"
    assert doc.text == kept
    assert message in doc.flags and any(note.startswith(message) for note in doc.notes)
    assert message in caplog.text and "long.txt" in caplog.text


def test_signature_names_the_settings():
    config = Config()
    signature = Ingest(config).signature()
    assert signature["stage"] == "ingest" and signature["settings"]["max_chars"] == config.ingest.max_chars
    config.ingest.strip_boilerplate = False
    assert Ingest(config).signature() != signature


def test_bundled_corpus_gives_eight_titled_documents():
    docs = ingest(CORPUS)
    assert len(docs) == 8
    assert [d.error for d in docs] == [""] * 8
    assert all(d.title and d.date and d.source and len(d.text) > 300 for d in docs)
    assert len({d.doc_id for d in docs}) == 8 and not any(d.flags for d in docs)
