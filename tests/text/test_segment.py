"""Paragraph and sentence splitting, split_long and normalisation."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.segment import (
    normalize,
    sentence_spans,
    split_long,
    split_paragraphs,
    split_sentences,
)

SENTENCES = [
    # glued sentences from scraped English news
    ("en", "It became a key task in 2019.At the end of the Spring Festival, policies accelerated.Among them, "
           "new energy vehicles, Internet big data, etc. have become the focus.",
     ["It became a key task in 2019.", "At the end of the Spring Festival, policies accelerated.",
      "Among them, new energy vehicles, Internet big data, etc. have become the focus."]),
    ("en", "Implement eight special actions!We will promote the development of Hebei’s industry",
     ["Implement eight special actions!", "We will promote the development of Hebei’s industry"]),
    ("en", "Plan of Hebei Province”.At the press conference.",
     ["Plan of Hebei Province”.", "At the press conference."]),
    # abbreviations, numbers, URLs, ordinal dates
    ("en", "The U.S. economy grew 3.5% in 2019. Dr. Smith agreed.",
     ["The U.S. economy grew 3.5% in 2019.", "Dr. Smith agreed."]),
    ("en", "Prices rose, e.g. in Paris. It was cold.", ["Prices rose, e.g. in Paris.", "It was cold."]),
    ("en", "Read https://www.example.com/a.b?id=3&Page=2 first. Then call Mr. Li at 10 a.m. tomorrow.",
     ["Read https://www.example.com/a.b?id=3&Page=2 first.", "Then call Mr. Li at 10 a.m. tomorrow."]),
    ("en", "The firm moved to the U.S. The board agreed.", ["The firm moved to the U.S.", "The board agreed."]),
    ("en", "It opened on Jan. 5 in No. 3 hall. It closed on 14. May 2020.",
     ["It opened on Jan. 5 in No. 3 hall.", "It closed on 14. May 2020."]),
    ("en", "Visit example.com.It is free.", ["Visit example.com.", "It is free."]),
    ("en", 'He said: "It works." Then he left. "Really?" she asked.',
     ['He said: "It works."', "Then he left.", '"Really?" she asked.']),
    ("en", "Growth will continue [1][2]. - Specific actions include: upgrading [2]. - Digital change [3].",
     ["Growth will continue [1][2].", "- Specific actions include: upgrading [2].", "- Digital change [3]."]),
    ("en", "Revenue hit $3.5 billion. 2020 was harder.", ["Revenue hit $3.5 billion.", "2020 was harder."]),
    # French
    ("fr", "M. Dupont est arrivé le 1er janv. 2020 à Paris. Il a dit « Bonjour. » Puis il est parti… Vraiment ? Oui !",
     ["M. Dupont est arrivé le 1er janv. 2020 à Paris.", "Il a dit « Bonjour. »", "Puis il est parti…",
      "Vraiment ?", "Oui !"]),
    ("fr", "Le PIB a progressé de 44,2 % selon l’INSEE. L’économie croît, cf. le rapport. Mme Li approuve.",
     ["Le PIB a progressé de 44,2 % selon l’INSEE.", "L’économie croît, cf. le rapport.", "Mme Li approuve."]),
    ("fr", "Un train arrive à Xiong’an. (Photo de SUN LIJUN/POUR CHINA DAILY) La coopération s’accélère.",
     ["Un train arrive à Xiong’an.", "(Photo de SUN LIJUN/POUR CHINA DAILY) La coopération s’accélère."]),
    # Chinese
    ("zh", "他说：“我们会来的。”然后离开了！真的吗？是的；好……我知道了。",
     ["他说：“我们会来的。”", "然后离开了！", "真的吗？", "是的；", "好……", "我知道了。"]),
    ("zh", "「這是台灣的新聞。」他們說。（完）", ["「這是台灣的新聞。」", "他們說。", "（完）"]),
    ("zh", "增长了3.5%。苹果公司CEO库克表示满意!下一步会更好", ["增长了3.5%。", "苹果公司CEO库克表示满意!", "下一步会更好"]),
    ("zh", "研究人员今天发布了 Large Language Models 的最新研究结果。",
     ["研究人员今天发布了 Large Language Models 的最新研究结果。"]),
    # a line that switches from a Chinese headline to English
    ("zh", "湖北勾勒产业倍增“施工图” 目标五年工业规模达10万亿级 Chang Jiang Shang Bao· 2025-05-01 00:03",
     ["湖北勾勒产业倍增“施工图” 目标五年工业规模达10万亿级", "Chang Jiang Shang Bao· 2025-05-01 00:03"]),
    ("en", "Search documents 把握关键抓手 深化区域产业协作", ["Search documents", "把握关键抓手 深化区域产业协作"]),
    ("en", "The slogan 共同富裕 was repeated.", ["The slogan 共同富裕 was repeated."]),
    # lines are hard boundaries; whitespace between sentences goes
    ("en", "  Headline without stop\nBody text here.  ", ["Headline without stop", "Body text here."]),
    ("en", "", []),
]


@pytest.mark.parametrize("lang, text, expected", SENTENCES)
def test_split_sentences(lang, text, expected):
    assert split_sentences(text, lang) == expected


PARAGRAPHS = [
    ("One.\n\nTwo.\n \nThree.", ["One.", "Two.", "Three."]),
    ("Home > News > Content\nEmerging Clusters Accelerate Development\n- Feb 14, 2019 -\n\nPromoting growth is key.",
     ["Home > News > Content", "Emerging Clusters Accelerate Development", "- Feb 14, 2019 -",
      "Promoting growth is key."]),
    ("区域产业协作\n\nSearch documents\n湖北勾勒产业倍增“施工图”\nChang Jiang Shang Bao· 2025-05-01 00:03\nCore Viewpoint - text.",
     ["区域产业协作", "Search documents", "湖北勾勒产业倍增“施工图”", "Chang Jiang Shang Bao· 2025-05-01 00:03",
      "Core Viewpoint - text."]),
    # hard-wrapped at about 40 columns: lines join, the short last line ends the paragraph
    ("The provincial government held a press\nconference to introduce the five-year\n"
     "plan for the development of industry in\nthe province.\nA new paragraph starts here.",
     ["The provincial government held a press conference to introduce the five-year plan for the "
      "development of industry in the province.", "A new paragraph starts here."]),
    ("湖北省人民政府新闻办公室今天举行新闻发布\n会介绍全省工业发展五年规划的主要内容和目\n标任务以及保障措施。\n第二段。",
     ["湖北省人民政府新闻办公室今天举行新闻发布会介绍全省工业发展五年规划的主要内容和目标任务以及保障措施。", "第二段。"]),
    ("A long sentence that runs past one line and\ncontinues in lower case on the next line.",
     ["A long sentence that runs past one line and continues in lower case on the next line."]),
    ("", []),
]


@pytest.mark.parametrize("text, expected", PARAGRAPHS)
def test_split_paragraphs(text, expected):
    assert split_paragraphs(text) == expected


@pytest.mark.parametrize("text, max_chars, expected", [
    ("short", 10, ["short"]),
    ("alpha beta; gamma delta, epsilon", 15, ["alpha beta; ", "gamma delta, ", "epsilon"]),
    ("one, two: three four", 12, ["one, two: ", "three four"]),
    ("经济增长，就业稳定；物价平稳、收入提高", 10, ["经济增长，就业稳定；", "物价平稳、收入提高"]),
    ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
    ("", 5, []),
])
def test_split_long(text, max_chars, expected):
    assert split_long(text, max_chars) == expected


def test_split_long_rejects_a_useless_limit():
    with pytest.raises(ValueError, match="max_chars"):
        split_long("text", 0)


@pytest.mark.parametrize("text, expected", [
    ("  a\u00a0 b\t c  ", "a b c"),
    ("line\r\nnext\rlast", "line\nnext\nlast"),
    ("a\n\n\n\nb", "a\n\nb"),
    ("zero\u200bwidth\ufeff soft\u00adhyphen", "zerowidth softhyphen"),
    ("e\u0301t\u00e9", "\u00e9t\u00e9"),
    ("para\u2029next", "para\n\nnext"),
])
def test_normalize(text, expected):
    assert normalize(text) == expected


FRAGMENTS = [
    "The U.S. economy", "grew 3.5%", "in 2019.", "At the end", "Dr. Smith", "said:", '"It works."', "e.g.",
    "https://a.com/x?y=1.", "actions!We", "Hebei’s", "« Bonjour. »", "M. Dupont", "…", "?", "!", "。", "”", "「",
    "我们会来的。", "目标五年工业规模达10万亿级", "Chang Jiang Shang Bao·", "2025-05-01", "- Feb 14, 2019 -",
    "[1][2].", "etc.", "Jan. 5", "", "\n", "\n\n", " ", "a", "Z.", "；", "……", "(", ")", "St.", "No.",
]
texts = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map(" ".join),
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join),
    st.text(alphabet=st.sampled_from("aZé .!?…。！？；\"'”»«(3\n中文"), max_size=60),
)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from(["en", "fr", "zh", "de"]))
def test_sentences_keep_all_text_in_order(text, lang):
    spans = sentence_spans(text, lang)
    position = 0
    for start, end in spans:
        assert start < end and text[position:start].strip() == ""
        assert not text[start].isspace() and not text[end - 1].isspace()
        position = end
    assert text[position:].strip() == ""
    assert _squeeze("".join(split_sentences(text, lang))) == _squeeze(text)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_paragraphs_keep_all_text(text):
    paragraphs = split_paragraphs(text)
    assert all(p and p == p.strip() for p in paragraphs)
    assert _squeeze("".join(paragraphs)) == _squeeze(text)


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(min_value=1, max_value=40))
def test_split_long_bounds(text, max_chars):
    pieces = split_long(text, max_chars)
    assert "".join(pieces) == text
    assert all(0 < len(piece) <= max_chars for piece in pieces)
