"""Output guards around any backend: clean chatter, detect bad outputs, retry once, flag the rest.

`GuardedBackend` has the backend's interface plus `translate_checked` and
`summarize_checked`, which return each output with the problems that survived
one retry, so a stage can flag them in the digest instead of passing them on.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from pipeline.backends.base import BackendError
from pipeline.backends.consensus import consensus
from pipeline.text.segment import split_sentences

VERSION = 4  # part of every backend's description: a changed guard redoes the outputs it judged

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
                         r"|you are a (?:professional )?news (?:translator|editor)|between <(?:text|article)>",
                         re.IGNORECASE)
REFUSALS = re.compile(
    r"\b(?:I(?:'m| am) sorry|I cannot|I can't|as an AI|I'm unable|je suis désolé|je ne peux pas)\b|抱歉|我无法|作为(?:一个)?AI",
    re.IGNORECASE,
)
# A lower-case English word inside Chinese output: names and acronyms are capitalised, common words are not.
LEFTOVER_ENGLISH = re.compile(r"(?<![A-Za-z])[a-z]{3,}(?![A-Za-z])")
ENGLISH_CANDIDATES = re.compile(r"(?<![\w'’-])[a-z]{6,}(?![\w'’-])")
ENGLISH_WORD_CONFIDENCE = 0.9  # lingua, English against French only
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


def han_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "CJK" in unicodedata.name(c, "")) / len(letters)


def repetition_problem(text: str) -> bool:
    """A decoding loop: one n-gram repeated many times over a large share of the output, or a sentence said twice."""
    sentences = split_sentences(text, "zh" if han_share(text) >= 0.5 else "en")  # as the summarize stage splits
    if len(without_repeats(sentences)) < len(sentences):
        return True
    units = text.split() if han_share(text) < 0.5 else list(text.replace(" ", ""))
    n = 4
    if len(units) < 4 * n:
        return False
    grams = Counter(tuple(units[i : i + n]) for i in range(len(units) - n + 1))
    gram, count = grams.most_common(1)[0]
    return count >= 4 and count * n >= 0.3 * len(units)


def without_repeats(sentences: list[str]) -> list[str]:
    """The sentences, less those whose `sentence_key` an earlier one already had."""
    kept, seen = [], set()
    for sentence in sentences:
        key = sentence_key(sentence)
        if not key or key not in seen:
            kept.append(sentence)
        seen.add(key)
    return kept


def sentence_key(sentence: str) -> str:
    """Its words, lower-cased; '' for a sentence too short (under five words or ten Han characters) to count
    as a repeat: "Prices rose." twice is style, a whole sentence twice is a decoding loop."""
    key = " ".join(re.findall(r"\w+", sentence.lower()))
    han = sum(1 for c in key if "\u4e00" <= c <= "\u9fff")
    return key if len(key.split()) >= 5 or han >= 10 else ""


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


@lru_cache(maxsize=1)
def _latin_identifier():
    from py3langid.langid import _load_identifier

    identifier = _load_identifier(norm_probs=True)
    identifier.set_languages(["en", "fr", "de", "es", "it", "pt", "nl"])
    return identifier


@lru_cache(maxsize=1)
def _english_or_french():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH).build()


def english_words_in_french(text: str) -> list[str]:
    """Lower-case words of six letters or more that read as English, not French ("noodles", "attacks").

    Capitalised words are skipped: names stay as they are. On 506 FLORES French
    reference lines this finds a word in 4 (loanwords: "finish", "volley").
    """
    from lingua import Language

    detector = _english_or_french()
    return [word for word in ENGLISH_CANDIDATES.findall(text)
            if detector.compute_language_confidence(word, Language.ENGLISH) >= ENGLISH_WORD_CONFIDENCE]


def latin_language(text: str) -> str:
    """The most likely Latin-script language of `text` (restricted set: cheap and steady)."""
    return _latin_identifier().classify(text)[0]


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


def summary_problems(output: str, max_words: int) -> list[str]:
    if not output.strip():
        return ["empty"]
    problems = []
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


def ends_complete(text: str) -> bool:
    """Ends like a finished sentence (a model cut at its token budget stops mid-sentence)."""
    return bool(re.search(r"[.!?。！？…][\"'”’»)\]]*\s*$", text))


# Sentences that address the model rather than report news: an injected instruction (en, fr, zh) or chat markup.
INSTRUCTION_LIKE = re.compile(
    r"\b(?:ignore|disregard|forget)\b[^.]{0,30}\b(?:previous|prior|above|earlier|preceding|instructions?|prompt)\b"
    r"|\bfrom now on,? (?:you|write|reply|answer|respond)\b"
    r"|\b(?:system prompt|new task|developer mode|let's play a game|instead of (?:translating|summari[sz]ing)"
    r"|before (?:translating|summari[sz]ing)|(?:summary|translation) requirement)\b"
    r"|\b(?:reply|respond|answer|output|print|write)\b[^.]{0,40}\b(?:only|instead|word for word)\b"
    r"|\b(?:begin|start|end|finish)\b[^.]{0,20}\b(?:your|every) (?:reply|answer|response|summary)\b"
    r"|^\W*(?:assistant|chatbot|(?-i:AI)|translator|summari[sz]er|traducteur|résumeur)\s*[:,]"
    r"|\b(?:ignore[zr]?|oublie[zr]?)\b[^.]{0,30}\b(?:instructions?|consignes?)\b"
    r"|\b(?:nouvelle consigne|mode développeur|au lieu de (?:traduire|résumer))\b|\[/?SYST[ÈE]ME\]"
    r"|\b(?:note|instruction|message)s? (?:au|à l'|pour l'|pour le) (?:traducteur|résumeur|assistant|modèle|IA)\b"
    r"|\brépon(?:ds|dez)\b[^.]{0,40}\b(?:uniquement|seulement)\b|\brépète[sz]?\b[^.]{0,40}\bfois\b"
    r"|(?:忽略|无视|忘记|忘掉)[^。]{0,8}(?:指令|任务|提示|要求)|系统提示|不要翻译|(?:翻译|摘要)时请|给(?:摘要|翻译)模型"
    r"|(?:助手|机器人)请注意|请重复[^。]{0,10}次|(?:只|仅)(?:输出|回答)"
    r"|<\|[a-z_]+\|>|</?\s*(?:article|text|system)\s*>",
    re.IGNORECASE | re.MULTILINE,
)
_WORD = re.compile(r"[^\W\d_]{3,}|\d+")


def instruction_like(text: str) -> bool:
    """Whether `text` reads like an instruction to the model (a likely prompt injection), not like news."""
    return bool(INSTRUCTION_LIKE.search(text))


def echoed_words(output: str, instructions: list[str], others: list[str]) -> list[str]:
    """Words of `output` found in instruction-like sentences and nowhere else in the article."""
    def words(text: str) -> set[str]:
        return {word.casefold() for word in _WORD.findall(text)}

    elsewhere = set().union(*map(words, others)) if others else set()
    injected = set().union(*map(words, instructions)) if instructions else set()
    return sorted((words(output) & injected) - elsewhere)


def _normalise(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


class GuardedBackend:
    """Any backend, with its outputs cleaned, checked, retried once and flagged."""

    def __init__(self, backend):
        self.backend = backend
        self.name = backend.name

    def __getattr__(self, attribute):
        return getattr(self.backend, attribute)

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        return [text for text, _ in self.translate_checked(texts, source, target)]

    def summarize(self, texts: list[str], max_words: int) -> list[str]:
        return [text for text, _ in self.summarize_checked(texts, max_words)]

    def translate_checked(self, texts: list[str], source: str, target: str) -> list[tuple[str, list[str]]]:
        def check(text, output):
            return translation_problems(text, output, source, target)

        def run(batch, retry):
            samples = self._samples(retry)
            if not samples:
                return self.backend.translate(batch, source, target, retry=retry)
            pools = self.backend.translate_candidates(batch, source, target, samples, retry=retry)
            return [consensus([clean_output(c) for c in pool], lambda c, text=text: not check(text, c))
                    for text, pool in zip(batch, pools)]

        return self._checked(texts, run, check)

    def summarize_checked(self, texts: list[str], max_words: int) -> list[tuple[str, list[str]]]:
        def run(batch, retry):
            return self.backend.summarize(batch, max_words, retry=retry)

        return self._checked(texts, run, lambda _, out: summary_problems(out, max_words))

    def _samples(self, retry: bool) -> int:
        """Sampled translations to add to the greedy one: `candidates` first, `retry_candidates` on a retry."""
        generation = self.backend.role_config.generation if hasattr(self.backend, "role_config") else None
        count = (generation.retry_candidates if retry else generation.candidates) if generation else 0
        if count and not hasattr(self.backend, "translate_candidates"):
            raise BackendError(f"{self.name}: generation.candidates and retry_candidates work with the LLM "
                               "backends only; set them to 0 for this model")
        return count

    def _checked(self, texts, run, check) -> list[tuple[str, list[str]]]:
        outputs = [clean_output(o) for o in run(texts, False)]
        problems = [check(t, o) for t, o in zip(texts, outputs)]
        retry = [i for i, p in enumerate(problems) if p]
        if retry:
            second = [clean_output(o) for o in run([texts[i] for i in retry], True)]
            for index, output in zip(retry, second):
                second_problems = check(texts[index], output)
                if len(second_problems) < len(problems[index]):
                    outputs[index], problems[index] = output, second_problems
        return [(o, [f"guard:{p}" for p in ps]) for o, ps in zip(outputs, problems)]
