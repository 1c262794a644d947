"""The `digest evaluate` commands, run end to end on small fixtures."""
import json
import re

import pytest
from typer.testing import CliRunner

from pipeline.evaluate.cli import evaluate_app, guess_language

runner = CliRunner()
REF = ["The cat sat on the mat.", "It rained all day in Paris.", "The minister resigned on Friday."]
HYP = ["The cat sat on a mat.", "It was raining all day in Paris.", "The minister quit on Friday."]
OTHER = ["A cat is on the mat.", "Rain in Paris all day.", "Minister resigned Friday."]


def write(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def printed(result):
    """What a command printed, its table borders and line breaks made single spaces."""
    return " ".join(re.sub("[\u2500-\u257f]", " ", result.output).split())


def invoke(*args):
    result = runner.invoke(evaluate_app, [str(a) for a in args])
    return result


def test_mt_with_files_and_named_systems_writes_a_report(tmp_path):
    ref, hyp, other = write(tmp_path / "ref.en", REF), write(tmp_path / "hyp.en", HYP), write(tmp_path / "o.en", OTHER)
    out = tmp_path / "report"
    result = invoke("mt", "--ref", ref, "--hyp", hyp, "--system", f"other={other}", "--resamples", 50,
                    "--no-qe", "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text())
    assert list(data["results"]["systems"]) == ["hyp.en", "other"]
    assert data["signature"]["sacrebleu"]["BLEU"]["signature"].startswith("nrefs:1|bs:50|seed:12345")
    assert [i["path"] for i in data["signature"]["inputs"]] == [str(ref), str(hyp), str(other)]
    assert (out / "bleu_bars.png").exists() and "other" in (out / "report.html").read_text()
    shown, bleu = printed(result), data["results"]["systems"]["other"]["corpus"]["BLEU"]  # sacrebleu's table
    assert "BLEU (μ ± 95% CI)" in shown and "chrF (μ ± 95% CI)" in shown
    assert f"other {bleu['score']:.1f} (μ = {bleu['mean']:.1f} ± {bleu['ci']:.1f}) p = {bleu['p_value']:.4f}" in shown


def test_mt_on_a_test_set_folder_estimates_quality_from_the_source(tmp_path):
    write(tmp_path / "src.fr", ["Le chat était assis sur le tapis.", "Il a plu toute la journée à Paris.",
                                "Le ministre a démissionné vendredi."])
    write(tmp_path / "ref.A.en", REF)
    write(tmp_path / "hyp.sys.en", HYP)
    out = tmp_path / "report"
    result = invoke("mt", tmp_path, "--resamples", 20, "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text())
    assert data["results"]["quality_estimation"]["pooled"]["similarity"]["sentences"] == 3
    assert "Reference-free quality estimation" in (out / "report.md").read_text()


@pytest.mark.parametrize("from_folder", [True, False])
def test_mt_on_a_subset_signs_the_lines_it_scored(tmp_path, from_folder):
    ref, hyp = write(tmp_path / "ref.A.en", REF), write(tmp_path / "hyp.sys.en", HYP)
    source = write(tmp_path / "src.fr", ["Le chat.", "Il a plu.", "Le ministre."])
    given = [tmp_path] if from_folder else ["--ref", ref, "--hyp", hyp, "--source", source]
    out = tmp_path / "report"
    result = invoke("mt", *given, "--start", 1, "--lines", 2, "--no-qe", "--resamples", 20, "-o", out)
    assert result.exit_code == 0, result.output
    signature = json.loads((out / "report.json").read_text())["signature"]
    settings = signature["settings"]
    assert (settings["start"], settings["lines"], settings["source_lang"]) == (1, 2, "fr")
    assert settings["testset"] == (str(tmp_path) if from_folder else None)
    assert {i["path"] for i in signature["inputs"]} == {str(ref), str(hyp), str(source)}
    assert signature["sacrebleu"]["BLEU"]["signature"].startswith("nrefs:1|bs:20")


@pytest.mark.parametrize("args, message", [
    (["mt"], "give a test set folder or at least one --ref file"),
    (["mt", "--ref", "{ref}", "--hyp", "{ref}", "--start", "3"], "it has 3 lines"),
    (["mt", "--ref", "{ref}", "--system", "broken"], "expected NAME=PATH"),
    (["mt", "--ref", "{ref}", "--hyp", "{short}"], "has 2"),
    (["mt", "--ref", "{tmp}/missing.en", "--hyp", "{ref}"], "no such file"),
])
def test_mt_input_problems_exit_with_a_message(tmp_path, args, message):
    ref, short = write(tmp_path / "ref.en", REF), write(tmp_path / "short.en", HYP[:2])
    filled = [a.format(ref=ref, short=short, tmp=tmp_path) for a in args]
    result = invoke(*filled, "-o", tmp_path / "out")
    assert result.exit_code == 2 and message in " ".join(result.output.split())


def test_summary_command(tmp_path):
    rows = [{"document": "Prices rose. The bank acted. Savers cheered. Borrowers did not.",
             "reference": "The bank acted as prices rose.", "system_outputs": {"copy": "The bank acted."}}]
    path = tmp_path / "s.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = invoke("summary", path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "report.json").read_text())
    assert list(data["results"]["systems"]) == ["lead-3", "copy"] and data["signature"]["settings"]["lang"] == "en"
    assert "ROUGE: multilingual" in printed(result)
    assert "did not summarize here; references average 6.0 words" in printed(result)


def test_summary_command_with_the_published_rouge(tmp_path):
    rows = [{"document": "Prices rose. The bank acted. Savers cheered.", "reference": "The bank acted as prices rose.",
             "system_outputs": {"copy": "The banks acted as prices rose."}}]
    path = tmp_path / "s.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = invoke("summary", path, "--rouge", "rouge-score", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "report.json").read_text())
    assert data["signature"]["settings"]["rouge"] == "rouge-score"
    assert data["results"]["systems"]["copy"]["rougeLsum"]["mean"] == pytest.approx(100.0)  # stemmed: banks = bank
    assert "ROUGE used: rouge-score" in (tmp_path / "out" / "report.md").read_text()
    assert "ROUGE-Lsum" in printed(result) and "copy 6.0 100.00 [100.00, 100.00]" in printed(result)
    refused = invoke("summary", path, "--rouge", "rouge-score", "--lang", "fr", "-o", tmp_path / "fr")
    assert refused.exit_code == 2 and "published setup for English" in refused.output


def test_lid_command_uses_the_project_detector(tmp_path):
    write(tmp_path / "en.txt", ["The weather is lovely today.", "Parliament passed the budget."])
    write(tmp_path / "zh.txt", ["今天天气很好。"])
    result = invoke("lid", tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "report.json").read_text())
    assert data["results"]["per_language"] == {"en": 1.0, "zh": 1.0}
    assert (tmp_path / "out" / "confusion.png").exists()
    assert "language sentences accuracy %" in printed(result) and "all 3 100.00" in printed(result)


@pytest.mark.parametrize("text, lang", [
    ("中国人民银行今天宣布降息。", "zh"),
    ("Le gouvernement a annoncé que les prix et la croissance sont en baisse.", "fr"),
    ("The government said that the prices of food and fuel were rising.", "en"),
])
def test_guess_language(text, lang):
    assert guess_language(text) == lang


def test_align_command(tmp_path):
    data = tmp_path / "data"
    for side, lines in (("fr", ["Le chat dort sur le canapé.", "Il pleut à Paris depuis lundi."]),
                        ("en", ["The cat is sleeping on the sofa.", "It has been raining in Paris since Monday."])):
        (data / side).mkdir(parents=True)
        write(data / side / "001", lines)
    (data / "gold").mkdir()
    (data / "gold" / "001.align").write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    result = invoke("align", data, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["results"]["total"]["strict_f1"] == 1.0 and report["results"]["source"] == "fr"
    assert report["signature"]["embedder"]["name"] == "use-multilingual-v3"
    assert "fr-en 1.0000 1.0000 1.0000 1.0000 1.0000 1.0000" in printed(result)


def test_mt_translate_with_a_config_scores_the_pipeline_s_own_translations(tmp_path, monkeypatch):
    from tiny.llm import build_tiny_llm, write_tiny_manifest

    write_tiny_manifest(tmp_path / "manifests", build_tiny_llm(tmp_path / "tiny-llm"))
    monkeypatch.setenv("DIGEST_MODELS", str(tmp_path / "manifests"))
    source = write(tmp_path / "source.txt", ["Avant le sous-ensemble.", "Le chat était assis sur le tapis.",
                                             "Il a plu toute la journée.", "Le ministre a démissionné vendredi.",
                                             "Hors du sous-ensemble."])
    ref = write(tmp_path / "ref.en", ["Before the subset."] + REF + ["Outside the subset."])
    out = tmp_path / "report"
    overrides = ["translate.model=tiny-llm", "translate.engine=hf", "translate.generation.max_new_tokens=8"]
    result = invoke("mt", "--ref", ref, "--source", source, "--translate-with", "default",
                    *(arg for value in overrides for arg in ("--set", value)), "--round-trip",
                    "--start", 1, "--lines", 3, "--resamples", 20, "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text())
    assert list(data["results"]["systems"]) == ["digest"]
    assert len((out / "hyp.digest.en").read_text(encoding="utf-8").splitlines()) == 3
    settings, used = data["signature"]["settings"], data["signature"]["translated_with"]
    assert (settings["start"], settings["lines"], settings["source_lang"]) == (1, 3, "fr")
    assert (used["config"], used["overrides"], used["direction"], used["round_trip"]) == ("default", overrides,
                                                                                       "fr-en", True)
    assert used["config_file"].endswith("default.yaml") and len(used["config_digest"]) == 16
    assert used["model"]["name"] == used["translate"]["model"] == "tiny-llm"
    assert used["translate"]["generation"]["max_new_tokens"] == 8 and used["run"]["device"] == "auto"
    assert data["results"].get("warnings", []) == used["warnings"]
    assert set(data["signature"]["sacrebleu"]) == {"BLEU", "chrF", "chrF++", "TER"}
    estimates = data["results"]["quality_estimation"]["systems"]["digest"]
    assert len(estimates["round_trip"]) == 3 and len(estimates["similarity"]) == 3


def test_summary_with_a_config_runs_the_pipeline_and_scores_its_summaries(tmp_path, monkeypatch):
    from tiny.llm import build_tiny_llm, write_tiny_manifest

    write_tiny_manifest(tmp_path / "manifests", build_tiny_llm(tmp_path / "tiny-llm"))
    monkeypatch.setenv("DIGEST_MODELS", str(tmp_path / "manifests"))
    articles = ["The port of Antwerp handled more containers this year. Officials expect growth to continue. "
                "New cranes arrive in May.", "The council approved a new budget on Monday. Schools get more money. "
                "Taxes stay the same.", "Not in the subset. It is the third item."]
    data = tmp_path / "items.jsonl"
    data.write_text("".join(json.dumps({"id": f"a{i}", "document": text, "reference": text.split(".")[0] + ".",
                                        "system_outputs": {"first": text.split(".")[0]}}) + "\n"
                            for i, text in enumerate(articles)), encoding="utf-8")
    out = tmp_path / "report"
    args = ["summary", data, "--lang", "en", "--summarize-with", "default", "--set", "summarize.model=tiny-llm",
            "--set", "translate.model=tiny-llm", "--set", "summarize.engine=hf", "--set", "translate.engine=hf",
            "--set", "summarize.generation.max_new_tokens=24", "--lines", 2, "-o", out]
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    report = json.loads((out / "report.json").read_text())
    assert report["results"]["items"] == 2 and set(report["results"]["systems"]) == {"lead-3", "first", "digest"}
    assert report["results"]["summary_length"]["max_words"] == 90  # the default config's, stated on the terminal too
    assert "summarize.max_words = 90" in printed(first)
    assert report["signature"]["summarized_with"]["run"] == str(out / "pipeline-run")
    assert (out / "pipeline-run" / "store.sqlite").exists()
    second = invoke(*args)  # from the run's store: the same summaries, so the same scores
    assert second.exit_code == 0, second.output
    again = json.loads((out / "report.json").read_text())
    assert again["results"]["systems"]["digest"] == report["results"]["systems"]["digest"]


def test_mt_translate_with_a_bad_glossary_stops_in_one_line_before_the_model(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_MODELS", str(tmp_path / "no-models"))  # a model load would fail: none is reached
    source, ref = write(tmp_path / "source.txt", ["Le PIB a crû."]), write(tmp_path / "ref.en", ["GDP grew."])
    bad = write(tmp_path / "bad.tsv", ["en\tfr", "GDP\tPIB\textra"])
    result = invoke("mt", "--ref", ref, "--source", source, "--translate-with", "default", "--glossary", bad,
                    "-o", tmp_path / "report")
    assert result.exit_code == 2 and f"glossary {bad}:2: 3 cells under 2 columns" in printed(result)
    assert not (tmp_path / "report" / "hyp.digest.en").exists()
