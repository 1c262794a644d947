"""A run as two tables, for dataframes and the Hugging Face ecosystem: `pairs` (one row per sentence pair)
and `documents` (one row per document), written as Parquet files and as `datasets` `save_to_disk` folders.

The column names and meanings are listed in the README ("Exports").
"""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.export.pairs import FinishedRun
from pipeline.records import PIVOT

TEXTS = pa.list_(pa.string())
PAIR_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("kind", pa.string()), ("index", pa.int64()), ("source_lang", pa.string()),
    ("target_lang", pa.string()), ("source", pa.string()), ("target", pa.string()), ("score", pa.float64()),
    ("flags", TEXTS),
])
DOCUMENT_COLUMNS = [
    ("doc_id", pa.string()), ("status", pa.string()), ("origin", pa.string()), ("title", pa.string()),
    ("title_english", pa.string()), ("date", pa.string()), ("source", pa.string()), ("lang", pa.string()),
    ("mixed", pa.bool_()), ("sentences", pa.int64()), ("text", pa.string()), ("english", pa.string()),
    ("summary", TEXTS), ("summary_method", pa.string()),
]
DOCUMENT_END_COLUMNS = [("flags", TEXTS), ("error", pa.string()), ("failed_stage", pa.string())]


def pair_table(run: FinishedRun) -> pa.Table:
    """One row per sentence pair (see `pairs.Pair`)."""
    return pa.Table.from_pylist([asdict(pair) for pair in run.pairs()], schema=PAIR_SCHEMA)


def document_table(run: FinishedRun) -> pa.Table:
    """One row per document; `summary_<lang>` columns hold the summary's render in each digest language."""
    renders = sorted({lang for doc in run.documents for lang in doc.renders if lang != PIVOT})
    schema = pa.schema(DOCUMENT_COLUMNS + [(f"summary_{lang}", TEXTS) for lang in renders] + DOCUMENT_END_COLUMNS)
    rows = []
    for doc in run.documents:
        row = {name: getattr(doc, name) for name, _ in DOCUMENT_COLUMNS + DOCUMENT_END_COLUMNS
               if name not in ("status", "sentences", "english")}
        row.update(status="failed" if doc.failed else "ok", sentences=len(doc.sentences), english=doc.english_text(),
                   **{f"summary_{lang}": doc.renders.get(lang, []) for lang in renders})
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=schema)


def write_parquet(run: FinishedRun, folder: Path) -> list[Path]:
    """`pairs.parquet` and `documents.parquet` in `folder`; returns the files written."""
    written = []
    for name, table in (("pairs", pair_table(run)), ("documents", document_table(run))):
        pq.write_table(table, folder / f"{name}.parquet")
        written.append(folder / f"{name}.parquet")
    return written


def write_hf(run: FinishedRun, folder: Path) -> list[Path]:
    """`pairs/` and `documents/`, each a `datasets.Dataset.save_to_disk` folder, in `folder`; returns them."""
    import datasets

    shown = datasets.is_progress_bar_enabled()
    datasets.disable_progress_bars()  # a bar per small table says nothing; the paths printed after do
    try:
        for name, table in (("pairs", pair_table(run)), ("documents", document_table(run))):
            features = datasets.Features.from_arrow_schema(table.schema)
            datasets.Dataset.from_dict(table.to_pydict(), features=features).save_to_disk(str(folder / name))
    finally:
        if shown:
            datasets.enable_progress_bars()
    return [folder / "pairs", folder / "documents"]
