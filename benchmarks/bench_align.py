"""Sentence alignment: strict/lax P/R/F1 of aligner settings on a gold folder, held-out scores and speed.

Usage: python benchmarks/bench_align.py DIR [--variant NAME:key=value,...]...

DIR is a gold folder as `digest evaluate align` reads it (SRC/NAME, TGT/NAME,
gold/NAME.align), e.g. ../shared/eval/alignment/bertalign_mac_dev. Every variant
(a set of `pipeline.similarity.aligner.Settings` fields; `default` is always first) aligns
every document with one shared embedder, so the first variant pays for the
embeddings ("cold") and the others reuse them from its cache ("warm": dynamic
programming only). Compare speeds only within one run: the machine is shared.
"Held out" scores each document with the variant that is best on the other
documents (leave one document out), so no document is scored with settings
picked on it; with `--variant` none, it is the default's score.
"""
from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from pipeline.evaluate.align import Counts, evaluate_folder, leave_one_out
from pipeline.similarity.aligner import Settings
from pipeline.similarity.embed import Embedder

# Neighbours of the defaults along each setting that can be changed without code.
VARIANTS = ["skip=-0.1", "skip=-0.3", "quote=0.0", "quote=0.14", "window=5", "max_link=5", "top_k=5"]
COLUMNS = ("strict_precision", "strict_recall", "strict_f1", "lax_precision", "lax_recall", "lax_f1")


def parse_variant(text: str) -> tuple[str, Settings]:
    """`NAME:key=value,...` or `key=value,...` (named after itself) as aligner settings."""
    name, _, body = text.rpartition(":")
    types = {field.name: field.type for field in dataclasses.fields(Settings)}
    changes = {}
    for item in filter(None, body.split(",")):
        key, _, value = item.partition("=")
        if key not in types:
            raise SystemExit(f"bench_align: variant {text!r}: unknown setting {key!r}; choose from {sorted(types)}")
        changes[key] = int(value) if types[key] in (int, "int") else float(value)
    return name or body, Settings(**changes)


def row(name: str, scores: dict, extra: str = "") -> str:
    """One line of the table: name, strict and lax P/R/F1, then `extra`."""
    return f"{name:22s} " + " ".join(f"{scores[c]:.4f}" for c in COLUMNS) + f" {extra}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--variant", action="append", help="NAME:key=value,... (repeatable; default: a small grid)")
    args = parser.parse_args()
    variants = [("default", Settings())] + [parse_variant(v) for v in (args.variant or VARIANTS)]
    embedder, runs = Embedder(), {}
    print(f"{'variant':22s} strict P/R/F1          lax P/R/F1             speed")
    for index, (name, settings) in enumerate(variants):
        results = evaluate_folder(args.folder, embedder, settings=settings)
        documents = {n: Counts(*found["counts"]) for n, found in results["documents"].items()}
        runs[name] = documents
        total = sum(documents.values(), Counts()).scores()
        speed = f"{results['sentences_per_second']:.1f} sentences/s ({'cold' if index == 0 else 'warm'})"
        print(row(name, total, speed), flush=True)
    held_out, picks = leave_one_out(runs)
    print(row("held out", held_out.scores(), "picks: " + ", ".join(f"{n}={v}" for n, v in picks.items())))


if __name__ == "__main__":
    main()
