"""Translation and summarization with transformers encoder-decoder models (AutoModelForSeq2SeqLM).

The HF engine: length-sorted batches through `generate`, from the token ids
`Seq2SeqInputs` (`seq2seq_inputs.py`) makes under each architecture's
conventions; the CTranslate2 engine (`ct2.py`) shares those inputs and the
decoding settings below, so the two engines see and decode alike.
"""
from __future__ import annotations

import logging
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from pipeline.backends.base import Backend, BackendError, per_text
from pipeline.backends.devices import set_threads, torch_placement
from pipeline.backends.seq2seq_inputs import Prepared, Seq2SeqInputs
from pipeline.registry.integrity import weights_digest
from pipeline.registry.manifests import Manifest

log = logging.getLogger("digest.seq2seq")


@lru_cache(maxsize=8)
def load_model(model_dir: str, dtype: str, device: str):
    """Load weights once per process: several stages may share a model."""
    import torch
    from transformers import AutoModelForSeq2SeqLM

    try:
        model = AutoModelForSeq2SeqLM.from_pretrained(
            model_dir, dtype=getattr(torch, dtype), use_safetensors=True, local_files_only=True,
            trust_remote_code=False,
        )
    except (OSError, ValueError) as error:
        raise BackendError(f"could not load the safetensors weights in {model_dir}: {error}") from error
    return model.to(device).eval()


def generation_settings(generation, retry: bool = False) -> dict:
    """Decoding settings from a role's `generation` config; a retry also blocks repetition loops."""
    settings = {
        "num_beams": generation.num_beams,
        "max_new_tokens": generation.max_new_tokens,
        "length_penalty": generation.length_penalty,
        "no_repeat_ngram_size": generation.no_repeat_ngram_size,
        "repetition_penalty": generation.repetition_penalty,
    }
    if getattr(generation, "min_new_tokens", 0):  # fixed-length decoding for benchmarks
        settings["min_new_tokens"] = generation.min_new_tokens
    if retry:
        settings["no_repeat_ngram_size"] = settings["no_repeat_ngram_size"] or 3
        settings["repetition_penalty"] = max(settings["repetition_penalty"], 1.2)
    return settings


def summary_budget(generation, max_words: int) -> int:
    """A cap on a summary's new tokens: two per word plus slack; the model's own end token normally comes first."""
    return min(generation.max_new_tokens, 2 * max_words + 16)


def length_sorted_batches(ids: list[list[int]], size: int) -> list[list[int]]:
    """Input indices grouped longest first into batches of `size`, so each batch pads little."""
    order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
    size = max(1, size)
    return [order[start : start + size] for start in range(0, len(order), size)]


class Seq2SeqBackend(Backend):
    """A transformers encoder-decoder model translating or summarizing length-sorted batches."""

    engine = "hf"
    inputs: Seq2SeqInputs | None = None  # set by load()
    model = None

    def placement(self) -> tuple[str, object]:
        return torch_placement(self.run_config)

    def load(self) -> None:
        self.inputs = Seq2SeqInputs(self.manifest, self.model_dir, self.role_config)
        set_threads(self.run_config.threads)
        self.model = load_model(str(self.model_dir), str(self.dtype).replace("torch.", ""), self.device)

    @property
    def max_input_tokens(self) -> int:
        return self._loaded().limit

    def count_tokens(self, text: str) -> int:
        return self._loaded().count_tokens(text)

    def signature(self) -> dict:
        return {
            **self.manifest.identity(),
            "backend": "seq2seq",
            "engine": self.engine,
            "weights": weights_digest(self.model_dir),
            "dtype": str(self.dtype).replace("torch.", ""),
            "options": self.manifest.options,
            "generation": asdict(self.role_config.generation),
        }

    def translate(self, texts: list[str], source: str, target: str, retry: bool = False,
                  hints: list[str] | None = None) -> list[str]:
        # `hints` go unused: a translation model takes no instructions; the terms are checked after it
        prepared = self._loaded().translation(texts, source, target)
        rows = self.generate(prepared, generation_settings(self.role_config.generation, retry))
        return self.inputs.decode(rows, prepared.first_token)

    def summarize(self, texts: list[str], max_words: int | list[int], retry: bool = False) -> list[str]:
        # a seq2seq model is told no length: the longest text's budget caps the batch, its end token ends each
        prepared = self._loaded().summary(texts)
        settings = generation_settings(self.role_config.generation, retry)
        settings["max_new_tokens"] = summary_budget(self.role_config.generation, max(per_text(max_words, len(texts))))
        return self.inputs.decode(self.generate(prepared, settings))

    def generate(self, prepared: Prepared, settings: dict) -> list[list[int]]:
        """Generated token ids per input, in input order: the forced first token included, no start or end token."""
        rows: list[list[int]] = [[] for _ in prepared.input_ids]
        for batch in length_sorted_batches(prepared.input_ids, self.role_config.batch_size):
            outputs = self._generate_batch([prepared.input_ids[i] for i in batch], prepared.first_token, settings)
            for index, row in zip(batch, outputs):
                rows[index] = row
        return rows

    def _generate_batch(self, ids: list[list[int]], first_token: int | None, settings: dict) -> list[list[int]]:
        import torch

        pad = self.inputs.tokenizer.pad_token_id
        width = max(len(row) for row in ids)
        input_ids = torch.tensor([row + [pad] * (width - len(row)) for row in ids], device=self.device)
        mask = torch.tensor([[1] * len(row) + [0] * (width - len(row)) for row in ids], device=self.device)
        extra = {"forced_bos_token_id": first_token} if first_token is not None else {}
        with torch.inference_mode():
            output = self.model.generate(  # max_length=None: max_new_tokens alone bounds the output
                input_ids=input_ids, attention_mask=mask, do_sample=False, max_length=None, **settings, **extra
            )
        return [self._strip(row, settings["max_new_tokens"]) for row in output[:, 1:].tolist()]

    def _strip(self, row: list[int], budget: int) -> list[int]:
        """Cut a generated row at its end token; warn when the length budget, not the model, ended it."""
        eos = self.model.generation_config.eos_token_id
        ends = set(eos) if isinstance(eos, list) else {eos}
        cut = next((i for i, token in enumerate(row) if token in ends), None)
        if cut is None or cut + 1 >= budget:
            log.warning("%s: an output reached max_new_tokens=%d and may be cut short; raise "
                        "generation.max_new_tokens", self.name, budget)
        pad = self.model.generation_config.pad_token_id  # padding is never text
        return [token for token in row[:cut] if token != pad]

    def _loaded(self) -> Seq2SeqInputs:
        if self.inputs is None:
            raise BackendError(f"{self.name} is not loaded: call load() first")
        return self.inputs


def load_seq2seq(manifest: Manifest, model_dir: Path, role_config, run_config) -> Seq2SeqBackend:
    """A Seq2SeqBackend for `manifest` over `model_dir` (call `load()` before use)."""
    return Seq2SeqBackend(manifest, model_dir, role_config, run_config)
