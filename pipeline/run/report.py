"""What a run did, per stage: documents, model units and tokens, and where the seconds went."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from pipeline.backends.usage import Usage
from pipeline.records import Document


@dataclass
class StageReport:
    name: str
    seconds: float = 0.0
    processed: int = 0
    reused: int = 0
    failed: int = 0
    usage: Usage = field(default_factory=Usage)  # the models' work in this process (blank on Ray workers)

    @property
    def outside_model_seconds(self) -> float:
        return max(0.0, self.seconds - self.usage.model_seconds)

    def to_dict(self) -> dict:
        return {**asdict(self), "tokens_per_second": round(self.usage.tokens_per_second, 2),
                "outside_model_seconds": round(self.outside_model_seconds, 3)}


@dataclass
class RunReport:
    documents: list[Document] = field(default_factory=list)
    stages: list[StageReport] = field(default_factory=list)
    seconds: float = 0.0
    peak_memory_mb: float = 0.0

    def to_dict(self) -> dict:
        """The report without the documents (they are in the digests)."""
        return {"seconds": round(self.seconds, 3), "peak_memory_mb": round(self.peak_memory_mb, 1),
                "documents": len(self.documents), "failed": sum(1 for doc in self.documents if doc.failed),
                "stages": [stage.to_dict() for stage in self.stages]}


def peak_memory_mb() -> float:
    """The largest resident memory this process has had, in MB (Linux reports KB, macOS bytes)."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024
