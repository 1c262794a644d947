"""Number errors of machine translations on FLORES-200 lines with numbers: the raw prompt against the project.

Usage: DIGEST_HOME=... python benchmarks/bench_number_errors.py FLORES_DIR [--start 500] [--lines 100]
           [--directions fr-en,zh-en,en-fr,en-zh] [--show]

FLORES_DIR holds eng_Latn.txt, fra_Latn.txt and zho_Hans.txt, line-parallel (FLORES-200 dev). For each
direction it takes the first --lines lines from --start whose source has a number a translation must carry
(`extract_numbers(...).firm`) and translates them twice with the default config's translate model: (a) raw,
the one-line prompt `digest bench` times (`bench.speed.one_line_prompts`), one greedy output, no checks;
(b) the project, `translate_keeping_facts` (the translate prompt, the number check, the retry, the flags).
A translation is a number error when `number_mismatches(reference, hypothesis)` is not empty: its normalised
numbers differ from the human reference's. "unflagged" counts the project's errors that carry no
`number-mismatch` flag, the ones a reader of a digest would not be warned of. `--show` prints every line
with an error, source, reference and both outputs, so a person can tell a model error from a liberty of the
reference or a gap of the normaliser.

The number rules (`pipeline/text/numbers.py`, `numerals.py`, `number_check.py`) were tuned on lines 0-499,
this benchmark's errors included: held-out figures come from --start 500 on, which needs the whole dev set
(997 lines; a copy cut at 506 lines has no held-out line with a number, and says so before loading a model).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline.backends.facts import Translated, translate_keeping_facts
from pipeline.backends.loading import load_backend
from pipeline.bench.speed import raw_translations
from pipeline.config import load_config
from pipeline.text.number_check import FLAG, number_mismatches
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


def lines_with_numbers(sources: list[str], lang: str, start: int, count: int) -> list[int]:
    """The first `count` line numbers from `start` whose source has a firm number."""
    found = []
    for i in range(start, len(sources)):
        if len(found) == count:
            break
        if any(number.firm for number in extract_numbers(sources[i], lang)):
            found.append(i)
    return found


def flagged(result: Translated) -> bool:
    return any(flag.startswith(FLAG) for flag in result.flags)


def measure(guarded, data: dict[str, list[str]], source: str, target: str, lines: list[int], show: bool) -> list:
    """One row of the table: lines, raw errors, project errors, project errors unflagged, seconds."""
    texts = [data[source][i] for i in lines]
    started = time.perf_counter()
    raw = raw_translations(guarded.backend, texts, source, target)
    raw_seconds = time.perf_counter() - started
    project = translate_keeping_facts(guarded, texts, source, target)
    project_seconds = time.perf_counter() - started - raw_seconds
    raw_errors = project_errors = unflagged = 0
    for i, text, plain, checked in zip(lines, texts, raw, project):
        reference = data[target][i]
        wrong_raw = number_mismatches(reference, target, plain, target)
        wrong = number_mismatches(reference, target, checked.text, target)
        raw_errors += bool(wrong_raw)
        project_errors += bool(wrong)
        unflagged += bool(wrong) and not flagged(checked)
        if show and (wrong_raw or wrong):
            show_line(f"{source}->{target} line {i}", text, reference, plain, wrong_raw, checked, wrong)
    count = max(1, len(lines))
    span = f"{lines[0]}-{lines[-1]}" if lines else "none"
    return [f"{source}->{target}", f"{len(lines)} ({span})", f"{raw_errors} ({raw_errors / count:.1%})",
            f"{project_errors} ({project_errors / count:.1%})", f"{unflagged} ({unflagged / count:.1%})",
            f"{raw_seconds:.0f} / {project_seconds:.0f}"]


def show_line(name: str, text: str, reference: str, raw: str, wrong_raw: list, project: Translated,
              wrong: list) -> None:
    """A line with an error, laid out for a person to classify it."""
    marks = [flag for flag in project.flags if flag.startswith(FLAG)]
    print(f"{name}\n  source:    {text}\n  reference: {reference}\n"
          f"  raw:       {raw}\n    errors:  {', '.join(map(str, wrong_raw)) or '-'}\n"
          f"  project:   {project.text}\n    errors:  {', '.join(map(str, wrong)) or '-'}"
          f"\n    flags:   {'; '.join(marks) or '-'}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("flores", type=Path)
    parser.add_argument("--start", type=int, default=500, help="first line (0-499 were used for tuning)")
    parser.add_argument("--lines", type=int, default=100, help="lines with numbers per direction")
    parser.add_argument("--directions", default=DIRECTIONS)
    parser.add_argument("--show", action="store_true", help="print every line with a number error")
    args = parser.parse_args()
    data = read_flores(args.flores)
    pairs = directions(args.directions)
    chosen = {pair: lines_with_numbers(data[pair[0]], pair[0], args.start, args.lines) for pair in pairs}
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
    header = ["direction", "lines (span)", "raw errors", "project errors", "project unflagged", "seconds raw / project"]
    print("| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(map(str, row)) + " |")


if __name__ == "__main__":
    main()
