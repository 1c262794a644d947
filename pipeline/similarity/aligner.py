"""Sentence alignment of a text and its translation by dynamic programming.

Two passes, after Bertalign (Liu & Zhu 2022) and vecalign (Thompson & Koehn 2019):
1. anchors: the best monotonic chain of 1-1 pairs among each source sentence's
   nearest target sentences (cosine of sentence embeddings);
2. links: a dynamic program over all link shapes up to `max_link` sentences in
   all, restricted to a band around the anchors. A link's gain is its cosine
   (sentences of a side concatenated and embedded together) minus the mean
   cosine with the neighbouring sentences (a margin: a link must beat its
   neighbours, not a fixed threshold), times a length prior that compares
   character counts scaled by the whole text's character ratio (so Chinese
   against English works). Windows of several sentences share more words by
   chance, so unrelated ones score higher than unrelated single sentences: each
   link shape's cosine is lowered by that excess, measured in the document
   itself (the median cosine of all its window pairs of that shape, nearly all
   unrelated). A small term penalises links that open or close a quotation on
   one side only. An unaligned sentence costs `skip`.
A link's score is the calibrated similarity of its two sides (`embed.calibrate`),
so low-scoring pairs can be flagged with one threshold.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from pipeline.similarity.embed import calibrate
from pipeline.similarity.scoring import Scorer, Side

VERSION = 1  # part of the align stage's signature with the settings: a changed scorer realigns stored digests


class Link(NamedTuple):
    """Source and target sentence indices linked together, and a 0..1 score."""

    source: list[int]
    target: list[int]
    score: float


@dataclass(frozen=True)
class Settings:
    """Search settings; defaults chosen on literary zh-en (MAC dev: strict F1 0.901, lax 0.996)."""

    max_link: int = 6  # most sentences in one link, both sides together (at least 2)
    top_k: int = 3  # nearest targets per source sentence considered as anchors
    window: int = 8  # band half-width around the anchor path, in sentences
    skip: float = -0.2  # gain of a 0-1 or 1-0 link
    # Both 0: the per-document shape offsets (`scoring._shape_offsets`) replace them; leave-one-chapter-out
    # tuning on MAC dev picks 0 for both in every fold.
    link_bonus: float = 0.0  # gain of any link; above 0 favours two links over one merged link
    many_to_many: float = 0.0  # cost of an a-b link is this times (a - 1)(b - 1)
    quote: float = 0.07  # cost per quotation opened or closed on one side of a link only

    def __post_init__(self):
        if self.max_link < 2 or self.top_k < 1 or self.window < 0:
            raise ValueError(f"aligner settings {self}: need max_link >= 2, top_k >= 1 and window >= 0")


def align(source: list[str], target: list[str], embedder, settings: Settings = Settings()) -> list[Link]:
    """Monotonic links covering every source and target sentence exactly once."""
    if not source or not target:
        return [Link([i], [], 0.0) for i in range(len(source))] + [Link([], [j], 0.0) for j in range(len(target))]
    src = Side(source, embedder, settings.max_link - 1)
    tgt = Side(target, embedder, settings.max_link - 1)
    anchors = _anchors(src, tgt, settings.top_k)
    band = _band(anchors, src.size, tgt.size, settings.window)
    shapes = _shapes(settings.max_link, src.widest, tgt.widest)
    moves = _search(Scorer(src, tgt, settings), band, shapes, settings.skip)
    return _links(moves, shapes, src, tgt)


def _shapes(max_link: int, src_widest: int, tgt_widest: int) -> list[tuple[int, int]]:
    """Link shapes (source count, target count): 1-0, 0-1 and every a-b with a + b <= max_link."""
    shapes = [(1, 0), (0, 1)]
    for a in range(1, src_widest + 1):
        shapes += [(a, b) for b in range(1, tgt_widest + 1) if a + b <= max_link]
    return shapes


def _anchors(src: Side, tgt: Side, top_k: int) -> list[tuple[int, int]]:
    """The highest-scoring monotonic chain of 1-1 pairs among each source sentence's top-k targets."""
    sims = src.window(1, np.arange(src.size)) @ tgt.window(1, np.arange(tgt.size)).T
    gains = np.zeros_like(sims)
    k = min(top_k, tgt.size)
    nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    rows = np.arange(src.size)[:, None]
    gains[rows, nearest] = np.clip(sims[rows, nearest], 0.0, None)
    best = np.zeros((src.size + 1, tgt.size + 1))
    for i in range(1, src.size + 1):
        diagonal = np.maximum(best[i - 1, 1:], best[i - 1, :-1] + gains[i - 1])
        best[i] = np.maximum.accumulate(np.concatenate([best[i - 1, :1], diagonal]))
    return _chain(best)


def _chain(best: np.ndarray) -> list[tuple[int, int]]:
    """Walk back through the anchor table, collecting the diagonal steps."""
    i, j = best.shape[0] - 1, best.shape[1] - 1
    pairs = []
    while i > 0 and j > 0:
        if best[i, j] == best[i, j - 1]:
            j -= 1
        elif best[i, j] == best[i - 1, j]:
            i -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    return pairs[::-1]


def _band(anchors: list[tuple[int, int]], n: int, m: int, window: int) -> list[tuple[int, int]]:
    """For each row 0..n of the search table, the target range [lo, hi] to explore.

    Row r spans from the last anchor point above it to the first one below it, so
    consecutive rows always overlap and a path from (0, 0) to (n, m) exists.
    """
    points = [(0, 0)] + [p for i, j in anchors for p in ((i, j), (i + 1, j + 1))] + [(n, m)]
    rows = [i for i, _ in points]
    band = []
    for row in range(n + 1):
        above = bisect_left(rows, row) - 1
        below = bisect_right(rows, row)
        low = points[above][1] if above >= 0 else 0
        high = points[below][1] if below < len(points) else m
        band.append((max(0, low - window), min(m, high + window)))
    return band


def _search(scorer: Scorer, band: list[tuple[int, int]], shapes: list[tuple[int, int]], skip: float) -> np.ndarray:
    """Fill the banded table of best path scores; return the shape index chosen at each cell."""
    rows, columns_total = scorer.src.size + 1, scorer.tgt.size + 1
    score = np.full((rows, columns_total), -np.inf)
    moves = np.full((rows, columns_total), -1, dtype=np.int16)
    insertion = shapes.index((0, 1))
    for row, (low, high) in enumerate(band):
        columns = np.arange(low, high + 1)
        best = np.full(len(columns), -np.inf)
        chosen = np.full(len(columns), -1, dtype=np.int16)
        if row == 0 and low == 0:
            best[0] = 0.0
        for index, (a, b) in enumerate(shapes):
            if a == 0 or row < a:
                continue
            where = np.flatnonzero(columns >= b)
            ends = columns[where]
            gain = skip if b == 0 else scorer.gain(row - a, a, ends - b, b)
            candidate = score[row - a, ends - b] + gain
            better = candidate > best[where]
            best[where[better]] = candidate[better]
            chosen[where[better]] = index
        for k in range(1, len(columns)):
            if best[k - 1] + skip > best[k]:
                best[k], chosen[k] = best[k - 1] + skip, insertion
        score[row, columns], moves[row, columns] = best, chosen
    return moves


def _links(moves: np.ndarray, shapes: list[tuple[int, int]], src: Side, tgt: Side) -> list[Link]:
    """Walk back from the last cell, turning the chosen shapes into scored links."""
    i, j = src.size, tgt.size
    links = []
    while i > 0 or j > 0:
        a, b = shapes[moves[i, j]]
        sources, targets = list(range(i - a, i)), list(range(j - b, j))
        links.append(Link(sources, targets, _link_score(src, tgt, sources, targets)))
        i, j = i - a, j - b
    return links[::-1]


def _link_score(src: Side, tgt: Side, sources: list[int], targets: list[int]) -> float:
    """Calibrated similarity of the two sides (see `embed.calibrate`); 0 for an unaligned sentence."""
    if not sources or not targets:
        return 0.0
    left = src.window(len(sources), np.array([sources[0]]))[0]
    right = tgt.window(len(targets), np.array([targets[0]]))[0]
    return float(calibrate(left @ right))
