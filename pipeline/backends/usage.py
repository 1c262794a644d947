"""What the models did in this process: units, tokens in and out, seconds in the model, retries.

Every guarded backend adds to one process-wide tally (`USAGE`); the runner reads
it before and after a stage, so the run report can say where the time went
whatever backend ran. Tokens are counted with each model's own tokenizer.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields


@dataclass
class Usage:
    units: int = 0  # texts sent to a model (a guard's retry counts again)
    input_tokens: int = 0  # tokens of those texts (the instructions around them are not counted)
    generated_tokens: int = 0
    model_seconds: float = 0.0
    retries: int = 0  # texts generated again after a guard flagged the first output
    retries_kept: int = 0  # retries whose output had fewer problems, so replaced the first one

    def add(self, other: Usage) -> None:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def since(self, earlier: Usage) -> Usage:
        """The usage between `earlier` (a copy taken before) and now."""
        return Usage(**{f.name: getattr(self, f.name) - getattr(earlier, f.name) for f in fields(self)})

    def copy(self) -> Usage:
        return Usage(**asdict(self))

    @property
    def tokens_per_second(self) -> float:
        """Generated tokens per second spent in the model."""
        return self.generated_tokens / self.model_seconds if self.model_seconds else 0.0


USAGE = Usage()
