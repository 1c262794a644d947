"""MQM annotations read into one human score per translated segment."""
from __future__ import annotations

import pytest

from pipeline.evaluate.mqm import COLUMNS, error_weight, read_mqm

SOURCE = "我们站在地球上仰望夜空。"


def write_mqm(path, rows):
    lines = ["\t".join(COLUMNS)] + ["\t".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("category, severity, weight", [
    ("Accuracy/Mistranslation", "Major", 5.0),
    ("Fluency/Grammar", "Minor", 1.0),
    ("Fluency/Punctuation", "Minor", 0.1),
    ("Fluency/Punctuation", "Major", 5.0),
    ("Non-translation!", "Major", 25.0),
    ("No-error", "No-error", 0.0),
    ("Style/Awkward", "Neutral", 0.0),
])
def test_error_weights(category, severity, weight):
    assert error_weight(category, severity) == weight


def test_segments_sum_their_errors_and_average_their_raters(tmp_path):
    rows = [
        ("sysA", "talk.1", "1", "1", "rater1", SOURCE, "We stand on <v>the</v> earth.", "Fluency/Grammar", "Major"),
        ("sysA", "talk.1", "1", "1", "rater1", SOURCE, "We stand on the earth<v>.</v>", "Fluency/Punctuation", "Minor"),
        ("sysA", "talk.1", "1", "1", "rater2", SOURCE, "We stand on the earth.", "No-error", "No-error"),
        ("sysB", "talk.1", "1", "1", "rater1", "我们站在<v>地球</v>上仰望夜空。", "We stand looking up.",
         "Accuracy/Omission", "Minor"),
        ("sysA", "talk.1", "1", "2", "rater1", "第二句。", "Second.", "No-error", "No-error"),
    ]
    segments = read_mqm(write_mqm(tmp_path / "mqm.tsv", rows))
    assert [(s.system, s.seg_id, s.score, s.raters) for s in segments] == [
        ("sysA", "1", pytest.approx(-2.55), 2), ("sysB", "1", -1.0, 1), ("sysA", "2", 0.0, 1)]
    assert segments[0].target == "We stand on the earth." and segments[1].source == SOURCE
    assert segments[0].source_key == segments[1].source_key != segments[2].source_key


@pytest.mark.parametrize("content, message", [
    ("system\tdoc\tsource\n", "not an MQM file: the header must be system, doc, doc_id"),
    ("\t".join(COLUMNS) + "\nsysA\ttalk.1\t1\t1\trater1\tx\ty\tFluency\n", "line 2: 8 tab-separated fields"),
    ("\t".join(COLUMNS) + "\nsysA\ttalk.1\t1\t1\trater1\tx\ty\tFluency\tCritical\n", "line 2: unknown MQM severity"),
    ("\t".join(COLUMNS) + "\n", "no annotated segment"),
])
def test_bad_files_are_refused_with_the_line(tmp_path, content, message):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_mqm(path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.tsv: no such file"):
        read_mqm(tmp_path / "missing.tsv")
