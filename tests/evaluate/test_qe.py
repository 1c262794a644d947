"""Reference-free quality estimates and their correlation with reference chrF."""
import pytest

from pipeline.evaluate import qe
from pipeline.similarity.embed import Embedder

SOURCES = ["Le chat dort sur le canapé.", "La banque a relevé ses taux hier.", "Il pleut à Paris."]
GOOD = ["The cat is sleeping on the sofa.", "The bank raised its rates yesterday.", "It is raining in Paris."]
BAD = ["The weather in Tokyo is sunny.", "A football match ended in a draw.", "Stocks fell sharply."]


@pytest.fixture(scope="module")
def embedder():
    return Embedder()


def test_similarity_ranks_real_translations_above_unrelated_sentences(embedder):
    good = qe.similarity_scores(SOURCES, GOOD, embedder)
    bad = qe.similarity_scores(SOURCES, BAD, embedder)
    assert all(0.0 <= s <= 1.0 for s in good + bad)
    assert min(good) > max(bad) + 0.3


def test_round_trip_scores_the_back_translation_against_the_source():
    back = dict(zip(GOOD, SOURCES)) | {BAD[0]: "Il fait beau à Tokyo.", BAD[1]: SOURCES[1], BAD[2]: "Bof."}
    scores = qe.round_trip_scores(SOURCES, [GOOD[0], BAD[1], BAD[2]], lambda texts: [back[t] for t in texts])
    assert scores[0] == pytest.approx(1.0) and scores[1] == pytest.approx(1.0) and scores[2] < 0.2


@pytest.mark.parametrize("estimates, reference, pearson, kendall", [
    ([0.1, 0.5, 0.9], [10.0, 50.0, 90.0], 1.0, 1.0),
    ([0.9, 0.5, 0.1], [10.0, 50.0, 90.0], -1.0, -1.0),
])
def test_correlation(estimates, reference, pearson, kendall):
    found = qe.correlation(estimates, reference)
    assert found == {"pearson": pytest.approx(pearson), "kendall": pytest.approx(kendall), "sentences": 3}


def test_evaluate_correlates_each_system_and_the_pool(embedder):
    references = GOOD
    found = qe.evaluate(SOURCES, {"good": GOOD, "bad": BAD}, references, embedder)
    assert set(found["systems"]) == {"good", "bad"}
    assert found["pooled"]["similarity"]["sentences"] == 6
    assert found["pooled"]["similarity"]["pearson"] > 0.8  # similarity follows chrF across good and bad output
    assert "round_trip" not in found["pooled"]


def test_mismatched_lengths_are_refused(embedder):
    with pytest.raises(ValueError, match="2 translations for 3 sentences"):
        qe.similarity_scores(SOURCES, GOOD[:2], embedder)
