"""Parquet and Hugging Face exports read back with pandas and `datasets`, as an analyst would."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from export.runs import HOSTILE_EN, HOSTILE_FR
from pipeline.export.formats import export_run

PAIR_COLUMNS = ["doc_id", "kind", "index", "source_lang", "target_lang", "source", "target", "score", "flags"]
DOCUMENT_COLUMNS = ["doc_id", "status", "origin", "title", "title_english", "date", "source", "lang", "mixed",
                    "sentences", "text", "english", "summary", "summary_method", "summary_fr", "summary_zh", "flags",
                    "error", "failed_stage"]
PORT = "news/port de Marseille.md"


@pytest.fixture
def exported(run_folder):
    return export_run(run_folder, ["parquet", "hf"])


def test_pairs_parquet_has_one_row_per_pair(exported):
    pairs = pd.read_parquet(exported["parquet"][0])
    assert list(pairs.columns) == PAIR_COLUMNS
    assert len(pairs) == 10  # French: 2 sentences + 3 links; Chinese: 2 + 2; English: 1 link; failed: none
    assert pairs.groupby(["kind", "source_lang", "target_lang"]).size().to_dict() == {
        ("summary", "en", "fr"): 4, ("summary", "en", "zh"): 2, ("translation", "fr", "en"): 2,
        ("translation", "zh", "en"): 2}
    hostile = pairs[(pairs.doc_id == PORT) & (pairs["index"] == 1) & (pairs.kind == "translation")].iloc[0]
    assert (hostile["source"], hostile["target"], hostile["score"], list(hostile["flags"])) == (
        HOSTILE_FR, HOSTILE_EN, 0.42, ["low-quality"])
    no_estimate = pairs[(pairs.doc_id == "zh.txt") & (pairs["index"] == 1) & (pairs.kind == "translation")].iloc[0]
    assert math.isnan(no_estimate["score"])


def test_documents_parquet_has_one_row_per_document_failed_ones_included(exported):
    documents = pd.read_parquet(exported["parquet"][1]).set_index("doc_id")
    assert ["doc_id", *documents.columns] == DOCUMENT_COLUMNS
    assert list(documents.index) == [PORT, "zh.txt", "en.md", "broken.txt"]
    port = documents.loc[PORT]
    assert list(port["summary_zh"]) == ["港口投资4000万。"] and port["sentences"] == 3 and port["status"] == "ok"
    assert port["english"].startswith("The port invests 40 million. " + HOSTILE_EN)
    assert list(documents.loc["en.md"]["summary_zh"]) == []
    broken = documents.loc["broken.txt"]
    assert (broken["status"], broken["error"], broken["failed_stage"]) == (
        "failed", "could not decode broken.txt", "ingest")


def test_saved_datasets_hold_the_same_rows_as_the_parquet(exported):
    from datasets import load_from_disk

    for table, folder in zip(exported["parquet"], exported["hf"]):
        dataset = load_from_disk(str(folder))
        frame = pd.read_parquet(table)
        assert dataset.column_names == list(frame.columns)
        assert dataset.to_pandas().to_json() == frame.to_json()


def test_the_parquet_loads_with_datasets_load_dataset(exported, tmp_path):
    from datasets import load_dataset

    # the two tables have their own columns: each is a dataset of its own
    loaded = {path.stem: load_dataset("parquet", data_files=str(path), split="train", cache_dir=str(tmp_path / "cache"))
              for path in exported["parquet"]}
    assert loaded["pairs"].num_rows == 10 and loaded["documents"].num_rows == 4
    assert loaded["pairs"].features["flags"].feature.dtype == "string"
    assert loaded["documents"][3]["status"] == "failed"
