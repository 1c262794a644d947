"""Which backend runs a model, loaded and guarded: chosen by the model's manifest and the role's engine."""
from __future__ import annotations

from pipeline.backends.base import Backend, BackendError
from pipeline.backends.guards import VERSION as GUARDS_VERSION
from pipeline.backends.guards import GuardedBackend
from pipeline.registry.errors import ModelError
from pipeline.registry.integrity import check_model_folder
from pipeline.registry.manifests import load_manifest, model_path


class BackendCache:
    """Backends of one role, loaded once per model; a load failure is remembered and raised again,
    so the runner's document-by-document retry does not reload a broken model for every document."""

    def __init__(self, role_config, run_config):
        self.role_config, self.run_config = role_config, run_config
        self.loaded: dict[str, object] = {}

    def get(self, model: str) -> GuardedBackend:
        if model not in self.loaded:
            try:
                self.loaded[model] = load_backend(model, self.role_config, self.run_config)
            except Exception as error:  # noqa: BLE001 - any load failure fails this model's documents
                self.loaded[model] = error
        if isinstance(self.loaded[model], Exception):
            raise self.loaded[model]
        return self.loaded[model]


def describe(model: str, role_config) -> dict:
    """What decides a backend's outputs, known without loading it: weights identity, engine, prompts, decoding."""
    manifest = load_manifest(model)
    description = {**manifest.identity(), "backend": manifest.backend, "engine": role_config.engine,
                   "guards": GUARDS_VERSION,
                   "quantization": role_config.quantization, "generation": role_config.generation.__dict__}
    if manifest.backend == "llm":
        from pipeline.backends.llm import PROMPTS

        description["prompts"] = PROMPTS
    return description


def load_backend(model: str, role_config, run_config) -> GuardedBackend:
    """The loaded, guarded backend that runs `model` with a role's settings (translate or summarize).

    Any reason it cannot is a BackendError, the registry's checks included: a document failed by a
    model names that error."""
    try:
        backend = _backend(model, role_config, run_config)
        backend.load()
    except BackendError:
        raise
    except ModelError as error:
        raise BackendError(str(error)) from error
    return GuardedBackend(backend)


def _backend(model: str, role_config, run_config) -> Backend:
    """The backend for `model` over its checked folder, not loaded yet."""
    manifest = load_manifest(model)
    folder = model_path(model)
    check_model_folder(model, folder)  # the one check before any engine reads the folder
    if manifest.backend == "llm" and role_config.engine == "ct2":
        from pipeline.backends.llm_ct2 import CT2LLMBackend

        return CT2LLMBackend(manifest, folder, role_config, run_config)
    if manifest.backend == "llm":
        from pipeline.backends.llm import LLMBackend

        return LLMBackend(manifest, folder, role_config, run_config)
    if manifest.backend == "seq2seq" and role_config.engine == "ct2":
        from pipeline.backends.ct2 import load_ct2

        return load_ct2(manifest, folder, role_config, run_config)
    if manifest.backend == "seq2seq":
        from pipeline.backends.seq2seq import load_seq2seq

        return load_seq2seq(manifest, folder, role_config, run_config)
    raise BackendError(f"model {model!r}: unknown backend {manifest.backend!r} in its manifest (llm or seq2seq)")
