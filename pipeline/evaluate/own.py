"""digest's own outputs as one more system in an evaluation: `--translate-with` and `--summarize-with`.

Translations come from the config's translation model with its output guards
and its checks of numbers and glossary terms (the config's `glossary`), as in a
pipeline run. Summaries come from a real pipeline run over the test
documents (ingest .. summarize, and align when the references are in French or
Chinese, whose renders are then the system output), stored under the report
folder so an interrupted evaluation resumes where it stopped.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict
from pathlib import Path

from pipeline.evaluate import mt as mt_eval
from pipeline.files import write_atomic
from pipeline.run.progress import stage_progress

log = logging.getLogger("digest.evaluate")

SYSTEM = "digest"
CHUNK_BATCHES = 8  # backend batches per progress step: enough for the length sorting within a step to pay
LINE_BREAK = re.compile(r"\r\n?|\n")  # what ends a line for sacrebleu (\n) or for most other readers (\r)


def pipeline_translator(config_name: str, overrides: list[str], source: str, target: str,
                        glossaries: list[str] = ()):
    """A function translating lines source->target as a digest run would (with the config's glossaries, then
    `glossaries`), and what decides its outputs."""
    from pipeline.backends.facts import translate_keeping_facts
    from pipeline.backends.loading import describe, load_backend
    from pipeline.config import load_config, resolve_config_path
    from pipeline.terms.glossary import config_glossary

    config = load_config(config_name, overrides)
    glossary = config_glossary(config, glossaries)  # a bad glossary stops here, before the model loads
    model = config.translate.model_for(source, target)
    backend = load_backend(model, config.translate, config.run)
    description = {"config": config_name, "config_file": str(resolve_config_path(config_name)),
                   "overrides": list(overrides), "config_digest": config.digest(), "direction": f"{source}-{target}",
                   "translate": asdict(config.translate), "run": asdict(config.run),
                   "model": describe(model, config.translate), **glossary.signature()}

    def translate(lines: list[str]) -> list[str]:
        return [found.text for found in translate_keeping_facts(backend, list(lines), source, target, glossary)]

    return translate, description


def add_translations(testset: mt_eval.TestSet, source: str, config_name: str, overrides: list[str],
                     round_trip: bool, folder: Path, progress: bool = False,
                     glossaries: list[str] = ()) -> tuple[object, dict]:
    """Translate the source with a digest config as system `digest` (also written to FOLDER/hyp.digest.LANG,
    to inspect or score again); give the back-translator if asked, and what decides the translations."""
    if testset.source is None:
        raise ValueError("--translate-with needs the source: a src.LANG file in the folder or --source")
    forward, description = pipeline_translator(config_name, overrides, source, testset.target_lang, glossaries)
    chunk = CHUNK_BATCHES * max(1, description["translate"]["batch_size"])
    mt_eval.add_translations(testset, SYSTEM, in_steps(forward, chunk, "translate", progress))
    warnings = write_system(testset, SYSTEM, folder)
    back = None
    if round_trip:
        back = in_steps(pipeline_translator(config_name, overrides, testset.target_lang, source, glossaries)[0],
                        chunk, "back", progress)
    return back, {**description, "round_trip": round_trip, "warnings": warnings}


def in_steps(translate, lines_per_step: int, label: str, progress: bool):
    """`translate` over a list of lines, `lines_per_step` at a time, moving a progress bar after each step."""
    def run(lines: list[str]) -> list[str]:
        lines, output = list(lines), []
        with stage_progress(label, len(lines), progress) as advance:
            for start in range(0, len(lines), lines_per_step):
                output += translate(lines[start:start + lines_per_step])
                advance(len(lines[start:start + lines_per_step]))
        return output

    return run


def write_system(testset: mt_eval.TestSet, name: str, folder: Path) -> list[str]:
    """Write system `name` to FOLDER/hyp.NAME.LANG, one segment a line, and score what the file holds.

    A segment with a line break would shift every later line of the file
    against its reference, so its breaks become spaces; the returned warnings
    (also logged) say how many segments that changed.
    """
    joined, changed = one_line_each(testset.systems[name])
    testset.systems[name] = joined
    _write_lines(joined, Path(folder) / f"hyp.{name}.{testset.target_lang or 'txt'}")
    if not changed:
        return []
    message = f"{changed} hypotheses contained line breaks; joined with spaces"
    log.warning("system %r: %s", name, message)
    return [message]


def one_line_each(texts: list[str]) -> tuple[list[str], int]:
    """Each text with its line breaks (\\n, \\r\\n, \\r) turned into spaces, and how many texts had any."""
    joined = [LINE_BREAK.sub(" ", text) for text in texts]
    return joined, sum(new != old for new, old in zip(joined, texts))


def add_summaries(items: list[dict], lang: str, folder: Path, config_name: str, overrides: list[str],
                  progress: bool = False) -> dict:
    """Summarize every item's document with a pipeline run; its summary (or `lang` render) becomes system `digest`.

    A document the pipeline could not summarize scores an empty summary and is
    listed in the returned description, so a failure lowers the score instead
    of vanishing from it.
    """
    from pipeline.config import load_config
    from pipeline.run.runner import run

    run_dir = Path(folder) / "pipeline-run"
    corpus = _write_corpus(items, run_dir / "corpus" / "items.jsonl")
    settings = [*overrides, "ingest.text_column=document"]
    if lang != "en":
        settings.append(f"align.languages=[en, {lang}]")
    config = load_config(config_name, settings)
    docs = run(corpus, run_dir, config, until="summarize" if lang == "en" else "align", progress=progress).documents
    by_row = {doc.meta.get("row"): doc for doc in docs}  # ingest numbers JSON lines from 1
    failed = {}
    for number, item in enumerate(items, 1):
        doc = by_row.get(str(number))
        sentences = (doc.summary if lang == "en" else doc.renders.get(lang, [])) if doc else []
        if not sentences:
            failed[item["id"]] = doc.error if doc and doc.error else "no summary"
            log.warning("item %s: the pipeline gave no summary (%s)", item["id"], failed[item["id"]])
        item["outputs"][SYSTEM] = ("" if lang == "zh" else " ").join(sentences)
    return {"config": config_name, "overrides": settings, "run": str(run_dir), "failed": failed,
            "max_words": config.summarize.max_words}


def _write_corpus(items: list[dict], path: Path) -> Path:
    """The documents as a JSON-lines corpus."""
    return _write_lines([json.dumps({"id": item["id"], "document": item["document"]}, ensure_ascii=False)
                         for item in items], path)


def _write_lines(lines: list[str], path: Path) -> Path:
    """One line per item, written whole and then renamed, so a killed run leaves no half file.

    An item holding a line break is refused rather than changed: the caller
    joins it (`one_line_each`) and says so.
    """
    broken = [number for number, line in enumerate(lines, 1) if LINE_BREAK.search(line)]
    if broken:
        raise ValueError(f"{path}: item {broken[0]} ({len(broken)} in all) holds a line break and would become "
                         "several lines; join each item onto one line first")
    write_atomic(path, "".join(line + "\n" for line in lines))
    return path
