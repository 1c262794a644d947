"""The work behind `digest evaluate`: each `run_*` scores one kind of data, writes its report folder and prints
its headline table. Code can call them directly; `cli.py` only parses options."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from rich.console import Console

from pipeline.evaluate import align as align_eval
from pipeline.evaluate import lid as lid_eval
from pipeline.evaluate import mt as mt_eval
from pipeline.evaluate import own, reference_free
from pipeline.evaluate import qe as qe_eval
from pipeline.evaluate import summary as summary_eval
from pipeline.evaluate.report import Report, Table, report_signature, write_report

console = Console(stderr=True)


def _done(report: Report, folder: Path, headline: Table | None = None) -> Path:
    """Write the report and say where; print its headline table on standard output, as sacrebleu does."""
    write_report(report, folder)
    if headline is not None:
        print_table(headline)
    console.print(f"report written to {folder}/report.md (and report.html, report.json)")
    return folder


def print_table(table: Table) -> None:
    """A report table on standard output, its caption below it."""
    from rich.table import Table as RichTable

    shown = RichTable(*table.header, caption=table.caption or None, caption_justify="left")
    for row in table.rows:
        shown.add_row(*(str(cell) for cell in row))
    Console(width=None if sys.stdout.isatty() else 200).print(shown)  # a pipe gets whole rows, not 80 columns


def run_mt(testset: mt_eval.TestSet, folder: Path, baseline: str | None = None, resamples: int = 1000,
           quality: bool = True, embedder=None, back_translate=None, translated_with: dict | None = None) -> Path:
    """Score every system of `testset`, estimate quality when it has a source, write the report."""
    results = mt_eval.score(testset, baseline, resamples)
    if translated_with and translated_with.get("warnings"):
        results["warnings"] = list(translated_with["warnings"])
    signature = _mt_signature(testset, results, resamples, translated_with)
    report = mt_eval.build_report(results, signature, Path(folder))
    headline = mt_eval.headline(results)
    if quality and testset.source is not None:
        if embedder is None:
            from pipeline.similarity.embed import Embedder
            embedder = Embedder()
        found = qe_eval.evaluate(testset.source, testset.systems, testset.references[0], embedder, back_translate)
        results["quality_estimation"] = found
        signature["embedder"] = embedder.signature()
        report.heading("Reference-free quality estimation")
        report.paragraph("Correlation of the cross-lingual similarity of source and translation with sentence chrF "
                         "against the reference, per sentence: how far the estimate shown in digests can be trusted.")
        report.table(["system", "estimate", "Pearson", "Kendall tau"], _correlation_rows(found))
    return _done(report, Path(folder), headline)


def _mt_signature(testset: mt_eval.TestSet, results: dict, resamples: int, translated_with: dict | None) -> dict:
    """What reproduces an mt report: inputs and their lines used, settings, digest's config, sacrebleu's signatures."""
    commands = mt_eval.cli_options(testset.target_lang)
    signature = report_signature(testset.files, baseline=results["baseline"], resamples=resamples,
                              target_lang=testset.target_lang, source_lang=testset.source_lang,
                              testset=str(testset.folder) if testset.folder else None,
                              start=testset.start, lines=len(testset.references[0]))
    if translated_with:
        signature["translated_with"] = translated_with
    signature["sacrebleu"] = {key: {"signature": results["signatures"][key], "options": commands[key]}
                              for key in results["signatures"]}
    return signature


def _correlation_rows(found: dict) -> list[list[str]]:
    rows = [[name, kind, f"{c['pearson']:.3f}", f"{c['kendall']:.3f}"]
            for name, system in found["systems"].items() for kind, c in system["correlation"].items()]
    return rows + [["all systems", kind, f"{c['pearson']:.3f}", f"{c['kendall']:.3f}"]
                   for kind, c in found["pooled"].items()]


def run_summary(path: Path, folder: Path, lang: str = "auto", start: int = 0, lines: int = 0,
                summarize_with: str | None = None, overrides: list[str] | None = None,
                rouge: str = "multilingual", progress: bool = False) -> Path:
    """ROUGE of every system in a JSONL file and of lead-3 (and of digest with a config), as a report."""
    items = summary_eval.read_items(path)[start:start + lines if lines else None]
    lang = guess_language(" ".join(item["document"][:500] for item in items[:20])) if lang == "auto" else lang
    summary_eval.rouge_scorer(rouge, lang)  # a mode unfit for the language is refused before summarizing
    summarized_with = None
    if summarize_with:
        console.print(f"summarizing {len(items)} documents with config {summarize_with} (a pipeline run)")
        summarized_with = own.add_summaries(items, lang, Path(folder), summarize_with, overrides or [], progress)
    results = summary_eval.score(items, lang, rouge, summarized_with["max_words"] if summarized_with else None)
    signature = report_signature([Path(path)], lang=lang, rouge=rouge, scoring=results["rouge"]["description"],
                                 averaged="F1 averaged over documents", start=start, lines=len(items))
    if summarized_with:
        signature["summarized_with"] = summarized_with
    report = summary_eval.build_report(results, signature, Path(folder))
    return _done(report, Path(folder), summary_eval.headline(results))


def run_lid(data_folder: Path, folder: Path, languages: list[str] | None = None, detect_fn=None) -> Path:
    """Accuracy and confusion of a detector (the project's by default) on LANG.txt files, as a report."""
    data = lid_eval.read_folder(data_folder, languages)
    detector = "custom: " + getattr(detect_fn, "__qualname__", str(detect_fn)) if detect_fn else _project_detector()
    detect_fn = detect_fn or lid_eval.project_detector()
    results = lid_eval.score(data, detect_fn)
    files = [Path(data_folder) / f"{lang}.txt" for lang in data]
    signature = report_signature(files, detector=detector)
    return _done(lid_eval.build_report(results, signature, Path(folder)), Path(folder), lid_eval.headline(results))


def _project_detector() -> dict:
    """The detect stage's signature: detector version, languages, model hashes."""
    from pipeline.config import Config
    from pipeline.stages.detect import Detect

    return Detect(Config()).signature()


def run_align(data_folder: Path, folder: Path, source: str = "", target: str = "", embedder=None) -> Path:
    """Strict and lax F1 of the project's aligner against gold links, as a report."""
    from pipeline.similarity.aligner import Settings
    from pipeline.similarity.embed import Embedder

    embedder = embedder or Embedder()
    results = align_eval.evaluate_folder(data_folder, embedder, source, target)
    source, target, names = align_eval.find_documents(data_folder, results["source"], results["target"])
    files = [Path(data_folder) / side / n for n in names for side in (source, target)]
    files += [Path(data_folder) / "gold" / f"{n}.align" for n in names]
    signature = report_signature(files, aligner=Settings().__dict__)
    signature["embedder"] = embedder.signature()
    return _done(align_eval.build_report(results, signature, Path(folder)), Path(folder), align_eval.headline(results))


def guess_language(text: str) -> str:
    """zh, fr or en from a sample of text: Han characters, else French function words."""
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    if han > 0.2 * max(len(text.replace(" ", "")), 1):
        return "zh"
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    french = sum(w in {"le", "la", "les", "des", "est", "une", "et", "du", "que", "pour"} for w in words)
    english = sum(w in {"the", "and", "of", "is", "to", "that", "for", "with", "was", "on"} for w in words)
    return "fr" if french > english else "en"


def estimator_for(folder: Path, model: str | None = None, llm: bool = True):
    """digest's quality estimator, its LLM likelihoods kept in FOLDER/likelihood.jsonl (a rerun resumes)."""
    from pipeline.config import load_config
    from pipeline.quality.estimate import load_estimator

    Path(folder).mkdir(parents=True, exist_ok=True)
    return load_estimator(load_config("default", []), model, llm, Path(folder) / "likelihood.jsonl")


def run_mt_unreferenced(data: reference_free.Unreferenced, folder: Path, resamples: int = 1000,
                        estimator=None) -> Path:
    """Estimate every system's quality from the source alone (no reference) and write the report."""
    estimator = estimator or estimator_for(folder)
    found = reference_free.estimate_systems(data, estimator, resamples)
    signature = report_signature(data.files, source_lang=data.source_lang, target_lang=data.target_lang,
                                 start=data.start, lines=len(data.source), resamples=resamples)
    signature["estimator"] = estimator.signature()
    return _done(reference_free.build_report(data, found, signature), Path(folder),
                 reference_free.system_table(found))


def run_qe(judged: qe_eval.Judged, folder: Path, resamples: int = 1000, estimator=None, model: str | None = None,
           llm: bool = True) -> Path:
    """Score digest's QE, each of its features and the length baseline against the judgements; print the headline."""
    report = qe_eval.run(judged, estimator or estimator_for(folder, model, llm), resamples)
    results = report.results
    _done(report, Path(folder), qe_eval.method_table(results["methods"], results["seconds_per_segment"]))
    print(qe_eval.last_line(results["methods"]))
    return Path(folder)
