"""Words of the wrong language in a translation: English left in French, French in English, Chinese left anywhere.

A word is foreign when the other language's word list knows it well and the
target's barely does: pyspellchecker ships English and French word
frequencies (about 160,000 and 140,000 words, pure Python). Relative
frequencies are compared, since the two lists were counted on corpora of
different sizes. Capitalised words are usually names, kept as written, so
a capitalised word is flagged only when it is very common in the other
language and absent from the target's ("State", "Also"), never inside a run of
capitalised words ("New York", "Corps of Engineers"); words in quotes or
brackets (titles, glosses) and units after a number are left alone, and of
all-capital words only English acronyms French writes its own way (GDP).
A lower-case word the target's list lacks is foreign from a lower count, and a
hyphenated compound with one foreign part is foreign ("sol-moisture"); checked
for false alarms on FLORES French and the French seeds (cricket's "runs" and
a "rangers" remain).
Han characters in a Latin-script translation are untranslated text; English
words in a Chinese one are flagged by the English list alone.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.text.scripts import SCRIPT_RANGES

RULES = "2"  # what counts as foreign beyond the lists; in every signature with the lists' version
WORD_LISTS = {"en": "en", "fr": "fr"}  # languages pyspellchecker ships a word list for, among digest's
FOREIGN_TO = {"fr": "en", "en": "fr", "zh": "en"}  # the language whose words a translation must not keep
MIN_COUNT = 1_000  # occurrences in the foreign list: rarer words are too often typos or names
MIN_COUNT_ABSENT = 100  # but a lower-case word the target's list lacks altogether is foreign from this count ("maples")
# Foreign relative frequency over the target's, by target: English keeps many French words ("comment" is 180
# times more frequent in French, yet English), French few English ones ("focus" is 170 times more English).
MIN_RATIO = {"fr": 100.0, "en": 300.0}
MIN_COUNT_CAPITALISED = 50_000  # a capitalised word is a name unless it is this common
MIN_LETTERS_CAPITALISED = 4  # shorter capitalised words are mostly names ("Su", "Li", "Le")
MAX_OWN_CAPITALISED = 100  # a capitalised word the target's list has this often is the target's own
# English words French writes as they are (absent from pyspellchecker's French list).
LOANWORDS = frozenset({"internet", "web", "email", "mail", "ok", "startup", "start-up", "smartphone", "podcast",
                       "blog", "tweet", "selfie", "hashtag", "streaming", "cloud", "hacker", "newsletter", "wifi",
                       "online", "app", "bitcoin", "covid", "e-mail", "tsunami", "geek", "tie-break", "break",
                       "week-end", "parking", "football", "rugby", "golf", "tennis", "drone", "drones", "roller",
                       "tie", "yuan", "yuans", "lithium"})
# English acronyms a French text writes its own way (GDP is PIB): all-capital words are otherwise left alone.
ENGLISH_ACRONYMS = frozenset({"GDP", "CPI", "WHO", "UN", "EU", "NATO", "IMF", "WTO", "CPC", "NPC", "AI"})
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿœŒæÆ]+(?:-[A-Za-zÀ-ÖØ-öø-ÿœŒæÆ]+)*")  # elisions (l', d') split off
_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
_HAN_RUN = re.compile(f"(?!丨)[{SCRIPT_RANGES['han']}]+")  # 丨 serves as a separator in headlines
_AFTER_NUMBER = re.compile(r"\d\s?$")
_GENUS = re.compile(r"\b[A-Z]\.\s?$")  # an abbreviated genus before a species name ("T. rex", "E. coli")
UNIT_LETTERS = 3  # a word this short after a number is a unit ("725 km", "5 GW"); "10 trillion" is no unit
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"|\([^)]*\)")
# Lower-case words inside names: English ones ("Corps of Engineers", "Guy's Hospital"); in English text the particles
# of other languages' names too ("Fernandez de Kirchner"), not in French text, where "du State de Hubei" is no name.
_ENGLISH_CONNECTORS = frozenset({"of", "the", "s"})
NAME_CONNECTORS = {"fr": _ENGLISH_CONNECTORS,
                   "en": _ENGLISH_CONNECTORS | {"de", "da", "del", "van", "von", "bin", "al", "la", "le"}}


@lru_cache(maxsize=4)
def frequencies(lang: str) -> tuple[dict[str, int], int]:
    """pyspellchecker's word counts for `lang` and their total."""
    from spellchecker import SpellChecker

    counts = SpellChecker(language=WORD_LISTS[lang], distance=1).word_frequency
    return counts.dictionary, counts.total_words


def word_lists_version() -> str:
    """The word lists' package and version and the rules' version, for signatures."""
    import importlib.metadata

    return f"pyspellchecker {importlib.metadata.version('pyspellchecker')}; rules {RULES}"


def foreign_words(text: str, target_lang: str) -> list[str]:
    """The words of `text` (a translation into `target_lang`) that belong to another language, in text order."""
    found = []
    if target_lang != "zh":
        found += [(m.start(), m.group()) for m in _HAN_RUN.finditer(text)]
    if target_lang == "fr":
        found += [(m.start(), m.group()) for m in _ACRONYM.finditer(text) if m.group() in ENGLISH_ACRONYMS]
    foreign = FOREIGN_TO.get(target_lang)
    if foreign is not None:
        names, quoted = in_name_runs(text, target_lang), [m.span() for m in _QUOTED.finditer(text)]
        for match in _WORD.finditer(text):
            word, capitalised = match.group(), match.group()[0].isupper()
            unit = len(word) <= UNIT_LETTERS and _AFTER_NUMBER.search(text[:match.start()])
            species = _GENUS.search(text[:match.start()])
            if word in names or unit or species or _quoted(quoted, match.start()):
                continue  # a part of a name, a unit ("725 km"), a title or gloss in quotes or brackets
            if _compound_foreign(word, foreign, target_lang, capitalised):
                found.append((match.start(), word))
    return [word for _, word in sorted(found)]


def _compound_foreign(word: str, foreign: str, target_lang: str, capitalised: bool) -> bool:
    """A word, or a hyphenated compound with a foreign part that the target's list lacks ("sol-moisture")."""
    if _loanword(word.lower()):
        return False
    if "-" in word and target_lang in WORD_LISTS and word.lower() in frequencies(target_lang)[0]:
        return False  # the target's list has the compound ("week-end" in French)
    return any(_foreign(part, foreign, target_lang, capitalised) for part in word.split("-"))


def _loanword(lower: str) -> bool:
    """A word French writes as English does, or its plural ("tsunamis")."""
    return lower in LOANWORDS or (lower[-1:] in ("s", "x") and lower[:-1] in LOANWORDS)


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _quoted(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start < position < end for start, end in spans)


def _foreign(word: str, foreign: str, target_lang: str, capitalised: bool) -> bool:
    lower = word.lower()
    if len(word) < (MIN_LETTERS_CAPITALISED if capitalised else 2) or _loanword(lower) or word.isupper():
        return False
    counts, total = frequencies(foreign)
    own, own_total = frequencies(target_lang) if target_lang in WORD_LISTS else ({}, 1)
    count = counts.get(lower, 0)
    if not count and lower not in own and lower.endswith("ing"):  # an English -ing word given an accent: "smélting"
        count = counts.get(_unaccented(lower), 0)
    least = MIN_COUNT_ABSENT if not capitalised and lower not in own and target_lang in WORD_LISTS else MIN_COUNT
    if count < (MIN_COUNT_CAPITALISED if capitalised else least):
        return False
    if target_lang not in WORD_LISTS or least == MIN_COUNT_ABSENT:  # the foreign list decides alone
        return True
    if capitalised and own.get(lower, 0) >= MAX_OWN_CAPITALISED:
        return False  # the target language has the word too ("Premier" in English): a title or a name
    return (count / total) >= MIN_RATIO[target_lang] * (own.get(lower, 0) + 1) / own_total


def in_name_runs(text: str, target_lang: str = "en") -> set[str]:
    """Words in a run of two or more capitalised words, English connectors between them included
    ("Corps of Engineers"): parts of a name. French connectors do not join ("Conseil du State")."""
    words, connectors = list(_WORD.finditer(text)), NAME_CONNECTORS.get(target_lang, _ENGLISH_CONNECTORS)
    names: set[str] = set()
    for index, word in enumerate(words):
        run = [word]
        for following in words[index + 1:]:
            between = text[run[-1].end():following.start()].strip()
            if between not in ("", "-", "'", "’"):
                break
            run.append(following)
            if following.group()[0].isupper() or following.group() not in connectors:
                break
        if word.group()[0].isupper() and run[-1].group()[0].isupper() and len(run) > 1:
            names.update(w.group() for w in run)
    return names
