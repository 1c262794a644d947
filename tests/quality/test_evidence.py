"""The deterministic evidence: each check's value and the problem it names."""
from __future__ import annotations

import pytest

from pipeline.quality import evidence
from pipeline.similarity.embed import Embedder


@pytest.mark.parametrize("source, translation, flagged", [
    ("Le port a accueilli plus de conteneurs cette année que l'an dernier.",
     "The port handled more containers this year than last year.", False),
    ("Le port a accueilli plus de conteneurs cette année que l'an dernier, selon la direction du port.",
     "The port.", True),  # most of the sentence left out
    ("Prix en hausse.", "Prices are going up.", False),  # 1.5x: short texts vary more, not flagged
])
def test_length_ratio(source, translation, flagged):
    [found] = evidence.length_ratio([source], [translation], "fr", "en")
    assert found.value <= 0 and bool(found.problem) == flagged
    if flagged:
        assert found.problem.startswith("length: 0.")


def test_length_ratio_knows_the_direction():
    source, translation = "深圳市政府表示，这条新建的地铁线路将于明年六月开通。", \
        "The Shenzhen government said the new metro line will open next June."
    forward = evidence.length_ratio([source], [translation], "zh", "en")[0]
    backward = evidence.length_ratio([translation], [source], "en", "zh")[0]
    assert forward.value == pytest.approx(backward.value, abs=0.3) and forward.value > -1.5
    assert evidence.length_ratio([source], [translation], "zh", "fr")[0].value > -1.5


def test_wrong_language_names_the_words():
    found = evidence.wrong_language(["x", "y"], ["L'article also mentionne le State.", "L'article le mentionne."],
                                    "en", "fr")
    assert [f.value for f in found] == [-2.0, 0.0]
    assert found[0].problem == "wrong-language words: also, State" and found[1].problem == ""


def test_numbers_name_the_mismatch():
    found = evidence.numbers(["Prices rose 3.5% in 2024.", "Prices rose 3.5% in 2024."],
                             ["Les prix ont augmenté de 3,5 % en 2024.", "Les prix ont augmenté de 5,3 % en 2024."],
                             "en", "fr")
    assert found[0] == evidence.Evidence(0.0, "")
    assert found[1].value == -1.0 and "3.5%" in found[1].problem and "5,3 %" in found[1].problem


def test_similarity_flags_a_translation_far_from_its_source():
    feature = evidence.similarity(Embedder())
    good, unrelated = feature(["Le chat dort sur le canapé."] * 2,
                              ["The cat is sleeping on the sofa.", "Stocks fell sharply in Tokyo."], "fr", "en")
    assert good.value > unrelated.value + 0.3
    assert good.problem == "" and unrelated.problem == "meaning: far from the source"


def test_the_length_baseline_and_source_length_prefer_short_texts():
    short, long = evidence.shortness(["a", "a"], ["Short.", "A much longer sentence."], "en", "fr")
    assert short.value > long.value
    short, long = evidence.source_length(["Short.", "A much longer sentence."], ["x", "x"], "en", "fr")
    assert short.value > long.value


def test_one_translation_per_source():
    with pytest.raises(ValueError, match="1 translations for 2 sources"):
        evidence.length_ratio(["a", "b"], ["a"], "en", "fr")
