"""Reference-free quality estimation, and how far each estimate agrees with human judges or a reference metric.

`digest evaluate qe` scores QE methods (digest's combined estimate, each of its
features alone, the length baseline "the shorter, the better", and where a
source has several translations their consensus, alone and combined) against
human MQM scores or against sentence chrF of system outputs; `correlation.py` holds
the statistics. The `mt` report keeps its older section: calibrated embedding
similarity and round-trip chrF against sentence chrF, per system.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sacrebleu.metrics import CHRF

from pipeline.evaluate import correlation as corr
from pipeline.evaluate.mqm import read_mqm
from pipeline.evaluate.mt import load_testset
from pipeline.evaluate.report import Report, Table, report_signature
from pipeline.evaluate.stats import RESAMPLES, kendall_tau, pearson
from pipeline.quality import evidence
from pipeline.quality.consensus import consensus_evidence, with_consensus
from pipeline.similarity.embed import calibrate

COMBINED = "digest QE"
WITH_CONSENSUS = "digest QE + consensus"
LENGTH_BASELINE = "length baseline (shorter is better)"


@dataclass
class Judged:
    """Translations with a quality judgement each: what QE methods are scored against."""

    sources: list[str]
    translations: list[str]
    human: list[float]  # higher is better: minus MQM error weight, or sentence chrF
    groups: list  # the source segment each translation is of
    systems: list[str]
    source_lang: str
    target_lang: str
    judgement: str  # what `human` is, for the report
    files: list = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.translations)


def judged_by_chrf(testset) -> Judged:
    """Every system's lines of an mt test set with a source, judged by sentence chrF against the first reference."""
    if testset.source is None:
        raise ValueError("QE against chrF needs the source: a src.LANG file in the folder or --source")
    sources, translations, human, groups, systems = [], [], [], [], []
    for name, lines in testset.systems.items():
        sources += testset.source
        translations += lines
        human += reference_chrf(lines, testset.references[0])
        groups += [testset.start + i for i in range(len(lines))]
        systems += [name] * len(lines)
    return Judged(sources, translations, human, groups, systems, testset.source_lang, testset.target_lang,
                  "sentence chrF against the reference", list(testset.files))


def judged_by_mqm(path, source_lang: str, target_lang: str, start: int = 0, lines: int = 0) -> Judged:
    """The segments of an MQM file, scored by judges; `lines` source segments (all their systems) from `start`."""
    segments = read_mqm(path)
    keys = list(dict.fromkeys(s.source_key for s in segments))
    if start < 0 or lines < 0 or (start and start >= len(keys)):
        raise ValueError(f"{path}: cannot take {lines or 'all'} source segments from {start}: it has {len(keys)} "
                         "(numbered from 0); give --start and --lines within them")
    chosen = set(keys[start:start + lines if lines else None])
    kept = [s for s in segments if s.source_key in chosen]
    return Judged([s.source for s in kept], [s.target for s in kept], [s.score for s in kept],
                  [s.source_key for s in kept], [s.system for s in kept], source_lang, target_lang,
                  "expert MQM (minus the weighted errors)", [path])


def method_scores(judged: Judged, estimator) -> dict[str, list[float]]:
    """Per method, one estimate per translation: digest's combined QE, each feature alone, the length baseline;
    where sources have several translations, their consensus alone and combined with the rest."""
    found = estimator.evidence(judged.sources, judged.translations, judged.source_lang, judged.target_lang)
    scores = {COMBINED: [e.score for e in estimator.combine(found)]}
    if len(judged.groups) > len(set(judged.groups)):
        combined = with_consensus(estimator)
        neutral = dict(zip(combined.combiner.features, combined.combiner.means))
        found.update(consensus_evidence(estimator.embedder, judged.translations, judged.groups, neutral))
        scores[WITH_CONSENSUS] = [e.score for e in combined.combine(found)]
    scores.update({name: [e.value for e in values] for name, values in found.items()})
    baseline = evidence.shortness(judged.sources, judged.translations, judged.source_lang, judged.target_lang)
    scores[LENGTH_BASELINE] = [e.value for e in baseline]
    return scores


def agreement(judged: Judged, scores: dict[str, list[float]], resamples: int = RESAMPLES) -> dict:
    """Per method: Kendall tau-b and Pearson over all segments, and Kendall tau-b within each source, averaged."""
    return {name: {"segment": corr.segment_level(values, judged.human, judged.groups, resamples),
                   "grouped": corr.grouped(values, judged.human, judged.groups, resamples)}
            for name, values in scores.items()}


def last_line(results: dict) -> str:
    """The line `digest evaluate qe` ends with."""
    ours = results[COMBINED]
    return (f"digest QE: Kendall tau-b {ours['segment']['kendall']:.3f} ({ours['segment']['segments']} segments); "
            f"grouped {ours['grouped']['kendall']:.3f} ({ours['grouped']['sources']} sources)")


def _cell(found: dict, key: str = "kendall") -> str:
    low, high = found[f"{key}_ci"]
    return f"{found[key]:.3f} [{low:.3f}, {high:.3f}]"


def method_table(results: dict, seconds: float) -> Table:
    """One row per method, digest's own first, then by segment-level tau-b."""
    order = [COMBINED] + sorted((n for n in results if n != COMBINED), key=lambda n: -results[n]["segment"]["kendall"])
    rows = [[name, _cell(results[name]["segment"]), _cell(results[name]["segment"], "pearson"),
             _cell(results[name]["grouped"]), results[name]["grouped"]["sources"]] for name in order]
    return Table(["method", "Kendall tau-b", "Pearson", "grouped Kendall tau-b", "sources"], rows,
                 f"95% bootstrap intervals over source segments; digest QE took {seconds:.3f} s a segment")


def build_report(judged: Judged, scores: dict, results: dict, signature: dict, seconds: float) -> Report:
    """The report of `digest evaluate qe`: one row per method."""
    systems = len(dict.fromkeys(judged.systems))
    report = Report(f"Quality estimation against {judged.judgement} ({len(judged)} segments, "
                    f"{judged.source_lang}->{judged.target_lang})", "qe", signature,
                    {"methods": results, "segments": len(judged), "systems": systems, "seconds_per_segment": seconds,
                     "judgement": judged.judgement, "estimates": scores, "human": judged.human})
    report.paragraph(f"{len(judged)} translations by {systems} systems of "
                     f"{len(dict.fromkeys(judged.groups))} source segments, judged by {judged.judgement}. "
                     "Segment level: over all translations. Grouped: Kendall tau-b among the translations of one "
                     "source, averaged over the sources where both the estimate and the judgement vary (what "
                     "choosing among candidates needs). Brackets: 95% bootstrap intervals over source segments.")
    if WITH_CONSENSUS in scores:
        report.paragraph("Consensus (reference-free, minimum Bayes risk): each translation's mean sentence chrF "
                         "(chrf_consensus) and mean embedding cosine (embedding_consensus) against the other "
                         f"translations of its source. '{WITH_CONSENSUS}' adds both to digest's features, as a "
                         "reranker among candidates can; a digest's lone sentence has no consensus, so the headline "
                         f"stays '{COMBINED}'.")
    table = method_table(results, seconds)
    report.table(table.header, table.rows, table.caption)
    return report


def load_judged(path: Path, source_lang: str, target_lang: str, start: int = 0, lines: int = 0) -> Judged:
    """An MQM file, or an mt test set folder (judged by sentence chrF); languages default to the folder's."""
    path = Path(path)
    if path.is_dir():
        testset = load_testset(path).lines(start, lines)
        testset.source_lang = source_lang or testset.source_lang
        testset.target_lang = target_lang or testset.target_lang
        return judged_by_chrf(testset)
    return judged_by_mqm(path, source_lang, target_lang, start, lines)


def run(judged: Judged, estimator, resamples: int = RESAMPLES, command: list[str] | None = None) -> Report:
    """Score every method on `judged` and build the report (its signature names the estimator)."""
    if not judged.source_lang or not judged.target_lang:
        raise ValueError("QE needs the source and target languages: give --source-lang and --target-lang")
    started = time.perf_counter()
    scores = method_scores(judged, estimator)
    seconds = (time.perf_counter() - started) / max(len(judged), 1)
    results = agreement(judged, scores, resamples)
    signature = report_signature(judged.files, command, source_lang=judged.source_lang,
                                 target_lang=judged.target_lang, resamples=resamples, segments=len(judged))
    signature["estimator"] = estimator.signature()
    return build_report(judged, scores, results, signature, seconds)


def similarity_scores(sources: list[str], translations: list[str], embedder) -> list[float]:
    """Calibrated cross-lingual similarity (0..1) of each source sentence and its translation."""
    _same_length(sources, translations, "translations")
    return [float(calibrate(e.value)) for e in evidence.similarity(embedder)(sources, translations, "", "")]


def round_trip_scores(sources: list[str], translations: list[str],
                      back_translate: Callable[[list[str]], list[str]]) -> list[float]:
    """chrF (0..1) of each translation translated back by `back_translate`, against its source."""
    _same_length(sources, translations, "translations")
    back = list(back_translate(translations))
    _same_length(sources, back, "back-translations")
    metric = CHRF()
    return [metric.sentence_score(b, [s]).score / 100 for b, s in zip(back, sources)]


def reference_chrf(translations: list[str], references: list[str]) -> list[float]:
    """Sentence chrF (0..100) of each translation against its reference."""
    _same_length(references, translations, "translations")
    metric = CHRF()
    return [metric.sentence_score(t, [r]).score for t, r in zip(translations, references)]


def correlation(estimates: list[float], reference_scores: list[float]) -> dict:
    """Pearson and Kendall tau between a quality estimate and reference-based scores."""
    _same_length(reference_scores, estimates, "estimates")
    return {"pearson": pearson(estimates, reference_scores), "kendall": kendall_tau(estimates, reference_scores),
            "sentences": len(estimates)}


def evaluate(sources: list[str], systems: dict[str, list[str]], references: list[str], embedder,
             back_translate: Callable[[list[str]], list[str]] | None = None) -> dict:
    """Per-system estimates and their correlation with sentence chrF, plus all systems pooled."""
    result, pooled = {}, {"similarity": ([], []), "round_trip": ([], [])}
    for name, translations in systems.items():
        target = reference_chrf(translations, references)
        found = {"similarity": similarity_scores(sources, translations, embedder)}
        if back_translate is not None:
            found["round_trip"] = round_trip_scores(sources, translations, back_translate)
        found["correlation"] = {kind: correlation(found[kind], target) for kind in ("similarity", "round_trip")
                                if kind in found}
        for kind in found["correlation"]:
            pooled[kind][0].extend(found[kind])
            pooled[kind][1].extend(target)
        result[name] = found
    overall = {kind: correlation(*pair) for kind, pair in pooled.items() if pair[0]}
    return {"systems": result, "pooled": overall}


def _same_length(expected: list, found: list, what: str) -> None:
    if len(found) != len(expected):
        raise ValueError(f"quality estimation: {len(found)} {what} for {len(expected)} sentences; "
                         "give one per sentence, in order")
