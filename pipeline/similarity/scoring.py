"""What a candidate link of the aligner is worth (`Scorer.gain`; the terms are in `aligner`'s docstring).

A `Side` holds every window of 1..widest consecutive sentences of one text: its
embedding (the window's sentences joined and embedded together), its length in
characters and the quotations it opens or closes. A change here changes
alignments: bump `aligner.VERSION`.
"""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from pipeline.similarity.aligner import Settings


class Side:
    """Embeddings, lengths and quotation marks of every window of 1..widest consecutive sentences."""

    def __init__(self, sentences: list[str], embedder, widest: int):
        self.size = len(sentences)
        self.widest = max(1, min(widest, self.size))
        texts, self.start = [], {}
        for width in range(1, self.widest + 1):
            self.start[width] = len(texts)
            texts += [_join(sentences[i:i + width]) for i in range(self.size - width + 1)]
        self.vectors = embedder.encode(texts).astype(np.float64)
        self.cumulative = np.concatenate([[0.0], np.cumsum([len(s) for s in sentences])])
        self.quotes = np.concatenate([[0], np.cumsum([_quote_depth(s) for s in sentences])])

    def window(self, width: int, starts: np.ndarray) -> np.ndarray:
        """Vectors of the windows of `width` sentences beginning at `starts`."""
        return self.vectors[self.start[width] + starts]

    def all(self, width: int) -> np.ndarray:
        """Vectors of every window of `width` sentences, in order of their first sentence."""
        return self.vectors[self.start[width]: self.start[width] + self.size - width + 1]

    def length(self, width: int, starts: np.ndarray) -> np.ndarray:
        """Characters in the windows of `width` sentences beginning at `starts`."""
        return self.cumulative[starts + width] - self.cumulative[starts]

    def quote_change(self, width: int, starts: np.ndarray) -> np.ndarray:
        """Quotations opened minus closed in the windows of `width` sentences beginning at `starts`."""
        return self.quotes[starts + width] - self.quotes[starts]


def _join(sentences: list[str]) -> str:
    """Concatenate sentences, with a space only where neither side is a wide (CJK) character."""
    text = ""
    for sentence in sentences:
        wide = _is_wide(text[-1:]) or _is_wide(sentence[:1])
        text = text + sentence if not text or wide else f"{text} {sentence}"
    return text


def _is_wide(char: str) -> bool:
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F")


class Scorer:
    """Gains of candidate links: margin-adjusted cosine times a character-length prior."""

    def __init__(self, src: Side, tgt: Side, settings: Settings):
        self.src, self.tgt, self.settings = src, tgt, settings
        self.ratio = src.cumulative[-1] / max(tgt.cumulative[-1], 1.0)
        self.offset = _shape_offsets(src, tgt, settings.max_link)
        # Cosine of every window on one side with every single sentence of the other.
        self.to_tgt = {a: src.all(a) @ tgt.all(1).T for a in range(1, src.widest + 1)}
        self.to_src = {b: tgt.all(b) @ src.all(1).T for b in range(1, tgt.widest + 1)}

    def gain(self, start: int, a: int, starts: np.ndarray, b: int) -> np.ndarray:
        """Gain of linking source[start:start+a] with target[s:s+b] for each s in `starts`."""
        here = np.array([start])
        similarity = self.tgt.window(b, starts) @ self.src.window(a, here)[0]
        margin = (_around(self.to_tgt[a][start], starts, b) + _around(self.to_src[b][starts], start, a)) / 2
        source_length = self.src.length(a, here)[0]
        target_length = self.tgt.length(b, starts) * self.ratio
        shorter, longer = np.minimum(source_length, target_length), np.maximum(source_length, target_length)
        prior = np.log2(1.0 + shorter / np.maximum(longer, 1.0))
        quotes = np.abs(self.src.quote_change(a, here)[0] - self.tgt.quote_change(b, starts))
        settings = self.settings
        penalty = settings.quote * quotes + settings.many_to_many * (a - 1) * (b - 1)
        return (similarity - self.offset[a, b] - margin) * prior + settings.link_bonus - penalty


def _shape_offsets(src: Side, tgt: Side, max_link: int) -> dict[tuple[int, int], float]:
    """For each link shape a-b, how much more than single sentences its unrelated windows share by chance.

    The typical (median) cosine between windows of a and of b sentences, over an
    evenly spaced sample of the document's windows (nearly all pairs unrelated),
    minus the same for single sentences.
    """
    typical = {}
    for a in range(1, src.widest + 1):
        for b in range(1, min(tgt.widest, max_link - a) + 1):
            typical[a, b] = float(np.median(_spread(src.all(a)) @ _spread(tgt.all(b)).T))
    return {shape: value - typical[1, 1] for shape, value in typical.items()}


def _spread(vectors: np.ndarray, most: int = 1024) -> np.ndarray:
    """At most `most` rows, evenly spaced, so long documents cost no more than short ones."""
    return vectors[:: -(-len(vectors) // most)]


def _around(singles: np.ndarray, starts, width: int) -> np.ndarray:
    """Mean cosine with the sentences just before and just after each window.

    `singles` holds cosines with every sentence of the window's side: one row
    (one vector against all sentences, `starts` an array) or one row per
    candidate (`starts` a single start shared by all rows).
    """
    size = singles.shape[-1]
    before, after = np.asarray(starts) - 1, np.asarray(starts) + width
    has_before, has_after = before >= 0, after < size
    left = singles[..., np.clip(before, 0, size - 1)]
    right = singles[..., np.clip(after, 0, size - 1)]
    total = np.where(has_before, left, 0.0) + np.where(has_after, right, 0.0)
    return total / np.maximum(has_before.astype(int) + has_after, 1)


_OPEN = re.compile(r"[“「『‘«]|(?:^|(?<=[\s(\[—–-]))['\"](?=[\w…])")
# A straight quote after a word closes a quotation unless it is a plural possessive ("the boys' toys").
_CLOSE = re.compile(r"[”」』»]|’(?!\w)|(?<=\S)['\"](?=$|[\s,.;:!?)—–-])(?<!s'(?=\s[a-z]))")


def _quote_depth(sentence: str) -> int:
    """Quotations opened minus quotations closed in a sentence."""
    return len(_OPEN.findall(sentence)) - len(_CLOSE.findall(sentence))
