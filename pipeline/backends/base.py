"""The one small interface every text-generation backend implements.

Stages never branch on the backend: they call `translate` and `summarize` on
whatever `pipeline.backends.load_backend` returned. Caching and output guards
wrap a backend with the same interface instead of living inside it.
"""
from __future__ import annotations

from typing import Protocol


class Backend(Protocol):
    """Translate and summarize batches of text."""

    name: str

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate each text from `source` to `target` (ISO 639-1 codes), same order."""

    def summarize(self, texts: list[str], max_words: int) -> list[str]:
        """An English summary of each English text, at most about `max_words` words."""

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for `text`, to pack chunks within `max_input_tokens`."""

    @property
    def max_input_tokens(self) -> int:
        """The longest input one call may take without truncation."""

    def signature(self) -> dict:
        """Model identity (name, revision or sha256) and the settings that change outputs."""


class BackendError(RuntimeError):
    """A model could not be loaded or run; the message says what to do."""
