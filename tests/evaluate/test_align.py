"""Strict and lax alignment scores (Bertalign's definition) and the folder evaluation."""
import json

import pytest

from pipeline.evaluate import align
from pipeline.evaluate.report import write_report

GOLD = [((0,), (0,)), ((1,), (1, 2)), ((2, 3), (3,)), ((4,), ())]


@pytest.mark.parametrize("test, expected", [
    # identical: everything strict
    (GOLD, dict(strict_precision=1, strict_recall=1, lax_precision=1, lax_recall=1)),
    # 1-2 split into 1-1 + 0-1: [1]:[1] is a lax hit, the insertion a miss; recall: gold [1]:[1,2] lax only
    ([((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2, 3), (3,)), ((4,), ())],
     dict(strict_precision=3 / 5, strict_recall=2 / 3, lax_precision=4 / 5, lax_recall=3 / 3)),
    # a shifted boundary: [0]:[0,1] overlaps gold [0]:[0] (lax), [1]:[2] overlaps [1]:[1,2] (lax)
    ([((0,), (0, 1)), ((1,), (2,)), ((2, 3), (3,)), ((4,), ())],
     dict(strict_precision=2 / 4, strict_recall=1 / 3, lax_precision=4 / 4, lax_recall=3 / 3)),
    # nothing exact; only gold [1]:[1,2] overlaps a test link on both sides
    ([((0,), (3,)), ((1, 2, 3, 4), (0, 1, 2))],
     dict(strict_precision=0, strict_recall=0, lax_precision=1 / 2, lax_recall=1 / 3)),
])
def test_strict_and_lax_precision_and_recall(test, expected):
    scores = align.count(GOLD, test).scores()
    for key, value in expected.items():
        assert scores[key] == pytest.approx(value), key
    for mode in ("strict", "lax"):
        p, r = scores[f"{mode}_precision"], scores[f"{mode}_recall"]
        assert scores[f"{mode}_f1"] == pytest.approx(2 * p * r / (p + r) if p + r else 0.0)


def test_counts_add_up_over_documents_before_dividing():
    total = align.count(GOLD, GOLD) + align.count([((0,), (0,))], [((0,), (1,))])
    assert total.scores()["strict_precision"] == pytest.approx(4 / 5)
    assert total.scores()["strict_recall"] == pytest.approx(3 / 4)


@pytest.mark.parametrize("text, links", [
    ("[0,1]:[0]\n[2]:[1,2]\n", [((0, 1), (0,)), ((2,), (1, 2))]),
    ("[0]:[]\n\n[]:[0]\n[ 1 , 2 ]:[1]", [((0,), ()), ((), (0,)), ((1, 2), (1,))]),
])
def test_links_parse_and_format_round_trip(text, links):
    assert align.parse_links(text) == links
    assert align.parse_links(align.format_links(links)) == links


def test_a_malformed_line_is_reported_with_its_number():
    with pytest.raises(ValueError, match="gold.align line 2"):
        align.parse_links("[0]:[0]\n0-1\n", "gold.align")


@pytest.fixture
def gold_folder(tmp_path):
    documents = {
        "001": (["周一的暴风雨使全市所有学校停课。", "农民失去了大部分小麦收成，政府承诺为他们提供紧急资金。"],
                ["The storm closed every school in the city on Monday.", "Farmers lost most of their wheat harvest.",
                 "The government promised emergency funds for them."],
                "[0]:[0]\n[1]:[1,2]\n"),
        "002": (["国家足球队赢得了首场比赛。", "教练称赞了年轻的守门员。"],
                ["The national football team won its first match.", "The coach praised the young goalkeeper."],
                "[0]:[0]\n[1]:[1]\n"),
    }
    for side in ("zh", "en", "gold"):
        (tmp_path / side).mkdir()
    for name, (zh, en, gold) in documents.items():
        (tmp_path / "zh" / name).write_text("\n".join(zh) + "\n", encoding="utf-8")
        (tmp_path / "en" / name).write_text("\n".join(en) + "\n", encoding="utf-8")
        (tmp_path / "gold" / f"{name}.align").write_text(gold, encoding="utf-8")
    return tmp_path


def test_folder_evaluation_aligns_scores_and_reports(gold_folder, tmp_path):
    from pipeline.similarity.embed import Embedder

    results = align.evaluate_folder(gold_folder, Embedder())
    assert (results["source"], results["target"]) == ("zh", "en")
    assert results["total"]["strict_f1"] == pytest.approx(1.0)
    assert results["documents"]["001"]["links"] == "[0]:[0]\n[1]:[1,2]\n"
    out = tmp_path / "report"
    write_report(align.build_report(results, {"command": "test"}, out), out)
    assert (out / "links" / "002.align").read_text() == "[0]:[0]\n[1]:[1]\n"
    assert json.loads((out / "report.json").read_text())["results"]["total"]["strict_f1"] == 1.0
    assert results["sentences"] == 9 and results["sentences_per_second"] > 0
    assert results["documents"]["001"]["counts"] == (2, 2, 2, 2, 2, 2)
    assert (out / "strict_f1.png").stat().st_size > 1000


def test_a_folder_without_english_needs_source_and_target(tmp_path):
    for side in ("gold", "de", "fr"):
        (tmp_path / side).mkdir()
    with pytest.raises(ValueError, match="give --source and --target"):
        align.find_documents(tmp_path)


def counts(strict_hits, links):
    """Counts of a document whose `links` test links and `links` gold links have `strict_hits` exact hits."""
    return align.Counts(strict_hits, links, links, strict_hits, links, links)


@pytest.mark.parametrize("runs, picks, held_out_hits", [
    # one variant: every document is scored with it
    ({"a": {"x": counts(3, 4), "y": counts(1, 4)}}, {"x": "a", "y": "a"}, 4),
    # b is better on y only, so x (judged on y) gets b and y (judged on x) gets a: the worse held-out choice
    ({"a": {"x": counts(4, 4), "y": counts(1, 4)}, "b": {"x": counts(2, 4), "y": counts(3, 4)}},
     {"x": "b", "y": "a"}, 3),
    # a tie on the other documents goes to the variant listed first
    ({"a": {"x": counts(2, 4), "y": counts(2, 4), "z": counts(0, 4)},
      "b": {"x": counts(2, 4), "y": counts(2, 4), "z": counts(4, 4)}}, {"x": "b", "y": "b", "z": "a"}, 4),
])
def test_leave_one_out_never_scores_a_document_with_settings_picked_on_it(runs, picks, held_out_hits):
    held_out, chosen = align.leave_one_out(runs)
    assert chosen == picks
    assert held_out.strict_p == held_out_hits
    assert held_out.gold == sum(c.gold for c in next(iter(runs.values())).values())


def test_leave_one_out_needs_the_same_documents_in_every_variant():
    with pytest.raises(ValueError, match="same documents"):
        align.leave_one_out({"a": {"x": counts(1, 1)}, "b": {"y": counts(1, 1)}})
