"""Models named the way the Hugging Face ecosystem names them: `org/name`, or `org/name@revision`.

The weights come through the Hugging Face cache, read from the environment at
each call (HF_HUB_CACHE, else HF_HOME/hub), so a snapshot already there is never
fetched again and HF_HUB_OFFLINE=1 uses the cache alone. digest's install of a
snapshot is hard links to the cached files (copies where the model home is on
another file system), recorded and checked like any other install. The manifest
of a model named this way is generated from its snapshot's config.json here;
`manifests.py` decides when a bundled manifest of the same repository is used
instead.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from pipeline.registry.errors import ModelError

HUB_ID = re.compile(r"^(?P<repo>[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)(?:@(?P<revision>[\w.-]+))?$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")
DEFAULT_REVISION = "main"  # what the hub serves for a repository named without a revision
FILE_PATTERNS = ["*.json", "*.safetensors", "*.model", "*.spm", "*.txt", "vocab*", "merges*"]
# transformers model_type -> manifest architecture (m2m_100 and mbart are told apart by their tokenizer)
MODEL_TYPES = {"marian": "marian", "bart": "bart", "pegasus": "pegasus", "t5": "t5", "mt5": "mt5"}
TRANSLATION_ARCHITECTURES = ("marian", "m2m100", "nllb", "mbart50")
OPUS_PAIR = re.compile(r"opus-mt-(?:tc-big-)?([a-z]{2,3})-([a-z]{2,3})$", re.IGNORECASE)
_TRUE = {"1", "true", "yes", "on"}


def parse(name: str) -> tuple[str, str | None] | None:
    """(repository, revision or None) when `name` is a hub id, None when it is a manifest name."""
    found = HUB_ID.match(name)
    return (found["repo"], found["revision"]) if found else None


def folder_name(name: str) -> str:
    """A hub id as one folder name, the way the Hugging Face cache writes it: `org--name@revision`."""
    return name.replace("/", "--")


def cache_dir() -> Path:
    """The Hugging Face hub cache the environment names now, with huggingface_hub's defaults."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return Path(os.environ.get("HF_HOME") or cache / "huggingface").expanduser() / "hub"


def offline() -> bool:
    """HF_HUB_OFFLINE is set: only what the cache holds may be used."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE


def cached_snapshot(repo: str, revision: str) -> Path | None:
    """The cached snapshot of `repo` at `revision` (a commit, or a branch or tag the cache has a ref for)."""
    storage = cache_dir() / f"models--{repo.replace('/', '--')}"
    ref = storage / "refs" / revision
    commit = revision if COMMIT.match(revision) else (ref.read_text().strip() if ref.is_file() else None)
    folder = storage / "snapshots" / commit if commit else None
    return folder if folder is not None and folder.is_dir() else None


def download(repo: str, revision: str) -> Path:
    """The snapshot folder of `repo` at `revision`, fetched into the Hugging Face cache unless it is there."""
    try:
        from huggingface_hub import snapshot_download
    except ImportError as error:
        raise ModelError("pulling hub models needs huggingface_hub (pip install huggingface_hub)") from error
    try:
        return Path(snapshot_download(repo_id=repo, revision=revision, cache_dir=cache_dir(),
                                      allow_patterns=FILE_PATTERNS, local_files_only=offline()))
    except Exception as error:  # the hub client raises many kinds; all mean the same to a user
        reason = (f"HF_HUB_OFFLINE is set and the Hugging Face cache {cache_dir()} does not hold it" if offline()
                  else f"{type(error).__name__}: {error}")
        raise ModelError(f"could not fetch {repo}@{revision} ({reason}); put it in the Hugging Face cache "
                         "(HF_HOME), or copy the model folder here and run `digest models import PATH NAME`") from error


def link_snapshot(snapshot: Path, target: Path) -> None:
    """The snapshot's files under `target`: hard links to the cached files, copies across file systems."""
    for path in sorted(snapshot.rglob("*")):
        if not path.is_file():
            continue
        destination = target / path.relative_to(snapshot)
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path.resolve(), destination)
        except OSError:
            shutil.copy2(path.resolve(), destination)


def manifest_fields(name: str, repo: str, snapshot: Path, template_for) -> dict:
    """A manifest for `repo` at the snapshot's commit, generated from its config.json.

    `template_for(architecture)` gives a bundled manifest's fields (or None)
    whose languages and options fit that architecture (language codes, task
    prefix); a Marian model's language pair comes from its OPUS-MT name.
    """
    backend, architecture = kind_of(snapshot, repo)
    commit = snapshot.name
    fields = {"name": name, "backend": backend, "architecture": architecture,
              "source": {"kind": "hub", "repo": repo, "revision": commit},
              "license": f"see the model card, https://huggingface.co/{repo}", "size": _size(snapshot),
              "notes": f"Generated by digest from {repo}@{commit} (its config.json)."}
    template = template_for(architecture) if backend == "seq2seq" and architecture != "marian" else None
    if backend == "llm":
        return {**fields, "roles": ["translate", "summarize"], "languages": ["en", "fr", "zh"], "options": {}}
    if architecture == "marian":
        pair = OPUS_PAIR.search(repo)
        if pair is None:
            raise ModelError(f"{repo}: cannot tell which languages this Marian model translates (its name is not "
                             "opus-mt-SRC-TGT); write a manifest for it in a DIGEST_MODELS folder")
        source, target = pair.group(1).lower(), pair.group(2).lower()
        return {**fields, "roles": ["translate"], "languages": [source, target],
                "options": {"pairs": [f"{source}-{target}"]}}
    roles = ["translate"] if architecture in TRANSLATION_ARCHITECTURES else ["summarize"]
    if template is None:
        return {**fields, "roles": roles, "languages": ["en"], "options": {}}
    fields["notes"] += f" Languages and options as in the bundled manifest {template['name']}."
    return {**fields, "roles": roles, "languages": list(template["languages"]), "options": dict(template["options"])}


def kind_of(snapshot: Path, repo: str) -> tuple[str, str]:
    """(backend, architecture) of a snapshot, from its config.json and tokenizer class."""
    config = _json(snapshot / "config.json", repo)
    model_type = config.get("model_type", "")
    if any(str(name).endswith("ForCausalLM") for name in config.get("architectures") or []):
        return "llm", model_type
    tokenizer = str(_json(snapshot / "tokenizer_config.json", repo, required=False).get("tokenizer_class", ""))
    if model_type == "m2m_100":
        return "seq2seq", "nllb" if "nllb" in (tokenizer + repo).lower() else "m2m100"
    if model_type == "mbart" and tokenizer.startswith("MBart50"):
        return "seq2seq", "mbart50"
    if model_type in MODEL_TYPES:
        return "seq2seq", MODEL_TYPES[model_type]
    raise ModelError(f"{repo}: model_type {model_type!r} is not one digest runs (seq2seq: "
                     f"{', '.join([*MODEL_TYPES, 'm2m_100', 'mbart (mBART-50)'])}; or a causal LM); "
                     "write a manifest for it in a DIGEST_MODELS folder")


def _json(path: Path, repo: str, required: bool = True) -> dict:
    if not path.is_file():
        if required:
            raise ModelError(f"{repo}: no {path.name} in its snapshot {path.parent}; is it a transformers model?")
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ModelError(f"{repo}: {path} is not valid JSON ({error})") from None


def _size(snapshot: Path) -> str:
    weights = sum(p.stat().st_size for p in snapshot.rglob("*.safetensors"))
    return f"{weights / 1e6:.0f} MB safetensors"
