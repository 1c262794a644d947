"""Quick language checks on Latin-script output: which of a few languages, and English words inside French.

Restricted detectors (py3langid over seven languages, lingua English-vs-French)
are cheap and steady on model output; `pipeline.language.guesser` is the full
cascade that labels articles.
"""
from __future__ import annotations

import re
from functools import lru_cache

ENGLISH_CANDIDATES = re.compile(r"(?<![\w'’-])[a-z]{6,}(?![\w'’-])")


ENGLISH_WORD_CONFIDENCE = 0.9  # lingua, English against French only


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
