"""Choosing among candidate translations by the quality estimate (QE reranking).

Each source has a pool of candidates (the greedy translation first, then
samples); the one with the best estimate among those `sound` accepts (the
output guards) is kept, the first candidate when none is. Ties keep the
earlier candidate, so a pool of identical samples changes nothing. With
`consensus`, the estimate also reads how far each candidate agrees with the
others of its pool (`quality.consensus`): the reading most samples support.
It needs pools of three or more: two candidates agree with each other alike.
"""
from __future__ import annotations

from pipeline.quality.consensus import with_consensus
from pipeline.quality.estimate import Estimate

CONSENSUS_POOL = 3  # the fewest candidates per pool for which consensus says which reading most support


def rerank(estimator, sources: list[str], pools: list[list[str]], source_lang: str, target_lang: str,
           sound=lambda source, candidate: True, consensus: bool = False) -> list[tuple[int, Estimate]]:
    """Per source, the index in its pool of the candidate kept and that candidate's estimate."""
    if len(pools) != len(sources) or any(not pool for pool in pools):
        raise ValueError(f"reranking: {len(pools)} pools for {len(sources)} sources; give one non-empty pool each")
    if consensus and min(map(len, pools)) >= CONSENSUS_POOL:
        estimator = with_consensus(estimator)
    flat = [(i, candidate) for i, pool in enumerate(pools) for candidate in pool]
    estimates = iter(estimator.estimate([sources[i] for i, _ in flat], [c for _, c in flat], source_lang,
                                        target_lang))
    chosen = []
    for source, pool in zip(sources, pools):
        scored = [(next(estimates), sound(source, candidate)) for candidate in pool]
        accepted = [k for k, (_, ok) in enumerate(scored) if ok] or [0]
        best = max(accepted, key=lambda k: (scored[k][0].score, -k))
        chosen.append((best, scored[best][0]))
    return chosen
