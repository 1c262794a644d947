"""Safety of outputs and models: Markdown digests are inert, weights are safetensors, model folders
are verified before use, and no code path lets a model run its own code."""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from pipeline import files
from pipeline.backends.base import BackendError
from pipeline.backends.loading import load_backend
from pipeline.config import load_config
from pipeline.files import sha256_file
from pipeline.publish.markdown import render_markdown
from pipeline.records import AlignedPair, Document, Sentence, Support
from pipeline.registry.errors import ModelError
from pipeline.registry.install import import_model
from pipeline.registry.integrity import (
    INSTALL_RECORD,
    SOURCE_STAMP,
    check_files,
    check_model_folder,
    check_safe_weights,
    verify,
)
from pipeline.registry.manifests import model_path

PIPELINE = Path(__file__).resolve().parents[2] / "pipeline"
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![pixel](http://evil.example/track.png)",
    "<http://evil.example>",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "a | b | c",
    "# not a heading",
    "line one\n\n<script>alert(2)</script>\n\nline three",
    "```\ncode fence\n```",
    "\\<script>alert(3)\\</script>",
    "`code` with `<b>` ticks",
    "<!-- comment --><style>body{}</style>",
    "[ref]: javascript:alert(4)",
]


def hostile_document(text: str, **changes) -> Document:
    doc = Document(
        doc_id=f"a`b|{text[:12]}", text=text, title=text, title_english=text, date=text, source=text,
        languages={"fr": 10}, notes=[text], flags=[text],
        sentences=[Sentence(0, 0, text, "fr", 0.9, text, 0.5, [text])],
        summary=[text], summary_method=text,
        alignments={"fr": [AlignedPair([0], [0], text, text, 0.9)]}, support=[Support(0, [0], [0.9])],
    )
    for key, value in changes.items():
        setattr(doc, key, value)
    return doc


def rendered_tokens(markdown: str) -> list:
    parser = MarkdownIt("commonmark").enable("table")
    return [t for token in parser.parse(markdown) for t in [token, *(token.children or [])]]


@pytest.mark.parametrize("failed", [False, True], ids=["digested", "failed"])
@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_digests_render_article_content_as_text(text, failed):
    doc = hostile_document(text, **({"error": text, "failed_stage": "translate"} if failed else {}))
    markdown = render_markdown(doc)
    tokens = rendered_tokens(markdown)
    kinds = {token.type for token in tokens}
    assert not kinds & {"html_inline", "html_block", "link_open", "image", "fence", "code_block"}, kinds
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert not re.search(r"<(?:script|img|style|a|iframe)\b|<[^>]*\bon\w+\s*=|href=", html)
    assert [t.content for t in tokens if t.type == "code_inline"] == [" ".join(doc.doc_id.split())]
    headings = [t for t in tokens if t.type == "heading_open"]
    assert len([t for t in headings if t.tag == "h1"]) == 1


def test_a_table_row_stays_one_row_whatever_the_cells_hold():
    doc = hostile_document("a | b\n| c | d |\n|---|")
    rows = [t for t in rendered_tokens(render_markdown(doc)) if t.type == "tr_open"]
    # English | French pair table: header + 1 row; source table: header + 1 row
    assert len(rows) == 4


def test_pickle_only_weights_are_refused_unless_the_user_opts_in(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "pytorch_model.bin").write_bytes(b"pickle")
    with pytest.raises(ModelError, match="pickle weights.*safetensors"):
        check_safe_weights(tmp_path)
    check_safe_weights(tmp_path, allow_pickle=True)
    (tmp_path / "model.safetensors").write_bytes(b"weights")
    check_safe_weights(tmp_path)


@pytest.mark.parametrize("engine", ["hf", "ct2"])
def test_the_llm_backend_will_not_load_a_pickle_model(tiny_manifests, tmp_path, monkeypatch, engine):
    """A real model folder whose weights were converted to a pickle file: loading it is refused."""
    import torch
    from safetensors.torch import load_file
    from tiny.llm import write_tiny_manifest

    source = Path(json.loads((tiny_manifests / "tiny-llm.yaml").read_text())["source"]["path"])
    folder = shutil.copytree(source, tmp_path / "pickled")
    torch.save(load_file(folder / "model.safetensors"), folder / "pytorch_model.bin")
    (folder / "model.safetensors").unlink()
    monkeypatch.setenv("DIGEST_MODELS", str(write_tiny_manifest(tmp_path / "m", folder, name="pickled").parent))
    config = load_config("default", [f"translate.engine={engine}"])
    with pytest.raises(BackendError, match="only pickle weights"):
        load_backend("pickled", config.translate, config.run)


def call_at(text: str, start: int) -> str:
    """The call whose name starts at `start`, up to its closing parenthesis."""
    depth, index = 0, text.index("(", start)
    for index in range(index, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            break
    return text[start : index + 1]


def test_no_code_path_trusts_remote_code_or_unpickles():
    sources = {path.relative_to(PIPELINE).as_posix(): path.read_text(encoding="utf-8")
               for path in PIPELINE.rglob("*.py")}
    trusted = [f"{name}: {m.group()}" for name, text in sources.items()
               for m in re.finditer(r"trust_remote_code\s*=\s*(\w+)", text) if m.group(1) != "False"]
    assert trusted == []
    unpickling = [f"{name}: {m.group()}" for name, text in sources.items()
                  for m in re.finditer(r"\bpickle\.loads?\(|\btorch\.load\((?![^)]*weights_only=True)", text)]
    assert unpickling == []
    # Model weights loaded at run time come from safetensors; pull.py reads GGUF, which holds no code.
    weight_loads = [(name, call_at(text, m.start())) for name, text in sources.items() if name.startswith("backends/")
                    for m in re.finditer(r"\b\w*(?:Model\w*|model_class)\.from_pretrained\(", text)]
    assert weight_loads and all("use_safetensors=True" in call for _, call in weight_loads), weight_loads


MARIAN = {"roles": ["translate"], "backend": "seq2seq", "architecture": "marian", "license": "MIT",
          "languages": ["en", "fr"], "options": {"pairs": ["fr-en"]}}


@pytest.fixture
def install(tiny_manifests, tiny_models, tmp_path, monkeypatch):
    """`install(kind)`: the tiny LLM ("llm") or the tiny Marian ("seq2seq") imported into an empty model cache
    under a manifest with a pinned revision; returns (model name, installed folder)."""
    monkeypatch.setenv("DIGEST_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DIGEST_MODELS", str(tmp_path / "manifests"))
    (tmp_path / "manifests").mkdir()

    def install_kind(kind: str) -> tuple[str, Path]:
        if kind == "llm":
            manifest = json.loads((tiny_manifests / "tiny-llm.yaml").read_text())
            source = Path(manifest["source"]["path"])
        else:
            manifest, source = dict(MARIAN), tiny_models("marian")
        name = f"{kind}-installed"
        manifest.update(name=name, source={"kind": "hub", "repo": f"example/{kind}", "revision": "0" * 40})
        (tmp_path / "manifests" / f"{name}.yaml").write_text(json.dumps(manifest))
        import_model(source, name)
        return name, model_path(name)

    return install_kind


def loaded(name: str, engine: str):
    config = load_config("default", [f"translate.engine={engine}", "run.threads=1"])
    return load_backend(name, config.translate, config.run)


@pytest.mark.parametrize("tamper, problem", [
    (lambda folder: (folder / "model.safetensors").write_bytes(b"swapped"), "model.safetensors changed"),
    (lambda folder: (folder / "tokenizer.json").unlink(), "missing file tokenizer.json"),
    (lambda folder: (folder / "extra.py").write_text("import os"), "unexpected file extra.py"),
])
def test_a_tampered_model_folder_is_found_and_refused_before_use(install, tamper, problem):
    name, folder = install("llm")
    assert verify(name) == []
    loaded(name, "hf")
    tamper(folder)
    assert any(problem in found for found in verify(name))
    with pytest.raises(BackendError, match=f"differ from its install record.*{problem.split()[0]}"):
        loaded(name, "hf")


def flip_last_byte(path: Path) -> None:
    """Other weights of the same size: the file still loads, so only the install record can tell."""
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))


@pytest.mark.parametrize("kind, engine", [("llm", "hf"), ("llm", "ct2"), ("seq2seq", "hf"), ("seq2seq", "ct2")])
def test_every_engine_checks_the_install_record_before_use(install, kind, engine):
    name, folder = install(kind)
    loaded(name, engine)
    flip_last_byte(folder / "model.safetensors")
    with pytest.raises(BackendError, match="differ from its install record.*model.safetensors changed"):
        loaded(name, engine)


def same_time(change):
    """`change`, then the file's modification time put back as it was."""
    def changed(path: Path) -> None:
        before = path.stat()
        change(path)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return changed


@pytest.mark.parametrize("file, change, hashed, refused", [
    ("config.json", os.utime, True, False),  # touched: hashed again, same bytes
    ("model.safetensors", flip_last_byte, True, True),
    ("tokenizer.json", lambda path: path.write_text(path.read_text() + " "), True, True),
    # same size and time put back: trusted at load time (see integrity.check_files); `verify` hashes in full
    ("model.safetensors", same_time(flip_last_byte), False, False),
])
def test_the_check_before_each_load_hashes_only_files_whose_size_or_time_changed(
        install, monkeypatch, file, change, hashed, refused):
    name, folder = install("llm")
    with hashes_seen(monkeypatch) as seen:
        check_model_folder(name, folder)
        assert seen == []
        change(folder / file)
        if refused:
            with pytest.raises(ModelError, match=f"{file} changed"):
                check_model_folder(name, folder)
        else:
            check_model_folder(name, folder)
    assert seen == ([file] if hashed else [])
    assert (verify(name) == []) == (change is os.utime)  # `verify` finds every change of bytes


def test_a_record_from_before_stamps_is_hashed_once_then_stamped(install, monkeypatch):
    name, folder = install("llm")
    record = json.loads((folder / INSTALL_RECORD).read_text())
    del record["stamps"]
    (folder / INSTALL_RECORD).write_text(json.dumps(record))
    with hashes_seen(monkeypatch) as seen:
        check_model_folder(name, folder)
        check_model_folder(name, folder)
    assert sorted(seen) == sorted(record["files"])
    assert sorted(json.loads((folder / INSTALL_RECORD).read_text())["stamps"]) == sorted(record["files"])
    assert sorted(path.name for path in folder.parent.iterdir()) == [folder.name] and verify(name) == []


@contextmanager
def hashes_seen(monkeypatch):
    """The names of the files hashed inside the block (every sha256 of a file is `pipeline.files.sha256_file`)."""
    seen: list[str] = []
    with monkeypatch.context() as patch:
        patch.setattr(files, "sha256_file", lambda path, *rest: seen.append(path.name) or sha256_file(path))
        yield seen


@pytest.mark.parametrize("kind", ["llm", "seq2seq"])
def test_a_ct2_conversion_that_differs_from_its_stamp_is_made_again(install, caplog, kind):
    name, folder = install(kind)
    loaded(name, "ct2")
    [converted] = folder.glob("ct2-*")
    size = (converted / "model.bin").stat().st_size
    (converted / "model.bin").write_bytes(b"swapped")
    with caplog.at_level(logging.WARNING, logger="digest.ct2"):
        loaded(name, "ct2")
    assert "differs from its conversion stamp" in caplog.text and (converted / "model.bin").stat().st_size == size
    stamp = json.loads((converted / SOURCE_STAMP).read_text())
    assert check_files(name, converted, stamp, SOURCE_STAMP) == []


def test_a_ct2_conversion_stamped_before_its_files_were_recorded_is_kept_and_stamped(install):
    name, folder = install("seq2seq")
    loaded(name, "ct2")
    [converted] = folder.glob("ct2-*")
    stamp = json.loads((converted / SOURCE_STAMP).read_text())
    old = {key: stamp[key] for key in ("weights", "quantization")}
    (converted / SOURCE_STAMP).write_text(json.dumps(old))
    modified = (converted / "model.bin").stat().st_mtime_ns
    loaded(name, "ct2")
    assert (converted / "model.bin").stat().st_mtime_ns == modified  # not converted again
    assert json.loads((converted / SOURCE_STAMP).read_text())["files"] == stamp["files"]
