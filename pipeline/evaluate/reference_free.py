"""Translation quality without references: digest's quality estimate of every system's lines.

What `digest evaluate mt --qe` reports when it is given a source and system
outputs but no reference: per system, the mean estimate (the probability that
expert judges find no major error) with a bootstrap interval, the share of
lines a digest would flag, and the reasons most often given.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.evaluate.mt import language_of, read_lines
from pipeline.evaluate.report import Report, Table
from pipeline.evaluate.stats import bootstrap_mean

TOP_REASONS = 5


@dataclass
class Unreferenced:
    """A source and the systems' translations of it, line by line, with no reference."""

    source: list[str]
    systems: dict[str, list[str]]
    source_lang: str
    target_lang: str
    files: list[Path] = field(default_factory=list)
    start: int = 0  # the files' line (0-based) the first segment is on

    def lines(self, start: int, count: int) -> "Unreferenced":
        """The same lines cut to `count` from line `start` (0-based); count 0 keeps the rest."""
        total = len(self.source)
        if start < 0 or count < 0 or (start and start >= total):
            raise ValueError(f"cannot take {count or 'all'} lines from line {start}: the source has {total} lines "
                             "(numbered from 0); give --start and --lines within them")
        end = start + count if count else None
        return Unreferenced(self.source[start:end], {n: lines[start:end] for n, lines in self.systems.items()},
                            self.source_lang, self.target_lang, list(self.files), self.start + start)


def read_unreferenced(folder: Path | None, hyps: dict[str, Path], source: Path | None, source_lang: str,
                      target_lang: str) -> Unreferenced:
    """src.LANG and hyp.NAME.LANG files of a folder, or the files given; languages from the names unless given."""
    if folder is not None:
        sources = sorted(Path(folder).glob("src.*"))
        source = source or (sources[0] if sources else None)
        hyps = {".".join(p.name.split(".")[1:-1]): p for p in sorted(Path(folder).glob("hyp.*"))} | hyps
    if source is None:
        raise ValueError("an evaluation without references needs the source: --source FILE or a src.LANG file")
    if not hyps:
        raise ValueError("no system output to estimate; give --hyp or --system NAME=PATH")
    lines = read_lines(source)
    systems = {name: read_lines(path) for name, path in hyps.items()}
    wrong = [f"{name!r} has {len(found)}" for name, found in systems.items() if len(found) != len(lines)]
    if wrong:
        raise ValueError(f"the source {source} has {len(lines)} lines but {', '.join(wrong)}; "
                         "every file must have one line per segment")
    return Unreferenced(lines, systems, source_lang or language_of(source),
                        target_lang or language_of(next(iter(hyps.values()))), [source, *hyps.values()])


def estimate_systems(data: Unreferenced, estimator, resamples: int) -> dict:
    """Per system: every line's estimate, their mean with an interval, the share flagged, the top reasons."""
    if not data.source_lang or not data.target_lang:
        raise ValueError("QE needs the source and target languages: name the files *.LANG or give --target-lang "
                         "and a source file named *.LANG")
    found = {}
    for name, lines in data.systems.items():
        estimates = estimator.estimate(data.source, lines, data.source_lang, data.target_lang)
        mean, low, high = bootstrap_mean([e.score for e in estimates], resamples)
        reasons = Counter(reason.split(":")[0] for e in estimates for reason in e.reasons)
        found[name] = {"mean": mean, "ci": (low, high), "flagged": sum(e.low for e in estimates) / max(len(lines), 1),
                       "reasons": dict(reasons.most_common(TOP_REASONS)),
                       "lines": [{"score": e.score, "reasons": e.reasons} for e in estimates]}
    return found


def system_table(found: dict) -> Table:
    """One row per system, best first: mean estimate with its interval, share flagged, most frequent reasons."""
    rows = [[name, f"{f['mean']:.3f} [{f['ci'][0]:.3f}, {f['ci'][1]:.3f}]", f"{100 * f['flagged']:.1f}%",
             ", ".join(f"{reason} ({count})" for reason, count in f["reasons"].items()) or "-"]
            for name, f in sorted(found.items(), key=lambda item: -item[1]["mean"])]
    return Table(["system", "mean estimate", "flagged", "most frequent reasons"], rows,
                 "estimate: probability that judges find no major error; flagged: under 0.5")


def build_report(data: Unreferenced, found: dict, signature: dict) -> Report:
    """The report of an evaluation without references: the systems' table."""
    report = Report(f"Translation quality without references ({len(data.source)} segments, "
                    f"{data.source_lang}->{data.target_lang})", "mt-qe", signature, {"systems": found})
    report.paragraph("No reference was given, so each line is scored by digest's quality estimate: the probability "
                     "that expert judges find no major error in it (fitted on expert MQM judgements). A line under "
                     "0.5 is flagged, as digests flag it. Intervals: 95% bootstrap over lines.")
    table = system_table(found)
    report.table(table.header, table.rows, table.caption)
    return report
