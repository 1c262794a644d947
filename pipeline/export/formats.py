"""`digest export`: the export formats by name, and the writing of each under `OUT/export/<format>/`.

Each format's folder is built beside its place and swapped in whole (`files.swap_folder`), so a reader
never sees half an export, nor files left from an earlier export of other languages.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from pipeline.export.pairs import ExportError, FinishedRun, read_run
from pipeline.export.tables import write_hf, write_parquet
from pipeline.export.tmx import write_tmx
from pipeline.export.xliff import write_xliff
from pipeline.files import swap_folder

FORMATS: dict[str, Callable[[FinishedRun, Path], list[Path]]] = {
    "tmx": write_tmx, "xliff": write_xliff, "parquet": write_parquet, "hf": write_hf,
}


def parse_formats(values: Iterable[str]) -> list[str]:
    """Format names from repeated and comma-separated values (`["tmx,xliff", "hf"]`), each once, in order."""
    names = [name.strip().lower() for value in values for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in FORMATS]
    if unknown:
        raise ExportError(f"unknown export format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    return list(dict.fromkeys(names))


def export_run(out: Path, formats: list[str]) -> dict[str, list[Path]]:
    """Write the run in `out` in each of `formats` under `out/export/<format>/`; the paths written, by format."""
    run = read_run(out)
    return {name: _write_folder(Path(out) / "export" / name, run, FORMATS[name]) for name in formats}


def _write_folder(target: Path, run: FinishedRun, write: Callable[[FinishedRun, Path], list[Path]]) -> list[Path]:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-"))
    try:
        written = write(run, staging)
        staging.chmod(0o755)  # mkdtemp makes it private; exports are shared like the digests
        swap_folder(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / path.relative_to(staging) for path in written]
