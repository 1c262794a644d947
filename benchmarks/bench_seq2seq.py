"""Seq2seq translation speed and memory: naive HF, the reference HF setting, and the project's engines.

All engines translate the same English sentences with an opus-mt-sized random
Marian (6+6 layers, d_model 512, vocab ~58k, `<pad>` last) to a fixed output
length (min_new_tokens = max_new_tokens), so tokens/s compares like with like.
Each engine runs in its own child process: its peak RSS (getrusage) minus the
RSS after imports is the memory that engine needs. Ratios are against the
reference setting of CTranslate2's published benchmark (HF generate, fp32,
batch 32, beam 4); CTranslate2's published int8 ratio is 4.7x.

    python benchmarks/bench_seq2seq.py --inputs ../shared/eval/mt/flores200_dev/eng_Latn.txt
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("reference", "project-hf", "ct2-int8-beam4", "ct2-int8-beam4-batch8", "ct2-int8-greedy", "naive")
OPTIONAL = ("project-hf-bf16",)  # bf16 on a CPU without AVX512-BF16/AMX, to check that fp32 is the right default
TARGET_SPEED, TARGET_MEMORY = 4.7, 0.25
NAIVE_SENTENCES = 16  # one sentence at a time is slow: its tokens/s is measured on the first 16 only


def read_sentences(inputs: Path | None, count: int) -> list[str]:
    """The first `count` non-empty lines of `inputs`, or generated sentences when there is no file."""
    if inputs is None:
        sys.path.insert(0, str(ROOT / "tests"))  # the tiny-model builders live with the tests
        from tiny.seq2seq import pseudo_lines

        return pseudo_lines(count, seed=1)
    lines = [line.strip() for line in inputs.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[:count]


def prepare_model(work: Path, corpus: list[str]) -> Path:
    """The opus-sized Marian (built once per corpus) and its CTranslate2 int8 copy."""
    sys.path.insert(0, str(ROOT / "tests"))  # the tiny-model builders live with the tests
    from tiny.seq2seq import build_opus_sized_marian

    from pipeline.backends.ct2 import converted_model

    key = hashlib.sha256("\n".join(corpus).encode()).hexdigest()[:12]
    folder = work / f"opus-sized-marian-{key}"
    if not (folder / "model.safetensors").is_file():
        build_opus_sized_marian(folder, lines=corpus or None)
    converted_model(folder, "int8")
    return folder


def run(inputs: Path | None = None, sentences: int = 64, new_tokens: int = 32, engines=ENGINES,
        work: Path | None = None, threads: int = 1, batch_size: int = 32) -> dict:
    """Run each engine in a child process on the same sentences; print and return tokens/s, memory, ratios."""
    work = Path(work or Path(tempfile.gettempdir()) / "digest-bench-seq2seq")
    work.mkdir(parents=True, exist_ok=True)
    texts = read_sentences(inputs, sentences)
    corpus = read_sentences(inputs, 10**6) if inputs else []
    model = prepare_model(work, corpus)
    texts_file = work / "sentences.json"
    texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    results = {}
    for engine in engines:
        results[engine] = run_child(engine, model, texts_file, new_tokens, threads, batch_size)
        print(f"  {engine}: {results[engine]['tokens_per_s']:.1f} tok/s", file=sys.stderr, flush=True)
    report = {"sentences": len(texts), "new_tokens": new_tokens, "threads": threads, "batch_size": batch_size,
              "model": str(model), "engines": results}
    add_ratios(report)
    print_report(report)
    return report


def run_child(engine: str, model: Path, texts_file: Path, new_tokens: int, threads: int, batch_size: int) -> dict:
    command = [sys.executable, __file__, "--child", engine, "--model", str(model), "--texts", str(texts_file),
               "--new-tokens", str(new_tokens), "--threads", str(threads), "--batch-size", str(batch_size)]
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "error"}
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"engine {engine} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def add_ratios(report: dict) -> None:
    reference = report["engines"].get("reference")
    if not reference:
        return
    for result in report["engines"].values():  # CPU time: on a shared machine, wall time measures the neighbours
        result["speed_vs_reference"] = result["tokens_per_cpu_s"] / reference["tokens_per_cpu_s"]
        result["memory_vs_reference"] = result["rss_delta_mb"] / reference["rss_delta_mb"]


def print_report(report: dict) -> None:
    print(f"seq2seq benchmark: {report['sentences']} sentences, {report['new_tokens']} new tokens each, "
          f"opus-mt-sized Marian, {report['threads']} thread(s) per engine, project batch size {report['batch_size']} "
          f"(naive: first {NAIVE_SENTENCES} sentences)")
    print(f"{'engine':<24}{'tok/s':>8}{'tok/CPU-s':>10}{'seconds':>9}{'peak MB':>9}{'delta MB':>9}{'speed':>8}"
          f"{'memory':>8}")
    for name, r in report["engines"].items():
        ratios = [f"{r[key]:>7.2f}x" if key in r else f"{'-':>8}" for key in ("speed_vs_reference", "memory_vs_reference")]
        print(f"{name:<24}{r['tokens_per_s']:>8.1f}{r['tokens_per_cpu_s']:>10.1f}{r['seconds']:>9.1f}"
              f"{r['peak_rss_mb']:>9.0f}{r['rss_delta_mb']:>9.0f}{''.join(ratios)}")
    print("speed: tokens per CPU-second vs reference; memory: peak RSS above the post-import baseline vs reference")
    for name in ("ct2-int8-beam4", "ct2-int8-beam4-batch8"):
        print_target(name, report["engines"].get(name))


def print_target(name: str, best: dict | None) -> None:
    if best and "speed_vs_reference" in best:
        speed_ok = best["speed_vs_reference"] >= TARGET_SPEED
        memory_ok = best["memory_vs_reference"] <= TARGET_MEMORY
        print(f"target {name} >= {TARGET_SPEED}x reference speed: {'met' if speed_ok else 'NOT met'}; "
              f"<= {TARGET_MEMORY}x its memory: {'met' if memory_ok else 'NOT met'}")


def memory_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process from /proc; unlike getrusage's ru_maxrss, VmHWM does not
    start from the parent's size at fork."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status (Linux only)")


def child(engine: str, model: Path, texts: list[str], new_tokens: int, threads: int, batch_size: int) -> dict:
    """Run one engine in this process and measure it (called in a fresh child)."""
    import ctranslate2  # noqa: F401  (imports first, so the baseline RSS covers every engine's libraries)
    import torch
    import transformers  # noqa: F401

    torch.set_num_threads(threads)
    baseline = memory_mb("VmRSS")
    translate = ENGINE_LOADERS[engine](model, new_tokens, threads, batch_size)
    translate(texts[:2])  # warm-up, untimed
    if engine == "naive":
        texts = texts[:NAIVE_SENTENCES]
    start, cpu_start = time.perf_counter(), time.process_time()
    generated = translate(texts)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    peak = memory_mb("VmHWM")
    return {"sentences": len(texts), "tokens": generated, "seconds": seconds, "tokens_per_s": generated / seconds,
            "cpu_seconds": cpu_seconds, "tokens_per_cpu_s": generated / cpu_seconds,
            "peak_rss_mb": peak, "rss_delta_mb": peak - baseline, "baseline_rss_mb": baseline}


def naive_engine(model: Path, new_tokens: int, threads: int, batch_size: int):
    """What `pipeline("translation")` did (transformers 5 removed it): fp32, one sentence at a time,
    the model's own generation_config (beam 4 for opus-mt), decoded text."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model)
    network = AutoModelForSeq2SeqLM.from_pretrained(model, dtype=torch.float32).eval()

    def translate(texts: list[str]) -> int:
        generated = 0
        for text in texts:
            inputs = tokenizer(text, return_tensors="pt")
            output = network.generate(**inputs, min_new_tokens=new_tokens, max_new_tokens=new_tokens)
            tokenizer.decode(output[0], skip_special_tokens=True)
            generated += output.shape[1] - 1  # minus the start token
        return generated

    return translate


def reference_engine(model: Path, new_tokens: int, threads: int, batch_size: int):
    """CTranslate2's published reference: HF generate, fp32, batches of 32 in input order, beam 4."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model)
    network = AutoModelForSeq2SeqLM.from_pretrained(model, dtype=torch.float32).eval()

    def translate(texts: list[str]) -> int:
        generated = 0
        for start in range(0, len(texts), 32):
            batch = tokenizer(texts[start : start + 32], return_tensors="pt", padding=True)
            output = network.generate(**batch, num_beams=4, min_new_tokens=new_tokens, max_new_tokens=new_tokens)
            generated += int((output[:, 1:] != tokenizer.pad_token_id).sum())
        return generated

    return translate


def project_engine(engine: str, beams: int, dtype: str = "auto", batch: int = 0):
    """The project's backend (`pipeline.backends`): length-sorted batches of `batch_size`, `beams` beams."""

    def load(model: Path, new_tokens: int, threads: int, batch_size: int):
        from pipeline.backends.ct2 import load_ct2
        from pipeline.backends.seq2seq import generation_settings, load_seq2seq
        from pipeline.config import GenerationConfig, RunConfig, TranslateConfig
        from pipeline.registry.manifests import Manifest

        manifest = Manifest(name="opus-sized-marian", roles=["translate"], backend="seq2seq", architecture="marian",
                            source={"kind": "local"}, license="MIT", languages=["en", "fr"],
                            options={"pairs": ["en-fr"]})
        generation = GenerationConfig(num_beams=beams, max_new_tokens=new_tokens)
        generation.min_new_tokens = new_tokens  # fixed output length, read by generation_settings
        role = TranslateConfig(engine=engine, batch_size=batch or batch_size, generation=generation)
        loader = load_ct2 if engine == "ct2" else load_seq2seq
        backend = loader(manifest, model, role, RunConfig(device="cpu", dtype=dtype, threads=threads))
        backend.load()
        ends = 0 if engine == "ct2" else 1  # HF computes the end token as one more step; CTranslate2 does not

        def translate(texts: list[str]) -> int:
            rows = backend.generate(backend.inputs.translation(texts, "en", "fr"), generation_settings(generation))
            return sum(len(row) + ends for row in rows)

        return translate

    return load


ENGINE_LOADERS = {
    "naive": naive_engine,
    "reference": reference_engine,
    "project-hf": project_engine("hf", 4),
    "project-hf-bf16": project_engine("hf", 4, dtype="bfloat16"),
    "ct2-int8-beam4": project_engine("ct2", 4),
    "ct2-int8-beam4-batch8": project_engine("ct2", 4, batch=8),  # a quarter of the beam activations in memory
    "ct2-int8-greedy": project_engine("ct2", 1),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=Path, help="English sentences, one per line (default: generated)")
    parser.add_argument("--sentences", type=int, default=64)
    parser.add_argument("--new-tokens", type=int, default=32)
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"comma-separated: {', '.join(ENGINES + OPTIONAL)}")
    parser.add_argument("--work", type=Path)
    parser.add_argument("--threads", type=int, default=1, help="per engine (1: fair on a shared machine)")
    parser.add_argument("--batch-size", type=int, default=32, help="batch size of the project's engines")
    parser.add_argument("--child")
    parser.add_argument("--model", type=Path)
    parser.add_argument("--texts", type=Path)
    args = parser.parse_args(argv)
    if args.child:
        texts = json.loads(args.texts.read_text(encoding="utf-8"))
        print(json.dumps(child(args.child, args.model, texts, args.new_tokens, args.threads, args.batch_size)))
        return
    run(args.inputs, args.sentences, args.new_tokens, args.engines.split(","), args.work, args.threads,
        args.batch_size)


if __name__ == "__main__":
    main()
