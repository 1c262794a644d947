"""What a seq2seq model sees: its tokenizer, and each architecture's input conventions.

`Seq2SeqInputs` knows each architecture's conventions (Marian `>>fra<<` source
tokens, NLLB/M2M100/mBART-50 source codes and forced target codes, T5 task
prefixes) and turns texts into token ids; the HF engine (`seq2seq.py`) and the
CTranslate2 engine (`ct2.py`) both use it, so they see identical inputs.
Inputs are never truncated: one longer than `max_input_tokens` is refused. The
model folder is checked first (`pipeline.registry.integrity.check_model_dir`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.backends.base import BackendError
from pipeline.registry.integrity import check_model_dir
from pipeline.registry.manifests import Manifest

LANGUAGE_CODED = {"nllb", "m2m100", "mbart50"}  # source code on the tokenizer, target code forced first


@dataclass
class Prepared:
    """Encoder token ids in input order, and the token the decoder must emit first (a target code)."""

    input_ids: list[list[int]]
    first_token: int | None = None


@lru_cache(maxsize=8)
def load_tokenizer(model_dir: str):
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(model_dir, local_files_only=True, trust_remote_code=False)
    except (OSError, ValueError, KeyError) as error:
        raise BackendError(f"could not load the tokenizer in {model_dir}: {error}") from error


class Seq2SeqInputs:
    """Texts to encoder token ids under one architecture's conventions, with the length limit enforced."""

    def __init__(self, manifest: Manifest, model_dir: Path, role_config):
        self.manifest = manifest
        self.model_dir = Path(model_dir)
        self.role_config = role_config
        self.options = manifest.options or {}
        self.config = check_model_dir(manifest, self.model_dir)
        self.tokenizer = load_tokenizer(str(self.model_dir))
        self.limit = self._limit()

    def _limit(self) -> int:
        positions = self.config.get("max_position_embeddings")
        model_max = self.tokenizer.model_max_length if self.tokenizer.model_max_length < 10**6 else None
        natural = min(x for x in (positions, model_max, 10**6) if x)
        wanted = self.role_config.max_input_tokens
        if wanted and positions and wanted > positions:
            raise BackendError(
                f"model {self.manifest.name!r} has {positions} positions but max_input_tokens is {wanted}; "
                f"set max_input_tokens to at most {positions} (or 0 for the model's own limit)"
            )
        return wanted or natural

    def translation(self, texts: list[str], source: str, target: str) -> Prepared:
        """Encoder ids for translating `texts` from `source` to `target`, with the forced target code."""
        if "translate" not in self.manifest.roles:
            raise BackendError(f"model {self.manifest.name!r} does not translate (roles: {self.manifest.roles})")
        self._check_pair(source, target)
        architecture = self.manifest.architecture
        if architecture in LANGUAGE_CODED:
            self._token_id(self._language_token(source))
            self.tokenizer.src_lang = self._code(source)
            return Prepared(self.encode(texts), self._token_id(self._language_token(target)))
        prefix = self._marian_prefix(target)
        return Prepared(self.encode([prefix + text for text in texts]))

    def summary(self, texts: list[str]) -> Prepared:
        """Encoder ids for summarizing `texts`, with the model's task prefix (e.g. T5's `summarize: `)."""
        if "summarize" not in self.manifest.roles:
            raise BackendError(f"model {self.manifest.name!r} does not summarize (roles: {self.manifest.roles})")
        prefix = self.options.get("task_prefix", "")
        return Prepared(self.encode([prefix + text for text in texts]))

    def encode(self, texts: list[str]) -> list[list[int]]:
        """Token ids with the model's special tokens; an input over the limit is an error, never cut."""
        ids = self.tokenizer(texts, add_special_tokens=True, truncation=False)["input_ids"]
        too_long = [(i, len(row)) for i, row in enumerate(ids) if len(row) > self.limit]
        if too_long:
            index, length = too_long[0]
            raise BackendError(
                f"model {self.manifest.name!r}: input {index} has {length} tokens, over the limit of {self.limit} "
                f"({len(too_long)} such input(s)); split it into shorter pieces before calling (nothing was cut)"
            )
        return ids

    def count_tokens(self, text: str) -> int:
        extra = 1 if self.options.get("target_prefix") else 0  # Marian multi-target `>>xxx<<` token
        return len(self.tokenizer(self.options.get("task_prefix", "") + text)["input_ids"]) + extra

    def decode(self, rows: list[list[int]], first_token: int | None = None) -> list[str]:
        """Text of generated rows, without the forced target code (some tokenizers do not mark it special)."""
        rows = [row[1:] if row and first_token is not None and row[0] == first_token else row for row in rows]
        texts = self.tokenizer.batch_decode(rows, skip_special_tokens=True)
        return [" ".join(text.replace("<n>", " ").split()) for text in texts]  # PEGASUS writes <n> between sentences

    def _check_pair(self, source: str, target: str) -> None:
        pairs = self.options.get("pairs")
        codes = self.options.get("lang_codes", {})
        if pairs is not None:
            supported = f"{source}-{target}" in pairs
        else:
            supported = source in codes and target in codes
        if not supported:
            covered = ", ".join(pairs) if pairs is not None else "any pair of " + ", ".join(codes)
            raise BackendError(
                f"model {self.manifest.name!r} does not translate {source}->{target} (it covers {covered}); "
                f"name another model for '{source}-{target}' in translate.pairs"
            )

    def _code(self, language: str) -> str:
        return self.options.get("lang_codes", {}).get(language, language)

    def _language_token(self, language: str) -> str:
        code = self._code(language)
        return self.tokenizer.get_lang_token(code) if self.manifest.architecture == "m2m100" else code

    def _marian_prefix(self, target: str) -> str:
        template = self.options.get("target_prefix")
        if not template:
            return ""
        token = template.format(code=self._code(target))
        self._token_id(token)
        return token + " "

    def _token_id(self, token: str) -> int:
        token_id = self.tokenizer.convert_tokens_to_ids(token)
        if token_id is None or token_id == self.tokenizer.unk_token_id:
            raise BackendError(
                f"model {self.manifest.name!r}: language token {token!r} is not in its vocabulary; "
                f"check options.lang_codes / target_prefix in models/{self.manifest.name}.yaml"
            )
        return token_id
