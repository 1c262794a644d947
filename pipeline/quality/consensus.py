"""Consensus evidence: how far each translation agrees with the other translations of the same source.

When several translations of one source are scored together (the systems of
an MQM file, the candidates a reranker chooses among), the one closest to the
rest is the reading most of them support: minimum Bayes risk, with the other
translations standing in for references. Two measures, both higher-is-better
and free of any model run: mean sentence chrF (0..1) and mean cosine of the
sentence embeddings against the others. Translations are grouped by their
source text. A translation alone with its source has nothing to agree with:
it gets the fit data's mean, so its consensus neither raises nor lowers its score.
"""
from __future__ import annotations

import copy
import math

import numpy as np

from pipeline.backends.consensus import agreement as mean_chrf
from pipeline.quality.evidence import Evidence, _pairs

CHRF_CONSENSUS = "chrf_consensus"
EMBEDDING_CONSENSUS = "embedding_consensus"
FEATURES = (CHRF_CONSENSUS, EMBEDDING_CONSENSUS)


def peer_groups(keys: list) -> list[list[int]]:
    """The positions sharing each key, in order of first appearance."""
    groups: dict = {}
    for index, key in enumerate(keys):
        groups.setdefault(key, []).append(index)
    return list(groups.values())


def chrf_agreement(translations: list[str], keys: list) -> list[float]:
    """Per translation, mean sentence chrF (0..1) against each other translation with its key; NaN when alone."""
    found = [math.nan] * len(translations)
    for members in peer_groups(keys):
        for i in members:
            others = [translations[j] for j in members if j != i]
            if others:
                found[i] = mean_chrf(translations[i], others) / 100
    return found


def embedding_agreement(vectors: np.ndarray, keys: list) -> list[float]:
    """Per translation, mean cosine of its (unit) embedding with the others of its key; NaN when alone."""
    vectors, found = np.asarray(vectors, dtype=np.float64), np.full(len(keys), math.nan)
    for members in peer_groups(keys):
        if len(members) > 1:
            cosines = vectors[members] @ vectors[members].T
            found[members] = (cosines.sum(1) - np.diag(cosines)) / (len(members) - 1)
    return [float(v) for v in found]


def agreement(name: str, embedder, translations: list[str], keys: list) -> list[float]:
    """One consensus feature (`CHRF_CONSENSUS` or `EMBEDDING_CONSENSUS`) of each translation; NaN when alone."""
    if name == CHRF_CONSENSUS:
        return chrf_agreement(translations, keys)
    return embedding_agreement(embedder.encode(translations) if translations else np.zeros((0, 1)), keys)


def consensus_evidence(embedder, translations: list[str], keys: list, neutral: dict[str, float] | None = None,
                       names: tuple[str, ...] = FEATURES) -> dict[str, list[Evidence]]:
    """The consensus features by name, translations grouped by `keys`; a lone translation gets
    `neutral[feature]` (NaN without one)."""
    neutral = neutral or {}
    return {name: [Evidence(neutral.get(name, math.nan) if math.isnan(v) else v)
                   for v in agreement(name, embedder, translations, keys)] for name in names}


def checks(embedder, neutral: dict[str, float]) -> dict:
    """The consensus features as the estimator's checks, translations grouped by their source text."""
    def check(name: str):
        def feature(sources, translations, source_lang, target_lang) -> list[Evidence]:
            _pairs(sources, translations)
            return consensus_evidence(embedder, translations, sources, neutral, (name,))[name]
        return feature

    return {name: check(name) for name in FEATURES}


def consensus_combiner(estimator):
    """The combiner fitted with the consensus features over what `estimator` reads (cheap, or an LLM's); a model
    never fitted gets the QE model's, with a warning, as `estimate.combiner_for_model` does."""
    from pipeline.quality.estimate import QE_MODEL, log
    from pipeline.quality.fitted import CHEAP_CONSENSUS, FULL_CONSENSUS

    if estimator.likelihood is None:
        return CHEAP_CONSENSUS
    model = estimator.likelihood.backend.name
    if model not in FULL_CONSENSUS:
        log.warning("no consensus combiner was fitted on %s: using %s's (fit one with benchmarks/fit_qe.py)",
                    model, QE_MODEL)
    return FULL_CONSENSUS.get(model, FULL_CONSENSUS[QE_MODEL])


def with_consensus(estimator, combiner=None):
    """A copy of `estimator` that also reads the consensus of the translations of each source it is given
    together, combined by `combiner` (default: the one fitted for it). Same interface as the estimator."""
    combiner = combiner or consensus_combiner(estimator)
    neutral = {name: mean for name, mean in zip(combiner.features, combiner.means) if name in FEATURES}
    found = copy.copy(estimator)
    found.checks = {**estimator.checks, **checks(estimator.embedder, neutral)}
    found.combiner = combiner
    return found
