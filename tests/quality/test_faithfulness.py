"""What backs a summary sentence: a close source sentence, and its names and numbers found in the source."""
import pytest

from pipeline.quality.faithfulness import (
    Source,
    from_mistranslation,
    judge,
    wrong_facts,
)
from pipeline.records import Sentence
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


def _translated(lang: str, pairs: list[tuple[str, str, list[str]]]) -> list[Sentence]:
    return [Sentence(index=i, paragraph=0, text=text, lang=lang, english=english, flags=flags)
            for i, (text, english, flags) in enumerate(pairs)]


FESTIVAL = _translated("fr", [
    ("Le festival a accueilli plus de 25 000 visiteurs, un record pour sa onzième édition.",
     "The festival welcomed more than 25,000 visitors, a record for its ninth edition.",
     ["number-mismatch: onzième vs ninth"]),
    ("Les ventes de livres ont progressé de 35 % par rapport à l'édition précédente.",
     "Book sales rose 35% compared with the previous edition.", []),
])
FUNDS = _translated("zh", [
    ("一项面向20万家企业的基金。", "A fund for 20,000 firms.", ["number-mismatch: 20万 vs 20,000"]),
    ("这里有二十多个果园。", "There are twenty-four fruit orchards here.", ["number-mismatch: 二十 vs twenty-four"]),
    ("湖北勾勒产业倍增施工图。", "The State Council of Hubei has drawn up a blueprint.",
     ["unsupported-name: State Council of Hubei"]),
    ("出口增长了9%。", "Exports grew 9%.", []),
])


def _source(sentences: list[Sentence], lang: str) -> Source:
    return Source([s.english for s in sentences], original=" ".join(s.text for s in sentences), lang=lang,
                  wrong=wrong_facts(sentences, lang))


@pytest.mark.parametrize("sentences, lang, summary, flags", [
    (FESTIVAL, "fr", "The festival drew a record 25,000 visitors for its ninth edition.",
     ["summary-number-from-mistranslation: ninth (source: onzième)"]),
    (FESTIVAL, "fr", "Its 9th edition drew 25,000 visitors.", ["summary-number-from-mistranslation: 9th (source: onzième)"]),
    (FESTIVAL, "fr", "The festival drew a record 25,000 visitors, and book sales rose 35%.", []),
    (FESTIVAL, "fr", "Nine authors came from abroad.", []),  # a count, not the edition
    (FUNDS, "zh", "A fund will serve 20,000 firms.", ["summary-number-from-mistranslation: 20,000 (source: 20万)"]),
    (FUNDS, "zh", "The region has twenty-four orchards.",
     ["summary-number-from-mistranslation: twenty-four (source: 二十)"]),
    (FUNDS, "zh", "Exports grew 9% as a fund served firms.", []),
])
def test_a_summary_sentence_carrying_a_fact_its_translation_got_wrong_is_flagged(sentences, lang, summary, flags):
    assert from_mistranslation(summary, _source(sentences, lang)) == flags


def test_a_name_its_translation_made_up_is_not_backed(embedder):
    """No list of wrong names is needed: the original has no word for it, so the sentence is unsupported."""
    verdict = judge(["The State Council of Hubei has drawn up a blueprint."], _source(FUNDS, "zh"), embedder)[0]
    assert verdict.names == ["State Council of Hubei"]


@pytest.mark.parametrize("pairs, flags", [
    # the translation was not flagged: nothing to look for
    ([("sa onzième édition", "its ninth edition", [])], []),
    # the original says ninth elsewhere: the summary's ninth may come from there
    ([("sa onzième édition", "its ninth edition", ["number-mismatch: onzième vs ninth"]),
      ("la neuvième édition avait attiré 20 000 visiteurs", "the ninth edition drew 20,000 visitors", [])], []),
    # an English sentence of a French article is no translation
    ([("its ninth edition", "its ninth edition", ["number-mismatch: onzième vs ninth"])], []),
])
def test_no_flag_without_a_wrong_translation_the_original_does_not_correct(pairs, flags):
    sentences = _translated("fr", pairs)
    assert from_mistranslation("The festival held its ninth edition.", _source(sentences, "fr")) == flags
