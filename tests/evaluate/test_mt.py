"""MT scores must equal what the sacrebleu command prints for the same files."""
import json
import re
import subprocess
import sys

import pytest

from pipeline.evaluate import mt

SOURCE = ["Le chat est assis sur le tapis.", "Il a plu toute la journée à Paris.",
          "Le ministre a démissionné vendredi.",
          "Les prix ont augmenté de trois pour cent.", "La banque a relevé ses taux.", "Les marchés ont reculé."]
REF_A = ["The cat sat on the mat.", "It rained all day in Paris.", "The minister resigned on Friday.",
         "Prices rose by three percent.", "The bank raised its rates.", "Markets fell."]
REF_B = ["A cat was sitting on the mat.", "It was raining the whole day in Paris.", "The minister quit on Friday.",
         "Prices went up by 3 percent.", "The bank increased its interest rates.", "The markets went down."]
SYSTEMS = {
    "good": ["The cat sat on a mat.", "It was raining all day in Paris.", "The minister quit on Friday.",
             "Prices went up three percent.", "The bank raised rates.", "Markets dropped."],
    "weak": ["A cat is on the mat.", "Rain in Paris all day.", "Minister resigned Friday.",
             "The prices rose 3 percent.", "Bank has rates higher.", "The market is down."],
}
ZH_REF = ["猫坐在垫子上。", "巴黎整天下雨。", "部长周五辞职了。", "价格上涨了百分之三。"]
ZH_HYP = ["猫坐在地毯上。", "巴黎下了一整天雨。", "部长在星期五辞职。", "物价涨了3%。"]


def write(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def testset_dir(tmp_path):
    write(tmp_path / "src.fr", SOURCE)
    write(tmp_path / "ref.A.en", REF_A)
    write(tmp_path / "ref.B.en", REF_B)
    for name, lines in SYSTEMS.items():
        write(tmp_path / f"hyp.{name}.en", lines)
    write(tmp_path / "line_idx_docid.tsv", [f"{i}\tdoc-{1 if i < 4 else 2}" for i in range(6)])
    return tmp_path


def sacrebleu(*args):
    run = subprocess.run([sys.executable, "-m", "sacrebleu", *map(str, args)], capture_output=True, text=True,
                         check=True)
    return run.stdout


def test_folder_is_read_with_its_first_reference_systems_source_and_documents(testset_dir):
    testset = mt.load_testset(testset_dir)
    assert testset.references == [REF_A] and testset.target_lang == "en"
    assert testset.systems == SYSTEMS and testset.source == SOURCE
    assert testset.docids == ["doc-1"] * 4 + ["doc-2"] * 2


@pytest.mark.parametrize("target_lang, ref, hyp, cli", [
    ("en", REF_A, SYSTEMS["good"], ["--tokenize", "13a"]),
    ("zh", ZH_REF, ZH_HYP, ["--tokenize", "zh", "--ter-normalized", "--ter-asian-support"]),
])
def test_single_system_scores_and_intervals_match_the_sacrebleu_command(tmp_path, target_lang, ref, hyp, cli):
    ref_file, hyp_file = write(tmp_path / f"ref.{target_lang}", ref), write(tmp_path / f"hyp.{target_lang}", hyp)
    results = mt.score(mt.TestSet(references=[ref], target_lang=target_lang, systems={"x": hyp}))
    corpus = results["systems"]["x"]["corpus"]
    printed = json.loads(sacrebleu(ref_file, "-i", hyp_file, "-m", "bleu", "chrf", "ter", *cli, "--confidence",
                                   "-f", "json"))
    for key, entry in zip(("BLEU", "chrF", "TER"), printed):
        assert round(corpus[key]["score"], 1) == entry["score"]
        assert round(corpus[key]["mean"], 1) == entry["confidence_mean"]
        assert round(corpus[key]["ci"], 1) == entry["confidence_var"]
        assert results["signatures"][key] == entry["signature"]
    plus = json.loads(sacrebleu(ref_file, "-i", hyp_file, "-m", "chrf", "--chrf-word-order", "2", "--confidence",
                                "-f", "json"))  # one metric: an object, not a list
    assert round(corpus["chrF++"]["score"], 1) == plus["score"]
    assert results["signatures"]["chrF++"] == plus["signature"]


def test_paired_test_matches_the_sacrebleu_command(testset_dir):
    results = mt.score(mt.load_testset(testset_dir), baseline="good")
    printed = sacrebleu(testset_dir / "ref.A.en", "-i", testset_dir / "hyp.good.en", testset_dir / "hyp.weak.en",
                        "-m", "bleu", "chrf", "ter", "--paired-bs", "-f", "text")
    p_values = [float(p) for p in re.findall(r"p = ([\d.]+)", printed)]
    weak = results["systems"]["weak"]["corpus"]
    assert p_values == [round(weak[key]["p_value"], 4) for key in ("BLEU", "chrF", "TER")]
    assert results["systems"]["good"]["corpus"]["BLEU"]["p_value"] is None
    assert f"{weak['BLEU']['score']:.1f} ({weak['BLEU']['mean']:.1f} ± {weak['BLEU']['ci']:.1f})" in printed


def test_two_references_match_the_sacrebleu_command(testset_dir):
    results = mt.score(mt.load_testset(testset_dir, ["A", "B"]))
    printed = sacrebleu(testset_dir / "ref.A.en", testset_dir / "ref.B.en", "-i", testset_dir / "hyp.good.en",
                        "-m", "bleu", "-b")
    assert round(results["systems"]["good"]["corpus"]["BLEU"]["score"], 1) == float(printed)
    assert results["references"] == 2 and results["signatures"]["BLEU"].startswith("nrefs:2")


def test_documents_and_sentences_equal_scores_of_their_own_lines(testset_dir):
    results = mt.score(mt.load_testset(testset_dir), resamples=10)
    good = results["systems"]["good"]
    metrics = mt.make_metrics("en")
    for doc, lines in (("doc-1", range(4)), ("doc-2", range(4, 6))):
        for key, metric in metrics.items():
            expected = metric.corpus_score([SYSTEMS["good"][i] for i in lines], [[REF_A[i] for i in lines]]).score
            assert good["documents"][doc][key] == pytest.approx(expected)
    assert good["sentences"]["chrF"][1] == pytest.approx(metrics["chrF"].sentence_score(SYSTEMS["good"][1],
                                                                                        [REF_A[1]]).score)
    assert len(good["sentences"]["TER"]) == 6


def test_translations_from_a_callable_become_a_system(testset_dir):
    testset = mt.load_testset(testset_dir)
    table = dict(zip(SOURCE, SYSTEMS["good"]))
    mt.add_translations(testset, "digest", lambda lines: [table[line] for line in lines])
    assert testset.systems["digest"] == SYSTEMS["good"]
    results = mt.score(testset, baseline="digest", resamples=10)
    assert results["systems"]["digest"]["corpus"]["BLEU"]["score"] == pytest.approx(
        results["systems"]["good"]["corpus"]["BLEU"]["score"])


@pytest.mark.parametrize("change, message", [
    (lambda t: t.systems.update(short=SYSTEMS["good"][:5]), "system 'short' has 5"),
    (lambda t: setattr(t, "docids", ["d"] * 7), "document ids has 7"),
    (lambda t: t.systems.clear(), "no system output"),
])
def test_inconsistent_inputs_are_refused_with_the_reason(testset_dir, change, message):
    testset = mt.load_testset(testset_dir)
    change(testset)
    with pytest.raises(ValueError, match=re.escape(message)):
        mt.score(testset, resamples=10)


@pytest.mark.parametrize("name, lang", [("ref.A.zh", "zh"), ("hyp.x.en", "en"), ("newstest.fr", "fr"),
                                        ("ref.txt", "")])
def test_language_comes_from_the_file_suffix(name, lang):
    assert mt.language_of(name) == lang


@pytest.mark.parametrize("content, lines", [
    ("one\ntwo\n", ["one", "two"]),
    ("one\x85still one\ntwo\u2028still two", ["one\x85still one", "two\u2028still two"]),
    ("trailing  \r\nspace\t\n\n", ["trailing", "space", ""]),
])
def test_lines_are_read_as_sacrebleu_reads_them(tmp_path, content, lines):
    path = tmp_path / "f.en"
    path.write_bytes(content.encode("utf-8"))
    assert mt.read_lines(path) == lines


def test_a_segment_with_a_unicode_line_separator_scores_as_on_the_command_line(tmp_path):
    ref = write(tmp_path / "ref.en", ["The cat\x85 sat on the mat.", "It rained."])
    hyp = write(tmp_path / "hyp.en", ["The cat\x85 sat on a mat.", "It rained all day."])
    results = mt.score(mt.TestSet([mt.read_lines(ref)], "en", {"x": mt.read_lines(hyp)}), resamples=10)
    assert results["segments"] == 2
    printed = float(sacrebleu(ref, "-i", hyp, "-m", "bleu", "-b"))
    assert round(results["systems"]["x"]["corpus"]["BLEU"]["score"], 1) == printed


@pytest.mark.parametrize("cuts, start, references", [
    ([(2, 0)], 2, REF_A[2:]),
    ([(1, 4), (1, 2)], 2, REF_A[2:4]),  # a subset of a subset counts lines of the files
    ([(5, 10)], 5, REF_A[5:]),
])
def test_a_subset_knows_the_file_line_it_starts_on(testset_dir, cuts, start, references):
    testset = mt.load_testset(testset_dir)
    for first, count in cuts:
        testset = testset.lines(first, count)
    assert testset.start == start and testset.references == [references] and testset.folder == testset_dir
    assert testset.source == SOURCE[start:start + len(references)]


@pytest.mark.parametrize("start, count", [(-1, 0), (6, 0), (0, -2)])
def test_a_subset_outside_the_test_set_is_refused(testset_dir, start, count):
    with pytest.raises(ValueError, match="it has 6 lines"):
        mt.load_testset(testset_dir).lines(start, count)


def test_sacrebleu_is_used_through_its_public_interface_only():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(mt))
    private = sorted({node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                      and node.attr.startswith("_") and not node.attr.startswith("__")})
    assert private == []


def test_headline_is_sacrebleus_table(testset_dir):
    results = mt.score(mt.load_testset(testset_dir), baseline="good", resamples=20)
    table = mt.headline(results)
    assert table.header == ["system", "BLEU (μ ± 95% CI)", "chrF (μ ± 95% CI)"]
    weak = results["systems"]["weak"]["corpus"]["chrF"]
    assert [row[0] for row in table.rows] == ["good", "weak"] and "p = " not in table.rows[0][1]
    assert table.rows[1][2].startswith(f"{weak['score']:.1f} (μ = {weak['mean']:.1f} ± {weak['ci']:.1f}) p = ")
