"""The interface every text-generation backend implements, and the constructor they share.

Stages never branch on the backend: they call `translate` and `summarize` on
whatever `pipeline.backends.loading.load_backend` returned. Caching and output
guards wrap a backend with the same interface instead of living inside it.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

from pipeline.registry.errors import ModelError
from pipeline.registry.manifests import Manifest


class BackendError(ModelError):
    """A model could not be loaded or run; the message says what to do."""


class Backend(ABC):
    """One model translating and summarizing batches of text under one role's settings."""

    def __init__(self, manifest: Manifest, model_dir: Path, role_config, run_config):
        self.name = manifest.name
        self.manifest = manifest
        self.model_dir = Path(model_dir)
        self.role_config = role_config
        self.run_config = run_config
        self.device, self.dtype = self.placement()

    @abstractmethod
    def placement(self) -> tuple[str, object]:
        """The device this backend runs on and the type of its weights, chosen from the run and role configs."""

    @abstractmethod
    def load(self) -> None:
        """Read the model (once per process where it can); the other methods need it loaded."""

    @abstractmethod
    def translate(self, texts: list[str], source: str, target: str, retry: bool = False,
                  hints: list[str] | None = None) -> list[str]:
        """Translate each text from `source` to `target` (ISO 639-1 codes), same order; a retry also
        discourages the repetition loops the guards flag. `hints`: per text, a line asking for the renderings
        of its terms and names (`terms.hints.prompt_hint`), which engines that take no instructions ignore."""

    def translate_candidates(self, texts: list[str], source: str, target: str, samples: int,
                             retry: bool = False, hints: list[str] | None = None) -> list[list[str]]:
        """Per text, its greedy translation followed by `samples` sampled ones (backends that can sample)."""
        raise BackendError(f"{self.name}: generation.candidates and retry_candidates work with the LLM "
                           "backends only; set them to 0 for this model")

    @abstractmethod
    def summarize(self, texts: list[str], max_words: int | list[int], retry: bool = False) -> list[str]:
        """An English summary of each English text, at most about `max_words` words (one length for all, or
        one per text: articles of different lengths share a batch)."""

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for `text`, to pack chunks within `max_input_tokens`."""

    @property
    @abstractmethod
    def max_input_tokens(self) -> int:
        """The longest input one call may take without truncation."""

    @abstractmethod
    def signature(self) -> dict:
        """Model identity (name, revision or sha256) and the settings that change outputs."""


def per_text(max_words: int | list[int], count: int) -> list[int]:
    """Each text's summary length from `summarize`'s `max_words`: one for all, or one per text."""
    if isinstance(max_words, int):
        return [max_words] * count
    if len(max_words) != count:
        raise ValueError(f"{len(max_words)} summary lengths for {count} texts")
    return list(max_words)
