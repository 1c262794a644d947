"""Number errors of machine translations on FLORES-200 lines with numbers: the raw prompt against the project.

Usage: DIGEST_HOME=... python benchmarks/bench_number_errors.py FLORES_DIR [--start 500] [--end N] [--lines 100]
           [--directions fr-en,zh-en,en-fr,en-zh] [--show]

FLORES_DIR holds eng_Latn.txt, fra_Latn.txt and zho_Hans.txt, line-parallel (FLORES-200 dev). For each
direction it takes the first --lines lines from --start (and before --end) whose source has a number a
translation must carry (`extract_numbers(...).firm`) and translates them twice with the default config's
translate model: (a) raw, the one-line prompt `digest bench` times (`bench.speed.one_line_prompts`), one
greedy output, no checks; (b) the project, `translate_keeping_facts` (the translate prompt, the number check,
the retry, the flags), with its number repair (`text.number_repair`) applied here after it, as the project
applies it, so that the table shows the project before and after the repair.
A translation is a number error when `number_mismatches(reference, hypothesis)` is not empty: its normalised
numbers differ from the human reference's. "unflagged" counts the project's errors that carry neither a
`number-mismatch` nor a `number-repaired` flag, the ones a reader of a digest would not be warned of.
"repairs (right)" counts the numbers the repair rewrote, and of them those that now match the reference;
chrF (sacrebleu, against the reference) is the project's before and after the repair. `--show` prints every
line with an error or a repair, source, reference and the outputs, so a person can tell a model error from a
liberty of the reference or a gap of the normaliser.

The number rules (`pipeline/text/numbers.py`, `numerals.py`, `number_check.py`) were tuned on lines 0-499,
this benchmark's errors included: held-out figures come from --start 500 on, which needs the whole dev set
(997 lines; a copy cut at 506 lines has no held-out line with a number, and says so before loading a model).
"""
from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path

from sacrebleu.metrics import CHRF

from pipeline.backends.facts import translate_keeping_facts
from pipeline.backends.loading import load_backend
from pipeline.bench.speed import raw_translations
from pipeline.config import load_config
from pipeline.text.number_check import FLAG, number_mismatches
from pipeline.text.number_repair import FLAG as REPAIRED
from pipeline.text.number_repair import Repair, repair_numbers, repaired_flags
from pipeline.text.numbers import extract_numbers

FILES = {"en": "eng_Latn.txt", "fr": "fra_Latn.txt", "zh": "zho_Hans.txt"}
DIRECTIONS = "fr-en,zh-en,en-fr,en-zh"


def read_flores(folder: Path) -> dict[str, list[str]]:
    """Each language's lines of a FLORES-200 folder."""
    missing = [name for name in FILES.values() if not (folder / name).is_file()]
    if missing:
        raise SystemExit(f"{folder}: no {', '.join(missing)} (a FLORES-200 folder is expected)")
    return {lang: (folder / name).read_text(encoding="utf-8").splitlines() for lang, name in FILES.items()}


def directions(spec: str) -> list[tuple[str, str]]:
    """("fr", "en") pairs from "fr-en,zh-en"; an unknown language is an error."""
    pairs = [tuple(part.strip().split("-")) for part in spec.split(",") if part.strip()]
    for pair in pairs:
        if len(pair) != 2 or not set(pair) <= set(FILES) or pair[0] == pair[1]:
            raise SystemExit(f"--directions: {'-'.join(pair)} is not two of {', '.join(FILES)} (e.g. fr-en)")
    return pairs


def lines_with_numbers(sources: list[str], lang: str, start: int, count: int, end: int | None = None) -> list[int]:
    """The first `count` line numbers from `start` (and before `end`) whose source has a firm number."""
    found = []
    for i in range(start, min(len(sources), end if end is not None else len(sources))):
        if len(found) == count:
            break
        if any(number.firm for number in extract_numbers(sources[i], lang)):
            found.append(i)
    return found


@dataclass
class Tally:
    """One direction's counts: lines with a number error raw, in the project before and after the number
    repair, the errors after it that carry no flag, and the repairs made and those the reference agrees with."""

    raw: int = 0
    before: int = 0
    after: int = 0
    unflagged: int = 0
    repairs: int = 0
    right: int = 0
    outputs: dict[str, list[str]] = field(default_factory=lambda: {"before": [], "after": []})

    def add(self, wrong: list[list], flagged: bool, repairs: list[Repair], right: int) -> None:
        """Count one line: its mismatches with the reference raw, before and after the repair."""
        self.raw += bool(wrong[0])
        self.before += bool(wrong[1])
        self.after += bool(wrong[2])
        self.unflagged += bool(wrong[2]) and not flagged
        self.repairs += len(repairs)
        self.right += right


def warned(flags: list[str]) -> bool:
    """Whether a reader is told of a number: a mismatch or a repair flag."""
    return any(flag.startswith((FLAG, REPAIRED)) for flag in flags)


def repaired_right(reference: str, target: str, output: str, repairs: list[Repair]) -> int:
    """How many repairs wrote a number the reference has: no mismatch is left on the span each rewrote."""
    wrong = {m.target.start for m in number_mismatches(reference, target, output, target) if m.target is not None}
    right, shift = 0, 0
    for repair in repairs:  # in reading order: each earlier repair moves the later spans
        start = repair.target.start + shift
        right += not any(start <= at < start + len(repair.written) for at in wrong)
        shift += len(repair.written) - len(repair.target.text)
    return right


def measure(guarded, data: dict[str, list[str]], source: str, target: str, lines: list[int], show: bool) -> list:
    """One row of the table: lines, raw errors, project errors before and after the repair, unflagged,
    repairs (right), chrF before / after the repair, seconds."""
    texts, references = [data[source][i] for i in lines], [data[target][i] for i in lines]
    started = time.perf_counter()
    raw = raw_translations(guarded.backend, texts, source, target)
    raw_seconds = time.perf_counter() - started
    project = translate_keeping_facts(guarded, texts, source, target, repair=False)
    project_seconds = time.perf_counter() - started - raw_seconds
    tally = Tally()
    for i, text, reference, plain, checked in zip(lines, texts, references, raw, project):
        mismatched = any(flag.startswith(FLAG + ":") for flag in checked.flags)  # as the project repairs
        output, repairs = repair_numbers(text, source, checked.text, target) if mismatched else (checked.text, [])
        flags = repaired_flags(text, source, output, target, checked.flags, repairs)
        wrong = [number_mismatches(reference, target, hypothesis, target)
                 for hypothesis in (plain, checked.text, output)]
        tally.add(wrong, warned(flags), repairs, repaired_right(reference, target, output, repairs))
        tally.outputs["before"].append(checked.text)
        tally.outputs["after"].append(output)
        if show and (any(wrong) or repairs):
            show_line(f"{source}->{target} line {i}", text, reference, [plain, checked.text, output], wrong, flags)
    return row(f"{source}->{target}", lines, tally, references, f"{raw_seconds:.0f} / {project_seconds:.0f}")


def row(direction: str, lines: list[int], tally: Tally, references: list[str], seconds: str) -> list[str]:
    """A direction's counts as table cells."""
    count = max(1, len(lines))
    span = f"{lines[0]}-{lines[-1]}" if lines else "none"
    chrf = [CHRF().corpus_score(tally.outputs[key], [references]).score for key in ("before", "after")]
    cells = [f"{n} ({n / count:.1%})" for n in (tally.raw, tally.before, tally.after, tally.unflagged)]
    return [direction, f"{len(lines)} ({span})", *cells, f"{tally.repairs} ({tally.right})",
            f"{chrf[0]:.2f} / {chrf[1]:.2f}", seconds]


def show_line(name: str, text: str, reference: str, outputs: list[str], wrong: list[list], flags: list[str]) -> None:
    """A line with an error or a repair, laid out for a person to classify it."""
    marks = [flag for flag in flags if flag.startswith((FLAG, REPAIRED))]
    print(f"{name}\n  source:    {text}\n  reference: {reference}", flush=True)
    for label, output, errors in zip(("raw", "project", "repaired"), outputs, wrong):
        print(f"  {label + ':':<10} {output}\n    errors:  {', '.join(map(str, errors)) or '-'}")
    print(f"    flags:   {'; '.join(marks) or '-'}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("flores", type=Path)
    parser.add_argument("--start", type=int, default=500, help="first line (0-499 were used for tuning)")
    parser.add_argument("--end", type=int, help="stop before this line (default: the last line)")
    parser.add_argument("--lines", type=int, default=100, help="lines with numbers per direction")
    parser.add_argument("--directions", default=DIRECTIONS)
    parser.add_argument("--show", action="store_true", help="print every line with a number error or repair")
    args = parser.parse_args()
    data = read_flores(args.flores)
    pairs = directions(args.directions)
    chosen = {pair: lines_with_numbers(data[pair[0]], pair[0], args.start, args.lines, args.end)
              for pair in pairs}
    for (source, _), lines in chosen.items():
        if not lines:  # before any model loads
            raise SystemExit(f"{args.flores}: no {source} line with a number from line {args.start} "
                             f"(the folder has {len(data[source])} lines)")
    config = load_config()
    engines: dict[str, object] = {}
    rows = []
    for (source, target), lines in chosen.items():
        model = config.translate.model_for(source, target)
        if model not in engines:
            engines[model] = load_backend(model, config.translate, config.run)
        rows.append(measure(engines[model], data, source, target, lines, args.show))
    header = ["direction", "lines (span)", "raw errors", "project errors before repair", "project errors",
              "project unflagged", "repairs (right)", "chrF before / after repair", "seconds raw / project"]
    print("| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for cells in rows:
        print("| " + " | ".join(map(str, cells)) + " |")


if __name__ == "__main__":
    main()
