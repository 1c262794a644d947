"""QE reranking of LLM translations, per direction: chrF/BLEU and seconds per line on FLORES lines.

On the same lines, with the project's engine: the raw one-line prompt (greedy, the issue's baseline), the
project's greedy output (prompt, guards, retry), and reranked outputs: the project's output and N-1 samples
of the project's prompt, the one the cheap quality estimate scores best among those the output guards accept
(`quality.rerank`). N=2 reads the first sample of the N=4 pool (the same draw); its seconds count the project's
greedy and one sample's share of the sampling call. "low only" reranks only the lines whose greedy output the
estimate marks low (its seconds: the sampling call's share of those lines). "reranked+consensus N=4" adds each
candidate's agreement with the rest of its pool (`quality.consensus`, the cheap+consensus combiner). Selected
with QE, scored against references.

    nice -n 19 python benchmarks/bench_rerank.py ../shared/eval/mt/flores200_dev --start 470 --lines 14
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench_llm import DIRECTIONS, generate, read, scores

from pipeline.backends.guards import clean_output, translation_problems
from pipeline.backends.loading import load_backend
from pipeline.bench.speed import one_line_prompts
from pipeline.config import load_config
from pipeline.files import write_atomic
from pipeline.quality.estimate import QualityEstimator
from pipeline.quality.rerank import rerank
from pipeline.similarity.embed import Embedder

SAMPLES = 3  # the N=4 pool: the project's output and three samples


def direction(guarded, estimator, sources: list[str], references: list[str], source: str, target: str) -> dict:
    """Every variant's scores and seconds per line, and the lines each reranking changed."""
    found, seconds, outputs = {}, {}, {}
    started = time.perf_counter()
    outputs["raw prompt"] = generate(guarded.backend, one_line_prompts(guarded.backend, sources, source, target), 256)[0]
    seconds["raw prompt"] = time.perf_counter() - started
    started = time.perf_counter()
    outputs["project greedy"] = guarded.translate(sources, source, target)
    seconds["project greedy"] = time.perf_counter() - started
    started = time.perf_counter()
    pools = guarded.backend.translate_candidates(sources, source, target, SAMPLES)
    sampling = time.perf_counter() - started
    sound = lambda text, candidate: not translation_problems(text, candidate, source, target)  # noqa: E731
    for n, consensus in ((2, False), (4, False), (4, True)):
        pool = [[greedy] + [clean_output(c) for c in candidates[1:n]] for greedy, candidates in
                zip(outputs["project greedy"], pools)]
        name = f"reranked{'+consensus' if consensus else ''} N={n}"
        started = time.perf_counter()
        chosen = rerank(estimator, sources, pool, source, target, sound, consensus)
        outputs[name] = [p[k] for p, (k, _) in zip(pool, chosen)]
        seconds[name] = (seconds["project greedy"] + sampling * (n - 1) / (SAMPLES + 1)
                         + time.perf_counter() - started)
        found[f"lines changed, {name}"] = sum(k > 0 for k, _ in chosen)
    greedy = estimator.estimate(sources, outputs["project greedy"], source, target)
    weak = [e.low for e in greedy]
    outputs["reranked N=4, low only"] = [r if w else g for r, g, w in zip(outputs["reranked N=4"],
                                                                           outputs["project greedy"], weak)]
    seconds["reranked N=4, low only"] = seconds["project greedy"] + sampling * sum(weak) / len(weak)
    found["lines low"] = sum(weak)
    for name, texts in outputs.items():
        found[name] = {**scores(texts, references, target), "s/line": round(seconds[name] / len(sources), 2)}
    found["pools"] = [[greedy] + [clean_output(c) for c in candidates[1:]] for greedy, candidates in
                      zip(outputs["project greedy"], pools)]  # kept in --dump, for comparing selections offline
    for name in ("reranked N=4", "reranked+consensus N=4"):
        found[f"chrF gain of {name} over raw"] = round(found[name]["chrF"] - found["raw prompt"]["chrF"], 2)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("flores", type=Path)
    parser.add_argument("--model", default="qwen2.5-coder-1.5b-instruct")
    parser.add_argument("--start", type=int, default=470)
    parser.add_argument("--lines", type=int, default=14)
    parser.add_argument("--directions", default=",".join(f"{s}-{t}" for s, t in DIRECTIONS))
    parser.add_argument("--dump", type=Path, help="JSON file for each direction's sources, references and pools")
    args = parser.parse_args()
    config = load_config("default", ["translate.engine=ct2"])
    guarded = load_backend(args.model, config.translate, config.run)
    estimator = QualityEstimator(Embedder(threads=config.run.threads))
    report, kept = {"model": args.model, "flores lines": f"{args.start}..{args.start + args.lines - 1}"}, {}
    for pair in args.directions.split(","):
        source, target = pair.split("-")
        sources, references = read(args.flores, source, args.start, args.lines), read(args.flores, target,
                                                                                        args.start, args.lines)
        report[pair] = direction(guarded, estimator, sources, references, source, target)
        pools = report[pair].pop("pools")
        print(json.dumps({pair: report[pair]}, ensure_ascii=False), flush=True)
        kept[pair] = {"sources": sources, "references": references, "pools": pools}
    if args.dump:
        write_atomic(args.dump, json.dumps(kept, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
