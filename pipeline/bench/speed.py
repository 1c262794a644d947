"""Tokens per second of naive transformers generation and of the project's engine, on the same prompts.

Naive: the model in fp32 through transformers `generate`, one prompt at a time.
Project: the engine a run uses (the config's translate settings: CTranslate2
int8 by default, prompts pooled into length-sorted batches). Both get the same
one-line translation prompt and the same token budget per line, so the ratio
is the engine's alone; chrF against the references shows what speed cost.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import sacrebleu

from pipeline.backends.loading import load_backend
from pipeline.backends.prompts import source_name, target_name
from pipeline.config import Config

BUNDLED_LINES = Path(__file__).with_name("lines.fr-en.tsv")  # written for digest: 16 French news sentences
FLORES_FILES = {"fr": "fra_Latn.txt", "en": "eng_Latn.txt"}


@dataclass
class EngineResult:
    name: str
    seconds: float
    generated_tokens: int
    chrf: float
    outputs: list[str] = field(default_factory=list, repr=False)

    @property
    def tokens_per_second(self) -> float:
        return self.generated_tokens / self.seconds if self.seconds else 0.0


def read_lines(source: Path | None, count: int, start: int = 0) -> tuple[list[str], list[str]]:
    """(French sources, English references): the bundled lines, or a FLORES folder's (fra_Latn / eng_Latn)."""
    if source is None:
        rows = [line.split("\t") for line in BUNDLED_LINES.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
        pairs = [(row[0], row[1]) for row in rows][start : start + count]
    else:
        files = [source / FLORES_FILES[lang] for lang in ("fr", "en")]
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise FileNotFoundError(f"--lines {source}: no {', '.join(missing)} (a FLORES-200 folder is expected)")
        french, english = (path.read_text(encoding="utf-8").splitlines() for path in files)
        pairs = list(zip(french, english))[start : start + count]
    if not pairs:
        raise ValueError(f"no lines to translate from {source or BUNDLED_LINES} (start {start}, count {count})")
    return [fr for fr, _ in pairs], [en for _, en in pairs]


def one_line_prompts(backend, texts: list[str], source: str, target: str) -> list[str]:
    """The plainest prompt: a one-line instruction and the text (no examples, no fences)."""
    line = f"Translate the following {source_name(source)} text to {target_name(target)}"
    return [backend._prompt("You are a helpful assistant.", f"{line}:\n{text}") for text in texts]


def raw_translations(engine, texts: list[str], source: str, target: str) -> list[str]:
    """The engine's greedy output for the one-line prompt: no examples, checks or retries."""
    prompts = one_line_prompts(engine, texts, source, target)
    budgets = [engine._translation_budget(text) for text in texts]
    return engine._generate(prompts, budgets, repetition_penalty=None)


def measure(name: str, config: Config, sources: list[str], references: list[str]) -> EngineResult:
    """Translate `sources` fr->en with the translate role of `config`, timed from loaded model to last output."""
    backend = load_backend(config.translate.model, config.translate, config.run).backend
    started = time.perf_counter()
    outputs = raw_translations(backend, sources, "fr", "en")
    seconds = time.perf_counter() - started
    generated = sum(backend.count_tokens(output) for output in outputs)
    chrf = sacrebleu.corpus_chrf(outputs, [references]).score
    return EngineResult(name, seconds, generated, round(chrf, 2), outputs)


def naive_config(config: Config) -> Config:
    """`config` with its translate role run the naive way: transformers, fp32, one prompt at a time."""
    return replace(config, translate=replace(config.translate, engine="hf", batch_size=1, batch_tokens=0),
                   run=replace(config.run, dtype="float32"))
