"""Stage `translate`: every non-English sentence (and title) to English, the pivot.

Sentences are translated one by one, so the English stays sentence-aligned to
its source; identical sentences across the batch are translated once. A
sentence longer than the model's input budget is split at clause boundaries
and its pieces translated in order (flagged `split:N`). Languages the model
does not cover pass through untranslated and flagged.

Each unit carries its facts through (`backends.facts`): the glossary entries it
holds are hinted and checked, its numbers checked, and what a retry leaves wrong
is flagged on the sentence (`glossary-miss: ...`, `number-mismatch: ...`), which
also records its glossary hits and misses (`Sentence.terms`). A name gets one
rendering per document: a sentence that renders a name otherwise than an earlier
one is translated again with the first rendering hinted, and a name still
rendered two ways is flagged on the document.
"""
from __future__ import annotations

import logging

from pipeline.backends.facts import (
    Translated,
    fact_flags,
    name_units,
    title_language_of,
    translate_keeping_facts,
    translated_sentences,
)
from pipeline.backends.guards import clean_output, translation_problems
from pipeline.backends.loading import BackendCache, describe
from pipeline.config import Config
from pipeline.quality.estimate import QualityEstimator, combiner_for_model
from pipeline.quality.likelihood import likelihood_for
from pipeline.quality.rerank import rerank
from pipeline.records import OVER_BUDGET, PIVOT, UNDETERMINED, Document, Sentence
from pipeline.registry.manifests import load_manifest
from pipeline.similarity.embed import Embedder
from pipeline.stages.base import RunContext, Stage
from pipeline.terms.glossary import config_glossary, term_usage
from pipeline.terms.names import NameMemory, document_names, name_variants
from pipeline.text.checks import instruction_like
from pipeline.text.scripts import script_profile
from pipeline.text.segment import split_long

log = logging.getLogger("digest.translate")

CHARS_PER_TOKEN_FLOOR = 1.0  # worst case (Chinese): one character per token


class Translate(Stage):
    """Fill `Sentence.english`, `Document.title_english` and per-sentence quality."""

    name = "translate"
    requires = ("sentences",)
    provides = ("english", "title_english", "quality", "terms")

    def __init__(self, config: Config, context: RunContext | None = None):
        super().__init__(config, context)
        self.backends = BackendCache(config.translate, config.run)
        self.embedder = Embedder()  # loads on first use
        self.quality = QualityEstimator(self.embedder)  # shares the embedder's weights; no second model
        self.glossary = config_glossary(config)

    def load(self) -> None:
        self.embedder.load()

    def signature(self) -> dict:
        settings = self.config.translate
        models = sorted({settings.model, *settings.pairs.values()})
        return {
            "models": [describe(model, settings) for model in models],
            "pairs": settings.pairs,
            "max_input_tokens": settings.max_input_tokens,
            "max_document_tokens": settings.max_document_tokens,
            "quality": self._quality_signature(models),
            **({"rerank_candidates": settings.rerank_candidates} if settings.rerank_candidates > 1 else {}),
            **self.glossary.signature(),
        }

    def backend(self, source: str):
        """The guarded backend for source->English, loaded once per model."""
        model = self.config.translate.model_for(source, PIVOT)
        return self.backends.get(model)

    def process(self, docs: list[Document]) -> list[Document]:
        by_language: dict[str, list[Sentence]] = {}
        titles: dict[str, list[Document]] = {}
        for doc in docs:
            over = self._over_budget(doc)
            for sentence in doc.sentences:
                if instruction_like(sentence.text):
                    sentence.flags.append("instruction-like")  # a likely prompt injection: check what came of it
                if sentence.lang in (PIVOT, UNDETERMINED, ""):  # English, or no letters to translate
                    sentence.english = sentence.text
                elif sentence.index in over:
                    sentence.english = sentence.text
                    sentence.flags.append(f"{OVER_BUDGET}: not translated "
                                          f"(translate.max_document_tokens={self.config.translate.max_document_tokens})")
                else:
                    by_language.setdefault(sentence.lang, []).append(sentence)
            doc.title_english = doc.title
            title_language = title_language_of(doc)
            if title_language not in (PIVOT, ""):
                titles.setdefault(title_language, []).append(doc)
        first: dict[int, Translated] = {}
        for language in sorted(set(by_language) | set(titles)):
            first.update(self._translate_language(language, by_language.get(language, []), titles.get(language, [])))
        self._one_rendering_per_name(docs, first)
        self._estimate_quality(docs)
        return docs

    def _over_budget(self, doc: Document) -> set[int]:
        """Indexes of the sentences past the document's translation budget (in source tokens, in text order)."""
        limit, used = self.config.translate.max_document_tokens, 0
        if not limit:
            return set()
        over = set()
        for sentence in doc.sentences:
            language = sentence.lang
            if language in (PIVOT, UNDETERMINED, "") or language not in load_manifest(
                    self.config.translate.model_for(language, PIVOT)).languages:
                continue
            used += self.backend(language).count_tokens(sentence.text)
            if used > limit:
                over.add(sentence.index)
        if over:
            message = (f"translate-budget: {len(over)} sentence(s) past translate.max_document_tokens={limit} "
                       "left untranslated")
            doc.flags.append(message)
            log.warning("%s: %s", doc.doc_id, message)
        return over

    def _translate_language(self, language: str, sentences: list[Sentence], titled: list[Document]
                            ) -> dict[int, Translated]:
        """Translate the sentences and titles of one language; each whole sentence's translation, by id()."""
        model = self.config.translate.model_for(language, PIVOT)
        if language not in load_manifest(model).languages:  # decided before loading: it needs no model
            for sentence in sentences:
                sentence.english = sentence.text
                sentence.flags.append(f"untranslated:{language} not covered by {model}")
            return {}
        backend = self.backend(language)
        pieces = [self._pieces(backend, sentence) for sentence in sentences]
        units = [piece for group in pieces for piece in group] + [doc.title for doc in titled]
        results = iter(translate_keeping_facts(backend, units, language, PIVOT, self.glossary))
        whole = {}
        for sentence, group in zip(sentences, pieces):
            parts = [next(results) for _ in group]
            joiner = "" if all(script_profile(part.text).get("han", 0) > 0.5 for part in parts) else " "
            sentence.english = joiner.join(part.text for part in parts)
            sentence.flags.extend(dict.fromkeys(flag for part in parts for flag in part.flags))
            sentence.terms = merged_terms([part.terms for part in parts])
            if len(group) == 1:
                whole[id(sentence)] = parts[0]
        for doc in titled:
            doc.title_english = next(results).text
        return whole

    def _one_rendering_per_name(self, docs: list[Document], first: dict[int, Translated]) -> None:
        """Translate again, with the document's first renderings hinted, the sentences that render a name
        otherwise; flag on the document each name still rendered two ways, and near-identical names."""
        redo: dict[str, list[tuple[Sentence, NameMemory, list[str]]]] = {}
        for doc in docs:
            units, sentences = name_units(doc), translated_sentences(doc)
            memory, flags = document_names(units)
            for sentence, unit_flags in zip(sentences, flags[len(units) - len(sentences):]):
                if unit_flags and id(sentence) in first:
                    redo.setdefault(sentence.lang, []).append((sentence, memory, unit_flags))
        for language, items in sorted(redo.items()):
            again = translate_keeping_facts(self.backend(language), [s.text for s, _, _ in items], language, PIVOT,
                                            self.glossary, [memory for _, memory, _ in items])
            for (sentence, _, unit_flags), result in zip(items, again):
                before = first[id(sentence)]
                if len(result.flags) < len(before.flags) + len(unit_flags):
                    sentence.english, sentence.terms = result.text, result.terms
                    sentence.flags = [f for f in sentence.flags if f not in before.flags] + result.flags
        for doc in docs:
            _, flags = document_names(name_units(doc))
            sentences = translated_sentences(doc)
            doc.flags.extend(dict.fromkeys(flag for unit in flags for flag in unit))
            doc.flags.extend(name_variants([s.english for s in sentences], PIVOT, [s.text for s in sentences]))

    def _pieces(self, backend, sentence: Sentence) -> list[str]:
        budget = backend.max_input_tokens
        if backend.count_tokens(sentence.text) <= budget:
            return [sentence.text]
        max_chars = max(1, int(budget * CHARS_PER_TOKEN_FLOOR))
        pieces = split_long(sentence.text, max_chars)
        while max_chars > 1 and any(backend.count_tokens(piece) > budget for piece in pieces):
            max_chars //= 2  # a tokenizer that spends several tokens on a character (bytes of a CJK one)
            pieces = split_long(sentence.text, max_chars)
        sentence.flags.append(f"split:{len(pieces)} pieces (sentence longer than {budget} tokens)")
        log.warning("sentence %d split into %d pieces to fit the model input", sentence.index, len(pieces))
        return pieces

    def _rerank(self, estimator, language: str, sentences: list[Sentence], estimates: list) -> list:
        """With translate.rerank_candidates > 1, each low-scoring sentence (not split) gets sampled translations;
        the best estimate among the candidates whose guards and facts pass replaces it (`quality.rerank`)."""
        wanted = self.config.translate.rerank_candidates
        weak = [i for i, (s, e) in enumerate(zip(sentences, estimates))
                if e.low and not any(f.startswith("split:") for f in s.flags)]
        if wanted < 2 or not weak:
            return estimates
        texts = [sentences[i].text for i in weak]
        sampled = self.backend(language).backend.translate_candidates(texts, language, PIVOT, wanted - 1)
        pools = [[sentences[i].english] + [clean_output(c) for c in pool[1:]] for i, pool in zip(weak, sampled)]

        def sound(text: str, candidate: str) -> bool:
            entries = self.glossary.entries_in(text, language)
            return not (translation_problems(text, candidate, language, PIVOT)
                        or fact_flags(text, language, candidate, PIVOT, entries))

        for i, pool, (k, estimate) in zip(weak, pools, rerank(estimator, texts, pools, language, PIVOT, sound)):
            if k:
                sentence = sentences[i]
                sentence.english = pool[k]
                sentence.terms = term_usage(self.glossary.entries_in(sentence.text, language), sentence.text,
                                            language, pool[k], PIVOT)
                sentence.flags = [f for f in sentence.flags if not f.startswith(REPLACED_FLAGS)]
                sentence.flags.append(f"reranked: sample {k} of {wanted - 1} kept by the quality estimate")
                estimates[i] = estimate
        return estimates

    def _quality_signature(self, models: list[str]) -> dict:
        """The quality estimate's signature; with the likelihood features, the combiner of each model too."""
        signature = self.quality.signature()
        if self.config.translate.quality_likelihood:
            signature["combiners"] = {model: combiner_for_model(model).signature() for model in models}
        return signature

    def _estimate_quality(self, docs: list[Document]) -> None:
        """Each translated sentence's quality estimate (`pipeline.quality`); a low one is flagged with its reasons.

        One batch per source language. With `translate.quality_likelihood`, the translation model already
        loaded also scores the translation given its source (a prefill, no decoding)."""
        by_language: dict[str, list[Sentence]] = {}
        for sentence in (s for doc in docs for s in doc.sentences):
            if sentence.lang not in (PIVOT, UNDETERMINED, "") and sentence.english != sentence.text:  # empty too
                by_language.setdefault(sentence.lang, []).append(sentence)
        for language, sentences in sorted(by_language.items()):
            estimator = self.quality
            if self.config.translate.quality_likelihood:
                estimator = QualityEstimator(self.embedder, likelihood_for(self.backend(language).backend))
            estimates = estimator.estimate([s.text for s in sentences], [s.english for s in sentences], language,
                                           PIVOT)
            estimates = self._rerank(estimator, language, sentences, estimates)
            for sentence, estimate in zip(sentences, estimates):
                sentence.quality = estimate.score
                if estimate.low:
                    sentence.flags.append(estimate.flag)


# the flags of a translation that a reranked candidate replaced
REPLACED_FLAGS = ("guard:", "number-mismatch", "number-repaired", "glossary-miss", "unsupported-name")


def merged_terms(usages: list[dict]) -> dict:
    """The glossary usage of a sentence translated in pieces: every piece's hits and misses."""
    hits = {term: used for usage in usages for term, used in usage.get("hits", {}).items()}
    misses = {term: asked for usage in usages for term, asked in usage.get("misses", {}).items() if term not in hits}
    return {"hits": hits, "misses": misses} if hits or misses else {}
