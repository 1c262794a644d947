"""Property-based tests: segmentation, language detection and sentence alignment never lose,
duplicate or reorder text, whatever text comes in."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import Config
from pipeline.records import Document
from pipeline.similarity.aligner import Settings as AlignSettings
from pipeline.similarity.aligner import align
from pipeline.stages.detect import Detect
from pipeline.text.segment import (
    normalize,
    sentence_spans,
    split_long,
    split_paragraphs,
    split_sentences,
)

WORDS = ("port city council rail budget workers river market summer winter growth report minister "
         "ville travaux emplois région projet hausse baisse marché").split()
HAN = "港口城市政府铁路预算工人河流市场夏天冬天增长报告部长发布新的措施"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def latin_sentence(draw) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=12))
    return " ".join([words[0].capitalize(), *words[1:]]) + draw(st.sampled_from([".", "!", "?"]))


@st.composite
def han_sentence(draw) -> str:
    return draw(st.text(alphabet=HAN, min_size=4, max_size=30)) + draw(st.sampled_from(["。", "！", "？"]))


sentences = st.lists(st.one_of(latin_sentence(), han_sentence()), min_size=1, max_size=12)
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@SETTINGS
@given(sentences, st.sampled_from([" ", "  ", "\u3000", " \t"]))
def test_every_sentence_comes_out_exactly_once_in_order(parts, gap):
    text = gap.join(parts)
    assert split_sentences(text, "en") == parts


@SETTINGS
@given(any_text, st.sampled_from(["en", "fr", "zh"]))
def test_segmentation_is_a_partition_of_any_text(text, lang):
    spans = sentence_spans(text, lang)
    assert all(start < end for start, end in spans)
    assert all(left[1] <= right[0] for left, right in zip(spans, spans[1:]))
    pieces = [text[start:end] for start, end in spans]
    assert all(piece == piece.strip() and piece for piece in pieces)
    assert squeeze("".join(pieces)) == squeeze(text)


@SETTINGS
@given(any_text)
def test_paragraphs_keep_every_character(text):
    text = normalize(text)
    assert squeeze("".join(split_paragraphs(text))) == squeeze(text)


@SETTINGS
@given(any_text, st.integers(1, 50))
def test_a_long_sentence_is_cut_into_pieces_that_give_it_back(text, max_chars):
    pieces = split_long(text, max_chars)
    assert "".join(pieces) == text and all(0 < len(piece) <= max_chars for piece in pieces)


@pytest.fixture(scope="module")
def detect():
    stage = Detect(Config())
    stage.load()
    return stage


documents = st.lists(st.one_of(sentences.map(" ".join), any_text), min_size=1, max_size=4).map("\n\n".join)


@SETTINGS
@given(text=documents)
def test_detection_labels_every_sentence_with_a_known_code(detect, text):
    doc = detect.process_batch([Document(doc_id="d", text=text)])[0]
    assert [s.index for s in doc.sentences] == list(range(len(doc.sentences)))
    assert squeeze("".join(s.text for s in doc.sentences)) == squeeze(normalize(text))
    paragraphs = [s.paragraph for s in doc.sentences]
    assert paragraphs == sorted(paragraphs) and set(paragraphs) <= set(range(len(doc.paragraphs)))
    assert all(re.fullmatch(r"[a-z]{2,3}", s.lang) and 0.0 <= s.lang_score <= 1.0 for s in doc.sentences)
    assert doc.languages == {k: v for k, v in doc.languages.items() if k != "und"}
    assert sum(doc.languages.values()) == sum(len(s.text) for s in doc.sentences if s.lang != "und")


@pytest.fixture(scope="module")
def embedder():
    from pipeline.similarity.embed import Embedder

    model = Embedder()
    model.load()
    return model


@SETTINGS
@given(source=sentences, target=sentences, max_link=st.integers(2, 6))
def test_alignment_links_are_monotonic_and_cover_both_sides_once(embedder, source, target, max_link):
    links = align(source, target, embedder, AlignSettings(max_link=max_link))
    assert [i for link in links for i in link.source] == list(range(len(source)))
    assert [j for link in links for j in link.target] == list(range(len(target)))
    for link in links:
        assert link.source or link.target
        assert len(link.source) + len(link.target) <= max(max_link, 2)
        assert 0.0 <= link.score <= 1.0 and (link.score == 0.0 or (link.source and link.target))


@SETTINGS
@given(source=sentences)
def test_alignment_with_an_empty_side_leaves_every_sentence_unaligned(embedder, source):
    assert [link.source for link in align(source, [], embedder)] == [[i] for i in range(len(source))]
    assert [link.target for link in align([], source, embedder)] == [[j] for j in range(len(source))]
