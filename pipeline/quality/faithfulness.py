"""Whether each summary sentence is backed by its article: close in meaning to a source sentence (or two
adjacent ones), its words found there, every name and number of it found there, and news rather than
talk about "the article"; and which numbers of it come from a sentence its translation got wrong (the
English summary agrees with the English, so only the original tells).

The summarize stage judges its summaries with it before the renders, so an unsupported sentence is
regenerated or dropped, with the reason in the digest. No model but the sentence embedder.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from pipeline.records import Sentence
from pipeline.similarity.embed import calibrate
from pipeline.terms.institutions import unsupported_names
from pipeline.terms.matching import find_term
from pipeline.terms.names import names_in
from pipeline.text.checks import meta_sentence
from pipeline.text.number_check import FLAG as NUMBER_FLAG
from pipeline.text.number_check import MISSING, number_mismatches, shown
from pipeline.text.numbers import Number, extract_numbers

MIN_SUPPORT = 0.45  # calibrated similarity to the best source sentence or pair (0 unrelated, 1 a translation)
MAX_NOVEL = 0.3  # share of a sentence's words found nowhere in the source above which it is not the source's news
PREFIX = 6  # letters a word is compared by (said/saying, election/elections), so inflection is not novelty
_WORD = re.compile(r"[^\W\d_]{3,}")
MISTRANSLATED = "summary-number-from-mistranslation"  # a summary's number that its article's translation got wrong


@dataclass
class Verdict:
    """What backs one summary sentence and what does not."""

    support: float  # best calibrated similarity to one source sentence or two adjacent ones
    novel: float  # share of its words (3 letters or more) that the source does not have
    names: list[str] = field(default_factory=list)  # names the source does not have
    numbers: list[str] = field(default_factory=list)  # firm numbers the source does not have
    meta: bool = False  # about the article rather than its news

    def reasons(self, min_support: float = MIN_SUPPORT, max_novel: float = MAX_NOVEL) -> list[str]:
        """Why a reader should not trust the sentence; empty when the article backs it."""
        reasons = []
        if self.meta:
            reasons.append("about the article, not its news")
        if self.names:
            reasons.append(f"names not in the source: {', '.join(self.names)}")
        if self.numbers:
            reasons.append(f"numbers not in the source: {', '.join(self.numbers)}")
        if self.support < min_support:
            reasons.append(f"no source sentence says it (support {self.support:.2f})")
        elif self.novel > max_novel:
            reasons.append(f"{self.novel:.0%} of its words are not in the source")
        return reasons


@dataclass(frozen=True)
class WrongFact:
    """A number that the translate stage flagged as wrong in a sentence's English, and what the original
    says instead (MISSING: nothing)."""

    number: Number  # as the English writes it: "ninth"
    source: str = MISSING  # as the original writes it: "onzième"


@dataclass(frozen=True)
class Source:
    """An article as the check reads it: its English sentences, the original text names may come from,
    glossary terms (English, then every form in every language) whose English a machine translation may have
    made up: a term the summary uses must be in the original in some language, and the facts its translation
    got wrong (`wrong_facts`), which a summary of the English would repeat."""

    sentences: list[str]
    original: str = ""
    lang: str = "en"
    terms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    wrong: tuple[WrongFact, ...] = ()

    @property
    def english(self) -> str:
        return " ".join(self.sentences)


def judge(summary: list[str], source: Source, embedder) -> list[Verdict]:
    """A verdict for each English summary sentence against its source."""
    if not summary:
        return []
    supports = support_scores(summary, source.sentences, embedder)
    vocabulary = _prefixes(source.english + " " + source.original)
    return [Verdict(support=float(score), novel=_novel(sentence, vocabulary), names=missing_names(sentence, source),
                    numbers=missing_numbers(sentence, source),
                    meta=meta_sentence(sentence, source.english + " " + source.original))
            for sentence, score in zip(summary, supports)]


def support_scores(summary: list[str], sources: list[str], embedder) -> np.ndarray:
    """Per summary sentence, its best calibrated similarity to a source sentence or to two adjacent ones
    (a summary sentence often joins two)."""
    if not sources:
        return np.zeros(len(summary))
    units = sources + [f"{a} {b}" for a, b in zip(sources, sources[1:])]
    return calibrate(embedder.encode(summary) @ embedder.encode(units).T).max(axis=1)


def missing_names(sentence: str, source: Source) -> list[str]:
    """Names of the sentence that neither the English source nor the original text has, names of
    institutions and titles whose words the original has in no language (`terms.institutions`: State
    Council from a mistranslated 湖北 headline), and glossary terms of it that the original has in no
    language."""
    names = [name for name in names_in(sentence, "en")
             if not find_term(source.english, name) and not find_term(source.original, name)]
    if source.original:  # in the English source only because a machine translation made it up
        names += [name for name in unsupported_names(sentence, source.original) if name not in names]
    terms = [term for term, forms in source.terms if find_term(sentence, term)
             and not any(find_term(source.original, form) for form in forms)]
    return names + [term for term in terms if not any(find_term(name, term) for name in names)]


def missing_numbers(sentence: str, source: Source) -> list[str]:
    """Firm numbers of the sentence that neither the English source nor the original text carries."""
    extra = [m.target.text for m in number_mismatches(source.english, "en", sentence, "en") if m.target]
    if extra and source.original and source.lang != "en":
        also = {m.target.text for m in number_mismatches(source.original, source.lang, sentence, "en") if m.target}
        extra = [text for text in extra if text in also]
    return [" ".join(text.split()) for text in extra]


def wrong_facts(sentences: list[Sentence], lang: str) -> tuple[WrongFact, ...]:
    """The numbers that translated sentences flagged `number-mismatch` have wrong in English: a summary that
    reads the English carries them on, and the English has nothing to check them by. (A name such a sentence
    made up, `unsupported-name`, needs no such list: `missing_names` reads the original.)"""
    facts: list[WrongFact] = []
    for sentence in sentences:
        if sentence.english and sentence.english != sentence.text and any(
                flag.startswith(NUMBER_FLAG) for flag in sentence.flags):
            mismatches = number_mismatches(sentence.text, sentence.lang or lang, sentence.english, "en")
            facts += [WrongFact(m.target, shown(m.source)) for m in mismatches if m.target]
    return tuple(dict.fromkeys(facts))


def from_mistranslation(sentence: str, source: Source) -> list[str]:
    """The wrong numbers of the source's translation that a summary sentence carries, as flags naming them
    and what the original says (`summary-number-from-mistranslation: ninth (source: onzième)`); a number the
    original also writes elsewhere (of the same kind: an ordinal for an ordinal) is no mistranslation."""
    if not source.wrong:
        return []
    ours = extract_numbers(sentence, "en")
    theirs = extract_numbers(source.original, source.lang) if source.original else []
    flags = []
    for fact in source.wrong:
        carried = next((n for n in ours if _same(n, fact.number)), None)
        if carried and not any(_same(n, fact.number) for n in theirs):
            flags.append(f"{MISTRANSLATED}: {shown(carried)} (source: {fact.source})")
    return list(dict.fromkeys(flags))


def _same(a: Number, b: Number) -> bool:
    return a.kind == b.kind and bool(a.keys() & b.keys())


def _prefixes(text: str) -> set[str]:
    return {word[:PREFIX] for word in _WORD.findall(text.casefold())}


def _novel(sentence: str, vocabulary: set[str]) -> float:
    words = _WORD.findall(sentence.casefold())
    return sum(word[:PREFIX] not in vocabulary for word in words) / len(words) if words else 0.0
