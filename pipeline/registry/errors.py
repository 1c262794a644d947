"""The registry's one error, which every model check raises (backends raise a subclass of it)."""
from __future__ import annotations


class ModelError(RuntimeError):
    """A model cannot be found, installed, verified or loaded; the message says what to do."""
