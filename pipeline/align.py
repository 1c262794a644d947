"""Stage `align`: render the English summary in each digest language and align it.

Each summary is translated as one text (natural prose, not sentence-by-sentence
calques), split into sentences, and aligned to the English summary sentences
with 1-1, 1-2 and 2-1 links, each with a score. Each summary sentence is also
linked to the source sentences that support it, so a reader can check it.
"""
from __future__ import annotations

import numpy as np

from pipeline.aligner import align
from pipeline.backends import load_backend
from pipeline.config import Config
from pipeline.records import AlignedPair, Document, Support
from pipeline.text import split_sentences

PIVOT = "en"


class Align:
    """Fill `renders`, `alignments` and `support`."""

    name = "align"
    requires = ("summary", "sentences")
    provides = ("renders", "alignments", "support")

    def __init__(self, config: Config):
        self.config = config
        self.embedder = None
        self.backends: dict[str, object] = {}

    def load(self) -> None:
        self._embedder().load()

    def _embedder(self):
        from pipeline.embed import Embedder

        self.embedder = self.embedder or Embedder()
        return self.embedder

    def signature(self) -> dict:
        from pipeline.registry import load_manifest

        models = sorted({self.config.translate.model_for(PIVOT, lang) for lang in self.targets()})
        return {
            "languages": self.config.align.languages,
            "models": [load_manifest(m).identity() for m in models],
            "generation": self.config.translate.generation.__dict__,
            "embedder": self._embedder().signature(),
            "support": [self.config.align.support_top_k, self.config.align.min_support],
            "low_score": self.config.align.low_score,
        }

    def targets(self) -> list[str]:
        return [lang for lang in self.config.align.languages if lang != PIVOT]

    def backend(self, target: str):
        model = self.config.translate.model_for(PIVOT, target)
        if model not in self.backends:
            self.backends[model] = load_backend(model, self.config.translate, self.config.run)
        return self.backends[model]

    def process_batch(self, docs: list[Document]) -> list[Document]:
        summarized = [doc for doc in docs if doc.summary]
        for target in self.targets():
            self._render(summarized, target)
        for doc in summarized:
            self._align(doc)
            self._support(doc)
        for doc in docs:
            if not doc.summary:
                doc.flags.append("no-summary")
        return docs

    def _render(self, docs: list[Document], target: str) -> None:
        checked = self.backend(target).translate_checked([" ".join(doc.summary) for doc in docs], PIVOT, target)
        for doc, (text, flags) in zip(docs, checked):
            doc.renders[target] = split_sentences(text, target) if text.strip() else []
            doc.flags.extend(f"render-{target}-{flag}" for flag in flags)

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

    def _support(self, doc: Document) -> None:
        """Top-k source sentences by similarity of their English to each summary sentence, above a floor."""
        if not doc.sentences:
            return
        sources = self.embedder.encode([s.english or s.text for s in doc.sentences])
        similarity = self.embedder.encode(doc.summary) @ sources.T
        settings = self.config.align
        doc.support = []
        for index, row in enumerate(similarity):
            best = [k for k in np.argsort(-row)[: settings.support_top_k] if row[k] >= settings.min_support]
            doc.support.append(Support(summary_index=index, sentences=[doc.sentences[k].index for k in best],
                                       scores=[round(float(row[k]), 4) for k in best]))
        unsupported = [s.summary_index for s in doc.support if not s.sentences]
        if unsupported:
            doc.flags.append(f"unsupported-summary-sentences:{unsupported}")
