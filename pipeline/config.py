"""Typed run configuration read from YAML; unknown keys are an error.

A config names models by their manifest name (see `models/`); the manifest says
which backend runs them, so switching backends is one line per role.
"""
from __future__ import annotations

import hashlib
import json
import types
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import yaml

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


@dataclass
class IngestConfig:
    text_column: str = "text"
    title_column: str = "title"
    date_column: str = "date"
    source_column: str = "source"
    id_column: str = "id"
    strip_boilerplate: bool = True
    max_chars: int = 100_000  # about 15,000 words, several times a long news feature: more is cut, and said


@dataclass
class DetectConfig:
    languages: list[str] = field(default_factory=lambda: ["en", "fr", "zh"])
    min_confidence: float = 0.5


@dataclass
class GenerationConfig:
    num_beams: int = 1
    max_new_tokens: int = 256
    min_new_tokens: int = 0
    length_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0
    # LLM translation: > 0 samples this many more translations per text and keeps the consensus of all
    # (see backends/consensus.py); retry_candidates does the same for the guards' retry of a flagged
    # output only; temperature and top_p shape those samples
    candidates: int = 0
    retry_candidates: int = 0
    temperature: float = 0.7
    top_p: float = 0.9


@dataclass
class TranslateConfig:
    model: str = "qwen2.5-coder-1.5b-instruct"
    pairs: dict[str, str] = field(default_factory=dict)  # "fr-en" -> model name, overrides `model`
    engine: str = "ct2"  # "ct2" (CTranslate2, int8 on CPU) | "hf" (transformers)
    quantization: str = "auto"  # ct2: int8 on CPU, int8_float16 on CUDA; or int8_float32, float32...
    batch_size: int = 8  # most texts generated together
    batch_tokens: int = 0  # and at most this many tokens in a padded batch (prompts and outputs); 0: no limit
    max_input_tokens: int = 0  # 0: the model's own limit
    # Source tokens translated per document; later sentences stay untranslated, flagged, and out of the summary
    max_document_tokens: int = 8_000
    # The quality estimate also reads the translation model's likelihood of each translation (a prefill per sentence)
    quality_likelihood: bool = False
    # > 1: a sentence whose translation the quality estimate marks low is sampled this many times less one, and the
    # candidate with the best estimate kept among those whose guards and facts pass (generation.candidates: consensus)
    rerank_candidates: int = 1
    generation: GenerationConfig = field(default_factory=GenerationConfig)

    def model_for(self, source: str, target: str) -> str:
        return self.pairs.get(f"{source}-{target}", self.model)


@dataclass
class SummarizeConfig:
    model: str = "qwen2.5-coder-1.5b-instruct"
    engine: str = "ct2"
    quantization: str = "auto"
    max_words: int = 90  # a long article's summary; a shorter one gets a word per 8 of its own, down to min_words
    min_words: int = 30
    # English tokens a summary reads per document; the rest is left out, and the digest says so
    max_document_tokens: int = 12_000
    batch_size: int = 4
    batch_tokens: int = 0
    max_input_tokens: int = 0
    generation: GenerationConfig = field(default_factory=lambda: GenerationConfig(max_new_tokens=200))


@dataclass
class AlignConfig:
    languages: list[str] = field(default_factory=lambda: ["en", "fr", "zh"])
    low_score: float = 0.5  # pairs and translations below this are flagged
    support_top_k: int = 3
    min_support: float = 0.45  # calibrated similarity (0 unrelated, 1 a typical translation)


@dataclass
class RunConfig:
    device: str = "auto"  # "auto" | "cpu" | "cuda"
    dtype: str = "auto"  # "auto" | "float32" | "bfloat16" | "float16"
    threads: int = 0
    # Documents each model stage takes at once: their texts are pooled, deduplicated and batched together,
    # and a killed run loses at most one window's work in flight
    window: int = 32


@dataclass
class RayStageConfig:
    """One stage on Ray: an actor pool of `concurrency` actors, each with these resources."""

    batch_size: int = 0  # documents per call; 0: the local engine's batch size, which keeps outputs identical
    concurrency: int = 1  # actors (each loads the stage's models once)
    num_cpus: float = 1.0
    num_gpus: float = 0.0


@dataclass
class RayConfig:
    """`--engine ray`: where the cluster is and how each stage is spread over it."""

    address: str = ""  # "": start a local Ray instance; "auto", "ray://head:10001"; --address overrides it
    env: dict[str, str] = field(default_factory=dict)  # more environment variables for the workers
    ingest: RayStageConfig = field(default_factory=RayStageConfig)
    detect: RayStageConfig = field(default_factory=RayStageConfig)
    translate: RayStageConfig = field(default_factory=RayStageConfig)
    summarize: RayStageConfig = field(default_factory=RayStageConfig)
    align: RayStageConfig = field(default_factory=RayStageConfig)
    output: RayStageConfig = field(default_factory=RayStageConfig)


@dataclass
class Config:
    ingest: IngestConfig = field(default_factory=IngestConfig)
    detect: DetectConfig = field(default_factory=DetectConfig)
    translate: TranslateConfig = field(default_factory=TranslateConfig)
    summarize: SummarizeConfig = field(default_factory=SummarizeConfig)
    align: AlignConfig = field(default_factory=AlignConfig)
    run: RunConfig = field(default_factory=RunConfig)
    ray: RayConfig = field(default_factory=RayConfig)
    # glossary files (TSV or CSV, header of language codes; see README "Glossaries"), read and checked by
    # pipeline.terms.glossary.config_glossary before any model loads
    glossary: list[str] = field(default_factory=list)

    def digest(self) -> str:
        """A short hash of the settings that shape outputs, for run signatures. Where work runs (`ray`) does not;
        the glossaries' contents do, through the stage signatures, and their paths do not."""
        settings = {k: v for k, v in asdict(self).items() if k not in ("ray", "glossary")}
        encoded = json.dumps(settings, sort_keys=True).encode()
        return hashlib.sha256(encoded).hexdigest()[:16]


class ConfigError(ValueError):
    pass


def _build(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(data).__name__}")
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    values = {}
    for name, value in data.items():
        kind = hints[name]
        inner = f"{where}.{name}"
        values[name] = _build(kind, value, inner) if is_dataclass(kind) else _checked(kind, value, inner)
    return cls(**values)


def _checked(kind: Any, value: Any, where: str) -> Any:
    """`value` if it has the type `kind` (int, float, bool, str, list[...], dict[...], X | None), else an error."""
    if not _fits(kind, value):
        hint = {list: " (write [a, b])", dict: " (write {key: value})"}.get(get_origin(kind), "")
        raise ConfigError(f"{where}: expected {_type_name(kind)}{hint}, got {value!r}")
    return value


def _fits(kind: Any, value: Any) -> bool:
    origin, args = get_origin(kind), get_args(kind)
    if kind is Any:
        return True
    if origin in (Union, types.UnionType):
        return any(_fits(arm, value) for arm in args)
    if origin is list:
        return isinstance(value, list) and all(_fits(args[0], item) for item in value)
    if origin is dict:
        return isinstance(value, dict) and all(_fits(args[0], k) and _fits(args[1], v) for k, v in value.items())
    if kind in (int, float) and isinstance(value, bool):  # YAML's true is an int to Python, not to a user
        return False
    if kind is float:  # an int is kept as written: converting it would change the config's digest
        return isinstance(value, (int, float))
    return isinstance(value, kind)


def _type_name(kind: Any) -> str:
    return kind.__name__ if isinstance(kind, type) and not get_args(kind) else str(kind).replace("typing.", "")


def _merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _parse_override(text: str) -> dict:
    """`translate.batch_size=4` -> {"translate": {"batch_size": 4}}: the value read as YAML (a string field takes
    the text as written) and checked against the type of the field it sets."""
    if "=" not in text:
        raise ConfigError(f"override {text!r}: expected KEY.PATH=VALUE")
    path, raw = text.split("=", 1)
    keys = path.strip().split(".")
    kind = _type_at(keys, f"--set {text}")
    try:
        value: Any = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise ConfigError(f"--set {text}: the value is not valid YAML ({str(error).splitlines()[0]})") from None
    if kind is str and not isinstance(value, str):
        value = raw.strip()  # `translate.model=1.5` names a model "1.5", not the number
    if not is_dataclass(kind):
        _checked(kind, value, f"--set {text}")
    for key in reversed(keys):
        value = {key: value}
    return value


def _type_at(keys: list[str], where: str) -> Any:
    """The type of the config field that the dotted `keys` lead to (a key of a mapping field included)."""
    kind: Any = Config
    for depth, key in enumerate(keys):
        above = ".".join(keys[:depth]) or "the config"
        if is_dataclass(kind):
            known = {f.name for f in fields(kind)}
            if key not in known:
                raise ConfigError(f"{where}: unknown key {key!r} in {above}; known: {', '.join(sorted(known))}")
            kind = get_type_hints(kind)[key]
        elif get_origin(kind) is dict:
            kind = get_args(kind)[1]
        else:
            raise ConfigError(f"{where}: {above} holds {_type_name(kind)}, not a mapping: it has no key {key!r}")
    return kind


def resolve_config_path(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.exists():
        return path
    bundled = CONFIG_DIR / f"{name_or_path}.yaml"
    if bundled.exists():
        return bundled
    choices = ", ".join(sorted(p.stem for p in CONFIG_DIR.glob("*.yaml")))
    raise ConfigError(f"config {name_or_path!r} not found (a path, or one of: {choices})")


def load_config(name_or_path: str = "default", overrides: list[str] | None = None) -> Config:
    """Read a YAML config (a path or a bundled name) and apply KEY=VALUE overrides."""
    path = resolve_config_path(name_or_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for override in overrides or []:
        data = _merge(data, _parse_override(override))
    return _build(Config, data, path.name)
