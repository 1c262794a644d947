"""The number check on human translations: how often it flags a correct one, and how often it catches a wrong one.

Usage: python benchmarks/bench_numbers.py FLORES_DIR [--start 0] [--end 500] [--wmt WMT22_DIR] [--show]

FLORES_DIR holds eng_Latn.txt, fra_Latn.txt and zho_Hans.txt, line-parallel (FLORES-200 dev). For each
direction (fr->en, zh->en, en->fr, en->zh) and each line where the source or the reference has a number
a translation must carry, "flagged" counts the reference translations that `number_mismatches` reports:
every one is a false positive, since the references are human translations (a few take liberties, such as
a unit converted and rounded or a list shortened). "caught" takes the same lines the check left unflagged,
changes the first number written in digits in the reference (one more, ten times, left out) and counts how
often the check reports it. The constants were tuned on lines 0-499; 500 to the end are held out, and
so is WMT22 general news (`--wmt DIR` with zh-en/ and en-zh/, each src.* and ref.A.*, ref.B.*: news with
many amounts, dates and Chinese numerals, all lines). `--show` prints every flagged line.
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

from pipeline.text.number_check import number_mismatches
from pipeline.text.numbers import extract_numbers

FILES = {"en": "eng_Latn.txt", "fr": "fra_Latn.txt", "zh": "zho_Hans.txt"}
DIRECTIONS = (("fr", "en"), ("zh", "en"), ("en", "fr"), ("en", "zh"))
CHANGES = {"plus one": lambda d: str(int(d) + 1), "ten times": lambda d: d + "0", "left out": lambda d: ""}


def changed(text: str, change) -> str | None:
    """`text` with its first number written in digits changed; None if it has none."""
    match = re.search(r"(?<![\d.,])\d+", text)
    return text[:match.start()] + change(match[0]) + text[match.end():] if match else None


def has_firm_number(text: str, lang: str) -> bool:
    return any(number.firm for number in extract_numbers(text, lang))


def measure(name: str, sources: list[str], source: str, references: list[str], target: str, span: range,
            show: bool) -> list:
    """One row of the table: lines with numbers, flagged references, and changed references caught."""
    rows = [name]
    checked, flagged, clean = 0, 0, []
    for i in span:
        text, reference = sources[i], references[i]
        if not (has_firm_number(text, source) or has_firm_number(reference, target)):
            continue
        checked += 1
        mismatches = number_mismatches(text, source, reference, target)
        if mismatches:
            flagged += 1
            if show:
                print(f"{name} line {i}: {', '.join(map(str, mismatches))}\n  {text}\n  {reference}")
        else:
            clean.append(i)
    rows += [checked, flagged, f"{flagged / max(1, checked):.1%}"]
    for change in CHANGES.values():
        wrong = [(i, changed(references[i], change)) for i in clean]
        wrong = [(i, text) for i, text in wrong if text is not None]
        caught = sum(bool(number_mismatches(sources[i], source, text, target)) for i, text in wrong)
        rows.append(f"{caught}/{len(wrong)} ({caught / max(1, len(wrong)):.0%})")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("flores", type=Path)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--end", type=int, default=500)
    parser.add_argument("--wmt", type=Path, help="WMT22 general news folder (zh-en/, en-zh/)")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    lines = {lang: read(args.flores / name) for lang, name in FILES.items()}
    span = range(args.start, min(args.end, len(lines["en"])))
    rows = [measure(f"FLORES {s}->{t}, lines {span.start}-{span.stop - 1}", lines[s], s, lines[t], t, span, args.show)
            for s, t in DIRECTIONS]
    for s, t in (("zh", "en"), ("en", "zh")) if args.wmt else ():
        folder = args.wmt / f"{s}-{t}"
        sources = read(folder / f"src.{s}")
        rows += [measure(f"WMT22 {s}->{t}, ref {ref}", sources, s, read(folder / f"ref.{ref}.{t}"), t,
                         range(len(sources)), args.show) for ref in ("A", "B")]
    header = ["pairs", "lines with numbers", "flagged", "false positives", *(f"caught: {c}" for c in CHANGES)]
    print("| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(map(str, row)) + " |")


def read(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


if __name__ == "__main__":
    main()
