"""The digest site: static HTML pages built from a run folder, readable offline.

`build_site(OUT)` reads `OUT/digests.jsonl` (and `OUT/run.json`, and any
evaluation reports under `OUT/reports/*/report.html`) and writes `OUT/site/`:
`index.html`, one page per document under `docs/`, and one shared stylesheet
and script under `assets/`. Every piece of article text goes through jinja2's
autoescaping; pages load nothing but their own two assets, and a
Content-Security-Policy forbids inline script, so a hostile article stays text.
What each page shows is put together in `views.py` (the index, read in English, French
or Chinese: `index.py`); this module renders and writes it.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipeline.config import AlignConfig
from pipeline.files import swap_folder, write_atomic
from pipeline.publish.index import filter_choices, index_row
from pipeline.publish.markdown import file_stem
from pipeline.publish.views import document_view, run_view
from pipeline.publish.words import ui
from pipeline.records import Document

TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSETS = ("site.css", "site.js", "icon.svg")
_STAGING = re.compile(r"\.site-(?:old-)?(?:(\d+)-)?")  # ".site-<pid>-xxxx"; builds before the pid was added: none


def build_site(out_dir: Path, low_score: float | None = None) -> Path:
    """Write the static site of the run in `out_dir` to `out_dir/site/` (replaced whole) and return that folder."""
    out_dir = Path(out_dir)
    records = read_digests(out_dir)
    run = _read_run(out_dir, records)
    low = low_score if low_score is not None else _low_score(run)
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["ui"] = ui
    remove_stale_staging(out_dir)
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=f".site-{os.getpid()}-"))
    try:
        docs = [Document.from_dict(record) for record in records]
        entries = [index_row(doc, low) for doc in docs]
        page = env.get_template("document.html.j2")
        for doc, record, entry in zip(docs, records, entries):
            view = document_view(doc, low)
            view["files"] = _digest_files(out_dir, doc)
            html = page.render(doc=view, entry=entry, run=run_view(record.get("run") or run), root="..", low=low)
            write_atomic(staging / entry["href"], html)
        index = env.get_template("index.html.j2").render(
            entries=entries, filters=filter_choices(entries), reports=_reports(out_dir), run=run_view(run), root=".")
        write_atomic(staging / "index.html", index)
        for name in ASSETS:
            write_atomic(staging / "assets" / name, (TEMPLATES / name).read_text(encoding="utf-8"))
        return _swap(staging, out_dir / "site")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def remove_stale_staging(out_dir: Path) -> None:
    """Remove the staging folders (`.site-*`) that builds killed before their swap left in `out_dir`.

    A folder is named after the process writing it; one whose process still runs is another build's, and kept.
    """
    for folder in Path(out_dir).glob(".site-*"):
        owner = _STAGING.match(folder.name).group(1)
        if folder.is_dir() and not (owner and int(owner) != os.getpid() and _running(int(owner))):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    """Whether process `pid` still runs (assumed so where there is no cheap way to tell)."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        pass
    return True


def read_digests(out_dir: Path) -> list[dict]:
    """The digest records of `out_dir/digests.jsonl`, in run order."""
    path = Path(out_dir) / "digests.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no digests here; run `digest run CORPUS --out {out_dir}` first")
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: not a JSON digest ({error}); "
                             "rerun `digest run` to rewrite it") from None
    return records


def _read_run(out_dir: Path, records: list[dict]) -> dict:
    path = out_dir / "run.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return next((r["run"] for r in records if r.get("run")), {})


def _low_score(run: dict) -> float:
    align = (run.get("stages") or {}).get("align") or {}
    return float(align.get("low_score", AlignConfig.low_score))


def _reports(out_dir: Path) -> list[dict]:
    found = sorted((out_dir / "reports").glob("*/report.html"))
    return [{"name": path.parent.name, "href": f"../reports/{path.parent.name}/report.html"} for path in found]


def _digest_files(out_dir: Path, doc: Document) -> list[dict]:
    """Links from a page (site/docs/) to the digest files the Output stage wrote, where they exist."""
    found = []
    for name, suffix in (("JSON", ".json"), ("Markdown", ".md")):
        stem = out_dir / "digests" / file_stem(doc.doc_id)
        # Output names files stem.with_suffix(...), which drops "-<hash>" after a dotted id; accept either name
        for path in (stem.with_suffix(suffix), stem.with_name(stem.name + suffix)):
            if path.is_file():
                found.append({"name": name, "href": f"../../digests/{path.name}"})
                break
    return found


def _swap(staging: Path, site: Path) -> Path:
    """Put the finished folder in place of the old site; a reader sees the old or the new, never a mix."""
    staging.chmod(0o755)  # mkdtemp makes it private; the site is meant to be shared like the digests
    return swap_folder(staging, site)
