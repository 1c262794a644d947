"""`digest evaluate`: mt, summary, lid, align and qe, each writing a report folder.

The commands only parse options; the work is in `runs.py`. With `mt --translate-with CONFIG` or `summary
--summarize-with CONFIG`, digest's own outputs are scored beside the other
systems (see `own.py`).
"""
from __future__ import annotations

from functools import wraps
from pathlib import Path
from typing import Optional

import typer

from pipeline.evaluate import mt as mt_eval
from pipeline.evaluate import own, reference_free
from pipeline.evaluate import qe as qe_eval
from pipeline.evaluate.runs import (
    console,
    estimator_for,
    guess_language,
    run_align,
    run_lid,
    run_mt,
    run_mt_unreferenced,
    run_qe,
    run_summary,
)

evaluate_app = typer.Typer(help="Evaluate translation, summaries, language ID and alignment.", no_args_is_help=True)


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
        run_mt_unreferenced(data.lines(start, lines), out, resamples, estimator_for(out, qe_model, qe_llm))
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
