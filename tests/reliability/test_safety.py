"""Safety of outputs and models: Markdown digests are inert, weights are safetensors, model folders
are verified before use, and no code path lets a model run its own code."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from pipeline.backends.base import BackendError
from pipeline.output import render_markdown
from pipeline.records import AlignedPair, Document, Sentence, Support
from pipeline.registry import check_safe_weights, import_model, model_path, verify

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
    with pytest.raises(BackendError, match="pickle weights.*safetensors"):
        check_safe_weights(tmp_path)
    check_safe_weights(tmp_path, allow_pickle=True)
    (tmp_path / "model.safetensors").write_bytes(b"weights")
    check_safe_weights(tmp_path)


def test_the_llm_backend_will_not_load_a_pickle_model(tiny_manifests, tmp_path, monkeypatch):
    """A real model folder whose weights were converted to a pickle file: loading it is refused."""
    import torch
    from safetensors.torch import load_file

    from pipeline.backends import load_backend
    from pipeline.config import load_config
    from pipeline.tiny_llm import write_tiny_manifest

    source = Path(json.loads((tiny_manifests / "tiny-llm.yaml").read_text())["source"]["path"])
    folder = shutil.copytree(source, tmp_path / "pickled")
    torch.save(load_file(folder / "model.safetensors"), folder / "pytorch_model.bin")
    (folder / "model.safetensors").unlink()
    monkeypatch.setenv("DIGEST_MODELS", str(write_tiny_manifest(tmp_path / "m", folder, name="pickled").parent))
    config = load_config("default", ["translate.engine=hf"])
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


@pytest.fixture
def installed(tiny_manifests, tmp_path, monkeypatch):
    """The tiny model imported into an empty model cache under a manifest with a pinned revision."""
    monkeypatch.setenv("DIGEST_HOME", str(tmp_path / "home"))
    manifest = json.loads((tiny_manifests / "tiny-llm.yaml").read_text())
    source = Path(manifest["source"]["path"])
    manifest.update(name="tiny-installed", source={"kind": "hub", "repo": "example/tiny", "revision": "0" * 40})
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "tiny-installed.yaml").write_text(json.dumps(manifest))
    monkeypatch.setenv("DIGEST_MODELS", str(tmp_path / "manifests"))
    import_model(source, "tiny-installed")
    return model_path("tiny-installed")


@pytest.mark.parametrize("tamper, problem", [
    (lambda folder: (folder / "model.safetensors").write_bytes(b"swapped"), "model.safetensors changed"),
    (lambda folder: (folder / "tokenizer.json").unlink(), "missing file tokenizer.json"),
    (lambda folder: (folder / "extra.py").write_text("import os"), "unexpected file extra.py"),
])
def test_a_tampered_model_folder_is_found_and_refused_before_use(installed, tamper, problem):
    from pipeline.backends import load_backend
    from pipeline.config import load_config

    assert verify("tiny-installed") == []
    config = load_config("default", ["translate.engine=hf", "run.threads=1"])
    load_backend("tiny-installed", config.translate, config.run)
    tamper(installed)
    assert any(problem in found for found in verify("tiny-installed"))
    with pytest.raises(BackendError, match=f"differ from its install record.*{problem.split()[0]}"):
        load_backend("tiny-installed", config.translate, config.run)
