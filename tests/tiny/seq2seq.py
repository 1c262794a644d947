"""Tiny, randomly initialised seq2seq models of every supported architecture, saved as real model folders.

Tests and the benchmark run the real loading, tokenization, generation and
CTranslate2 code on these: each folder has a config, safetensors weights, a
generation config and tokenizer files that `AutoTokenizer.from_pretrained`
loads, built from a sentencepiece (or byte-level BPE) model trained on
generated lines. Everything is seeded, so the same call builds the same model.
"""
from __future__ import annotations

import io
import json
import random
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

WORDS = {
    "en": "the government said on monday that new rules would apply to all banks in the region while officials "
    "expect growth of three percent next year and a report on trade prices was published by the ministry "
    "to summarize: the zone organization".split(),
    "fr": "le gouvernement a annoncé lundi que les nouvelles règles s'appliqueraient à toutes les banques de la "
    "région tandis que les responsables prévoient une croissance de trois pour cent l'année prochaine".split(),
    "zh": list("政府周一表示新规则将适用于该地区所有银行官员预计明年经济增长百分之三贸易价格报告由部发布"),
}
SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou", "an")]
MARIAN_CODES = [">>fra<<", ">>eng<<", ">>cmn_Hans<<"]


@dataclass(frozen=True)
class TinySize:
    d_model: int = 32
    layers: int = 2
    heads: int = 4
    ffn: int = 64
    max_positions: int = 128
    vocab: int = 400


def generated_lines(count: int = 300, seed: int = 0) -> list[str]:
    """Deterministic English, French and Chinese lines with numbers, for training tokenizers."""
    rng = random.Random(seed)
    lines = []
    for i in range(count):
        lang = ("en", "fr", "zh")[i % 3]
        words = [rng.choice(WORDS[lang]) for _ in range(rng.randint(4, 16))]
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), str(rng.randint(1, 2030)))
        lines.append("".join(words) + "。" if lang == "zh" else " ".join(words).capitalize() + ".")
    return lines


def pseudo_lines(count: int, seed: int = 0) -> list[str]:
    """Lines of made-up words, varied enough to train a vocabulary of several thousand pieces."""
    rng = random.Random(seed)
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(20000)]
    return [" ".join(rng.choice(words) for _ in range(rng.randint(6, 30))) + "." for _ in range(count)]


def train_sentencepiece(lines: list[str], path: Path, vocab: int, model_type: str = "unigram", **ids) -> Path:
    """Train a sentencepiece model on `lines` into `path`; `ids` sets unk_id/bos_id/eos_id/pad_id."""
    import sentencepiece

    buffer = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=buffer, vocab_size=vocab, model_type=model_type,
        character_coverage=1.0, hard_vocab_limit=False, minloglevel=2, num_threads=1, **ids,
    )
    path.write_bytes(buffer.getvalue())
    return path


def fairseq_spm(work: Path, lines: list[str], size: TinySize, name: str, model_type: str = "unigram") -> Path:
    """A fairseq-style sentencepiece model (<unk>=0, <s>=1, </s>=2) as used by NLLB, M2M100 and mBART."""
    return train_sentencepiece(lines, work / name, size.vocab, model_type, unk_id=0, bos_id=1, eos_id=2, pad_id=-1)


def t5_spm(work: Path, lines: list[str], size: TinySize) -> Path:
    """A T5/PEGASUS-style sentencepiece model (<pad>=0, </s>=1, <unk>=2)."""
    return train_sentencepiece(lines, work / "spiece.model", size.vocab, pad_id=0, eos_id=1, unk_id=2, bos_id=-1)


def spm_pieces(path: Path) -> list[str]:
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_file=str(path))
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size()) if not processor.is_control(i)]


def marian_tokenizer(work: Path, lines: list[str], size: TinySize, target_codes=(), fill_to: int = 0):
    """MarianTokenizer files; `<pad>` is the LAST entry, as in real opus-mt (CTranslate2 relies on it)."""
    from transformers import MarianTokenizer

    spm = train_sentencepiece(lines, work / "source.spm", size.vocab, unk_id=0, bos_id=1, eos_id=2, pad_id=-1)
    shutil.copy(spm, work / "target.spm")
    pieces = [p for p in spm_pieces(spm) if p != "<unk>"]
    fillers = [f"▁w{i}" for i in range(max(0, fill_to - 3 - len(target_codes) - len(pieces)))]
    tokens = ["</s>", "<unk>", *target_codes, *pieces, *fillers, "<pad>"]
    vocab = work / "vocab.json"
    vocab.write_text(json.dumps({token: i for i, token in enumerate(tokens)}, ensure_ascii=False), encoding="utf-8")
    return MarianTokenizer(str(spm), str(work / "target.spm"), str(vocab), model_max_length=size.max_positions)


def marian_parts(work: Path, lines: list[str], size: TinySize, target_codes=(), fill_to: int = 0):
    from transformers import MarianConfig

    tokenizer = marian_tokenizer(work, lines, size, target_codes, fill_to)
    pad = len(tokenizer) - 1
    config = MarianConfig(
        vocab_size=len(tokenizer), pad_token_id=pad, decoder_start_token_id=pad, eos_token_id=0,
        forced_eos_token_id=0, **_bart_sizes(size),
    )
    generation = {"bad_words_ids": [[pad]], "num_beams": 4, "max_length": size.max_positions}
    return tokenizer, config, generation


def nllb_parts(work: Path, lines: list[str], size: TinySize):
    from transformers import M2M100Config, NllbTokenizer
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    fairseq_spm(work, lines, size, "sentencepiece.bpe.model", model_type="bpe")
    tokenizer = NllbTokenizer.from_pretrained(
        str(work), additional_special_tokens=FAIRSEQ_LANGUAGE_CODES, model_max_length=size.max_positions
    )
    config = M2M100Config(
        vocab_size=len(tokenizer), pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
        tokenizer_class="NllbTokenizer", **_bart_sizes(size),
    )
    return tokenizer, config, {"max_length": size.max_positions}


def m2m100_parts(work: Path, lines: list[str], size: TinySize):
    from transformers import M2M100Config, M2M100Tokenizer

    spm = fairseq_spm(work, lines, size, "sentencepiece.bpe.model")
    tokens = ["<s>", "<pad>", "</s>", "<unk>", *[p for p in spm_pieces(spm) if p != "<unk>"]]
    vocab = work / "vocab.json"
    vocab.write_text(json.dumps({token: i for i, token in enumerate(tokens)}, ensure_ascii=False), encoding="utf-8")
    tokenizer = M2M100Tokenizer(str(vocab), str(spm), model_max_length=size.max_positions)
    language_ids = max(tokenizer.lang_code_to_id.values()) + 1  # language tokens follow the sentencepiece vocab
    config = M2M100Config(
        vocab_size=language_ids + tokenizer.num_madeup_words, pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
        **_bart_sizes(size),
    )
    return tokenizer, config, {"max_length": size.max_positions, "num_beams": 5, "early_stopping": True}


def mbart50_parts(work: Path, lines: list[str], size: TinySize):
    from transformers import MBart50Tokenizer, MBartConfig

    fairseq_spm(work, lines, size, "sentencepiece.bpe.model")
    tokenizer = MBart50Tokenizer.from_pretrained(str(work), bos_token="<s>", model_max_length=size.max_positions)
    config = MBartConfig(
        vocab_size=len(tokenizer), pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
        forced_eos_token_id=2, tokenizer_class="MBart50Tokenizer", **_bart_sizes(size),
    )
    return tokenizer, config, {"max_length": size.max_positions, "num_beams": 5, "early_stopping": True}


def bart_parts(work: Path, lines: list[str], size: TinySize):
    """distilbart-style: byte-level BPE, forced <s> first and </s> last, like facebook/bart-large-cnn."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartTokenizer

    trainer = ByteLevelBPETokenizer()
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    trainer.train_from_iterator(lines, vocab_size=max(size.vocab, 300), special_tokens=specials, show_progress=False)
    trainer.save_model(str(work))
    tokenizer = BartTokenizer.from_pretrained(str(work), model_max_length=size.max_positions)
    config = BartConfig(
        vocab_size=len(tokenizer), pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
        forced_bos_token_id=0, forced_eos_token_id=2, **_bart_sizes(size),
    )
    generation = {
        "num_beams": 4, "length_penalty": 2.0, "no_repeat_ngram_size": 3, "max_length": size.max_positions,
        "forced_bos_token_id": 0,
    }
    return tokenizer, config, generation


def pegasus_parts(work: Path, lines: list[str], size: TinySize):
    from transformers import PegasusConfig, PegasusTokenizer

    t5_spm(work, lines, size)
    tokenizer = PegasusTokenizer.from_pretrained(str(work), model_max_length=size.max_positions)
    config = PegasusConfig(
        vocab_size=len(tokenizer), pad_token_id=0, eos_token_id=1, decoder_start_token_id=0, forced_eos_token_id=1,
        **_bart_sizes(size),
    )
    return tokenizer, config, {"num_beams": 8, "length_penalty": 0.6, "max_length": size.max_positions}


def t5_parts(work: Path, lines: list[str], size: TinySize, multilingual: bool = False):
    from transformers import MT5Config, T5Config, T5Tokenizer

    t5_spm(work, lines, size)
    tokenizer = T5Tokenizer.from_pretrained(str(work), model_max_length=size.max_positions)
    config_class = MT5Config if multilingual else T5Config
    config = config_class(
        vocab_size=len(tokenizer), d_model=size.d_model, d_kv=size.d_model // size.heads, d_ff=size.ffn,
        num_layers=size.layers, num_decoder_layers=size.layers, num_heads=size.heads,
        feed_forward_proj="gated-gelu", pad_token_id=0, eos_token_id=1, decoder_start_token_id=0,
        tie_word_embeddings=False, initializer_factor=5.0, tokenizer_class="T5Tokenizer",
    )
    return tokenizer, config, {"max_length": size.max_positions}


def _bart_sizes(size: TinySize) -> dict:
    return {
        "d_model": size.d_model, "encoder_layers": size.layers, "decoder_layers": size.layers,
        "encoder_attention_heads": size.heads, "decoder_attention_heads": size.heads,
        "encoder_ffn_dim": size.ffn, "decoder_ffn_dim": size.ffn, "max_position_embeddings": size.max_positions,
        "scale_embedding": True, "init_std": 0.5,  # wide weights: varied, input-dependent outputs
    }


PARTS = {
    "marian": marian_parts, "nllb": nllb_parts, "m2m100": m2m100_parts, "mbart50": mbart50_parts,
    "bart": bart_parts, "pegasus": pegasus_parts, "t5": t5_parts,
    "mt5": lambda work, lines, size: t5_parts(work, lines, size, multilingual=True),
}


def build_tiny(architecture: str, folder: Path, seed: int = 0, size: TinySize = TinySize(), **options) -> Path:
    """Build a random `architecture` model (see PARTS) with its real tokenizer into `folder`; returns it."""
    if architecture not in PARTS:
        raise ValueError(f"no tiny builder for {architecture!r}; choose one of {', '.join(PARTS)}")
    lines = options.pop("lines", None) or generated_lines(seed=seed)
    with tempfile.TemporaryDirectory(prefix="digest-tiny-") as work:
        tokenizer, config, generation = PARTS[architecture](Path(work), lines, size, **options)
        return save_model(Path(folder), tokenizer, config, generation, seed)


def build_opus_sized_marian(folder: Path, lines: list[str] | None = None, seed: int = 0) -> Path:
    """A random Marian shaped like opus-mt (6+6 layers, d_model 512, 8 heads, vocab ~58k, `<pad>` last)."""
    size = TinySize(d_model=512, layers=6, heads=8, ffn=2048, max_positions=512, vocab=8000)
    lines = lines or pseudo_lines(4000, seed)
    with tempfile.TemporaryDirectory(prefix="digest-opus-") as work:
        tokenizer, config, generation = marian_parts(Path(work), lines, size, target_codes=(), fill_to=58101)
        config.init_std = 0.02
        return save_model(Path(folder), tokenizer, config, generation, seed)


def save_model(folder: Path, tokenizer, config, generation: dict, seed: int) -> Path:
    """Initialise weights from `config` with `seed` and save model, generation config and tokenizer."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, GenerationConfig

    torch.manual_seed(seed)
    model = AutoModelForSeq2SeqLM.from_config(config)
    embeddings = model.get_input_embeddings()
    if config.pad_token_id is not None and config.model_type not in ("t5", "mt5"):
        with torch.no_grad():  # real checkpoints keep the padding row at zero; Marian starts decoding from it
            embeddings.weight[config.pad_token_id].zero_()
    model.generation_config = GenerationConfig.from_model_config(config)
    model.generation_config.update(**generation)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
