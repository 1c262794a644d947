"""The import graph runs one way: each folder of `pipeline` imports only from the layers below it."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"
# Lowest first. A module may import from a lower layer and from its own folder, never from a higher layer
# or from another folder of its own layer.
LAYERS = [
    {"config", "records", "files", "terminal"},
    {"text"},
    {"language", "reading", "similarity", "registry", "terms"},
    {"backends", "publish", "export"},
    {"quality"},
    {"stages"},
    {"run"},
    {"evaluate", "bench"},
    {"cli"},
    {"__main__"},
]
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}


def part_of(module: str) -> str:
    """The folder (or top-level module) of `pipeline` that a dotted module name belongs to."""
    return module.split(".")[1] if module.count(".") else ""


def imports_of(path: Path) -> list[str]:
    """Every `pipeline` module `path` imports, at the top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.startswith("pipeline.")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pipeline"):
            if node.module == "pipeline" or node.module.count(".") == 1:  # `from pipeline.x import y`: y may be a module
                found += [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                found.append(node.module)
    return found


def module_name(path: Path) -> str:
    return ".".join(("pipeline", *path.relative_to(PACKAGE).with_suffix("").parts))


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_folder_has_a_layer():
    assert {part_of(module_name(path)) for path in MODULES} - {"__init__"} <= set(RANK)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_imports_run_downward(path):
    source = module_name(path)
    own = part_of(source)
    if own == "__init__":
        return
    upward = [target for target in imports_of(path) if part_of(target) != own
              and RANK.get(part_of(target), -1) >= RANK[own]]
    assert not upward, f"{source} imports {upward}: a layer may only import the layers below it"


@pytest.mark.parametrize("path", sorted((PACKAGE / "stages").glob("*.py")), ids=lambda path: path.name)
def test_no_stage_imports_another_stage(path):
    if path.name == "__init__.py":  # the registry of stages imports them all
        return
    others = [target for target in imports_of(path)
              if target.startswith("pipeline.stages") and target != "pipeline.stages.base"]
    assert not others, f"{path.name} imports {others}: what stages share belongs in the base class or a lower layer"


def test_imports_are_read_from_functions_too(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from pipeline.cli import app\n    import pipeline.run.runner\n")
    assert imports_of(sample) == ["pipeline.cli.app", "pipeline.run.runner"]
