"""The quality estimate: every feature of a batch of translations, combined into one 0..1 score with reasons.

`QualityEstimator(embedder, likelihood)` scores (source, translation) pairs of
one direction. With a likelihood scorer (an LLM backend) it uses the full
combiner; without one, the cheap combiner fitted on the deterministic evidence
alone. Each `Estimate` carries its feature values and the reasons a reader
should doubt the translation: the checks that failed, naming the words and
numbers, and the model's doubts when its likelihood is far below the usual.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from pipeline.quality import evidence
from pipeline.quality.combine import Combiner
from pipeline.quality.fitted import CHEAP, FULL, VERSION
from pipeline.quality.likelihood import (
    LLM_FEATURES,
    CachedLikelihood,
    likelihood_features,
    likelihood_for,
)
from pipeline.quality.words import word_lists_version
from pipeline.records import LOW_QUALITY

log = logging.getLogger("digest.quality")

QE_MODEL = "qwen2.5-coder-0.5b-instruct"  # the default scorer; `fitted.FULL` holds a combiner per model fitted
LOW = 0.5  # under this a digest flags the translation: judges more likely than not find a major error
DOUBT = -2.0  # a likelihood this many standard deviations under the fit data's mean is given as a reason
UNLIKELY = "likelihood: the model finds this translation unlikely for its source"
UNFAITHFUL = "back-translation: the source is unlikely from this translation (something left out or added?)"
LIKELIHOOD_DOUBTS = {"forward": UNLIKELY, "forward_surprise": UNLIKELY, "backward": UNFAITHFUL,
                     "backward_surprise": UNFAITHFUL}
# What a low score with no failed check owes most to, by the feature that lowered it most.
WEAKEST = {"similarity": "meaning: less close to the source than usual",
           "length_ratio": "length: unusual for this direction", "source_length": "long sentence: room for errors",
           **LIKELIHOOD_DOUBTS}


@dataclass
class Estimate:
    """The quality of one translation: 0..1 score, feature values, and what a reader should check."""

    score: float
    features: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    @property
    def low(self) -> bool:
        """Whether a digest should flag this translation: a low score with a reason a reader can check (a
        length alone lowers the score, shown as it is, but a reader cannot act on "long", so it flags nothing)."""
        return self.score < LOW and bool(self.reasons)

    @property
    def flag(self) -> str:
        """The flag a low estimate puts on its sentence or pair (`publish.views.quality_mark` reads it back)."""
        return f"{LOW_QUALITY}: {'; '.join(self.reasons)}"


def combiner_for(likelihood) -> Combiner:
    """The combiner fitted on this scorer's model; the cheap one without a scorer. A model never fitted gets
    the QE model's weights, with a warning: its likelihoods are on another scale, its scores less calibrated."""
    return CHEAP if likelihood is None else combiner_for_model(likelihood.backend.name)


def combiner_for_model(model: str) -> Combiner:
    """The full combiner fitted on `model`'s likelihoods; the QE model's, with a warning, for one never fitted."""
    if model not in FULL:
        log.warning("no quality combiner was fitted on %s: using %s's weights (fit one with benchmarks/fit_qe.py)",
                    model, QE_MODEL)
    return FULL.get(model, FULL[QE_MODEL])


def load_likelihood(config, model: str | None = None):
    """The likelihood scorer over `model` (default: the QE's own), loaded with the translate role's engine."""
    from pipeline.backends.loading import load_backend

    return likelihood_for(load_backend(model or QE_MODEL, config.translate, config.run).backend)


class QualityEstimator:
    """Scores translations of one direction from their sources, without references."""

    def __init__(self, embedder, likelihood=None):
        self.likelihood = likelihood
        self.combiner = combiner_for(likelihood)
        self.checks = {"similarity": evidence.similarity(embedder), "length_ratio": evidence.length_ratio,
                       "wrong_language": evidence.wrong_language, "numbers": evidence.numbers,
                       "source_length": evidence.source_length}
        self.embedder = embedder

    def evidence(self, sources: list[str], translations: list[str], source_lang: str,
                 target_lang: str) -> dict[str, list[evidence.Evidence]]:
        """Every feature the combiner reads, by name, one `Evidence` per translation."""
        names = self.combiner.features
        found = {name: self.checks[name](sources, translations, source_lang, target_lang)
                 for name in names if name not in LLM_FEATURES}
        scores = likelihood_features(self.likelihood, names, sources, translations, source_lang, target_lang)
        found.update({name: [evidence.Evidence(v) for v in values] for name, values in scores.items()})
        return {name: found[name] for name in names}

    def estimate(self, sources: list[str], translations: list[str], source_lang: str,
                 target_lang: str) -> list[Estimate]:
        """One `Estimate` per translation, in order."""
        return self.combine(self.evidence(sources, translations, source_lang, target_lang))

    def combine(self, found: dict[str, list[evidence.Evidence]]) -> list[Estimate]:
        """The estimates from the features `evidence` found: the combined score and the reasons."""
        count = len(next(iter(found.values()), []))
        return [self._one({name: values[i] for name, values in found.items()}) for i in range(count)]

    def _one(self, features: dict[str, evidence.Evidence]) -> Estimate:
        values = {name: e.value for name, e in features.items()}
        reasons = [e.problem for e in features.values() if e.problem]
        for name, z in zip(self.combiner.features, self.combiner.standardised(values)):
            if name in LIKELIHOOD_DOUBTS and z < DOUBT and LIKELIHOOD_DOUBTS[name] not in reasons:
                reasons.append(LIKELIHOOD_DOUBTS[name])
        score = round(self.combiner.score(values), 4)
        if score < LOW and not reasons and (weakest := self._weakest(values)) != WEAKEST["source_length"]:
            reasons.append(weakest)
        return Estimate(score, values, reasons)

    def _weakest(self, values: dict[str, float]) -> str:
        """The reason for the feature that pulled a low score down most (its weight times its deviation)."""
        pulls = self.combiner.standardised(values) * self.combiner.weights
        return WEAKEST.get(self.combiner.features[int(pulls.argmin())], "below the usual on several checks")

    def signature(self) -> dict:
        """What decides the scores: QE version, combiner constants, embedder, word lists, LLM."""
        signature = {"version": VERSION, "combiner": self.combiner.signature(), "word_lists": word_lists_version(),
                     "embedder": self.embedder.signature()}
        if self.likelihood is not None:
            signature["likelihood"] = self.likelihood.backend.signature()
        return signature


def load_estimator(config, model: str | None = None, llm: bool = True, cache=None) -> QualityEstimator:
    """The estimator with the multilingual embedder and, unless `llm` is off, the LLM likelihoods of `model`
    (default: the QE's own), kept in the JSONL file `cache` when one is given."""
    from pipeline.similarity.embed import Embedder

    likelihood = load_likelihood(config, model) if llm else None
    if likelihood is not None and cache is not None:
        likelihood = CachedLikelihood(likelihood, cache)
    return QualityEstimator(Embedder(threads=config.run.threads), likelihood)
