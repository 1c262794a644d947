"""Fit the quality estimate's combiner on MQM dev data, and report what each feature and the fit reach.

Usage:
  python benchmarks/fit_qe.py collect MQM_FILE CACHE.jsonl [--model NAME] [--sources N] [--forward-only]
  python benchmarks/fit_qe.py fit MQM_FILE CACHE.jsonl [--model NAME] [--check-docs talk.6]

`collect` scores each segment's LLM likelihoods (forward and backward, token by
token) with the QE's model and appends them to CACHE.jsonl, one source segment (all its
systems) at a time, so a stopped run resumes where it was. The source segments
are taken alternately from the fit and check talks, shuffled with a fixed seed,
so any prefix is a balanced sample. `fit` computes every other feature, fits
the combiners on the fit talks only and prints their constants (paste them into
pipeline/quality/fitted.py), then Kendall tau-b, grouped tau and Pearson of
each feature, the length baseline and the fit on the check talks. The
consensus features (`quality.consensus`) compare each translation with the
other systems' translations of its source segment, in either part.
Run with `nice -n 19`: the machine is shared.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
import time
from pathlib import Path

import numpy as np

from pipeline.evaluate.mqm import Segment, read_mqm
from pipeline.quality.combine import MAJOR
from pipeline.quality.combine import fit as fit_combiner
from pipeline.quality.consensus import FEATURES as CONSENSUS
from pipeline.quality.consensus import consensus_evidence
from pipeline.quality.estimate import QE_MODEL
from pipeline.quality.likelihood import LLM_FEATURES, mean, surprise

SEED = 14
CHECK_DOCS = ("talk.6",)


def key_of(segment: Segment) -> str:
    return f"{segment.system}\t{segment.doc}\t{segment.seg_id}"


def source_order(segments: list[Segment], check_docs: tuple[str, ...]) -> list[tuple[str, str]]:
    """Source segments alternately from the fit talks and the check talks, each shuffled with a fixed seed."""
    keys = list(dict.fromkeys(s.source_key for s in segments))
    parts = [[k for k in keys if k[0] not in check_docs], [k for k in keys if k[0] in check_docs]]
    for part in parts:
        random.Random(SEED).shuffle(part)
    merged = []
    for index in range(max(map(len, parts))):
        merged += [part[index] for part in parts if index < len(part)]
    return merged


def collect(args) -> None:
    from pipeline.config import load_config
    from pipeline.quality.estimate import load_likelihood

    segments = read_mqm(args.mqm)
    done = set()
    if args.cache.exists():
        done = {json.loads(line)["key"] for line in args.cache.read_text(encoding="utf-8").splitlines()}
    likelihood = load_likelihood(load_config("default", [f"run.threads={args.threads}"]), args.model)
    by_source: dict[tuple[str, str], list[Segment]] = {}
    for segment in segments:
        by_source.setdefault(segment.source_key, []).append(segment)
    todo = [k for k in source_order(segments, tuple(args.check_docs)) if key_of(by_source[k][0]) not in done]
    with args.cache.open("a", encoding="utf-8") as out:
        for number, source_key in enumerate(todo[:args.sources or None], start=1):
            group = by_source[source_key]
            sources, targets = [s.source for s in group], [s.target for s in group]
            started = time.perf_counter()
            forward = likelihood.forward_tokens(sources, targets, args.source_lang, args.target_lang)
            backward = ([[math.nan]] * len(group) if args.forward_only
                        else likelihood.backward_tokens(sources, targets, args.source_lang, args.target_lang))
            seconds = (time.perf_counter() - started) / len(group)
            for segment, f, b in zip(group, forward, backward):
                out.write(json.dumps({"key": key_of(segment), "forward": sum(f) / len(f), "backward": sum(b) / len(b),
                                      "forward_tokens": f, "backward_tokens": b, "seconds": seconds}) + "\n")
            out.flush()
            print(f"{number}/{len(todo)} {source_key} {seconds:.2f} s/segment", flush=True)


CHEAP_FEATURES = ("similarity", "length_ratio", "wrong_language", "numbers", "source_length")
# The backward direction doubles the LLM's cost and earned no weight on the dev talks: FULL reads the forward one.
FULL_FEATURES = ("forward", "forward_surprise") + CHEAP_FEATURES
# A word left in the wrong language or a number changed is a major error in MQM terms; the dev talks (Chinese to
# English, with hardly any of either) cannot fit their weight.
FIXED = {"wrong_language": MAJOR, "numbers": MAJOR}
VARIANTS = {"full": FULL_FEATURES, "cheap": CHEAP_FEATURES,  # the four shipped in pipeline/quality/fitted.py
            "full+consensus": FULL_FEATURES + CONSENSUS, "cheap+consensus": CHEAP_FEATURES + CONSENSUS,
            "both directions": LLM_FEATURES + CHEAP_FEATURES, "full without source length": FULL_FEATURES[:-1],
            "cheap+chrf consensus": CHEAP_FEATURES + CONSENSUS[:1]}
SHIPPED = {"full": "FULL", "cheap": "CHEAP", "full+consensus": "FULL_CONSENSUS", "cheap+consensus": "CHEAP_CONSENSUS"}


def feature_table(segments: list[Segment], cache: dict, args) -> dict[str, np.ndarray]:
    """Every feature of every segment by name; forward and backward from the cache (NaN where not scored);
    consensus among the systems' translations of each source segment."""
    from pipeline.quality import evidence
    from pipeline.similarity.embed import Embedder

    embedder = Embedder()
    checks = {"similarity": evidence.similarity(embedder), "length_ratio": evidence.length_ratio,
              "wrong_language": evidence.wrong_language, "numbers": evidence.numbers,
              "source_length": evidence.source_length, "shortness": evidence.shortness}
    sources, targets = [s.source for s in segments], [s.target for s in segments]
    table = {name: np.array([e.value for e in check(sources, targets, args.source_lang, args.target_lang)])
             for name, check in checks.items()}
    found = consensus_evidence(embedder, targets, [s.source_key for s in segments])
    table.update({name: np.array([e.value for e in values]) for name, values in found.items()})
    for name in LLM_FEATURES:
        direction, measure = name.split("_")[0], surprise if name.endswith("_surprise") else mean
        table[name] = np.array([measure(cache[key_of(s)][f"{direction}_tokens"]) if key_of(s) in cache else np.nan
                                for s in segments])
    return table


def agreement_row(name: str, values: np.ndarray, human: np.ndarray, groups: list, parts: dict) -> str:
    """Tau-b with its interval, grouped tau and Pearson on the check part, tau-b on the fit part."""
    from pipeline.evaluate.correlation import grouped, segment_level

    cells = []
    for part in ("check", "fit"):
        rows = parts[part]
        found = segment_level(values[rows], human[rows], [groups[i] for i in rows], 200)
        group = grouped(values[rows], human[rows], [groups[i] for i in rows], 200)
        cells.append(f"{found['kendall']:6.3f} [{found['kendall_ci'][0]:5.2f},{found['kendall_ci'][1]:5.2f}] "
                     f"{group['kendall']:6.3f} {found['pearson']:6.3f}")
    return f"{name:16s} " + "   ".join(cells)


def fit(args) -> None:

    cache = {}
    for line in args.cache.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        cache[row["key"]] = row
    segments = read_mqm(args.mqm)
    table = feature_table(segments, cache, args)
    human = np.array([s.score for s in segments])
    checked = np.array([s.doc in args.check_docs for s in segments])
    scored = ~np.isnan(table["forward"])
    combiners = [fit_combiner(name, features, np.stack([table[f] for f in features], 1)[rows], human[rows], FIXED)
                 for name, features in VARIANTS.items()
                 for rows in [~checked & np.isfinite(np.stack([table[f] for f in features], 1)).all(1)]
                 if rows.any()]
    for combiner in combiners:
        if combiner.name in SHIPPED:
            named = f"{combiner.name.replace('full', f'full:{args.model}')}"
            print(f"{SHIPPED[combiner.name]} = {dataclasses.replace(combiner, name=named)!r}\n")
        values = np.stack([table[f] for f in combiner.features], 1)
        table[f"combined:{combiner.name}"] = np.array([combiner.score(dict(zip(combiner.features, row)))
                                                       if np.isfinite(row).all() else np.nan for row in values])
    seconds = [cache[key_of(s)]["seconds"] for s in segments if key_of(s) in cache]
    groups = [s.source_key for s in segments]
    print(f"fit talks: all but {', '.join(args.check_docs)}; LLM likelihoods {np.mean(seconds):.2f} s/segment "
          "(the directions collected)")
    print(f"{'':16s} {'check talks':^38s}   {'fit talks':^38s}")
    print(f"{'feature':16s} " + "   ".join(["tau-b  [95% interval]  grouped pearson"] * 2))
    for label, rows in (("segments with LLM likelihoods", scored), ("all segments", np.ones_like(scored))):
        parts = {"check": np.flatnonzero(checked & rows), "fit": np.flatnonzero(~checked & rows)}
        print(f"-- {label}: {parts['check'].size} check, {parts['fit'].size} fit")
        for name, values in table.items():
            if np.isfinite(values[parts["check"]]).all() and np.isfinite(values[parts["fit"]]).all():
                print(agreement_row(name, values, human, groups, parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("collect", "fit"):
        command = commands.add_parser(name)
        command.add_argument("mqm", type=Path)
        command.add_argument("cache", type=Path)
        command.add_argument("--check-docs", nargs="+", default=list(CHECK_DOCS))
        command.add_argument("--source-lang", default="zh")
        command.add_argument("--target-lang", default="en")
        command.add_argument("--model", default=QE_MODEL, help="the LLM scoring likelihoods (default: the QE's)")
    parser_collect = commands.choices["collect"]
    parser_collect.add_argument("--sources", type=int, default=0, help="source segments to add (0: all)")
    parser_collect.add_argument("--threads", type=int, default=2)
    parser_collect.add_argument("--forward-only", action="store_true", help="score the forward direction only "
                                "(all the full combiner reads: half the cost; the backward features are left out)")
    args = parser.parse_args()
    if args.command == "collect":
        collect(args)
    else:
        fit(args)


if __name__ == "__main__":
    main()
