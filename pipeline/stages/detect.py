"""The detect stage: paragraphs, sentences and the language of each, offline.

Each sentence is scored by the language guesser (`pipeline.language.guesser`,
a cascade picked by measurement: benchmarks/bench_lid.py); paragraphs and the
document pool their sentences' scores. A prior favours the configured languages
and the enclosing document's or paragraph's language; very short or unsure
segments written in its script inherit it.
"""
from __future__ import annotations

import importlib.metadata
import re
from collections import Counter
from itertools import islice

from pipeline.config import Config
from pipeline.language.guesser import (
    DETECTOR_VERSION,
    SCRIPT_OF,
    SHORT_WORDS,
    LanguageGuesser,
    decide,
    dominant_script,
)
from pipeline.records import UNDETERMINED, Document, Paragraph, Sentence
from pipeline.stages.base import RunContext, Stage
from pipeline.text.scripts import is_traditional, script_profile
from pipeline.text.segment import (
    SEGMENTER_VERSION,
    normalize,
    split_paragraphs,
    split_sentences,
)

_WORD = re.compile(r"\S*?[^\W\d_]\S*")  # a word with at least one letter


class Detect(Stage):
    """Split each document into paragraphs and sentences and label the language of each."""

    name = "detect"
    requires = ("text",)
    provides = ("lang", "languages", "mixed", "paragraphs", "sentences")

    def __init__(self, config: Config, context: RunContext | None = None):
        super().__init__(config, context)
        self.settings = config.detect
        self.guesser = LanguageGuesser(self.settings.languages)

    def load(self) -> None:
        """Load the language identification models."""
        self.guesser.load()

    def signature(self) -> dict:
        """Models and settings that change this stage's output."""
        return {
            "stage": self.name,
            "version": f"detect-{DETECTOR_VERSION}|segmenter-{SEGMENTER_VERSION}",
            "languages": list(self.settings.languages),
            "min_confidence": self.settings.min_confidence,
            "models": {
                "fasttext-lid.176.ftz": self.guesser.model_sha256,
                "lingua-language-detector": importlib.metadata.version("lingua-language-detector"),
            },
        }

    def process(self, docs: list[Document]) -> list[Document]:
        """Fill paragraphs, sentences, lang, languages and mixed on each document."""
        for doc in docs:
            if not isinstance(doc.text, str):
                kind = type(doc.text).__name__
                raise TypeError(f"document {doc.doc_id}: text is {kind}, not str; check what ingest produced")
            self._detect(doc)
        return docs

    def _detect(self, doc: Document) -> None:
        text = normalize(doc.text)
        hint, _ = self.guesser.guess(text[:400])  # only picks the abbreviations the splitter knows
        blocks = [(p, split_sentences(p, hint)) for p in split_paragraphs(text)]
        scored = [[self._score(s) for s in sentences] for _, sentences in blocks]
        doc_lang, doc_score = decide(_pool(item for block in scored for item in block), self.guesser.prior())
        doc.paragraphs, doc.sentences = [], []
        for index, ((paragraph, _), block) in enumerate(zip(blocks, scored)):
            lang, score, _ = self._label((paragraph, _pool(block), _main_script(block)), (doc_lang, doc_score))
            sentences = [self._sentence(len(doc.sentences) + i, index, item, (lang, score))
                         for i, item in enumerate(block)]
            doc.sentences.extend(sentences)
            doc.paragraphs.append(Paragraph(index, paragraph, *_majority(sentences)))
        _summarise(doc, self.settings.languages)

    def _score(self, text: str) -> tuple[str, dict[str, float], str]:
        profile = script_profile(text)
        return text, self.guesser.scores(text, profile), dominant_script(profile)

    def _label(self, scored: tuple, parent: tuple[str, float]) -> tuple[str, float, bool]:
        """A segment's language; short or unsure segments inherit `parent` when written in its script."""
        text, scores, script = scored
        lang, score = decide(scores, self.guesser.prior(parent[0]))
        unsure = lang == UNDETERMINED or score < self.settings.min_confidence or _short(text, script)
        if unsure and parent[0] != UNDETERMINED and script in ("", SCRIPT_OF.get(parent[0], "latin")):
            return parent[0], parent[1], True
        return lang, score, False

    def _sentence(self, index: int, paragraph: int, scored: tuple, parent: tuple[str, float]) -> Sentence:
        text = scored[0]
        lang, score, inherited = self._label(scored, parent)
        flags = ["lang-inherited"] if inherited else []
        if lang == "zh" and is_traditional(text):
            flags.append("zh-hant")
        return Sentence(index, paragraph, text, lang=lang, lang_score=round(score, 4), flags=flags)


def _pool(items) -> dict[str, float]:
    """Scores of several texts averaged by their length."""
    totals: Counter = Counter()
    length = 0
    for text, scores, _ in items:
        length += len(text)
        for lang, score in scores.items():
            totals[lang] += score * len(text)
    return {lang: total / length for lang, total in totals.items()} if length else {}


def _short(text: str, script: str) -> bool:
    return script != "cjk" and sum(1 for _ in islice(_WORD.finditer(text), SHORT_WORDS)) < SHORT_WORDS


def _main_script(items) -> str:
    """The script holding most characters among scored sentences."""
    chars: Counter = Counter()
    for text, _, script in items:
        chars[script] += len(text)
    return chars.most_common(1)[0][0] if chars else ""


def _majority(sentences: list[Sentence]) -> tuple[str, float]:
    """The language holding most characters, with its length-weighted mean score."""
    chars: Counter = Counter()
    weighted: Counter = Counter()
    for sentence in sentences:
        chars[sentence.lang] += len(sentence.text)
        weighted[sentence.lang] += sentence.lang_score * len(sentence.text)
    if not chars:
        return UNDETERMINED, 0.0
    lang = chars.most_common(1)[0][0]
    return lang, round(weighted[lang] / chars[lang], 4)


def _summarise(doc: Document, configured: list[str]) -> None:
    """Set languages, lang and mixed from the sentence labels, with notes a reader should see."""
    counts = Counter()
    for sentence in doc.sentences:
        if sentence.lang != UNDETERMINED:
            counts[sentence.lang] += len(sentence.text)
    doc.languages = dict(counts.most_common())
    doc.lang = next(iter(doc.languages), UNDETERMINED)
    total = sum(counts.values())
    second = counts.most_common(2)[1][1] if len(counts) > 1 else 0
    foreign = [p for p in doc.paragraphs if p.lang not in (doc.lang, UNDETERMINED)]
    doc.mixed = bool(total and (second >= 0.05 * total or foreign))
    doc.notes = [note for note in doc.notes if not note.startswith("detect:")]  # a retried batch
    traditional = sum("zh-hant" in s.flags for s in doc.sentences)
    if traditional:
        doc.notes.append(f"detect: {traditional} sentence(s) in Traditional Chinese, labelled zh and flagged zh-hant")
    if doc.lang == UNDETERMINED:
        doc.notes.append("detect: no letters found, language undetermined")
    elif doc.lang not in configured:
        doc.notes.append(f"detect: language {doc.lang} is not one of {', '.join(configured)}; passed through")
