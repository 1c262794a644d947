"""digest's own outputs as one more system in an evaluation: `--translate-with` and `--summarize-with`.

Translations come from the config's translation model with its output guards,
as in a pipeline run. Summaries come from a real pipeline run over the test
documents (ingest .. summarize, and align when the references are in French or
Chinese, whose renders are then the system output), stored under the report
folder so an interrupted evaluation resumes where it stopped.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

from pipeline.evaluate import mt as mt_eval

log = logging.getLogger("digest.evaluate")

SYSTEM = "digest"


def pipeline_translator(config_name: str, overrides: list[str], source: str, target: str):
    """A function translating lines source->target as a digest run would, and the description of its model."""
    from pipeline.backends import describe, load_backend
    from pipeline.config import load_config

    config = load_config(config_name, overrides)
    model = config.translate.model_for(source, target)
    backend = load_backend(model, config.translate, config.run)
    return (lambda lines: [text for text, _ in backend.translate_checked(list(lines), source, target)],
            describe(model, config.translate))


def add_translations(testset: mt_eval.TestSet, source: str, config_name: str, overrides: list[str],
                     round_trip: bool, folder: Path) -> tuple[object, dict]:
    """Translate the source with a digest config as system `digest` (also written to FOLDER/hyp.digest.LANG,
    to inspect or score again); give the back-translator if asked."""
    if testset.source is None:
        raise ValueError("--translate-with needs the source: a src.LANG file in the folder or --source")
    forward, description = pipeline_translator(config_name, overrides, source, testset.target_lang)
    mt_eval.add_translations(testset, SYSTEM, forward)
    _write_lines(testset.systems[SYSTEM], Path(folder) / f"hyp.{SYSTEM}.{testset.target_lang or 'txt'}")
    back = pipeline_translator(config_name, overrides, testset.target_lang, source)[0] if round_trip else None
    return back, {"config": config_name, "overrides": overrides, "direction": f"{source}-{testset.target_lang}",
                  "model": description}


def add_summaries(items: list[dict], lang: str, folder: Path, config_name: str, overrides: list[str]) -> dict:
    """Summarize every item's document with a pipeline run; its summary (or `lang` render) becomes system `digest`.

    A document the pipeline could not summarize scores an empty summary and is
    listed in the returned description, so a failure lowers the score instead
    of vanishing from it.
    """
    from pipeline.config import load_config
    from pipeline.runner import run

    run_dir = Path(folder) / "pipeline-run"
    corpus = _write_corpus(items, run_dir / "corpus" / "items.jsonl")
    settings = [*overrides, "ingest.text_column=document"]
    if lang != "en":
        settings.append(f"align.languages=[en, {lang}]")
    config = load_config(config_name, settings)
    docs = run(corpus, run_dir, config, until="summarize" if lang == "en" else "align", progress=False).documents
    by_row = {doc.meta.get("row"): doc for doc in docs}  # ingest numbers JSON lines from 1
    failed = {}
    for number, item in enumerate(items, 1):
        doc = by_row.get(str(number))
        sentences = (doc.summary if lang == "en" else doc.renders.get(lang, [])) if doc else []
        if not sentences:
            failed[item["id"]] = doc.error if doc and doc.error else "no summary"
            log.warning("item %s: the pipeline gave no summary (%s)", item["id"], failed[item["id"]])
        item["outputs"][SYSTEM] = ("" if lang == "zh" else " ").join(sentences)
    return {"config": config_name, "overrides": settings, "run": str(run_dir), "failed": failed}


def _write_corpus(items: list[dict], path: Path) -> Path:
    """The documents as a JSON-lines corpus."""
    return _write_lines([json.dumps({"id": item["id"], "document": item["document"]}, ensure_ascii=False)
                         for item in items], path)


def _write_lines(lines: list[str], path: Path) -> Path:
    """One line per item, written whole and then renamed, so a killed run leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_suffix(path.suffix + ".part")
    staged.write_text("".join(line.replace("\n", " ") + "\n" for line in lines), encoding="utf-8")
    staged.replace(path)
    return path
