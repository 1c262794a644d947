"""What backs a summary sentence: a close source sentence, and its names and numbers found in the source."""
import pytest

from pipeline.quality.faithfulness import Source, judge
from pipeline.similarity.embed import Embedder

ARTICLE = [
    "The Hubei provincial government published a plan on Monday to build 50 industrial parks by 2027.",
    "The parks will focus on optical chips, new energy vehicles and biomedicine.",
    "Governor Wang Zhonglin said the plan would create 200,000 jobs.",
    "The province's economy grew by 6.1% last year, official data showed.",
]


@pytest.fixture(scope="module")
def embedder():
    return Embedder()


@pytest.mark.parametrize("sentence, reasons", [
    ("Hubei published a plan on Monday to build 50 industrial parks by 2027.", []),
    ("Governor Wang Zhonglin said the plan would create 200,000 jobs.", []),
    ("The State Council of Hubei Province set a blueprint for 50 industrial parks by 2027.",
     ["names not in the source: State Council of Hubei Province"]),
    ("Governor Wang Zhonglin said the plan would create 300,000 jobs.", ["numbers not in the source: 300,000"]),
    ("The article discusses the importance of industrial parks in Hubei.", ["about the article"]),
    ("Football fans celebrated late into the night after the cup final.", ["no source sentence says it"]),
])
def test_each_summary_sentence_gets_the_reasons_it_is_not_backed(embedder, sentence, reasons):
    found = judge([sentence], Source(ARTICLE), embedder)[0].reasons()
    assert bool(found) == bool(reasons) and all(any(r.startswith(p) for r in found) for p in reasons), found


def test_a_name_or_number_of_the_original_text_backs_a_translated_article(embedder):
    source = Source(["The Lyon metro line will open in June, officials said."],
                    original="La ligne de métro de Lyon, longue de 38 km, ouvrira en juin, selon la métropole.",
                    lang="fr")
    verdict = judge(["The 38 km Lyon metro line will open in June."], source, embedder)[0]
    assert not verdict.names and not verdict.numbers


HEADLINE = Source(["The State Council of Hubei Province has drawn up a blueprint for industrial growth.",
                   "Hubei aims to double its industry within five years."],
                  original="湖北勾勒产业倍增“施工图” Hubei aims to double its industry within five years.", lang="en",
                  terms=(("State Council", ("State Council", "Conseil des affaires d'État", "国务院")),))


@pytest.mark.parametrize("sentence, names", [
    # the machine translation of a Chinese headline made the institution up: the original has no 国务院
    ("The State Council has drawn up a blueprint.", ["State Council"]),
    ("Hubei has drawn up a blueprint to double its industry within five years.", []),
])
def test_a_glossary_term_the_original_has_in_no_language_is_not_backed(embedder, sentence, names):
    assert judge([sentence], HEADLINE, embedder)[0].names == names


@pytest.mark.parametrize("sentence, original, names", [
    # no glossary: the institution's words have no counterpart in the Chinese headline
    ("The State Council of Hubei Province has drawn up a blueprint.", "湖北勾勒产业倍增“施工图”",
     ["State Council of Hubei Province"]),
    ("Hubei Province has drawn up a blueprint.", "湖北勾勒产业倍增“施工图”", []),
    ("The Ministry of Culture of France funds the festival.", "Le festival est financé par la ville.",
     ["Ministry of Culture of France"]),
    ("The French Ministry of Culture funds the festival.", "Le ministère de la Culture finance le festival.", []),
])
def test_an_institution_the_original_has_no_word_for_is_not_backed(embedder, sentence, original, names):
    source = Source([sentence], original=original, lang="zh" if "湖" in original else "fr")
    assert judge([sentence], source, embedder)[0].names == names


def test_a_glossary_term_the_original_has_in_its_own_language_is_backed(embedder):
    source = Source(HEADLINE.sentences, original="国务院批准了湖北的计划。", lang="zh", terms=HEADLINE.terms)
    assert judge(["The State Council of Hubei Province has drawn up a blueprint."], source, embedder)[0].names == []
