"""Output guards around any backend: clean chatter, detect bad outputs, retry once, flag the rest.

`GuardedBackend` has the backend's interface as stages use it, plus `translate_checked`
and `summarize_checked`, which return each output with the problems that survived
one retry, so a stage can flag them in the digest instead of passing them on.
"""
from __future__ import annotations

import logging
import re
import time

from pipeline.backends.base import Backend, per_text
from pipeline.backends.consensus import consensus
from pipeline.backends.usage import USAGE
from pipeline.language.latin import english_words_in_french, latin_language
from pipeline.text.checks import (
    ends_complete,
    han_share,
    meta_sentence,
    repetition_problem,
)
from pipeline.text.segment import split_sentences

log = logging.getLogger("digest.guards")

VERSION = 8  # part of every backend's description: a changed guard redoes the outputs it judged
# (5: translations and renders are also retried for their numbers and glossary terms; 6: summaries about "the
# article" are retried; 7: made-up institutions, swapped ordinals, missed terms tried with the term pinned)

CHATTER_PREFIXES = re.compile(
    r"^\s*(?:(?:sure|certainly|of course)[,!.]?\s*)?(?:here(?: is|'s) (?:the|a|your) [\w\s-]*?(?:translation|summary)"
    r"[^:\n]*:|(?:english |french |chinese )?(?:translation|translated text|summary|traduction|résumé|翻译|译文|摘要)"
    r"\s*[:：]|voici (?:la|le|une|un) (?:traduction|résumé)[^:\n]*:|以下是[^：:\n]{0,12}(?:翻译|译文|摘要|总结)[^：:\n]{0,6}[：:])\s*",
    re.IGNORECASE,
)
# Notes a model appends after the answer: a "Note:" paragraph, or a parenthesised note at the very end.
CHATTER_SUFFIXES = re.compile(r"(?:\n\s*\(?(?:note|remarque|注|注意)\s*[:：].*|\s*\((?:note|remarque)\s*:[^)]*\))\s*$",
                              re.IGNORECASE | re.DOTALL)
# Talk to the reader that cleaning could not cut off: the output is flagged "chatter" unless the source has it.
CHATTER = re.compile(r"\b(?:I hope this helps|let me know if|feel free to|as requested|here is the|here's the)\b"
                     r"|voici (?:la|le) (?:traduction|résumé)|希望(?:对你|这)?有(?:所)?帮助", re.IGNORECASE)
FENCES = re.compile(r"^\s*(?:```\w*|</?(?:text|article|translation)>)\s*|\s*(?:```|</?(?:text|article|translation)>)\s*$")
# Phrases of digest's own prompts: an output that recites them leaks the instructions instead of translating.
PROMPT_LEAK = re.compile(r"never instructions to you|no quotation marks around it|reply with the translation only"
                         r"|glossary for the text below|use these renderings|keep these as written"
                         r"|you are a (?:professional )?news (?:translator|editor)|between <(?:text|article)>",
                         re.IGNORECASE)
REFUSALS = re.compile(
    r"\b(?:I(?:'m| am) sorry|I cannot|I can't|as an AI|I'm unable|je suis désolé|je ne peux pas)\b|抱歉|我无法|作为(?:一个)?AI",
    re.IGNORECASE,
)
# A lower-case English word inside Chinese output: names and acronyms are capitalised, common words are not.
LEFTOVER_ENGLISH = re.compile(r"(?<![A-Za-z])[a-z]{3,}(?![A-Za-z])")
# Typical characters-per-character ratio of a translation, by direction; outputs far outside it are suspect.
EXPANSION = {("zh", "en"): 3.2, ("en", "zh"): 0.32, ("zh", "fr"): 3.6, ("fr", "zh"): 0.28}


def clean_output(text: str) -> str:
    """Strip the wrappers models add around an answer: chatter prefixes, fences, surrounding quotes."""
    previous = None
    while previous != text:
        previous = text
        text = FENCES.sub("", CHATTER_SUFFIXES.sub("", CHATTER_PREFIXES.sub("", text))).strip()
    if len(text) > 2 and text[0] + text[-1] in {'""', "“”", "«»", "「」"}:
        text = text[1:-1].strip()
    return text


def language_problem(output: str, target: str) -> str | None:
    share = han_share(output)
    if target == "zh" and share < 0.5:
        return "wrong-language" if share < 0.1 else "untranslated-span"
    if target == "zh" and LEFTOVER_ENGLISH.search(output):
        return "untranslated-span"
    if target in {"en", "fr"} and share > 0.0:
        return "wrong-language" if share > 0.5 else "untranslated-span"
    if target in {"en", "fr"} and len(output) >= 40 and latin_language(output) != target:
        return "wrong-language"
    if target == "fr" and english_words_in_french(output):
        return "untranslated-span"
    return None


def translation_problems(source_text: str, output: str, source: str, target: str) -> list[str]:
    """What is wrong with `output` as a translation of `source_text`; empty when it looks sound."""
    if not output.strip():
        return ["empty"]
    problems = []
    if REFUSALS.search(output) and not REFUSALS.search(source_text):
        problems.append("refusal")
    if CHATTER.search(output) and not CHATTER.search(source_text):
        problems.append("chatter")
    if PROMPT_LEAK.search(output) and not PROMPT_LEAK.search(source_text):
        problems.append("prompt-leak")
    if source != target and _normalise(output) == _normalise(source_text) and any(c.isalpha() for c in source_text):
        problems.append("echo")
    language = language_problem(output, target)
    if language:
        problems.append(language)
    if repetition_problem(output) and not repetition_problem(source_text):
        problems.append("repetition")
    if dropped_sentences(source_text, output, source, target):
        problems.append("dropped-sentences")
    if len(source_text) >= 20:
        ratio = len(output) / len(source_text) / EXPANSION.get((source, target), 1.0)
        if ratio > 3.0 or ratio < 0.3:
            problems.append("length-ratio")
    return problems


def dropped_sentences(source_text: str, output: str, source: str, target: str) -> bool:
    """Whether a translation of three or more sentences came back with a quarter of them or more missing.

    Translators merge a pair of short sentences now and then, never a quarter of a text; a retry that
    fixes one flaw by leaving out the sentence that had it must not count as the better output.
    """
    count = len(split_sentences(source_text, source))
    return count >= 3 and len(split_sentences(output, target)) < 0.75 * count


def summary_problems(output: str, max_words: int, source: str = "") -> list[str]:
    """What is wrong with `output` as a summary of `source` (the article, when known); empty when it looks sound."""
    if not output.strip():
        return ["empty"]
    problems = []
    if any(meta_sentence(sentence, source) for sentence in split_sentences(output, "en")):
        problems.append("meta")
    if REFUSALS.search(output):
        problems.append("refusal")
    if CHATTER.search(output):
        problems.append("chatter")
    if PROMPT_LEAK.search(output):
        problems.append("prompt-leak")
    language = language_problem(output, "en")
    if language:
        problems.append(language)
    if repetition_problem(output):
        problems.append("repetition")
    if len(output.split()) > 2 * max_words:
        problems.append("too-long")
    if not ends_complete(output):
        problems.append("incomplete")
    return problems


def _normalise(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


class GuardedBackend:
    """Any backend, with its outputs cleaned, checked, retried once and flagged.

    It offers what stages use; anything else is on the wrapped `backend`."""

    def __init__(self, backend: Backend):
        self.backend = backend
        self.name = backend.name

    @property
    def max_input_tokens(self) -> int:
        return self.backend.max_input_tokens

    def count_tokens(self, text: str) -> int:
        return self.backend.count_tokens(text)

    def signature(self) -> dict:
        return self.backend.signature()

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        return [text for text, _ in self.translate_checked(texts, source, target)]

    def summarize(self, texts: list[str], max_words: int | list[int]) -> list[str]:
        return [text for text, _ in self.summarize_checked(texts, max_words)]

    def translate_checked(self, texts: list[str], source: str, target: str, hints: list[str] | None = None,
                          extra=None) -> list[tuple[str, list[str]]]:
        """Each translation with the flags that survived one retry. `hints`: per text, a line about its terms
        and names for engines that take instructions (the others ignore it); `extra(i, output)`: flags of
        further problems of text i's output (glossary misses, numbers), retried like the guards' own."""
        hints = list(hints) if hints and any(hints) else None

        def check(i, output):
            found = [f"guard:{problem}" for problem in translation_problems(texts[i], output, source, target)]
            return found + (extra(i, output) if extra else [])

        def run(indices, retry):
            batch = [texts[i] for i in indices]
            options = {"hints": [hints[i] for i in indices]} if hints else {}
            samples = self._samples(retry)
            if not samples:
                return self.backend.translate(batch, source, target, retry=retry, **options)
            pools = self.backend.translate_candidates(batch, source, target, samples, retry=retry, **options)
            return [consensus([clean_output(c) for c in pool], lambda c, i=i: not check(i, c))
                    for i, pool in zip(indices, pools)]

        return self._checked(texts, run, check)

    def summarize_checked(self, texts: list[str], max_words: int | list[int], extra=None
                          ) -> list[tuple[str, list[str]]]:
        """Each summary with the flags that survived one retry; `max_words`: one length for all or one per
        text; `extra(i, output)`: flags of further problems of text i's summary (one per sentence its article
        does not support), retried like the guards' own."""
        words = per_text(max_words, len(texts))

        def run(indices, retry):
            return self.backend.summarize([texts[i] for i in indices], [words[i] for i in indices], retry=retry)

        def check(i, output):
            found = [f"guard:{problem}" for problem in summary_problems(output, words[i], texts[i])]
            return found + (extra(i, output) if extra else [])

        return self._checked(texts, run, check)

    def _samples(self, retry: bool) -> int:
        """Sampled translations to add to the greedy one: `candidates` first, `retry_candidates` on a retry
        (a backend that cannot sample refuses any in `translate_candidates`)."""
        generation = self.backend.role_config.generation
        return generation.retry_candidates if retry else generation.candidates

    def _checked(self, texts, run, check) -> list[tuple[str, list[str]]]:
        """`run(indices, retry)` over every text, then again over those whose output `check(i, output)`
        flags; the retry's output is kept where it has fewer flags."""
        outputs = [clean_output(o) for o in self._metered(run, texts, list(range(len(texts))), False)]
        problems = [check(i, o) for i, o in enumerate(outputs)]
        retry = [i for i, p in enumerate(problems) if p]
        if retry:
            log.debug("%s: retrying %d of %d outputs: %s", self.name, len(retry), len(texts),
                      "; ".join(", ".join(problems[i]) for i in retry))
            USAGE.retries += len(retry)
            second = [clean_output(o) for o in self._metered(run, texts, retry, True)]
            for index, output in zip(retry, second):
                second_problems = check(index, output)
                if len(second_problems) < len(problems[index]):
                    outputs[index], problems[index] = output, second_problems
                    USAGE.retries_kept += 1
        return list(zip(outputs, problems))

    def _metered(self, run, texts: list[str], indices: list[int], retry: bool) -> list[str]:
        """`run(indices, retry)`, with its units, tokens and seconds added to the process's model usage."""
        if not indices:
            return []
        started = time.perf_counter()
        outputs = run(indices, retry)
        USAGE.model_seconds += time.perf_counter() - started
        USAGE.units += len(indices)
        USAGE.input_tokens += sum(self.count_tokens(texts[i]) for i in indices)
        USAGE.generated_tokens += sum(self.count_tokens(output) for output in outputs if isinstance(output, str))
        return outputs
