"""The translate stage's quality estimate: the QE score per translated sentence, low ones flagged with reasons."""
from __future__ import annotations

import pytest
from tiny.llm import build_tiny_llm, write_tiny_manifest

from pipeline.config import load_config
from pipeline.quality.estimate import LOW
from pipeline.quality.fitted import CHEAP, VERSION
from pipeline.records import Document, Sentence
from pipeline.stages.translate import Translate

TINY = ["translate.model=tiny-llm", "summarize.model=tiny-llm", "translate.engine=hf", "summarize.engine=hf",
        "translate.generation.max_new_tokens=4", "run.threads=1"]
# (source, its English, the source's language): a good translation, a number changed, French left, English
CASES = [("Le port de Marseille a grandi.", "The port of Marseille grew.", "fr"),
         ("Les prix ont augmenté de 3,5 % en 2024.", "Prices rose 5.3% in 2024.", "fr"),
         ("Le maire a salué le projet.", "Le maire a salué le projet also.", "fr"),
         ("The port grew.", "The port grew.", "en")]


@pytest.fixture(scope="module")
def manifests(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-llm")
    build_tiny_llm(root / "model")
    return write_tiny_manifest(root / "manifests", root / "model").parent


def stage(manifests, monkeypatch, *overrides) -> Translate:
    monkeypatch.setenv("DIGEST_MODELS", str(manifests))
    return Translate(load_config("default", TINY + list(overrides)))


def translated_document() -> Document:
    sentences = [Sentence(index=i, paragraph=0, text=text, lang=lang, english=english)
                 for i, (text, english, lang) in enumerate(CASES)]
    return Document(doc_id="doc", text=" ".join(c[0] for c in CASES), lang="fr", sentences=sentences)


def test_each_translation_gets_the_estimate_and_a_low_one_its_reasons(manifests, monkeypatch):
    doc = translated_document()
    stage(manifests, monkeypatch)._estimate_quality([doc])
    good, numbers, english, untranslated = doc.sentences
    assert good.quality >= LOW and not good.flags
    assert numbers.quality < LOW and numbers.flags == ["low-quality: numbers: 3,5 % vs 5.3%"]
    assert english.quality < LOW and english.flags == ["low-quality: wrong-language words: maire, salué, le, projet"]
    assert untranslated.quality is None and not untranslated.flags  # an English sentence is not translated


def test_the_signature_names_the_estimate_and_with_likelihoods_each_models_combiner(manifests, monkeypatch):
    cheap = stage(manifests, monkeypatch).signature()["quality"]
    assert cheap["version"] == VERSION and cheap["combiner"] == CHEAP.signature() and "combiners" not in cheap
    full = stage(manifests, monkeypatch, "translate.quality_likelihood=true").signature()["quality"]
    assert full["combiners"]["tiny-llm"]["name"].startswith("full:")


def test_with_likelihoods_the_loaded_translation_model_scores_too(manifests, monkeypatch):
    doc = translated_document()
    with_llm = stage(manifests, monkeypatch, "translate.quality_likelihood=true")
    with_llm._estimate_quality([doc])
    plain = translated_document()
    stage(manifests, monkeypatch)._estimate_quality([plain])
    assert all(0.0 <= s.quality <= 1.0 for s in doc.sentences[:3])
    assert [s.quality for s in doc.sentences[:3]] != [s.quality for s in plain.sentences[:3]]
    assert list(with_llm.backends.loaded) == ["tiny-llm"]  # the translation model, no second one


def test_a_translated_document_carries_a_quality_per_translated_sentence(manifests, monkeypatch):
    translate = stage(manifests, monkeypatch)
    translate.load()
    sentences = [Sentence(index=i, paragraph=0, text=t, lang="fr") for i, t in enumerate(
        ["Le port de Marseille investit quarante millions d'euros.", "Les travaux commenceront en mai."])]
    [doc] = translate.process([Document(doc_id="doc", text="", lang="fr", sentences=sentences)])
    for sentence in doc.sentences:
        assert sentence.quality is not None  # an empty translation too: it is the worst
        assert (sentence.quality < LOW) == any(f.startswith("low-quality: ") for f in sentence.flags)


def test_reranking_replaces_only_low_translations_and_only_with_a_better_sound_sample(manifests, monkeypatch):
    plain = translated_document()
    stage(manifests, monkeypatch)._estimate_quality([plain])
    doc = translated_document()
    reranking = stage(manifests, monkeypatch, "translate.rerank_candidates=3",
                      "translate.generation.max_new_tokens=12")
    reranking._estimate_quality([doc])
    assert list(reranking.backends.loaded) == ["tiny-llm"]  # the low ones were sampled
    for before, after in zip(plain.sentences, doc.sentences):
        if before.quality is None or before.quality >= LOW:
            assert (after.english, after.quality) == (before.english, before.quality)  # never sampled
        elif after.english != before.english:
            assert after.quality >= before.quality and any(f.startswith("reranked: sample ") for f in after.flags)
            assert not any(f.startswith(("guard:", "number-mismatch")) for f in after.flags)
        else:
            assert after.quality == before.quality


def test_without_reranking_nothing_is_sampled(manifests, monkeypatch):
    doc = translated_document()
    plain = stage(manifests, monkeypatch)
    plain._estimate_quality([doc])
    assert not plain.backends.loaded and "rerank_candidates" not in plain.signature()
    assert stage(manifests, monkeypatch, "translate.rerank_candidates=4").signature()["rerank_candidates"] == 4


def test_a_sentence_over_the_input_budget_is_cut_into_pieces_that_each_fit():
    """A tokenizer may spend several tokens on one character (a byte-level one on a Chinese character): the
    character estimate alone would leave the sentence whole, and the model would cut it without saying."""
    from types import SimpleNamespace

    from pipeline.records import Sentence
    from pipeline.stages.translate import Translate

    backend = SimpleNamespace(max_input_tokens=40, count_tokens=lambda text: 3 * len(text))
    sentence = Sentence(index=0, paragraph=0, text="湖北勾勒产业倍增施工图，" * 4, lang="zh")
    pieces = Translate._pieces(None, backend, sentence)
    assert len(pieces) > 1 and "".join(pieces) == sentence.text
    assert all(backend.count_tokens(piece) <= 40 for piece in pieces)
    assert sentence.flags == [f"split:{len(pieces)} pieces (sentence longer than 40 tokens)"]
