"""`digest evaluate qe` on a small MQM file and a test set folder, and `mt --qe` without references."""
from __future__ import annotations

import json

import pytest
from tiny.llm import tiny_llm_installed
from typer.testing import CliRunner

from pipeline.evaluate.cli import evaluate_app
from pipeline.evaluate.mqm import COLUMNS

runner = CliRunner()
SOURCES = ["Le chat dort sur le canapé.", "La banque a relevé ses taux de 0,5 % hier.", "Il pleut à Paris."]
GOOD = ["The cat is sleeping on the sofa.", "The bank raised its rates by 0.5% yesterday.", "It is raining in Paris."]
BAD = ["The le chat is dormant.", "The bank raised its rates by 5% yesterday, said the minister of finance.",
       "Stocks fell."]


def invoke(*args):
    return runner.invoke(evaluate_app, [str(a) for a in args])


def write_mqm(path):
    rows = []
    for index, source in enumerate(SOURCES):
        rows.append(("good", "talk.1", "1", str(index), "rater1", source, GOOD[index], "No-error", "No-error"))
        rows.append(("bad", "talk.1", "1", str(index), "rater1", source, BAD[index], "Accuracy/Mistranslation",
                     "Major"))
    rows.append(("bad", "talk.1", "1", "1", "rater1", SOURCES[1], BAD[1], "Accuracy/Addition", "Major"))
    path.write_text("\n".join("\t".join(row) for row in [COLUMNS, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny_llm(tmp_path_factory):
    with tiny_llm_installed(tmp_path_factory.mktemp("llm")):
        yield "tiny-llm"


def test_qe_on_an_mqm_file_scores_every_method_and_ends_with_the_headline(tmp_path):
    out = tmp_path / "report"
    result = invoke("qe", write_mqm(tmp_path / "mqm.tsv"), "--no-llm", "--resamples", 20, "-o", out)
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-1]
    data = json.loads((out / "report.json").read_text())
    methods = data["results"]["methods"]
    ours = methods["digest QE"]
    assert last == (f"digest QE: Kendall tau-b {ours['segment']['kendall']:.3f} (6 segments); "
                    f"grouped {ours['grouped']['kendall']:.3f} ({ours['grouped']['sources']} sources)")
    assert set(methods) == {"digest QE", "similarity", "length_ratio", "wrong_language", "numbers", "source_length",
                            "length baseline (shorter is better)", "digest QE + consensus", "chrf_consensus",
                            "embedding_consensus"}
    assert ours["grouped"]["kendall"] > 0  # good beats bad on most sources
    assert data["signature"]["settings"]["source_lang"] == "fr" and data["signature"]["estimator"]["version"]
    assert "Kendall tau-b" in (out / "report.md").read_text()


# Three systems per source: two near-identical good readings and one outlier the judge marks with a major error.
CONSENSUS_SYSTEMS = {
    "good": ["The cat is sleeping on the sofa.", "The bank raised its rates by 0.5% yesterday.",
             "It is raining in Paris.", "The train to Lyon left an hour late."],
    "close": ["The cat sleeps on the sofa.", "The bank raised its interest rates by 0.5% yesterday.",
              "It's raining in Paris.", "The train for Lyon left one hour late."],
    "outlier": ["A dog eats the couch quietly today.", "Banks lend money to people with houses.",
                "Paris is a large city in France.", "Trains are fast in most of Europe."],
}
CONSENSUS_SOURCES = [*SOURCES, "Le train pour Lyon est parti avec une heure de retard."]


def write_consensus_mqm(path):
    rows = [(system, "talk.1", "1", str(index), "rater1", source, lines[index],
             *(("Accuracy/Mistranslation", "Major") if system == "outlier" else ("No-error", "No-error")))
            for system, lines in CONSENSUS_SYSTEMS.items() for index, source in enumerate(CONSENSUS_SOURCES)]
    rows += [("close", "talk.1", "1", str(index), "rater1", source, CONSENSUS_SYSTEMS["close"][index],
              "Fluency/Grammar", "Minor") for index, source in enumerate(CONSENSUS_SOURCES)]
    path.write_text("\n".join("\t".join(row) for row in [COLUMNS, *rows]) + "\n", encoding="utf-8")
    return path


def test_consensus_ranks_the_translations_of_each_source(tmp_path):
    out = tmp_path / "report"
    result = invoke("qe", write_consensus_mqm(tmp_path / "mqm.tsv"), "--no-llm", "--resamples", 20, "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text())
    methods, estimates = data["results"]["methods"], data["results"]["estimates"]
    assert methods["chrf_consensus"]["grouped"]["kendall"] > 0.5  # the outlier agrees least on every source
    assert methods["chrf_consensus"]["grouped"]["sources"] == 4
    scores = estimates["digest QE + consensus"]  # good 0-3, close 4-7, outlier 8-11, as the file lists them
    assert all(scores[8 + i] < min(scores[i], scores[4 + i]) for i in range(4))
    assert "Consensus (reference-free" in (out / "report.md").read_text()
    assert result.stdout.strip().splitlines()[-1].startswith("digest QE: Kendall tau-b ")


def test_qe_with_the_llm_likelihoods_keeps_them_for_a_rerun(tmp_path, tiny_llm):
    mqm, out = write_mqm(tmp_path / "mqm.tsv"), tmp_path / "report"
    args = ("qe", mqm, "--model", tiny_llm, "--source-lang", "fr", "--target-lang", "en", "--lines", 2,
            "--resamples", 20, "-o", out)
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    methods = json.loads((out / "report.json").read_text())["results"]["methods"]
    assert {"forward", "forward_surprise"} <= set(methods) and methods["digest QE"]["segment"]["segments"] == 4
    kept = (out / "likelihood.jsonl").read_text().splitlines()
    assert len(kept) == 4  # the forward direction of 4 segments: the combiner reads no backward feature
    again = invoke(*args)
    assert again.stdout.splitlines()[-1] == first.stdout.splitlines()[-1]
    assert (out / "likelihood.jsonl").read_text().splitlines() == kept  # nothing scored twice


def test_qe_on_a_test_set_folder_is_judged_by_chrf(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    for name, lines in (("src.fr", SOURCES), ("ref.A.en", GOOD), ("hyp.good.en", GOOD), ("hyp.bad.en", BAD)):
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke("qe", folder, "--no-llm", "--resamples", 20, "-o", tmp_path / "report")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "report" / "report.json").read_text())
    assert data["results"]["judgement"] == "sentence chrF against the reference" and data["results"]["systems"] == 2
    assert "(6 segments)" in result.stdout.splitlines()[-1]


def test_mt_without_references_estimates_each_system(tmp_path):
    source = tmp_path / "src.fr"
    source.write_text("\n".join(SOURCES) + "\n", encoding="utf-8")
    good, bad = tmp_path / "good.en", tmp_path / "bad.en"
    good.write_text("\n".join(GOOD) + "\n", encoding="utf-8")
    bad.write_text("\n".join(BAD) + "\n", encoding="utf-8")
    out = tmp_path / "report"
    result = invoke("mt", "--source", source, "--hyp", good, "--system", f"bad={bad}", "--qe-cheap",
                    "--resamples", 20, "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text())
    systems = data["results"]["systems"]
    assert systems["good.en"]["mean"] > systems["bad"]["mean"]
    assert any("wrong-language words: le" in r for line in systems["bad"]["lines"] for r in line["reasons"])
    assert len(systems["bad"]["lines"]) == 3 and data["kind"] == "mt-qe"


@pytest.mark.parametrize("args, message", [
    (["mt", "--source", "{good}", "--qe-cheap"], "no system output to estimate"),
    (["qe", "{missing}", "--no-llm"], "no such file"),
    (["qe", "{mqm}", "--no-llm", "--start", "7"], "cannot take all source segments from 7"),
])
def test_bad_input_is_one_line(tmp_path, args, message):
    (tmp_path / "good.en").write_text("\n".join(GOOD) + "\n", encoding="utf-8")
    paths = {"good": tmp_path / "good.en", "missing": tmp_path / "missing.tsv", "mqm": write_mqm(tmp_path / "m.tsv")}
    result = invoke(*(a.format(**paths) for a in args), "-o", tmp_path / "out")
    assert result.exit_code == 2 and message in " ".join(result.output.split())  # rich wraps long lines
