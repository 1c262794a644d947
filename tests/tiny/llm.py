"""A tiny randomly initialised Qwen2 chat model, for tests and demos without downloads.

It has the real architecture, a real byte-level BPE tokenizer trained on a few
lines, and a ChatML chat template, so the LLM backend's loading, prompting,
batching and decoding code runs for real; its outputs are noise.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
TRAINING_LINES = [
    "The province published new measures to support industry and innovation.",
    "La province a publié de nouvelles mesures pour soutenir l'industrie et l'innovation.",
    "该省发布了支持产业和创新的新措施。",
    "Summarize the article in plain English sentences.",
    "Translate the text into French, English or Simplified Chinese.",
    "Les responsables ont déclaré que la croissance économique se poursuivra en 2025.",
    "工业规模预计到2027年达到7万亿元，服务业达到4万亿元。",
    "Officials said economic growth would continue in 2025, with exports up 4.2 percent.",
]


def build_tiny_llm(folder: Path, seed: int = 0) -> Path:
    """Write a tiny Qwen2ForCausalLM with tokenizer and chat template into `folder`."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=600, special_tokens=SPECIAL_TOKENS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(TRAINING_LINES * 20, trainer=trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                   additional_special_tokens=SPECIAL_TOKENS[1:])
    fast.chat_template = CHAT_TEMPLATE
    fast.save_pretrained(folder)
    torch.manual_seed(seed)
    config = Qwen2Config(vocab_size=len(fast), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
                         eos_token_id=fast.eos_token_id, pad_token_id=fast.pad_token_id, tie_word_embeddings=True)
    Qwen2ForCausalLM(config).save_pretrained(folder, safe_serialization=True)
    return folder


def write_tiny_manifest(manifest_dir: Path, model_dir: Path, name: str = "tiny-llm",
                        max_input_tokens: int = 256) -> Path:
    """A manifest that points at a local model folder, for DIGEST_MODELS."""
    manifest_dir.mkdir(parents=True, exist_ok=True)
    manifest = {
        "name": name, "roles": ["translate", "summarize"], "backend": "llm", "architecture": "qwen2",
        "source": {"kind": "local", "path": str(model_dir)}, "license": "Apache-2.0 (random weights)",
        "languages": ["en", "fr", "zh"], "size": "tiny", "options": {"max_input_tokens": max_input_tokens},
    }
    path = manifest_dir / f"{name}.yaml"
    path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")  # JSON is valid YAML
    return path


@contextmanager
def tiny_llm_installed(root: Path, model_dir: Path | None = None) -> Iterator[Path]:
    """DIGEST_MODELS pointing at a manifest of the tiny LLM (built under `root`, or `model_dir`) while inside;
    yields the model folder."""
    model = model_dir or build_tiny_llm(root / "tiny-llm")
    manifests = write_tiny_manifest(root / "manifests", model).parent
    before = os.environ.get("DIGEST_MODELS")
    os.environ["DIGEST_MODELS"] = str(manifests)
    try:
        yield model
    finally:
        if before is None:
            del os.environ["DIGEST_MODELS"]
        else:
            os.environ["DIGEST_MODELS"] = before
