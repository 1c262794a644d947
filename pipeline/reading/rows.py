"""Rows of table-like corpus inputs: JSON lines, JSON, Parquet and saved `datasets` folders.

Each row comes back as (row key, row), or (row key, the problem with it) for a
row that cannot be read, so one bad line never loses the others.
"""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.reading.encoding import decode


class RowsError(ValueError):
    """A whole table cannot be read; the message says why and what to do."""


def file_rows(path: Path, kind: str) -> list[tuple[str, dict | str]]:
    """(row key, row or the problem with it) for a .jsonl, .json or .parquet file."""
    if kind == "parquet":
        import pyarrow.parquet

        return [(str(n), row) for n, row in enumerate(pyarrow.parquet.read_table(path).to_pylist(), 1)]
    text, _ = decode(path.read_bytes())
    if kind == "jsonl":
        return [(str(n), _json_row(line)) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RowsError(f"is not valid JSON ({exc}); fix it or remove the file") from exc
    rows = data if isinstance(data, list) else [data]
    return [(str(n), row if isinstance(row, dict) else _not_object(row)) for n, row in enumerate(rows, 1)]


def _json_row(line: str) -> dict | str:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"is not valid JSON ({exc.msg} at column {exc.colno}); fix or remove the line"
    return row if isinstance(row, dict) else _not_object(row)


def _not_object(value) -> str:
    return f"is a JSON {type(value).__name__}, not an object with a text field; give each row an object"


def dataset_rows(path: Path) -> list[tuple[str, dict | str]]:
    """Rows of a `datasets` save_to_disk folder; a DatasetDict's rows are keyed "split:n"."""
    from datasets import DatasetDict, load_from_disk

    data = load_from_disk(str(path))
    if isinstance(data, DatasetDict):
        return [(f"{split}:{n}", row) for split in sorted(data) for n, row in enumerate(data[split], 1)]
    return [(str(n), row) for n, row in enumerate(data, 1)]
