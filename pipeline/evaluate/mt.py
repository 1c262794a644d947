"""Translation quality with sacrebleu: BLEU, chrF, chrF++ and TER, with signatures.

Corpus scores come from sacrebleu's own code paths (`corpus_score` with
bootstrap resampling for one system, `PairedTest` for several), so every
figure equals what the `sacrebleu` command prints for the same files and
options. Per-document and per-sentence scores are added for inspection.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest

from pipeline.evaluate.plots import bar_chart, distribution_chart
from pipeline.evaluate.report import Report, Table
from pipeline.evaluate.stats import RESAMPLES

METRIC_NAMES = ("BLEU", "chrF", "chrF++", "TER")
HEADLINE = ("BLEU", "chrF")  # the metrics sacrebleu's own table leads with
LANGUAGE_SUFFIXES = ("en", "fr", "zh", "de", "es", "ja", "ko", "ru")
CJK = ("zh", "ja")
INTERVAL_DIGITS = 6  # decimals kept of sacrebleu's printed interval: the report shows 1


@dataclass
class TestSet:
    """Line-aligned source, references and system outputs of one direction."""

    references: list[list[str]]  # one list of lines per reference translation
    target_lang: str
    systems: dict[str, list[str]] = field(default_factory=dict)
    source: list[str] | None = None
    docids: list[str] | None = None
    files: list[Path] = field(default_factory=list)  # every input read, for the run signature
    source_lang: str = ""
    folder: Path | None = None  # the test set folder, when it came from one
    start: int = 0  # the files' line (0-based) this set's first segment is on: a subset starts later

    def lines(self, start: int, count: int) -> "TestSet":
        """The same test set cut to `count` lines from line `start` (0-based); count 0 keeps the rest."""
        self.check()
        total = len(self.references[0])
        if start < 0 or count < 0 or (start and start >= total):
            raise ValueError(f"test set: cannot take {count or 'all'} lines from line {start}: it has {total} "
                             "lines (numbered from 0); give --start and --lines within them")
        end = start + count if count else None
        return TestSet(references=[r[start:end] for r in self.references], target_lang=self.target_lang,
                       systems={name: hyps[start:end] for name, hyps in self.systems.items()},
                       source=self.source[start:end] if self.source is not None else None,
                       docids=self.docids[start:end] if self.docids is not None else None,
                       files=list(self.files), source_lang=self.source_lang, folder=self.folder,
                       start=self.start + start)

    def check(self) -> None:
        """Raise if any file's line count differs from the first reference's."""
        lines = len(self.references[0])
        streams = {f"reference {i + 1}": r for i, r in enumerate(self.references)}
        streams.update({f"system {name!r}": hyps for name, hyps in self.systems.items()})
        if self.source is not None:
            streams["source"] = self.source
        if self.docids is not None:
            streams["document ids"] = self.docids
        wrong = [f"{label} has {len(values)}" for label, values in streams.items() if len(values) != lines]
        if wrong:
            raise ValueError(f"test set: the first reference has {lines} lines but {', '.join(wrong)}; "
                             "every file must have one line per segment")


def read_lines(path: Path) -> list[str]:
    """Lines of a UTF-8 file exactly as sacrebleu reads them: split at \\n only, trailing spaces removed.

    `str.splitlines` would also split at U+0085 or U+2028 inside a line and shift
    every following segment against its reference.
    """
    try:
        with open(path, encoding="utf-8", newline="\n") as handle:
            return [line.rstrip() for line in handle]
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no such file; check the path") from None
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 ({error.reason} at byte {error.start}); convert it to UTF-8") from None


def read_docids(path: Path) -> list[str]:
    """One document id per line: the last tab-separated column (as in WMT's line_idx_docid.tsv)."""
    return [line.split("\t")[-1].strip() for line in read_lines(path)]


def language_of(path: Path) -> str:
    """The language code a file name ends with (`ref.A.zh` -> zh), or '' if none is recognised."""
    suffix = Path(path).suffix.lstrip(".").lower()
    return suffix if suffix in LANGUAGE_SUFFIXES else ""


def load_testset(folder: Path, reference_ids: list[str] | None = None) -> TestSet:
    """A WMT-style folder: src.XX, ref.ID.YY, hyp.NAME.YY and optionally line_idx_docid.tsv.

    Only the first reference (by id) is used unless `reference_ids` names others,
    matching the usual single-reference scores.
    """
    folder = Path(folder)
    refs = sorted(folder.glob("ref.*"))
    if not refs:
        raise FileNotFoundError(f"{folder}: no ref.ID.LANG file; a test set folder needs at least one reference")
    by_id = {p.name.split(".")[1]: p for p in refs}
    chosen = reference_ids or [sorted(by_id)[0]]
    missing = [r for r in chosen if r not in by_id]
    if missing:
        raise ValueError(f"{folder}: no reference with id {', '.join(missing)}; found {', '.join(sorted(by_id))}")
    ref_paths = [by_id[r] for r in chosen]
    testset = TestSet(references=[read_lines(p) for p in ref_paths], target_lang=language_of(ref_paths[0]),
                      files=list(ref_paths), folder=folder)
    for path in sorted(folder.glob("hyp.*")):
        testset.systems[".".join(path.name.split(".")[1:-1])] = read_lines(path)
        testset.files.append(path)
    sources = sorted(folder.glob("src.*"))
    if sources:
        testset.source, testset.source_lang = read_lines(sources[0]), language_of(sources[0])
        testset.files.append(sources[0])
    docids = folder / "line_idx_docid.tsv"
    if docids.exists():
        testset.docids = read_docids(docids)
        testset.files.append(docids)
    return testset


def add_translations(testset: TestSet, name: str, translate: Callable[[list[str]], list[str]]) -> TestSet:
    """Translate the test set's source with `translate` and add the output as system `name`."""
    if testset.source is None:
        raise ValueError(f"test set has no source file to translate for system {name!r}; add a src.LANG file")
    output = list(translate(testset.source))
    if len(output) != len(testset.source):
        raise ValueError(f"system {name!r} returned {len(output)} lines for {len(testset.source)} sources")
    testset.systems[name] = output
    return testset


def make_metrics(target_lang: str) -> dict[str, object]:
    """sacrebleu metrics with this project's settings: the CLI's defaults except for Chinese targets.

    Chinese has no spaces, so BLEU uses sacrebleu's zh tokenizer and TER its
    Asian-language support (which sacrebleu applies only with normalization);
    otherwise TER would count whole sentences as words (about 99 on any system).
    """
    cjk = target_lang in CJK
    return {"BLEU": BLEU(tokenize="zh" if target_lang == "zh" else "13a"),
            "chrF": CHRF(), "chrF++": CHRF(word_order=2), "TER": TER(normalized=cjk, asian_support=cjk)}


def cli_options(target_lang: str) -> dict[str, list[str]]:
    """The `sacrebleu` command options that reproduce each metric."""
    ter = ["-m", "ter"] + (["--ter-normalized", "--ter-asian-support"] if target_lang in CJK else [])
    return {"BLEU": ["-m", "bleu", "--tokenize", "zh" if target_lang == "zh" else "13a"],
            "chrF": ["-m", "chrf"], "chrF++": ["-m", "chrf", "--chrf-word-order", "2"], "TER": ter}


def score(testset: TestSet, baseline: str | None = None, resamples: int = RESAMPLES) -> dict:
    """Corpus, document and sentence scores of every system, with intervals and paired tests."""
    testset.check()
    if not testset.systems:
        raise ValueError("test set: no system output to score; give --hyp or --system NAME=PATH")
    names = list(testset.systems)
    baseline = baseline or names[0]
    if baseline not in testset.systems:
        raise ValueError(f"baseline {baseline!r} is not among the systems: {', '.join(names)}")
    order = [baseline] + [n for n in names if n != baseline]
    refs = testset.references
    corpus, signatures = _corpus_scores(testset, order, resamples)
    systems = {}
    for name in order:
        sentences, documents = _item_scores(testset.systems[name], refs, testset.docids, testset.target_lang)
        systems[name] = {"corpus": corpus[name], "sentences": sentences, "documents": documents}
    return {"target_lang": testset.target_lang, "segments": len(refs[0]), "references": len(refs),
            "baseline": baseline, "signatures": signatures, "systems": systems}


def _corpus_scores(testset: TestSet, order: list[str], resamples: int) -> tuple[dict, dict]:
    """sacrebleu corpus scores: a bootstrap interval for one system, a paired bootstrap test for several."""
    metrics = make_metrics(testset.target_lang)
    refs = testset.references
    if len(order) == 1:
        hyps, result, signatures = testset.systems[order[0]], {}, {}
        for key, metric in metrics.items():
            found = metric.corpus_score(hyps, refs, n_bootstrap=resamples)
            signatures[key] = metric.get_signature().format()
            result[key] = {"score": found.score, **_interval(found, signatures[key]), "p_value": None}
        return {order[0]: result}, signatures
    named = [(name, testset.systems[name]) for name in order]
    test = PairedTest(named, metrics, references=refs, test_type="bs", n_samples=resamples)
    raw_signatures, table = test()
    keys = dict(zip(raw_signatures, metrics))  # sacrebleu's names (chrF2++) -> ours (chrF++)
    result = {name: {} for name in order}
    for sacre_name, key in keys.items():
        for name, found in zip(order, table[sacre_name]):
            result[name][key] = {"score": found.score, "mean": found.mean, "ci": found.ci, "p_value": found.p_value}
    return result, {keys[k]: v.format() for k, v in raw_signatures.items()}


def _interval(found, signature: str) -> dict:
    """The bootstrap mean and 95% half-width of a corpus score, read from sacrebleu's public JSON form (the
    one `sacrebleu --confidence -f json` prints); None when it gives none (a score of 0 in every resample)."""
    printed = json.loads(found.format(width=INTERVAL_DIGITS, signature=signature, is_json=True))
    return {"mean": printed.get("confidence_mean"), "ci": printed.get("confidence_var")}


def _item_scores(hyps: list[str], refs: list[list[str]], docids: list[str] | None,
                 target_lang: str) -> tuple[dict[str, list[float]], dict[str, dict[str, float]]]:
    """Per-segment and per-document scores through sacrebleu's public calls.

    A segment's score is `sentence_score` (BLEU with effective order, as
    sacrebleu's sentence mode); a document's is `corpus_score` over its own
    segments, except TER, whose segments are by far the slowest to score: its
    document score sums their edits and reference lengths, which is all TER's
    corpus score does.
    """
    metrics = make_metrics(target_lang)
    documents: dict[str, list[int]] = {}
    for index, doc in enumerate(docids or []):
        documents.setdefault(doc, []).append(index)
    scorers = {**metrics, "BLEU": BLEU(tokenize="zh" if target_lang == "zh" else "13a", effective_order=True)}
    found = {key: [scorer.sentence_score(hyp, [r[i] for r in refs]) for i, hyp in enumerate(hyps)]
             for key, scorer in scorers.items()}
    by_document = {}
    for doc, lines in documents.items():
        by_document[doc] = {key: float(metric.corpus_score([hyps[i] for i in lines],
                                                           [[r[i] for i in lines] for r in refs]).score)
                            for key, metric in metrics.items() if key != "TER"}
        by_document[doc]["TER"] = _summed_ter([found["TER"][i] for i in lines])
    return {key: [float(score.score) for score in scores] for key, scores in found.items()}, by_document


def _summed_ter(scores: list) -> float:
    """TER of several segments from their sentence scores: all edits over all (average) reference words."""
    edits, words = sum(s.num_edits for s in scores), sum(s.ref_length for s in scores)
    if words:
        return 100 * edits / words
    return 100.0 if edits else 0.0


def _corpus_rows(systems: dict) -> list[list[str]]:
    """Per system: each metric as score ± interval, then the p-values against the baseline."""
    rows = []
    for name, found in systems.items():
        row = [name]
        for key in METRIC_NAMES:
            cell = found["corpus"][key]
            row.append(f"{cell['score']:.1f} ± {cell['ci']:.1f}" if cell["ci"] is not None else f"{cell['score']:.1f}")
        p_values = [found["corpus"][k]["p_value"] for k in METRIC_NAMES]
        row.append(", ".join("-" if p is None else f"{p:.4f}" for p in p_values))
        rows.append(row)
    return rows


def headline(results: dict) -> Table:
    """The table printed on the terminal, as sacrebleu prints it: score (μ = bootstrap mean ± 95% CI), and the
    paired test's p-value against the baseline (* below 0.05)."""
    rows = [[name, *(_headline_cell(found["corpus"][key]) for key in HEADLINE)]
            for name, found in results["systems"].items()]
    caption = (f"{results['segments']} segments into {results['target_lang'] or '?'}, {results['references']} "
               f"reference(s); p: paired bootstrap against {results['baseline']!r}")
    return Table(["system", *(f"{key} (μ ± 95% CI)" for key in HEADLINE)], rows, caption)


def _headline_cell(cell: dict) -> str:
    text = f"{cell['score']:.1f}"
    if cell["ci"] is not None:
        text += f" (μ = {cell['mean']:.1f} ± {cell['ci']:.1f})"
    if cell["p_value"] is not None:
        text += f" p = {cell['p_value']:.4f}" + ("*" if cell["p_value"] < 0.05 else "")
    return text


def build_report(results: dict, signature: dict, folder: Path) -> Report:
    """Tables and plots of `score` results; figures are written into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    systems = results["systems"]
    report = Report(f"Translation quality ({results['segments']} segments, into {results['target_lang'] or '?'})",
                    "mt", signature, results)
    report.paragraph(f"Scored with sacrebleu against {results['references']} reference(s). Intervals: 95% "
                     f"bootstrap (half-width around the resampled mean). p: paired bootstrap test against the "
                     f"baseline {results['baseline']!r} (small p: the difference is unlikely to be chance).")
    for warning in results.get("warnings", []):
        report.paragraph(f"Warning: {warning}.")
    report.heading("Corpus scores")
    report.table(["system", *METRIC_NAMES, "p (BLEU, chrF, chrF++, TER)"], _corpus_rows(systems))
    report.table(["metric", "sacrebleu signature"], [[k, v] for k, v in results["signatures"].items()])
    names = list(systems)
    for key in ("BLEU", "chrF"):
        cells = [systems[n]["corpus"][key] for n in names]
        centre = [c["score"] for c in cells]
        half = [c["ci"] or 0.0 for c in cells]
        lows, highs = [c - h for c, h in zip(centre, half)], [c + h for c, h in zip(centre, half)]
        report.figure(bar_chart(folder, f"{key.lower()}_bars.png", names, centre, f"{key} per system", key,
                                lows=lows, highs=highs))
    report.heading("Sentence scores")
    report.figure(distribution_chart(folder, "chrf_sentences.png", {n: systems[n]["sentences"]["chrF"] for n in names},
                                     "Sentence chrF", "chrF"))
    documents = next(iter(systems.values()))["documents"]
    if documents:
        report.heading("Document scores (chrF)")
        report.table(["document", *names], [[doc, *(f"{systems[n]['documents'][doc]['chrF']:.1f}" for n in names)]
                                            for doc in documents])
    return report
