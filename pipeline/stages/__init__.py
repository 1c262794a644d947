"""The stages, in the order a run goes through them: each consumes what the ones before it provide."""
from __future__ import annotations

from pipeline.stages.align import Align
from pipeline.stages.detect import Detect
from pipeline.stages.ingest import Ingest
from pipeline.stages.output import Output
from pipeline.stages.summarize import Summarize
from pipeline.stages.translate import Translate

STAGES = {stage.name: stage for stage in (Ingest, Detect, Translate, Summarize, Align, Output)}
