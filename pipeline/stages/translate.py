"""Stage `translate`: every non-English sentence (and title) to English, the pivot.

Sentences are translated one by one, so the English stays sentence-aligned to
its source; identical sentences across the batch are translated once. A
sentence longer than the model's input budget is split at clause boundaries
and its pieces translated in order (flagged `split:N`). Languages the model
does not cover pass through untranslated and flagged.
"""
from __future__ import annotations

import logging

from pipeline.backends.loading import BackendCache, describe
from pipeline.config import Config
from pipeline.language.guesser import script_language
from pipeline.records import OVER_BUDGET, PIVOT, UNDETERMINED, Document, Sentence
from pipeline.registry.manifests import load_manifest
from pipeline.similarity.embed import Embedder, calibrate
from pipeline.stages.base import RunContext, Stage
from pipeline.text.checks import instruction_like
from pipeline.text.scripts import script_profile
from pipeline.text.segment import split_long

log = logging.getLogger("digest.translate")

CHARS_PER_TOKEN_FLOOR = 1.0  # worst case (Chinese): one character per token


class Translate(Stage):
    """Fill `Sentence.english`, `Document.title_english` and per-sentence quality."""

    name = "translate"
    requires = ("sentences",)
    provides = ("english", "title_english", "quality")

    def __init__(self, config: Config, context: RunContext | None = None):
        super().__init__(config, context)
        self.backends = BackendCache(config.translate, config.run)
        self.embedder = Embedder()  # loads on first use

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
            "quality": self.embedder.signature(),
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
            title_language = self._title_language(doc)
            if title_language not in (PIVOT, ""):
                titles.setdefault(title_language, []).append(doc)
        for language in sorted(set(by_language) | set(titles)):
            self._translate_language(language, by_language.get(language, []), titles.get(language, []))
        for doc in docs:
            self._estimate_quality(doc)
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

    def _translate_language(self, language: str, sentences: list[Sentence], titled: list[Document]) -> None:
        model = self.config.translate.model_for(language, PIVOT)
        if language not in load_manifest(model).languages:  # decided before loading: it needs no model
            for sentence in sentences:
                sentence.english = sentence.text
                sentence.flags.append(f"untranslated:{language} not covered by {model}")
            return
        backend = self.backend(language)
        pieces = [self._pieces(backend, sentence) for sentence in sentences]
        units = [piece for group in pieces for piece in group] + [doc.title for doc in titled]
        translations = self._translate_unique(backend, units, language)
        for sentence, group in zip(sentences, pieces):
            parts = [translations[piece] for piece in group]
            joiner = "" if all(script_profile(text).get("han", 0) > 0.5 for text, _ in parts) else " "
            sentence.english = joiner.join(text for text, _ in parts)
            sentence.flags.extend(dict.fromkeys(flag for _, flags in parts for flag in flags))
        for doc in titled:
            doc.title_english = translations[doc.title][0]

    def _pieces(self, backend, sentence: Sentence) -> list[str]:
        budget = backend.max_input_tokens
        if backend.count_tokens(sentence.text) <= budget:
            return [sentence.text]
        pieces = split_long(sentence.text, max_chars=int(budget * CHARS_PER_TOKEN_FLOOR))
        sentence.flags.append(f"split:{len(pieces)} pieces (sentence longer than {budget} tokens)")
        log.warning("sentence %d split into %d pieces to fit the model input", sentence.index, len(pieces))
        return pieces

    def _translate_unique(self, backend, units: list[str], language: str) -> dict[str, tuple[str, list[str]]]:
        unique = list(dict.fromkeys(units))
        checked = backend.translate_checked(unique, language, PIVOT)
        return dict(zip(unique, checked))

    def _title_language(self, doc: Document) -> str:
        if not doc.title:
            return ""
        return script_language(doc.title) or doc.lang or PIVOT

    def _estimate_quality(self, doc: Document) -> None:
        """Calibrated cross-lingual similarity of each sentence and its translation; low ones are flagged.

        A weak signal (Pearson about 0.05-0.13 with sentence chrF among good systems on WMT22): it catches
        unrelated or empty output, not subtle errors."""
        translated = [s for s in doc.sentences if s.lang != PIVOT and s.english and s.english != s.text]
        if not translated:
            return
        sources = self.embedder.encode([s.text for s in translated])
        targets = self.embedder.encode([s.english for s in translated])
        for sentence, source, target in zip(translated, sources, targets):
            sentence.quality = round(float(calibrate(source @ target)), 4)
            if sentence.quality < self.config.align.low_score:
                sentence.flags.append("low-quality")
