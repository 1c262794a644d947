"""LLM translation: speed of the project's engine against naive generate, and quality against the raw prompt.

Two measurements in one process, on the same FLORES lines (a path to ../shared/eval/mt/flores200_dev):
- speed: naive HF fp32 batch-1 `generate` vs the project's engine (CTranslate2 int8, batched, length-sorted),
  both with the same one-line prompt, on `--speed-lines` fr->en sentences: tokens/s, ratio and chrF of each;
- quality: chrF/BLEU per direction on `--lines` sentences starting at `--start`, all on the project's
  engine: the raw one-line prompt (greedy, sentence by sentence: the issue's baseline), the project's prompt
  and guards without its worked examples, the full project prompt, with `--beams N` the same with beam
  search, and with `--candidates N` the consensus of greedy + N samples (translate.generation.candidates);
  with the seconds each took.

    python benchmarks/bench_llm.py ../shared/eval/mt/flores200_dev --start 300 --lines 30
"""
from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import sacrebleu

from pipeline.backends import prompts
from pipeline.backends.loading import load_backend
from pipeline.bench.speed import measure, naive_config, one_line_prompts, read_lines
from pipeline.config import load_config

FILES = {"en": "eng_Latn.txt", "fr": "fra_Latn.txt", "zh": "zho_Hans.txt"}
DIRECTIONS = [("fr", "en"), ("zh", "en"), ("en", "fr"), ("en", "zh")]


def read(folder: Path, lang: str, start: int, count: int) -> list[str]:
    return (folder / FILES[lang]).read_text(encoding="utf-8").splitlines()[start : start + count]


def generate(backend, prompts: list[str], budget: int) -> tuple[list[str], float]:
    started = time.perf_counter()
    outputs = backend._generate(prompts, [budget] * len(prompts), repetition_penalty=None)
    return outputs, time.perf_counter() - started


def scores(hypotheses: list[str], references: list[str], target: str) -> dict:
    tokenize = "zh" if target == "zh" else "13a"
    return {"chrF": round(sacrebleu.corpus_chrf(hypotheses, [references]).score, 2),
            "BLEU": round(sacrebleu.corpus_bleu(hypotheses, [references], tokenize=tokenize).score, 2)}


def speed(folder: Path, lines: int, model: str) -> dict:
    """`digest bench`'s comparison on FLORES lines: naive fp32 batch-1 against the project's engine."""
    sources, references = read_lines(folder, lines)
    config = load_config("default", [f"translate.model={model}"])
    naive = measure("naive-hf-fp32-b1", naive_config(config), sources, references)
    fast = measure("project", config, sources, references)
    results = {r.name: {"seconds": round(r.seconds, 1), "tokens/s": round(r.tokens_per_second, 2), "chrF": r.chrf}
               for r in (naive, fast)}
    results["speedup"] = round(fast.tokens_per_second / naive.tokens_per_second, 2)
    results["chrF difference"] = round(fast.chrf - naive.chrf, 2)
    return results


def quality(folder: Path, start: int, lines: int, model: str, beams: int, candidates: int = 0,
            dump: Path | None = None, only: list[str] | None = None, directions=DIRECTIONS) -> dict:
    roles = ["translate.engine=ct2", "translate.batch_size=16"]
    guarded = load_backend(model, *_roles(roles))
    variants = {"raw prompt": lambda texts, s, t: generate(guarded.backend, one_line_prompts(guarded.backend, texts, s, t),
                                                           256)[0],
                "project, no examples": lambda texts, s, t: _without_examples(guarded, texts, s, t),
                "project": lambda texts, s, t: guarded.translate(texts, s, t)}
    if candidates > 0:
        sampling = load_backend(model, *_roles(roles + [f"translate.generation.candidates={candidates}"]))
        variants[f"project, consensus of greedy + {candidates} samples"] = lambda texts, s, t: sampling.translate(
            texts, s, t)
    if beams > 1:
        beamed = load_backend(model, *_roles(roles + [f"translate.generation.num_beams={beams}"]))
        variants[f"project, beam {beams}"] = lambda texts, s, t: beamed.translate(texts, s, t)
    if only:
        variants = {name: run for name, run in variants.items() if any(word in name for word in only)}
    results = {}
    for source, target in directions:
        sources, references = read(folder, source, start, lines), read(folder, target, start, lines)
        outputs, found = {}, {}
        for name, translate in variants.items():
            started = time.perf_counter()
            outputs[name] = translate(sources, source, target)
            found[name] = {**scores(outputs[name], references, target),
                           "seconds": round(time.perf_counter() - started, 1)}
        if "project" in found and "raw prompt" in found:
            found["chrF gain of project over raw"] = round(found["project"]["chrF"] - found["raw prompt"]["chrF"], 2)
        results[f"{source}-{target}"] = found
        if dump:
            rows = [{"source": s, "reference": r, **{name: out[i] for name, out in outputs.items()}}
                    for i, (s, r) in enumerate(zip(sources, references))]
            (dump / f"{source}-{target}.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    return results


def _without_examples(guarded, texts: list[str], source: str, target: str) -> list[str]:
    """The project's prompt and guards with the worked examples left out: what the examples add."""
    saved = dict(prompts.TRANSLATE_EXAMPLES)
    prompts.TRANSLATE_EXAMPLES.clear()
    try:
        return guarded.translate(texts, source, target)
    finally:
        prompts.TRANSLATE_EXAMPLES.update(saved)


def _roles(overrides: list[str]):
    config = load_config("default", overrides)
    return config.translate, config.run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("flores", type=Path)
    parser.add_argument("--model", default="qwen2.5-coder-1.5b-instruct")
    parser.add_argument("--start", type=int, default=300)
    parser.add_argument("--lines", type=int, default=30)
    parser.add_argument("--speed-lines", type=int, default=8)
    parser.add_argument("--skip", choices=["speed", "quality"], default=None)
    parser.add_argument("--beams", type=int, default=0, help="also score the project's prompt with beam search")
    parser.add_argument("--candidates", type=int, default=0,
                        help="also score the project's prompt with translate.generation.candidates=N")
    parser.add_argument("--only", default="", help="comma-separated words: run only the variants naming one")
    parser.add_argument("--directions", default=",".join(f"{s}-{t}" for s, t in DIRECTIONS),
                        help="comma-separated source-target pairs to score (default: all four)")
    parser.add_argument("--dump", type=Path, default=None, help="folder for per-line outputs of each direction")
    args = parser.parse_args()
    report = {"model": args.model, "flores lines": f"{args.start}..{args.start + args.lines - 1}"}
    if args.skip != "speed":
        report["speed (fr->en, lines 0..%d)" % (args.speed_lines - 1)] = speed(args.flores, args.speed_lines, args.model)
    if args.skip != "quality":
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
        report["quality"] = quality(args.flores, args.start, args.lines, args.model, args.beams, args.candidates, args.dump,
                                    [w for w in args.only.split(",") if w],
                                    [tuple(pair.split("-")) for pair in args.directions.split(",")])
    report["peak RSS MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
