"""Sentence alignment by dynamic programming over USE embeddings, and summary support."""
import random

import numpy as np
import pytest

from pipeline.similarity.aligner import Link, Settings, _band, align
from pipeline.similarity.embed import Embedder
from pipeline.similarity.scoring import (
    Side,
    _join,
    _quote_depth,
    _shape_offsets,
    _spread,
)
from pipeline.similarity.support import support

ENGLISH = [
    "The storm closed every school in the city on Monday.",
    "Officials said the roads would reopen by Wednesday.",
    "Farmers lost most of their wheat harvest.",
    "The government promised emergency funds for them.",
    "Meanwhile, the national football team won its first match.",
    "The coach praised the young goalkeeper.",
]
CHINESE = [
    "周一的暴风雨使全市所有学校停课。",
    "官员表示，道路将在周三之前重新开放。",
    "农民失去了大部分小麦收成。",
    "政府承诺为他们提供紧急资金。",
    "与此同时，国家足球队赢得了首场比赛。",
    "教练称赞了年轻的守门员。",
]
FRENCH = [
    "La tempête a fermé toutes les écoles de la ville lundi.",
    "Les responsables ont dit que les routes rouvriraient mercredi.",
    "Les agriculteurs ont perdu la plupart de leur récolte de blé.",
    "Le gouvernement leur a promis des fonds d'urgence.",
    "Pendant ce temps, l'équipe nationale de football a gagné son premier match.",
    "L'entraîneur a félicité le jeune gardien.",
]


@pytest.fixture(scope="module")
def embedder():
    return Embedder()


def pairs(links):
    return [(link.source, link.target) for link in links]


def assert_covers(links, n, m):
    """Every sentence of each side appears exactly once, in increasing order."""
    sources = [i for link in links for i in link.source]
    targets = [j for link in links for j in link.target]
    assert sources == list(range(n)) and targets == list(range(m))
    assert all(0.0 <= link.score <= 1.0 for link in links)


@pytest.mark.parametrize("other", [CHINESE, FRENCH])
def test_parallel_sentences_align_one_to_one(embedder, other):
    links = align(other, ENGLISH, embedder)
    assert pairs(links) == [([i], [i]) for i in range(6)]
    assert min(link.score for link in links) > 0.4


@pytest.mark.parametrize("merged, expected", [
    # the Chinese text says in one sentence what the English says in two
    (CHINESE[:2] + ["农民失去了大部分小麦收成，政府承诺为他们提供紧急资金。"] + CHINESE[4:],
     [([0], [0]), ([1], [1]), ([2], [2, 3]), ([3], [4]), ([4], [5])]),
    (CHINESE[:4] + ["与此同时，国家足球队赢得了首场比赛，教练称赞了年轻的守门员。"],
     [([0], [0]), ([1], [1]), ([2], [2]), ([3], [3]), ([4], [4, 5])]),
])
def test_a_merged_sentence_becomes_a_one_to_two_link(embedder, merged, expected):
    assert pairs(align(merged, ENGLISH, embedder)) == expected


def test_an_untranslated_sentence_is_left_unaligned(embedder):
    target = ENGLISH[:3] + ["Stock prices in Tokyo fell sharply after the bank's announcement."] + ENGLISH[3:]
    links = align(CHINESE, target, embedder)
    assert ([], [3]) in pairs(links)
    assert next(link.score for link in links if link.target == [3]) == 0.0
    assert_covers(links, 6, 7)


@pytest.mark.parametrize("seed", range(4))
def test_any_input_is_covered_exactly_once_and_in_order(embedder, seed):
    rng = random.Random(seed)
    source = rng.sample(CHINESE + FRENCH, rng.randint(1, 9))
    target = rng.sample(ENGLISH, rng.randint(1, 6))
    assert_covers(align(source, target, embedder, Settings(max_link=4)), len(source), len(target))


@pytest.mark.parametrize("source, target, expected", [
    ([], ["A."], [Link([], [0], 0.0)]),
    (["A.", "B."], [], [Link([0], [], 0.0), Link([1], [], 0.0)]),
    ([], [], []),
])
def test_an_empty_side_leaves_every_sentence_unaligned(embedder, source, target, expected):
    assert align(source, target, embedder) == expected


@pytest.mark.parametrize("sentences, expected", [
    (["他来了。", "她走了。"], "他来了。她走了。"),
    (["He came.", "She left."], "He came. She left."),
    (["他说：", "OK."], "他说：OK."),
    (["Il a dit :", "« Oui. »"], "Il a dit : « Oui. »"),
])
def test_join_adds_spaces_only_between_non_cjk_text(sentences, expected):
    assert _join(sentences) == expected


@pytest.mark.parametrize("sentence, depth", [
    ("刘老老说道：“谁叫你去打劫呢?", 1),
    ("周嫂子。”", -1),
    ("“好啊。”他说。", 0),
    ("Go out and rob?'", -1),
    ("'No one's asking you to rob,' said Grannie Liu.", 0),
    ("It's the boys' toy.", 0),
    ('He said "hi" to me.', 0),
    ("'Hello there", 1),
    ("Il a dit « bonjour » et il est parti.", 0),
])
def test_quote_depth_counts_opened_minus_closed_quotations(sentence, depth):
    assert _quote_depth(sentence) == depth


@pytest.mark.parametrize("anchors, n, m, window", [
    ([], 5, 7, 1), ([(0, 0), (4, 9)], 6, 10, 0), ([(1, 5), (2, 6)], 3, 8, 2),
])
def test_band_rows_overlap_so_a_path_always_exists(anchors, n, m, window):
    band = _band(anchors, n, m, window)
    assert len(band) == n + 1 and band[0][0] == 0 and band[-1][1] == m
    for (low, high), (next_low, next_high) in zip(band, band[1:]):
        assert low <= next_low <= high <= next_high


@pytest.mark.parametrize("max_link", [2, 4, 6])
def test_unrelated_windows_of_several_sentences_score_higher_than_single_ones(embedder, max_link):
    src, tgt = Side(CHINESE, embedder, max_link - 1), Side(ENGLISH[::-1], embedder, max_link - 1)
    offsets = _shape_offsets(src, tgt, max_link)
    assert set(offsets) == {(a, b) for a in range(1, max_link) for b in range(1, max_link) if a + b <= max_link}
    assert offsets[1, 1] == 0.0
    assert all(value > 0 for (a, b), value in offsets.items() if a > 1 and b > 1)


@pytest.mark.parametrize("rows, most, kept", [(10, 4, [0, 3, 6, 9]), (10, 10, list(range(10))), (3, 1024, [0, 1, 2])])
def test_spread_keeps_evenly_spaced_rows(rows, most, kept):
    assert _spread(np.arange(rows)[:, None], most)[:, 0].tolist() == kept


def test_support_finds_the_source_sentence_behind_each_summary_sentence(embedder):
    summary = ["Schools closed because of the storm.", "The football team won."]
    found = support(summary, CHINESE, embedder, top_k=2, min_score=0.2)
    assert found[0][0][0] == 0 and found[1][0][0] == 4
    assert all(scores == sorted(scores, reverse=True) for _, scores in found)


@pytest.mark.parametrize("top_k, min_score, most", [(1, 0.0, 1), (3, 0.0, 3), (3, 1.01, 0)])
def test_support_respects_top_k_and_min_score(embedder, top_k, min_score, most):
    found = support(["The storm closed schools."], ENGLISH, embedder, top_k=top_k, min_score=min_score)
    assert len(found[0][0]) == most and all(s >= min_score for s in found[0][1])


def test_support_without_sources_has_no_sentences(embedder):
    assert support(["A summary."], [], embedder) == [([], [])]


@pytest.mark.parametrize("changes", [{"max_link": 1}, {"top_k": 0}, {"window": -1}])
def test_impossible_settings_are_refused(changes):
    with pytest.raises(ValueError, match="need max_link >= 2"):
        Settings(**changes)


def test_align_stage_signature_carries_the_aligner_version_and_settings():
    from pipeline.config import load_config
    from pipeline.similarity.aligner import VERSION, Settings
    from pipeline.stages.align import Align

    found = Align(load_config("default")).signature()["aligner"]
    assert found["version"] == VERSION and found["skip"] == Settings().skip and found["max_link"] == Settings().max_link
