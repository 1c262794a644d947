"""ROUGE, tokenization, lead-3 and the summary evaluation."""
import json
import random

import pytest

from pipeline.evaluate import summary


def naive_lcs(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
    return table[-1][-1]


@pytest.mark.parametrize("text, tokens", [
    ("The Cat, the HAT!", ["the", "cat", "the", "hat"]),
    ("L'histoire d'Élodie coûte 12€.", ["l", "histoire", "d", "élodie", "coûte", "12"]),
    ("中国人民银行2024年降息", ["中", "国", "人", "民", "银", "行", "2024", "年", "降", "息"]),
    ("Kite 's length is 6 km -LRB- 3.7 miles -RRB- .", ["kite", "s", "length", "is", "6", "km", "3", "7", "miles"]),
    ("``Hello'' she said", ["hello", "she", "said"]),
])
def test_tokenize(text, tokens):
    assert summary.tokenize(text) == tokens


@pytest.mark.parametrize("seed", range(20))
def test_bit_parallel_lcs_equals_the_textbook_table(seed):
    rng = random.Random(seed)
    a = [rng.choice("abcde") for _ in range(rng.randint(0, 70))]
    b = [rng.choice("abcde") for _ in range(rng.randint(0, 70))]
    assert summary.lcs_length(a, b) == naive_lcs(a, b)


@pytest.mark.parametrize("candidate, reference, expected", [
    ("the cat sat", "the cat sat", {"rouge1": 100.0, "rouge2": 100.0, "rougeL": 100.0}),
    ("dogs bark", "the cat sat", {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}),
    # 1-grams: 3 of 4 candidate, 3 of 5 reference -> F1 = 2*.75*.6/1.35 = 2/3
    # 2-grams: "the cat" only: 1/3 and 1/4 -> 2/7; LCS "the cat mat" = 3 -> 2/3
    ("the cat on mat", "the cat sat the mat",
     {"rouge1": 200 / 3, "rouge2": 200 / 7, "rougeL": 200 / 3}),
    ("猫坐在垫子上", "猫在垫子上睡觉", {"rouge1": 2 * 5 / 6 * 5 / 7 / (5 / 6 + 5 / 7) * 100,
                                 "rouge2": 2 * 3 / 5 * 3 / 6 / (3 / 5 + 3 / 6) * 100,
                                 "rougeL": 2 * 5 / 6 * 5 / 7 / (5 / 6 + 5 / 7) * 100}),
    ("", "the cat", {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}),
])
def test_rouge_values(candidate, reference, expected):
    found = summary.rouge(candidate, reference)
    assert found == pytest.approx(expected)


@pytest.mark.parametrize("document, lang, expected", [
    ("One. Two is here. Three! Four? Five.", "en", "One. Two is here. Three!"),
    ("Premier point.\n\nDeuxième point. Troisième. Quatrième.", "fr", "Premier point. Deuxième point. Troisième."),
    ("第一句。第二句！第三句？第四句。", "zh", "第一句。 第二句！ 第三句？"),
    ("Only one sentence", "en", "Only one sentence"),
])
def test_lead_takes_the_first_three_sentences(document, lang, expected):
    assert summary.lead(document, lang) == expected


def write_items(path, rows):
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


ROWS = [
    {"id": "a", "document": "The storm hit the coast. Schools closed. Roads flooded. Power failed.",
     "reference": "A storm hit the coast and closed schools.",
     "system_outputs": {"copy": "A storm hit the coast and closed schools.", "off": "Markets rallied today."}},
    {"article": "Prices rose again. The bank acted. Savers cheered. Borrowers did not.",
     "reference": "The bank acted as prices rose.",
     "system_outputs": {"copy": "The bank acted as prices rose.", "off": "A dog barked."}},
]


def test_score_adds_lead_three_and_tests_each_system_against_it(tmp_path):
    items = summary.read_items(write_items(tmp_path / "s.jsonl", ROWS))
    assert [item["id"] for item in items] == ["a", "2"]
    results = summary.score(items, "en")
    assert list(results["systems"]) == ["lead-3", "copy", "off"]
    assert results["systems"]["copy"]["rouge1"]["mean"] == pytest.approx(100.0)
    assert results["systems"]["off"]["rouge2"]["mean"] == pytest.approx(0.0)
    assert results["systems"]["lead-3"]["rouge1"]["p_value"] is None
    assert 0 < results["systems"]["copy"]["rouge1"]["p_value"] <= 1
    lead = results["systems"]["lead-3"]["documents"]["rouge1"][0]
    assert lead == pytest.approx(summary.rouge(
        "The storm hit the coast. Schools closed. Roads flooded.", ROWS[0]["reference"])["rouge1"])


@pytest.mark.parametrize("lines, message", [
    (['{"document": "x"}'], "needs string fields"),
    (["not json"], "line 1: not JSON"),
])
def test_bad_records_name_the_line(tmp_path, lines, message):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        summary.read_items(path)


def test_a_missing_system_output_is_refused(tmp_path):
    rows = [ROWS[0], {**ROWS[1], "system_outputs": {"copy": "x"}}]
    with pytest.raises(ValueError, match=r"item 2: no output for system\(s\) off"):
        summary.score(summary.read_items(write_items(tmp_path / "s.jsonl", rows)))


def test_published_rouge_is_rouge_score_with_stemming_and_one_sentence_a_line():
    from rouge_score import rouge_scorer

    candidate, reference = "Schools closed. The storms hit the coasts.", "The storm hit the coast. Schools were closed."
    expected = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True).score(
        "The storm hit the coast.\nSchools were closed.", "Schools closed.\nThe storms hit the coasts.")
    found = summary.rouge_scorer("rouge-score", "en")(candidate, reference)
    assert found == {measure: pytest.approx(100 * score.fmeasure) for measure, score in expected.items()}
    assert found["rougeLsum"] > found["rougeL"]  # sentence by sentence, their order costs nothing
    assert found["rouge1"] > summary.rouge(candidate, reference)["rouge1"]  # stemmed: storms = storm


@pytest.mark.parametrize("mode, lang, message", [
    ("rouge-score", "fr", "published setup for English"),
    ("rouge-score", "zh", "use --rouge multilingual"),
    ("bleu", "en", "unknown ROUGE mode 'bleu'"),
])
def test_a_rouge_mode_unfit_for_the_language_is_refused(mode, lang, message):
    with pytest.raises(ValueError, match=message):
        summary.rouge_scorer(mode, lang)


def test_results_say_which_rouge_and_what_length(tmp_path):
    items = summary.read_items(write_items(tmp_path / "s.jsonl", ROWS))
    results = summary.score(items, "en", "rouge-score", max_words=25)
    assert results["rouge"]["mode"] == "rouge-score" and "stemming" in results["rouge"]["description"]
    assert results["rouge"]["measures"] == ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    lengths = results["summary_length"]
    assert lengths["max_words"] == 25 and lengths["mean_words"]["copy"] == lengths["mean_words"]["reference"] == 7.0
    assert summary.length_statement(results) == ("Summary length: digest summarized with summarize.max_words = 25; "
                                                 "references average 7.0 words.")
    table = summary.headline(results)
    assert table.header == ["system", "words", "ROUGE-1", "ROUGE-2", "ROUGE-L", "ROUGE-Lsum"]
    assert table.rows[1][:3] == ["copy", "7.0", "100.00 [100.00, 100.00]"]
    unasked = summary.score(items, "en")
    assert "did not summarize" in summary.length_statement(unasked) and unasked["rouge"]["mode"] == "multilingual"
