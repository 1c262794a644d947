"""Words of the wrong language in a translation: English left in French, French in English, Chinese left anywhere.

A word is foreign when the other language's word list knows it well and the
target's barely does: pyspellchecker ships English and French word
frequencies (about 160,000 and 140,000 words, pure Python). Relative
frequencies are compared, since the two lists were counted on corpora of
different sizes. Capitalised words are usually names, kept as written, so
only very common words ("State", "Power") are flagged when capitalised, and
never inside a run of capitalised words ("New York"); all-capital acronyms
are left alone. Han characters in a Latin-script translation are untranslated
text; English words in a Chinese one are flagged by the English list alone.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.text.scripts import SCRIPT_RANGES

WORD_LISTS = {"en": "en", "fr": "fr"}  # languages pyspellchecker ships a word list for, among digest's
FOREIGN_TO = {"fr": "en", "en": "fr", "zh": "en"}  # the language whose words a translation must not keep
MIN_COUNT = 1_000  # occurrences in the foreign list: rarer words are too often typos or names
MIN_RATIO = 100.0  # foreign relative frequency over the target's
MIN_COUNT_CAPITALISED = 50_000  # a capitalised word is a name unless it is this common
# English words French writes as they are (absent from pyspellchecker's French list).
LOANWORDS = frozenset({"internet", "web", "email", "mail", "ok", "startup", "start-up", "smartphone", "podcast",
                       "blog", "tweet", "selfie", "hashtag", "streaming", "cloud", "hacker", "newsletter", "wifi",
                       "online", "app", "bitcoin", "covid", "e-mail"})
# English acronyms a French text writes its own way (GDP is PIB): all-capital words are otherwise left alone.
ENGLISH_ACRONYMS = frozenset({"GDP", "CPI", "WHO", "UN", "EU", "NATO", "IMF", "WTO", "CPC", "NPC", "PMI", "AI",
                              "USA", "UK", "CEO"})
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿœŒæÆ]+(?:-[A-Za-zÀ-ÖØ-öø-ÿœŒæÆ]+)*")  # elisions (l', d') split off
_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
_HAN_RUN = re.compile(f"[{SCRIPT_RANGES['han']}]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;«»\"“”(]\s*)$")


@lru_cache(maxsize=4)
def frequencies(lang: str) -> tuple[dict[str, int], int]:
    """pyspellchecker's word counts for `lang` and their total."""
    from spellchecker import SpellChecker

    counts = SpellChecker(language=WORD_LISTS[lang], distance=1).word_frequency
    return counts.dictionary, counts.total_words


def word_lists_version() -> str:
    """The word lists' package and version, for signatures."""
    import importlib.metadata

    return f"pyspellchecker {importlib.metadata.version('pyspellchecker')}"


def foreign_words(text: str, target_lang: str) -> list[str]:
    """The words of `text` (a translation into `target_lang`) that belong to another language, in text order."""
    found = []
    if target_lang != "zh":
        found += [(m.start(), m.group()) for m in _HAN_RUN.finditer(text)]
    if target_lang == "fr":
        found += [(m.start(), m.group()) for m in _ACRONYM.finditer(text) if m.group() in ENGLISH_ACRONYMS]
    foreign = FOREIGN_TO.get(target_lang)
    if foreign is not None:
        names = in_name_runs(text)
        for match in _WORD.finditer(text):
            word, capitalised = match.group(), _capitalised_in_text(text, match)
            if (not (capitalised and word in names) and word.lower() not in LOANWORDS
                    and any(_foreign(part, foreign, target_lang, capitalised) for part in word.split("-"))):
                found.append((match.start(), word))
    return [word for _, word in sorted(found)]


def _capitalised_in_text(text: str, match: re.Match) -> bool:
    """Capitalised where nothing asks for a capital: not the first word of a sentence."""
    return match.group()[0].isupper() and not _SENTENCE_START.search(text[:match.start()])


def _foreign(word: str, foreign: str, target_lang: str, capitalised: bool) -> bool:
    lower = word.lower()
    if len(word) < 2 or lower in LOANWORDS or word.isupper():
        return False
    counts, total = frequencies(foreign)
    count = counts.get(lower, 0)
    if count < (MIN_COUNT_CAPITALISED if capitalised else MIN_COUNT):
        return False
    if target_lang not in WORD_LISTS:  # a Latin word in Chinese: the English list decides alone
        return True
    own, own_total = frequencies(target_lang)
    return (count / total) >= MIN_RATIO * (own.get(lower, 0) + 1) / own_total


def in_name_runs(text: str) -> set[str]:
    """Words that stand in a run of two or more capitalised words: parts of a name."""
    words = list(_WORD.finditer(text))
    names = set()
    for left, right in zip(words, words[1:]):
        between = text[left.end():right.start()]
        if left.group()[0].isupper() and right.group()[0].isupper() and between.strip() in ("", "-"):
            names.update((left.group(), right.group()))
    return names
