"""Report folders: Markdown, escaped self-contained HTML, JSON with the run signature, PNG plots."""
import hashlib
import json

import pytest

from pipeline.evaluate import plots
from pipeline.evaluate.report import (
    Report,
    report_signature,
    to_html,
    to_markdown,
    write_report,
)

NASTY = '<script>alert("x")</script> & | pipe'


@pytest.fixture
def report(tmp_path):
    found = Report(f"Scores {NASTY}", "test", {"command": "digest evaluate test"}, {"value": 1.5})
    found.heading(f"Heading {NASTY}")
    found.paragraph(f"Paragraph {NASTY}\nsecond line")
    found.table(["system", "score"], [[NASTY, 1.25], ["plain", 2]], caption="caption")
    found.figure(plots.bar_chart(tmp_path, "bars.png", ["a", NASTY], [1.0, 2.0], "Bars", "score",
                                 lows=[0.5, 1.5], highs=[1.5, 2.5]))
    found.figure(plots.distribution_chart(tmp_path, "dist.png", {"a": [0.1, 0.2, 0.9], "b": [0.5]}, "Dist", "x"))
    found.figure(plots.heatmap(tmp_path, "heat.png", ["en", "fr"], ["en", "fr"], [[9, 1], [0, 10]], "Confusion"))
    return found


def test_write_report_creates_the_three_files_beside_the_plots(report, tmp_path):
    write_report(report, tmp_path)
    names = {p.name for p in tmp_path.iterdir()}
    assert {"report.md", "report.html", "report.json", "bars.png", "dist.png", "heat.png"} <= names
    assert not [n for n in names if n.startswith(".")]  # no temporary files left behind
    for image in ("bars.png", "dist.png", "heat.png"):
        assert (tmp_path / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["results"] == {"value": 1.5} and data["signature"]["command"] == "digest evaluate test"


def test_html_escapes_every_text_and_loads_nothing_from_outside(report):
    page = to_html(report)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page
    assert '<img src="bars.png"' in page


def test_markdown_keeps_tables_intact(report):
    text = to_markdown(report)
    row = next(line for line in text.splitlines() if line.startswith("| <script>"))
    assert row.count(" | ") == 1 and "\\|" in row
    assert "![Bars (whiskers: 95% bootstrap interval)](bars.png)" in text
    assert "Paragraph" in text and "\nsecond line" not in text


def test_report_signature_fingerprints_inputs_and_versions(tmp_path):
    data = tmp_path / "ref.en"
    data.write_bytes(b"hello\n")
    signature = report_signature([data], command=["digest", "evaluate", "mt"], tokenize="13a")
    assert signature["inputs"] == [{"path": str(data), "sha256": hashlib.sha256(b"hello\n").hexdigest(), "bytes": 6}]
    assert signature["command"] == "digest evaluate mt" and signature["settings"] == {"tokenize": "13a"}
    assert signature["versions"]["sacrebleu"][0].isdigit()
