"""The run folder every export test reads."""
from __future__ import annotations

from pathlib import Path

import pytest

from export.runs import documents, write_run


@pytest.fixture
def run_folder(tmp_path) -> Path:
    """A run folder as the real output stage leaves it (see `runs.documents`)."""
    return write_run(tmp_path / "out", documents())
