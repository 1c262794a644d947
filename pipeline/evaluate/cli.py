"""`digest evaluate`: mt, summary, lid and align, each writing a report folder.

The `run_*` functions do the work and can be called from code; the commands
only parse options. With `mt --translate-with CONFIG` or `summary
--summarize-with CONFIG`, digest's own outputs are scored beside the other
systems (see `own.py`).
"""
from __future__ import annotations

import re
import sys
from functools import wraps
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from pipeline.evaluate import align as align_eval
from pipeline.evaluate import lid as lid_eval
from pipeline.evaluate import mt as mt_eval
from pipeline.evaluate import own, reference_free
from pipeline.evaluate import qe as qe_eval
from pipeline.evaluate import summary as summary_eval
from pipeline.evaluate.report import Report, Table, report_signature, write_report

evaluate_app = typer.Typer(help="Evaluate translation, summaries, language ID and alignment.", no_args_is_help=True)
console = Console(stderr=True)


def _friendly(command):
    """Turn input problems into one red line and exit status 2 instead of a traceback."""
    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (ValueError, FileNotFoundError) as error:
            console.print(f"[red]evaluate:[/red] {error}")
            raise typer.Exit(2)
    return wrapper


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


def _systems(pairs: list[str]) -> dict[str, Path]:
    systems = {}
    for pair in pairs:
        name, sep, path = pair.partition("=")
        if not sep or not name or not path:
            raise ValueError(f"--system {pair!r}: expected NAME=PATH")
        systems[name] = Path(path)
    return systems


def build_testset(folder: Optional[Path], hyps: list[Path], refs: list[Path], systems: list[str],
                  source: Optional[Path], docids: Optional[Path], reference_ids: list[str],
                  target_lang: str) -> mt_eval.TestSet:
    """A test set from a folder and/or separate files; separate files override the folder's."""
    if folder is not None:
        testset = mt_eval.load_testset(folder, reference_ids or None)
    elif not refs:
        raise ValueError("give a test set folder or at least one --ref file")
    else:
        testset = mt_eval.TestSet(references=[], target_lang="")
    if refs:
        testset.references = [mt_eval.read_lines(p) for p in refs]
        testset.target_lang = mt_eval.language_of(refs[0])
        testset.files = list(refs) + [f for f in testset.files if not f.name.startswith("ref.")]
    named = {Path(p).name: Path(p) for p in hyps}
    named.update(_systems(systems))
    for name, path in named.items():
        testset.systems[name] = mt_eval.read_lines(path)
        testset.files.append(path)
    for attribute, path, reader in (("source", source, mt_eval.read_lines), ("docids", docids, mt_eval.read_docids)):
        if path is not None:
            setattr(testset, attribute, reader(path))
            testset.files.append(path)
    if source is not None:
        testset.source_lang = mt_eval.language_of(source)
    testset.target_lang = target_lang or testset.target_lang
    return testset


@evaluate_app.command("mt")
@_friendly
def mt(testset: Optional[Path] = typer.Argument(None, help="Test set folder: src.LANG, ref.ID.LANG, hyp.NAME.LANG, "
                                                           "line_idx_docid.tsv (as WMT's)."),
       hyp: Optional[list[Path]] = typer.Option(None, "--hyp", help="A system output file (repeatable)."),
       ref: Optional[list[Path]] = typer.Option(None, "--ref", help="A reference file (repeatable: several "
                                                                  "references)."),
       system: Optional[list[str]] = typer.Option(None, "--system", help="Another system: NAME=PATH (repeatable)."),
       source: Optional[Path] = typer.Option(None, "--source", help="Source file, for quality estimation."),
       docids: Optional[Path] = typer.Option(None, "--docids", help="Document id per line (last tab column)."),
       ref_id: Optional[list[str]] = typer.Option(None, "--ref-id", help="With a folder: the ref.ID files to use "
                                                                        "(default: the first)."),
       target_lang: str = typer.Option("", "--target-lang", help="Target language; zh selects BLEU's zh "
                                                                 "tokenizer. Default: the reference's suffix."),
       baseline: Optional[str] = typer.Option(None, help="System the others are tested against (default: first)."),
       resamples: int = typer.Option(1000, help="Bootstrap resamples for intervals and paired tests."),
       quality: bool = typer.Option(True, "--qe/--no-qe", help="Reference-free estimates when a source is given "
                                                               "(with no reference: digest's quality estimate)."),
       qe_llm: bool = typer.Option(True, "--qe-llm/--qe-cheap", help="With no reference: the estimate with the "
                                                                    "LLM likelihoods, or the cheap evidence only."),
       qe_model: Optional[str] = typer.Option(None, "--qe-model", help="With no reference: the LLM scoring "
                                                                      "likelihoods (default: the QE's own)."),
       translate_with: Optional[str] = typer.Option(None, "--translate-with", help="A digest config (name or "
                                                    "YAML): translate the source with it and score it as 'digest'."),
       overrides: Optional[list[str]] = typer.Option(None, "--set", help="Override a value of that config: "
                                                                         "KEY.PATH=VALUE (repeatable)."),
       round_trip: bool = typer.Option(False, "--round-trip", help="With --translate-with: also estimate quality "
                                                                   "by translating each system back (slow)."),
       glossary: Optional[list[str]] = typer.Option(None, "--glossary", help="With --translate-with: a glossary "
                                                    "to translate with, after the config's (repeatable)."),
       start: int = typer.Option(0, help="First line to use (0-based), for a subset."),
       lines: int = typer.Option(0, help="Number of lines to use from --start (0: all)."),
       progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bars while translating."),
       out: Path = typer.Option(Path("reports/mt"), "--out", "-o", help="Report folder.")) -> None:
    """Score translations with BLEU, chrF, chrF++ and TER (sacrebleu), with intervals and paired tests."""
    if quality and not ref and not translate_with and (source or testset) and not _has_references(testset):
        named = {Path(p).name: Path(p) for p in hyp or []} | _systems(system or [])
        data = reference_free.read_unreferenced(testset, named, source, "", target_lang)
        run_mt_unreferenced(data.lines(start, lines), out, resamples, _estimator(out, qe_model, qe_llm))
        return
    found = build_testset(testset, hyp or [], ref or [], system or [], source, docids, ref_id or [], target_lang)
    found, back, translated_with = found.lines(start, lines), None, None
    if translate_with:
        found.source_lang = found.source_lang or guess_language(" ".join((found.source or [])[:20]))
        console.print(f"translating {len(found.source or [])} lines (from line {found.start}) "
                      f"{found.source_lang}->{found.target_lang} with config {translate_with}")
        back, translated_with = own.add_translations(found, found.source_lang, translate_with, overrides or [],
                                                     round_trip, out, progress, glossary or [])
    run_mt(found, out, baseline, resamples, quality, back_translate=back, translated_with=translated_with)


def _has_references(folder: Optional[Path]) -> bool:
    return folder is not None and any(Path(folder).glob("ref.*"))


def _estimator(folder: Path, model: str | None = None, llm: bool = True):
    """digest's quality estimator, its LLM likelihoods kept in FOLDER/likelihood.jsonl (a rerun resumes)."""
    from pipeline.config import load_config
    from pipeline.quality.estimate import load_estimator

    Path(folder).mkdir(parents=True, exist_ok=True)
    return load_estimator(load_config("default", []), model, llm, Path(folder) / "likelihood.jsonl")


def run_mt_unreferenced(data: reference_free.Unreferenced, folder: Path, resamples: int = 1000,
                        estimator=None) -> Path:
    """Estimate every system's quality from the source alone (no reference) and write the report."""
    estimator = estimator or _estimator(folder)
    found = reference_free.estimate_systems(data, estimator, resamples)
    signature = report_signature(data.files, source_lang=data.source_lang, target_lang=data.target_lang,
                                 start=data.start, lines=len(data.source), resamples=resamples)
    signature["estimator"] = estimator.signature()
    return _done(reference_free.build_report(data, found, signature), Path(folder),
                 reference_free.system_table(found))


def run_qe(judged: qe_eval.Judged, folder: Path, resamples: int = 1000, estimator=None, model: str | None = None,
           llm: bool = True) -> Path:
    """Score digest's QE, each of its features and the length baseline against the judgements; print the headline."""
    report = qe_eval.run(judged, estimator or _estimator(folder, model, llm), resamples)
    results = report.results
    _done(report, Path(folder), qe_eval.method_table(results["methods"], results["seconds_per_segment"]))
    typer.echo(qe_eval.last_line(results["methods"]))
    return Path(folder)


@evaluate_app.command("summary")
@_friendly
def summary(path: Path = typer.Argument(..., help="JSONL: document (or article), reference, system_outputs."),
            lang: str = typer.Option("auto", help="Document language for lead-3 sentence splitting: en, fr, zh."),
            summarize_with: Optional[str] = typer.Option(None, "--summarize-with", help="A digest config (name or "
                                                         "YAML): run the pipeline on the documents and score its "
                                                         "summary (its LANG render for fr/zh) as 'digest'."),
            overrides: Optional[list[str]] = typer.Option(None, "--set", help="Override a value of that config: "
                                                                              "KEY.PATH=VALUE (repeatable)."),
            start: int = typer.Option(0, help="First item to use (0-based), for a subset."),
            lines: int = typer.Option(0, help="Number of items to use from --start (0: all)."),
            rouge: str = typer.Option("multilingual", "--rouge", help="multilingual: digest's tokenizer, any "
                                      "language; rouge-score: the published English setup (stemming, ROUGE-Lsum)."),
            progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bars while summarizing."),
            out: Path = typer.Option(Path("reports/summary"), "--out", "-o", help="Report folder.")) -> None:
    """ROUGE-1/2/L of each system and of the lead-3 baseline, with their mean lengths."""
    run_summary(path, out, lang, start, lines, summarize_with, overrides, rouge, progress)


@evaluate_app.command("lid")
@_friendly
def lid(folder: Path = typer.Argument(..., help="Folder of LANG.txt files, one sentence per line."),
        languages: Optional[str] = typer.Option(None, help="Comma-separated languages to test (default: all files)."),
        out: Path = typer.Option(Path("reports/lid"), "--out", "-o", help="Report folder.")) -> None:
    """Accuracy per language and confusion matrix of the project's language detector."""
    run_lid(folder, out, languages.split(",") if languages else None)


@evaluate_app.command("align")
@_friendly
def align(folder: Path = typer.Argument(..., help="Folder with SRC/NAME, TGT/NAME and gold/NAME.align."),
          source: str = typer.Option("", help="Source subfolder (default: the one that is not en)."),
          target: str = typer.Option("", help="Target subfolder (default: en)."),
          out: Path = typer.Option(Path("reports/align"), "--out", "-o", help="Report folder.")) -> None:
    """Strict and lax precision, recall and F1 of the sentence aligner against gold links."""
    run_align(folder, out, source, target)


@evaluate_app.command("qe")
@_friendly
def qe(path: Path = typer.Argument(..., help="An MQM file (tab-separated, as ../shared/eval/qe), or an mt test set "
                                             "folder (src, ref, hyp files) judged by sentence chrF."),
       source_lang: str = typer.Option("auto", "--source-lang", help="Language of the sources (default: guessed)."),
       target_lang: str = typer.Option("auto", "--target-lang", help="Language of the translations (default: "
                                                                     "guessed)."),
       llm: bool = typer.Option(True, "--llm/--no-llm", help="With the LLM likelihoods (slow on CPU: a few seconds "
                                                             "a segment), or the cheap evidence only."),
       model: Optional[str] = typer.Option(None, "--model", help="The LLM scoring likelihoods (default: the one the "
                                                                 "combiner was fitted on)."),
       start: int = typer.Option(0, help="First source segment (MQM) or line (folder) to use, 0-based."),
       lines: int = typer.Option(0, help="Number of source segments or lines to use from --start (0: all)."),
       resamples: int = typer.Option(1000, help="Bootstrap resamples for the intervals."),
       out: Path = typer.Option(Path("reports/qe"), "--out", "-o", help="Report folder.")) -> None:
    """Kendall tau-b and Pearson of reference-free quality estimates against human MQM scores or sentence chrF."""
    judged = qe_eval.load_judged(path, "" if source_lang == "auto" else source_lang,
                                 "" if target_lang == "auto" else target_lang, start, lines)
    judged.source_lang = judged.source_lang or guess_language(" ".join(judged.sources[:40]))
    judged.target_lang = judged.target_lang or guess_language(" ".join(judged.translations[:40]))
    run_qe(judged, out, resamples, model=model, llm=llm)
