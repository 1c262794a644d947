"""Seq2seq models through CTranslate2: converted once, cached beside the model, quantized, batched.

The HF model folder is converted to `<model_dir>/ct2-<quantization>/` on first
use (written to a temporary folder, then renamed, so a half-written copy is
never used) and reconverted when the source weights change. Its stamp records
the weights it came from and its own files, checked like an install record
before each use: a damaged or swapped conversion is made again. Inputs are the
same token ids the HF engine sees (`Seq2SeqInputs`); target codes go in as a
`target_prefix`. CTranslate2 sorts each call's inputs by length and splits
them into `max_batch_size` batches itself, returning results in input order.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from functools import lru_cache
from pathlib import Path

from pipeline.backends.base import BackendError
from pipeline.backends.devices import ct2_placement
from pipeline.backends.seq2seq import Seq2SeqBackend
from pipeline.backends.seq2seq_inputs import Prepared, Seq2SeqInputs
from pipeline.files import swap_folder
from pipeline.registry.integrity import (
    SOURCE_STAMP,
    check_model_dir,
    read_stamp,
    stamp_problems,
    stamp_with_files,
    weights_digest,
    write_stamp,
)
from pipeline.registry.manifests import Manifest

log = logging.getLogger("digest.ct2")

# How transformers' own modeling code normalises each family (pre-norm, embedding layer norm); CTranslate2
# reads these from config.json, where only fairseq-era checkpoints happen to spell them out.
NORMALISATION = {"bart": (False, True), "mbart": (True, True), "pegasus": (True, False)}


def converted_model(model_dir: Path, quantization: str) -> Path:
    """The CTranslate2 copy of `model_dir` at `quantization`, converting it first when missing or stale."""
    target = model_dir / f"ct2-{quantization}"
    weights = weights_digest(model_dir)
    stamp = read_stamp(target)
    if stamp is not None and stamp.get("weights") == weights and "files" not in stamp:
        # Converted before stamps recorded files: take the files as they are now, once.
        stamp = _record_files(target, stamp)
    problems = stamp_problems(target, stamp, weights)
    if not problems:
        return target
    if target.exists():  # a first conversion is expected; redoing one is news
        log.warning("%s differs from its conversion stamp (%s); converting again", target, "; ".join(problems))
    _convert_into(model_dir, target, quantization, weights)
    return target


def _convert_into(model_dir: Path, target: Path, quantization: str, weights: str) -> None:
    """Convert in a staging folder, stamp it with its weights and files, then swap it in whole."""
    staging = model_dir / f".ct2-{quantization}.{os.getpid()}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    log.info("converting %s to CTranslate2 (%s); done once", model_dir, quantization)
    try:
        _convert(model_dir, staging, quantization)
        write_stamp(staging, stamp_with_files(staging, {"weights": weights, "quantization": quantization}))
        swap_folder(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _record_files(target: Path, stamp: dict) -> dict:
    """`stamp` with the files of `target` as they are now, saved when the folder can be written."""
    stamp = stamp_with_files(target, stamp)
    try:
        write_stamp(target, stamp)
    except OSError as error:
        log.warning("cannot update %s in %s (%s); its files will be hashed on every run", SOURCE_STAMP, target, error)
    return stamp


class _LanguageTokensVisible:
    """M2M100's tokenizer (transformers 5) leaves its `__xx__` tokens out of get_vocab; CTranslate2 needs them."""

    def __init__(self, tokenizer):
        self._tokenizer = tokenizer

    def __getattr__(self, name):
        return getattr(self._tokenizer, name)

    def get_vocab(self) -> dict[str, int]:
        return {**self._tokenizer.get_vocab(), **getattr(self._tokenizer, "lang_token_to_id", {})}


def _converter(model_dir: Path):
    from ctranslate2.converters import TransformersConverter

    class SafeConverter(TransformersConverter):
        def load_model(self, model_class, model_name_or_path, **kwargs):
            model = model_class.from_pretrained(model_name_or_path, use_safetensors=True, local_files_only=True,
                                                **kwargs)
            if model.config.model_type in NORMALISATION:
                pre_norm, embedding_norm = NORMALISATION[model.config.model_type]
                model.config.normalize_before = getattr(model.config, "normalize_before", pre_norm)
                model.config.normalize_embedding = getattr(model.config, "normalize_embedding", embedding_norm)
            return model

        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            tokenizer = tokenizer_class.from_pretrained(model_name_or_path, local_files_only=True, **kwargs)
            return _LanguageTokensVisible(tokenizer)

    return SafeConverter(str(model_dir), low_cpu_mem_usage=True, trust_remote_code=False)


def _convert(model_dir: Path, output: Path, quantization: str) -> None:
    try:
        converter = _converter(model_dir)
        converter.convert(str(output), quantization=quantization, force=True)
    except PermissionError as error:
        raise BackendError(f"cannot write the CTranslate2 copy beside {model_dir}: {error}; make it writable") from error
    except Exception as error:  # the converter raises bare ValueError/RuntimeError/NotImplementedError
        raise BackendError(f"converting {model_dir} to CTranslate2 failed: {error}") from error


@lru_cache(maxsize=8)
def load_translator(path: str, device: str, compute_type: str, threads: int):
    import ctranslate2

    try:
        return ctranslate2.Translator(path, device=device, compute_type=compute_type, inter_threads=1,
                                      intra_threads=threads)
    except (RuntimeError, ValueError) as error:
        raise BackendError(f"could not load the CTranslate2 model in {path}: {error}; delete it to reconvert") from error


def ct2_options(settings: dict, batch_size: int, forced_eos: bool) -> dict:
    """`translate_batch` arguments equivalent to the HF engine's generation settings."""
    # HF spends the last of max_new_tokens on a forced end token; CTranslate2 stops without one.
    length = settings["max_new_tokens"] - (1 if forced_eos else 0)
    return {
        "beam_size": settings["num_beams"],
        "max_decoding_length": length,
        "min_decoding_length": min(settings.get("min_new_tokens", 0), length),
        "length_penalty": settings["length_penalty"],
        "no_repeat_ngram_size": settings["no_repeat_ngram_size"],
        "repetition_penalty": settings["repetition_penalty"],
        "max_batch_size": max(1, batch_size),
        "batch_type": "examples",
        "max_input_length": 0,  # CTranslate2 would cut inputs at 1024 tokens; the length check is ours
    }


class CT2Backend(Seq2SeqBackend):
    """A seq2seq model run by CTranslate2 (int8 on CPU, int8_float16 on CUDA by default)."""

    engine = "ct2"
    translator = None  # set by load(), with the model's generation_config.json
    generation_config: dict

    def placement(self) -> tuple[str, str]:
        return ct2_placement(self.run_config, self.role_config.quantization)

    def load(self) -> None:
        check_model_dir(self.manifest, self.model_dir)
        path = converted_model(self.model_dir, self.dtype)
        self.inputs = Seq2SeqInputs(self.manifest, self.model_dir, self.role_config)
        self.translator = load_translator(str(path), self.device, self.dtype, self.run_config.threads)
        generation_file = self.model_dir / "generation_config.json"
        self.generation_config = (json.loads(generation_file.read_text(encoding="utf-8"))
                                  if generation_file.is_file() else {})

    def signature(self) -> dict:
        return {**super().signature(), "quantization": self.dtype}

    def generate(self, prepared: Prepared, settings: dict) -> list[list[int]]:
        """Generated token ids per input, in input order: the forced first token included, no end token."""
        tokenizer = self._loaded().tokenizer
        if not prepared.input_ids:
            return []
        first = prepared.first_token
        if first is None:
            first = self.generation_config.get("forced_bos_token_id")
        prefix = [[tokenizer.convert_ids_to_tokens(first)]] * len(prepared.input_ids) if first is not None else None
        forced_eos = self.generation_config.get("forced_eos_token_id") is not None
        options = ct2_options(settings, self.role_config.batch_size, forced_eos)
        sources = [tokenizer.convert_ids_to_tokens(row) for row in prepared.input_ids]
        results = self.translator.translate_batch(sources, target_prefix=prefix, **options)
        pad = tokenizer.pad_token_id  # never text, as in the HF engine
        rows = [[t for t in tokenizer.convert_tokens_to_ids(result.hypotheses[0]) if t != pad] for result in results]
        if any(len(row) >= options["max_decoding_length"] for row in rows):
            log.warning("%s: an output reached max_new_tokens=%d and may be cut short; raise "
                        "generation.max_new_tokens", self.name, settings["max_new_tokens"])
        return rows


def load_ct2(manifest: Manifest, model_dir: Path, role_config, run_config) -> CT2Backend:
    """A CT2Backend for `manifest` over `model_dir` (call `load()` before use; it converts once)."""
    return CT2Backend(manifest, model_dir, role_config, run_config)
