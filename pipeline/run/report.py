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


# Flag prefixes of the per-document budgets (ingest.max_chars, translate and summarize max_document_tokens).
BUDGET_FLAGS = ("truncated:", "translate-budget:", "summary-budget:")


@dataclass
class BudgetHit:
    """A document that met a budget: which ones, and the seconds of the window it went through."""

    doc_id: str
    budgets: list[str]
    window_seconds: float
    window_documents: int


def budget_hits(docs: list[Document], seconds: float) -> list[BudgetHit]:
    """The documents of one window that met a budget (a long document has a window of its own)."""
    return [BudgetHit(doc.doc_id, hits, round(seconds, 3), len(docs)) for doc in docs
            if (hits := [flag for flag in doc.flags if flag.startswith(BUDGET_FLAGS)])]


@dataclass
class RunReport:
    documents: list[Document] = field(default_factory=list)
    stages: list[StageReport] = field(default_factory=list)
    seconds: float = 0.0
    peak_memory_mb: float = 0.0
    budget_hits: list[BudgetHit] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The report without the documents (they are in the digests)."""
        return {"seconds": round(self.seconds, 3), "peak_memory_mb": round(self.peak_memory_mb, 1),
                "documents": len(self.documents), "failed": sum(1 for doc in self.documents if doc.failed),
                "stages": [stage.to_dict() for stage in self.stages],
                "budget_hits": [asdict(hit) for hit in self.budget_hits]}


def peak_memory_mb() -> float:
    """The largest resident memory this process has had, in MB (Linux reports KB, macOS bytes)."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024
