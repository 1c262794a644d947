"""The detect stage: language of documents, paragraphs and sentences, with the bundled models."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import Config, DetectConfig
from pipeline.records import Document
from pipeline.stages.detect import Detect
from pipeline.text.segment import normalize

pytestmark = pytest.mark.usefixtures("no_network")


@pytest.fixture(scope="module")
def stage():
    detect = Detect(Config())
    detect.load()
    return detect


MIXED = """区域产业协作

Search documents
湖北勾勒产业倍增“施工图” 目标五年工业规模达10万亿级
Chang Jiang Shang Bao· 2025-05-01 00:03
Core Viewpoint - The action plan aims to enhance the competitiveness of Hubei's industries [1][2]. Group 1: Goals - By 2027, the industrial scale is expected to reach 7 trillion yuan [1]. - Specific actions include upgrading clusters [2].
把握关键抓手 深化区域产业协作
Jing Ji Ri Bao· 2025-04-23 23:13
Core Viewpoint - The article emphasizes the importance of deepening regional industrial collaboration in China to optimize the productivity layout and foster new growth points."""

FRENCH = """ACCUEIL > CENTRE MÉDIAS > Focus > Politiques
Politiques

Hubei publie des mesures favorisant l'innovation

Mettre à jour : 2020-11-11

La province du Hubei au centre de la Chine a publié une série de nouvelles mesures, selon les médias locaux. (Photo de SUN LIJUN/POUR CHINA DAILY)

Les zones de développement sont devenues l'un des moteurs de croissance, avec un PIB représentant 44,2% du total.

1707364198"""


def run(stage, text, doc_id="doc"):
    return stage.process_batch([Document(doc_id=doc_id, text=text)])[0]


def test_english_article_with_chinese_headlines(stage):
    doc = run(stage, MIXED)
    assert doc.lang == "en" and doc.mixed
    chinese = [p.text for p in doc.paragraphs if p.lang == "zh"]
    assert chinese == ["区域产业协作", "湖北勾勒产业倍增“施工图” 目标五年工业规模达10万亿级", "把握关键抓手 深化区域产业协作"]
    assert {p.lang for p in doc.paragraphs if p.text not in chinese} == {"en"}
    assert set(doc.languages) == {"en", "zh"} and doc.languages["en"] > doc.languages["zh"]
    assert [s.lang for s in doc.sentences if s.text.startswith("Chang Jiang")] == ["en"]


def test_french_article(stage):
    doc = run(stage, FRENCH)
    assert (doc.lang, doc.mixed, list(doc.languages)) == ("fr", False, ["fr"])
    assert all(p.lang == "fr" for p in doc.paragraphs)
    short = [(s.text, s.lang, s.flags) for s in doc.sentences if len(s.text) < 12]
    assert short == [("Politiques", "fr", ["lang-inherited"]), ("1707364198", "fr", ["lang-inherited"])]


def test_sentences_are_numbered_within_paragraphs(stage):
    doc = run(stage, "First one. Second one.\n\nThird one here.")
    assert [(s.index, s.paragraph, s.text) for s in doc.sentences] == [
        (0, 0, "First one."), (1, 0, "Second one."), (2, 1, "Third one here.")]
    assert [p.index for p in doc.paragraphs] == [0, 1]
    assert all(p.kind == "body" for p in doc.paragraphs)


def test_one_paragraph_in_another_language_makes_a_mixed_document(stage):
    english = "The provincial government published a long series of new measures to support industrial parks. " * 6
    doc = run(stage, f"{english}\n\nLe gouvernement provincial a publié de nouvelles mesures.")
    assert doc.lang == "en" and doc.mixed
    assert [p.lang for p in doc.paragraphs] == ["en", "fr"]


def test_traditional_chinese_is_zh_and_flagged(stage):
    doc = run(stage, "這是台灣的新聞。他們說經濟會持續發展。")
    assert doc.lang == "zh"
    assert all(s.lang == "zh" and "zh-hant" in s.flags for s in doc.sentences)
    assert any("Traditional Chinese" in note for note in doc.notes)


def test_other_languages_pass_through_with_their_own_code(stage):
    doc = run(stage, "정부는 새로운 경제 대책을 발표했다. 전문가들은 긍정적으로 평가했다.")
    assert doc.lang == "ko"
    assert any("ko is not one of en, fr, zh" in note for note in doc.notes)


def test_text_without_letters(stage):
    doc = run(stage, "2025-05-01 00:03\n\n12 345")
    assert (doc.lang, doc.languages, doc.mixed) == ("und", {}, False)
    assert [s.lang for s in doc.sentences] == ["und", "und"]


def test_empty_document(stage):
    doc = run(stage, "")
    assert (doc.lang, doc.paragraphs, doc.sentences) == ("und", [], [])


def test_rerun_gives_the_same_result_without_duplicate_notes(stage):
    doc = run(stage, "這是台灣的新聞。")
    first = doc.to_dict()
    assert stage.process_batch([doc])[0].to_dict() == first


def test_batch_keeps_order(stage):
    texts = ["Bonjour à tous les amis.", "你好，世界。", "Hello to all my friends."]
    docs = [Document(doc_id=str(i), text=t) for i, t in enumerate(texts)]
    assert [d.lang for d in stage.process_batch(docs)] == ["fr", "zh", "en"]


def test_a_document_without_text_names_itself(stage):
    with pytest.raises(TypeError, match="document broken-7"):
        stage.process_batch([Document(doc_id="broken-7", text=None)])


def test_signature_names_the_model_and_settings(stage):
    signature = stage.signature()
    assert len(signature["models"]["fasttext-lid.176.ftz"]) == 64
    assert signature == Detect(Config()).signature()
    other = Detect(Config(detect=DetectConfig(min_confidence=0.8))).signature()
    assert other != signature


def test_stage_contract():
    assert Detect.name == "detect" and Detect.requires == ("text",)
    assert set(Detect.provides) == {"lang", "languages", "mixed", "paragraphs", "sentences"}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


PIECES = ["The government announced new measures.", "Le gouvernement a annoncé des mesures.", "政府宣布了新措施。",
          "湖北勾勒产业倍增“施工图” 目标五年工业规模达10万亿级", "2025-05-01", "Politiques", "\n", "\n\n", " ",
          "U.S. growth was 3.5%.At the end", "「這是新聞。」", "?", "- Feb 14, 2019 -"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_segments_cover_the_text_and_counts_add_up(stage, text):
    doc = run(stage, text)
    assert _squeeze("".join(s.text for s in doc.sentences)) == _squeeze(normalize(text))
    assert [s.index for s in doc.sentences] == list(range(len(doc.sentences)))
    assert sorted({s.paragraph for s in doc.sentences}) == [p.index for p in doc.paragraphs]
    assert sum(doc.languages.values()) == sum(len(s.text) for s in doc.sentences if s.lang != "und")
    assert all(0.0 <= s.lang_score <= 1.0 for s in doc.sentences)
