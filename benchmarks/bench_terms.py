"""A finished run read back: how its translations and renders used a glossary, and numbers left unflagged.

Usage: python benchmarks/bench_terms.py OUT --glossary FILE [--glossary FILE ...] [--show]

Glossary: every entry found in a source sentence (or in an English summary, for the renders) that asks
something of the target language counts once per sentence (per render); it is used when any of the
target's alternatives is in the translation (render). Misses are listed with their document and the
flag that says so (a miss without a flag would be a bug). Numbers: `number_mismatches` of each source
sentence against its English and of each English summary against each render; a mismatch with no
`number-mismatch` flag on its sentence (`render-LANG-number-mismatch` on its document) is unflagged.
Sentences left untranslated on purpose (English, over budget, language not covered) are not counted.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline.terms.glossary import load_glossary, term_usage
from pipeline.text.number_check import number_flags, number_mismatches


def translation_units(digest: dict) -> list[tuple[str, str, str, str, list[str], str]]:
    """(where, source, source language, output, target language, flags, flag prefix) of every translation."""
    units = [(f"{digest['doc_id']}#s{s['index']}", s["text"], s["lang"], s["english"], "en", s["flags"], "")
             for s in digest["sentences"] if s["lang"] not in ("en", "und", "") and s["english"] != s["text"]]
    summary = " ".join(digest["summary"])
    for lang, sentences in digest["renders"].items():
        joiner = "" if lang == "zh" else " "
        units.append((f"{digest['doc_id']}#render-{lang}", summary, "en", joiner.join(sentences), lang,
                      digest["flags"], f"render-{lang}-"))
    return units


def measure(digests: list[dict], glossary, show: bool) -> dict:
    counts = {"translation": [0, 0], "render": [0, 0]}  # [present, used]
    misses, unflagged_misses, unflagged_numbers, flagged_numbers = [], [], [], 0
    for digest in digests:
        for where, text, source, output, target, flags, prefix in translation_units(digest):
            kind = "render" if prefix else "translation"
            usage = term_usage(glossary.entries_in(text, source), text, source, output, target)
            counts[kind][0] += len(usage.get("hits", {})) + len(usage.get("misses", {}))
            counts[kind][1] += len(usage.get("hits", {}))
            for term, asked in usage.get("misses", {}).items():
                misses.append(f"{where}: {term} -> {asked}")
                if f"{prefix}glossary-miss: {asked}" not in flags:
                    unflagged_misses.append(f"{where}: {term} -> {asked}")
            for flag in number_flags(number_mismatches(text, source, output, target)):
                if prefix + flag in flags:
                    flagged_numbers += 1
                else:
                    unflagged_numbers.append(f"{where}: {flag}")
    if show:
        print("\n".join(["misses:", *misses, "unflagged numbers:", *unflagged_numbers]))
    return {"counts": counts, "misses": misses, "unflagged_misses": unflagged_misses,
            "number_mismatches_flagged": flagged_numbers, "number_mismatches_unflagged": unflagged_numbers}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--glossary", action="append", required=True)
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    lines = (args.out / "digests.jsonl").read_text(encoding="utf-8").splitlines()
    digests = [record for record in map(json.loads, lines) if record["status"] == "ok"]
    found = measure(digests, load_glossary(args.glossary), args.show)
    for kind, (present, used) in found["counts"].items():
        share = f"{100 * used / present:.1f}%" if present else "-"
        print(f"{kind}s: {used}/{present} glossary terms used as required ({share})")
    total = sum(used for _, used in found["counts"].values()), sum(p for p, _ in found["counts"].values())
    print(f"all: {total[0]}/{total[1]} ({100 * total[0] / max(1, total[1]):.1f}%); misses without a flag: "
          f"{len(found['unflagged_misses'])}")
    print(f"number mismatches: {found['number_mismatches_flagged']} flagged, "
          f"{len(found['number_mismatches_unflagged'])} unflagged")
    print(json.dumps({key: value for key, value in found.items() if key != "counts"}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
