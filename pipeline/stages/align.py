"""Stage `align`: render the English summary in each digest language and align it.

Each summary is translated as one text (natural prose, not sentence-by-sentence
calques), split into sentences, and aligned to the English summary sentences
with 1-1, 1-2 and 2-1 links, each with a score. Each summary sentence is also
linked to the source sentences that support it, so a reader can check it.

A render keeps the summary's facts (`backends.facts`): its glossary terms are
hinted and checked, its numbers checked against the English summary, and the
names the document's source sentences gave are hinted and checked; what a retry
leaves wrong is flagged on the document (`render-fr-glossary-miss: PIB`).
"""
from __future__ import annotations

from dataclasses import asdict

from pipeline.backends.facts import name_units, translate_keeping_facts
from pipeline.backends.loading import BackendCache, describe
from pipeline.config import Config
from pipeline.quality.estimate import QualityEstimator
from pipeline.quality.evidence import WRONG_LANGUAGE
from pipeline.records import PIVOT, AlignedPair, Document, Support
from pipeline.similarity.aligner import VERSION as ALIGNER_VERSION
from pipeline.similarity.aligner import Settings, align
from pipeline.similarity.embed import Embedder
from pipeline.similarity.support import support
from pipeline.stages.base import RunContext, Stage
from pipeline.terms.glossary import config_glossary
from pipeline.terms.names import document_names
from pipeline.text.checks import echoed_words, instruction_like
from pipeline.text.segment import split_sentences


class Align(Stage):
    """Fill `renders`, `alignments` and `support`."""

    name = "align"
    requires = ("summary", "sentences")
    provides = ("renders", "alignments", "support")

    def __init__(self, config: Config, context: RunContext | None = None):
        super().__init__(config, context)
        self.embedder = Embedder()  # loads on first use
        self.quality = QualityEstimator(self.embedder)  # the summary sentence -> its render, per pair
        self.backends = BackendCache(config.translate, config.run)
        self.glossary = config_glossary(config)

    def load(self) -> None:
        self.embedder.load()

    def signature(self) -> dict:
        models = sorted({self.config.translate.model_for(PIVOT, lang) for lang in self.targets()})
        return {
            "languages": self.config.align.languages,
            "models": [describe(model, self.config.translate) for model in models],
            "embedder": self.embedder.signature(),
            "aligner": {"version": ALIGNER_VERSION, **asdict(Settings())},
            "support": [self.config.align.support_top_k, self.config.align.min_support],
            "low_score": self.config.align.low_score,
            "quality": self.quality.signature(),
            **self.glossary.signature(),
        }

    def targets(self) -> list[str]:
        return [lang for lang in self.config.align.languages if lang != PIVOT]

    def backend(self, target: str):
        model = self.config.translate.model_for(PIVOT, target)
        return self.backends.get(model)

    def process(self, docs: list[Document]) -> list[Document]:
        summarized = [doc for doc in docs if doc.summary]
        for target in self.targets():
            self._render(summarized, target)
        for doc in summarized:
            self._align(doc)
            self._support(doc)
        for target in {target for doc in summarized for target in doc.alignments}:
            self._estimate_quality(summarized, target)
        for doc in docs:
            if not doc.summary:
                doc.flags.append("no-summary")
        return docs

    def _render(self, docs: list[Document], target: str) -> None:
        memories = [document_names(name_units(doc))[0] for doc in docs]  # the names the sources gave
        rendered = translate_keeping_facts(self.backend(target), [" ".join(doc.summary) for doc in docs], PIVOT,
                                           target, self.glossary, memories)
        for doc, render in zip(docs, rendered):
            doc.renders[target] = split_sentences(render.text, target) if render.text.strip() else []
            doc.flags.extend(f"render-{target}-{flag}" for flag in render.flags)

    def _align(self, doc: Document) -> None:
        low = self.config.align.low_score
        for target, sentences in doc.renders.items():
            pairs = [
                AlignedPair(
                    english=list(source), other=list(other), score=round(float(score), 4),
                    english_text=" ".join(doc.summary[i] for i in source),
                    other_text=("" if target == "zh" else " ").join(sentences[j] for j in other),
                )
                for source, other, score in align(doc.summary, sentences, self.embedder)
            ]
            doc.alignments[target] = pairs
            weak = sum(1 for pair in pairs if pair.score < low)
            if weak:
                doc.flags.append(f"align-{target}: {weak} low-scoring pair(s)")

    def _estimate_quality(self, docs: list[Document], target: str) -> None:
        """Each pair's quality estimate (English summary sentences -> their render); a low one is flagged with
        its reasons, and English words left in a render are flagged on the pair and named on the document."""
        pairs = [(doc, pair) for doc in docs for pair in doc.alignments.get(target, [])]
        estimates = self.quality.estimate([p.english_text for _, p in pairs], [p.other_text for _, p in pairs],
                                          PIVOT, target)
        foreign: dict[int, list[str]] = {}
        for (doc, pair), estimate in zip(pairs, estimates):
            pair.quality = estimate.score
            wrong = [r for r in estimate.reasons if r.startswith(WRONG_LANGUAGE)]
            if estimate.low:
                pair.flags.append(estimate.flag)
            else:
                pair.flags.extend(wrong)
            foreign.setdefault(id(doc), []).extend(w for r in wrong for w in r.removeprefix(WRONG_LANGUAGE).split(", "))
        for doc in docs:
            if foreign.get(id(doc)):
                doc.flags.append(f"render-{target}-wrong-language: {', '.join(dict.fromkeys(foreign[id(doc)]))}")

    def _support(self, doc: Document) -> None:
        """Source sentences whose English supports each summary sentence (calibrated similarity, top-k).

        A sentence that reads like an instruction to the model supports nothing: a summary that obeyed
        it must show up as unsupported, and words it took only from such a sentence are flagged.
        """
        news = [s for s in doc.sentences if not (instruction_like(s.text) or instruction_like(s.english))]
        self._injected_words(doc, news)
        if not news:
            return
        links = support(doc.summary, [s.english or s.text for s in news], self.embedder,
                        self.config.align.support_top_k, self.config.align.min_support)
        doc.support = [
            Support(summary_index=i, sentences=[news[k].index for k in indices],
                    scores=[round(float(score), 4) for score in scores])
            for i, (indices, scores) in enumerate(links)
        ]
        unsupported = [s.summary_index for s in doc.support if not s.sentences]
        if unsupported:
            doc.flags.append(f"unsupported-summary-sentences:{unsupported}")

    def _injected_words(self, doc: Document, news: list) -> None:
        injected = [s for s in doc.sentences if all(s is not n for n in news)]
        if not injected:
            return
        doc.flags.append(f"instruction-like-sentences:{[s.index for s in injected]}")
        texts = [text for s in injected for text in (s.text, s.english)]
        echoed = echoed_words(" ".join(doc.summary), texts, [text for s in news for text in (s.text, s.english)])
        if echoed:
            doc.flags.append(f"summary-echoes-instruction:{echoed}")
