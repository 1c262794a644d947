"""digest's own translations as a system: written one segment a line, and what was changed is said."""
import json
import logging

import pytest

from pipeline.evaluate import mt, own
from pipeline.evaluate.runs import run_mt

SOURCE = ["Le chat dort.", "Il pleut.\nBeaucoup.", "Fin."]
REF = ["The cat sleeps.", "It rains. A lot.", "The end."]
OUTPUTS = {"Le chat dort.": "The cat\r\nsleeps.", "Il pleut.\nBeaucoup.": "It rains.\nA lot.", "Fin.": "The end."}


@pytest.mark.parametrize("texts, joined, changed", [
    (["one", "two"], ["one", "two"], 0),
    (["a\nb", "c"], ["a b", "c"], 1),
    (["a\r\nb", "a\rb", "a\n\nb"], ["a b", "a b", "a  b"], 3),
    (["a\u2028b\x85c"], ["a\u2028b\x85c"], 0),  # sacrebleu keeps these inside a line, as read_lines does
])
def test_line_breaks_become_spaces_and_are_counted(texts, joined, changed):
    assert own.one_line_each(texts) == (joined, changed)


def translated():
    testset = mt.TestSet(references=[REF], target_lang="en", source=SOURCE, source_lang="fr")
    mt.add_translations(testset, own.SYSTEM, lambda lines: [OUTPUTS[line] for line in lines])
    return testset


def test_the_written_file_has_one_line_per_segment_and_is_what_is_scored(tmp_path, caplog):
    testset = translated()
    with caplog.at_level(logging.WARNING, logger="digest.evaluate"):
        warnings = own.write_system(testset, own.SYSTEM, tmp_path)
    assert warnings == ["2 hypotheses contained line breaks; joined with spaces"]
    assert warnings[0] in caplog.text
    written = mt.read_lines(tmp_path / "hyp.digest.en")
    assert written == testset.systems[own.SYSTEM] == ["The cat sleeps.", "It rains. A lot.", "The end."]


def test_the_report_carries_the_warning(tmp_path):
    testset = translated()
    warnings = own.write_system(testset, own.SYSTEM, tmp_path)
    run_mt(testset, tmp_path / "report", resamples=10, quality=False, translated_with={"warnings": warnings})
    data = json.loads((tmp_path / "report" / "report.json").read_text(encoding="utf-8"))
    assert data["results"]["warnings"] == warnings
    assert "Warning: 2 hypotheses contained line breaks; joined with spaces." in (
        tmp_path / "report" / "report.md").read_text(encoding="utf-8")


def test_a_clean_system_gives_no_warning(tmp_path):
    testset = mt.TestSet(references=[REF], target_lang="en", systems={"x": list(REF)})
    assert own.write_system(testset, "x", tmp_path) == []
    assert mt.read_lines(tmp_path / "hyp.x.en") == REF


def test_writing_a_line_break_is_refused_not_changed(tmp_path):
    with pytest.raises(ValueError, match=r"item 2 \(1 in all\) holds a line break"):
        own._write_lines(["one", "two\nthree"], tmp_path / "out.txt")
    assert not (tmp_path / "out.txt").exists()


@pytest.mark.parametrize("progress", [False, True])
def test_translating_in_steps_keeps_the_order_and_every_line(progress):
    calls = []

    def translate(lines):
        calls.append(len(lines))
        return [line.upper() for line in lines]

    lines = [f"line {i}" for i in range(10)]
    assert own.in_steps(translate, 4, "translate", progress)(lines) == [line.upper() for line in lines]
    assert calls == [4, 4, 2]
