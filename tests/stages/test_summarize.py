"""What the summarize stage keeps of a model's summary: unfinished and repeated sentences are dropped, and said."""
import pytest

from pipeline.config import load_config
from pipeline.records import Document, Sentence
from pipeline.stages.summarize import Summarize, key_sentences

LOOP = ("A black cat named Rademenes nurses sick animals at a shelter in Poland. He helps them back to health. "
        "A black cat named Rademenes nurses sick animals at a shelter in Poland. He helps them back to health.")


@pytest.mark.parametrize("summary, kept, flag", [
    (LOOP, ["A black cat named Rademenes nurses sick animals at a shelter in Poland.",
            "He helps them back to health."], "summary-dropped-repeated-sentences: 2"),
    ("The council met on Monday. It approved the budget for", ["The council met on Monday."],
     "summary-dropped-unfinished-sentence: It approved the budget for"),
    ("Prices rose. Prices rose. Wages fell in March.", ["Prices rose.", "Prices rose.", "Wages fell in March."], None),
])
def test_the_stored_summary_drops_what_a_reader_should_not_see_and_flags_it(summary, kept, flag):
    doc = Document(doc_id="d", text="")
    Summarize(load_config("default"))._set(doc, summary, [], "direct", 90)
    assert doc.summary == kept
    assert (flag in doc.flags) if flag else not doc.flags


ARTICLE = ["The Hubei provincial government published a plan on Monday to build 50 industrial parks by 2027.",
           "The parks will focus on optical chips, new energy vehicles and biomedicine.",
           "Governor Wang Zhonglin said the plan would create 200,000 jobs."]


def _article() -> Document:
    sentences = [Sentence(index=i, paragraph=0, text=text, lang="en", english=text) for i, text in enumerate(ARTICLE)]
    return Document(doc_id="hubei", text=" ".join(ARTICLE), lang="en", sentences=sentences)


@pytest.mark.parametrize("summary, kept, dropped", [
    ("Hubei published a plan on Monday to build 50 industrial parks by 2027. "
     "The State Council of Hubei Province set the blueprint for the parks. "
     "The article discusses the importance of optical chips.",
     ["Hubei published a plan on Monday to build 50 industrial parks by 2027."],
     ["names not in the source: State Council of Hubei Province", "about the article, not its news"]),
    ("Hubei will build 50 industrial parks by 2027. Governor Wang Zhonglin said they would create 300,000 jobs.",
     ["Hubei will build 50 industrial parks by 2027."], ["numbers not in the source: 300,000"]),
])
def test_sentences_the_article_does_not_back_are_dropped_and_said(summary, kept, dropped):
    doc = _article()
    Summarize(load_config("default"))._set(doc, summary, ["guard:unsupported", "guard:meta"], "direct", 90)
    flags = [f for f in doc.flags if f.startswith("summary-dropped-unsupported:")]
    assert doc.summary == kept and doc.summary_method == "direct"
    assert len(flags) == len(dropped) and all(any(reason in f for f in flags) for reason in dropped), doc.flags
    assert not any(f.startswith("summary-guard:") for f in doc.flags)  # the drops say it precisely


def test_a_summary_that_repeats_a_number_its_translation_got_wrong_keeps_it_flagged():
    pairs = [("Le festival a accueilli plus de 25 000 visiteurs, un record pour sa onzième édition.",
              "The festival welcomed more than 25,000 visitors, a record for its ninth edition.",
              ["number-mismatch: onzième vs ninth"]),
             ("Les ventes de livres ont progressé de 35 %.", "Book sales rose 35%.", [])]
    sentences = [Sentence(index=i, paragraph=0, text=text, lang="fr", english=english, flags=flags)
                 for i, (text, english, flags) in enumerate(pairs)]
    doc = Document(doc_id="bd", text=" ".join(p[0] for p in pairs), lang="fr", sentences=sentences)
    summary = "The festival welcomed more than 25,000 visitors for its ninth edition. Book sales rose 35%."
    Summarize(load_config("default"))._set(doc, summary, [], "direct", 90)
    assert len(doc.summary) == 2
    assert [f for f in doc.flags if "mistranslation" in f] == [
        "summary-number-from-mistranslation: ninth (source: onzième)"]


@pytest.mark.parametrize("summary", ["The article discusses the importance of industrial parks.", ""])
def test_a_summary_with_nothing_backed_gives_way_to_the_article_s_first_sentences(summary):
    doc = _article()
    Summarize(load_config("default"))._set(doc, summary, [], "direct", 30)
    assert doc.summary == ARTICLE[:2] and doc.summary_method == "extractive"
    assert any(f.startswith("summary-extractive:") for f in doc.flags)


def test_a_summary_longer_than_asked_keeps_its_first_sentences_within_the_length():
    doc = _article()
    summary = ("Hubei will build 50 industrial parks by 2027. The parks will focus on optical chips, new energy "
               "vehicles and biomedicine. Governor Wang Zhonglin said the plan would create 200,000 jobs.")
    Summarize(load_config("default"))._set(doc, summary, [], "direct", 25)
    assert doc.summary == ["Hubei will build 50 industrial parks by 2027.",
                           "The parks will focus on optical chips, new energy vehicles and biomedicine."]


@pytest.mark.parametrize("words, bounds, length", [
    (100, (30, 90), 30), (400, (30, 90), 50), (560, (30, 90), 70), (3000, (30, 90), 90), (400, (30, 25), 25),
])
def test_the_summary_length_follows_the_article_within_the_bounds(words, bounds, length):
    config = load_config("default", [f"summarize.min_words={bounds[0]}", f"summarize.max_words={bounds[1]}"])
    assert Summarize(config).length("word " * words) == length


LONG = ["A kite measuring 6,000 metres was flown at the Wulong festival in Chongqing on Saturday.",
        "Chinese aviation authorities allowed the team to fly only half of it.",
        "Flying high: the kite above the crowd.",
        "It was a lovely day out for everyone who came along to watch the show that afternoon.",
        "The kite is made of 2,000 pieces and weighs 200 kilograms, said Wang Dongming, one of its flyers.",
        "Spectators cheered and many of them stayed until the evening to see the rest of the show."]


@pytest.mark.parametrize("budget, kept", [
    (200, LONG),  # everything fits: the text as it is
    (50, [LONG[0], LONG[1], LONG[4]]),  # the lead, then the sentence with numbers and a name; in order
    (30, [LONG[0], LONG[1]]),
])
def test_the_model_reads_the_sentences_that_carry_the_facts(budget, kept):
    assert key_sentences(" ".join(LONG), budget) == " ".join(kept)


def test_a_term_the_translation_made_up_is_dropped_when_a_glossary_knows_it(tmp_path):
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("en\tfr\tzh\nState Council\tConseil des affaires d'État\t国务院\n", encoding="utf-8")
    headline = "The State Council of Hubei Province has drawn up a blueprint for its industry."
    doc = _article()
    doc.sentences.insert(0, Sentence(index=9, paragraph=0, text="湖北勾勒产业倍增“施工图”", lang="zh", english=headline))
    stage = Summarize(load_config("default", [f"glossary=[{glossary}]"]))
    stage._set(doc, f"{headline} {ARTICLE[0]}", [], "direct", 90)
    assert doc.summary == [ARTICLE[0]]
    assert any("names not in the source: State Council" in flag for flag in doc.flags), doc.flags
    stage._set(doc, headline, [], "direct", 90)  # nothing left: the lead stands in, without the made-up headline
    assert doc.summary == ARTICLE[:2] and doc.summary_method == "extractive"
