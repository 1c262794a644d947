"""Translation quality with sacrebleu: BLEU, chrF, chrF++ and TER, with signatures.

Corpus scores come from sacrebleu's own code paths (`corpus_score` with
bootstrap resampling for one system, `PairedTest` for several), so every
figure equals what the `sacrebleu` command prints for the same files and
options. Per-document and per-sentence scores are added for inspection.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest

from pipeline.evaluate.stats import RESAMPLES

METRIC_NAMES = ("BLEU", "chrF", "chrF++", "TER")
LANGUAGE_SUFFIXES = ("en", "fr", "zh", "de", "es", "ja", "ko", "ru")


@dataclass
class TestSet:
    """Line-aligned source, references and system outputs of one direction."""

    references: list[list[str]]  # one list of lines per reference translation
    target_lang: str
    systems: dict[str, list[str]] = field(default_factory=dict)
    source: list[str] | None = None
    docids: list[str] | None = None
    files: list[Path] = field(default_factory=list)  # every input read, for the run signature

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
    """Lines of a UTF-8 text file, without their line endings (as sacrebleu reads them)."""
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
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
                      files=list(ref_paths))
    for path in sorted(folder.glob("hyp.*")):
        testset.systems[".".join(path.name.split(".")[1:-1])] = read_lines(path)
        testset.files.append(path)
    sources = sorted(folder.glob("src.*"))
    if sources:
        testset.source = read_lines(sources[0])
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
    """sacrebleu metrics with this project's settings; the CLI's defaults apart from tokenization."""
    return {"BLEU": BLEU(tokenize="zh" if target_lang == "zh" else "13a"),
            "chrF": CHRF(), "chrF++": CHRF(word_order=2), "TER": TER()}


def cli_options(target_lang: str) -> dict[str, list[str]]:
    """The `sacrebleu` command options that reproduce each metric."""
    return {"BLEU": ["-m", "bleu", "--tokenize", "zh" if target_lang == "zh" else "13a"],
            "chrF": ["-m", "chrf"], "chrF++": ["-m", "chrf", "--chrf-word-order", "2"], "TER": ["-m", "ter"]}


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
        hyps = testset.systems[name]
        systems[name] = {"corpus": corpus[name], "sentences": _sentence_scores(hyps, refs, testset.target_lang),
                         "documents": _document_scores(hyps, refs, testset.docids, testset.target_lang)}
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
            result[key] = {"score": found.score, "mean": found._mean, "ci": found._ci, "p_value": None}
            signatures[key] = metric.get_signature().format()
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


def _sentence_scores(hyps: list[str], refs: list[list[str]], target_lang: str) -> dict[str, list[float]]:
    """Per-segment scores; sentence BLEU uses effective order, as sacrebleu's sentence mode does."""
    metrics = make_metrics(target_lang)
    metrics["BLEU"] = BLEU(tokenize="zh" if target_lang == "zh" else "13a", effective_order=True)
    rows = list(zip(*refs))
    return {key: [metric.sentence_score(h, list(r)).score for h, r in zip(hyps, rows)]
            for key, metric in metrics.items()}


def _document_scores(hyps: list[str], refs: list[list[str]], docids: list[str] | None,
                     target_lang: str) -> dict[str, dict[str, float]]:
    """Corpus scores of each document's segments, in order of first appearance."""
    if docids is None:
        return {}
    lines: dict[str, list[int]] = {}
    for index, doc in enumerate(docids):
        lines.setdefault(doc, []).append(index)
    metrics = make_metrics(target_lang)
    return {doc: {key: metric.corpus_score([hyps[i] for i in idx], [[r[i] for i in idx] for r in refs]).score
                  for key, metric in metrics.items()}
            for doc, idx in lines.items()}
