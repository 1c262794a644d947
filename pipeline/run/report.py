"""What a run did, per stage: documents, model units and tokens, and where the seconds went."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from rich.table import Table

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

    @classmethod
    def from_dict(cls, data: dict) -> StageReport:
        """A stage report read back from `run.json`."""
        known = {name: data[name] for name in ("name", "seconds", "processed", "reused", "failed") if name in data}
        return cls(**known, usage=Usage(**data.get("usage", {})))

    def to_dict(self) -> dict:
        return {**asdict(self), "tokens_per_second": round(self.usage.tokens_per_second, 2),
                "outside_model_seconds": round(self.outside_model_seconds, 3)}


def stage_table(stages: list[StageReport], title: str) -> Table:
    """Per stage: seconds, documents processed, reused from the store, failed."""
    table = Table(title=title)
    for column in ("stage", "seconds", "processed", "from store", "failed"):
        table.add_column(column, justify="right" if column != "stage" else "left")
    for stage in stages:
        table.add_row(stage.name, f"{stage.seconds:.1f}", str(stage.processed), str(stage.reused), str(stage.failed))
    return table


def models_table(stages: list[StageReport]) -> Table:
    """Per stage that ran a model: seconds in it, texts, tokens in and out, tokens/s, retries and those kept."""
    table = Table(title="the models' work")
    for column in ("stage", "in model s", "units", "tokens in", "tokens out", "tokens/s", "retries (kept)"):
        table.add_column(column, justify="right" if column != "stage" else "left")
    for stage in (stage for stage in stages if stage.usage.units):
        usage = stage.usage
        table.add_row(stage.name, f"{usage.model_seconds:.1f}", str(usage.units), str(usage.input_tokens),
                      str(usage.generated_tokens), f"{usage.tokens_per_second:.1f}",
                      f"{usage.retries} ({usage.retries_kept})")
    return table


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
    """The largest resident memory this process has had since it started its program, in MB.

    Linux's VmHWM, not ru_maxrss: ru_maxrss survives exec, so a run started by a process that held a big
    model (as `digest bench` does) would report that process's memory as its own."""
    import resource
    import sys

    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024
