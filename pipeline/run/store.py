"""The run store: every stage result in SQLite, keyed by content and stage signature.

A key is the sha256 of the stage's signature and the input record, so a rerun
with the same models and settings finds its work done, and a changed model or
setting redoes only what it affects. Each batch commits in one transaction: a
killed run loses at most the batch in flight.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    stage TEXT NOT NULL,
    key TEXT NOT NULL,
    doc_ids TEXT NOT NULL,
    payload TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (stage, key)
);
CREATE TABLE IF NOT EXISTS runs (
    started REAL NOT NULL,
    finished REAL,
    signature TEXT NOT NULL
);
"""


def content_key(signature: dict, record: object) -> str:
    """The store key of `record` processed by a stage with `signature`."""
    encoded = json.dumps([signature, record], sort_keys=True, ensure_ascii=False, default=str)
    # surrogatepass: a path read with surrogateescape (a file name that is not UTF-8) still gets a key;
    # every other text encodes as plain UTF-8, so existing keys stay the same
    return hashlib.sha256(encoded.encode("utf-8", "surrogatepass")).hexdigest()


class RunStore:
    """Stage results of one output folder."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(path, timeout=60)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.connection.executescript(SCHEMA)

    def get(self, stage: str, key: str) -> list[dict] | None:
        row = self.connection.execute(
            "SELECT payload FROM results WHERE stage = ? AND key = ?", (stage, key)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def put_many(self, stage: str, items: list[tuple[str, list[dict]]]) -> None:
        """Store (key, output records) pairs in one transaction."""
        now = time.time()
        rows = [
            (stage, key, json.dumps([r.get("doc_id") for r in records]), json.dumps(records, ensure_ascii=False), now)
            for key, records in items
        ]
        with self.connection:
            self.connection.executemany(
                "INSERT OR REPLACE INTO results (stage, key, doc_ids, payload, created) VALUES (?, ?, ?, ?, ?)", rows
            )

    def start_run(self, signature: dict) -> int:
        with self.connection:
            cursor = self.connection.execute(
                "INSERT INTO runs (started, signature) VALUES (?, ?)", (time.time(), json.dumps(signature))
            )
        return cursor.lastrowid

    def finish_run(self, run_id: int) -> None:
        with self.connection:
            self.connection.execute("UPDATE runs SET finished = ? WHERE rowid = ?", (time.time(), run_id))

    def count(self, stage: str) -> int:
        return self.connection.execute("SELECT COUNT(*) FROM results WHERE stage = ?", (stage,)).fetchone()[0]

    def close(self) -> None:
        self.connection.close()
