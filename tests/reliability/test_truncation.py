"""A text far over ingest.max_chars is cut before it is cleaned to its end, with the output of a full read.

The reference is the same file read with no limit, then cut by the rule the
note states: whole paragraphs while they fit.
"""
from __future__ import annotations

import json
import random
import textwrap

import pytest

from pipeline.config import Config
from pipeline.reading import boilerplate
from pipeline.stages.base import RunContext
from pipeline.stages.ingest import Ingest
from reliability.hostile import CHINESE, ENGLISH, FRENCH, huge_article

FURNITURE = ["Home | News | Sport", "Share", "© 2024 Example News. All rights reserved", "Source: Reuters",
             "\u200b\u200b", "   ", ""]


def wrapped(rng: random.Random, paragraphs: int) -> str:
    """Hard-wrapped prose: paragraphs of lines 60-80 columns wide, blank lines between them."""
    words = "le port de la ville investit 2024 Marseille dans les quais".split()
    blocks = [textwrap.fill(" ".join(rng.choice(words) for _ in range(rng.randint(5, 90))) + ".", rng.choice([60, 72]))
              for _ in range(paragraphs)]
    return "Le port investit\n\n" + "\n\n".join(blocks)


def one_per_line(rng: random.Random, lines: int) -> str:
    """A paragraph per line and no blank line at all."""
    return "\n".join(f"{ENGLISH} Line {n}." + " More words." * rng.randint(0, 12) for n in range(lines))


def with_furniture(rng: random.Random, lines: int) -> str:
    """Prose mixed with site furniture, invisible characters and Chinese."""
    prose = [FRENCH, CHINESE * 3, textwrap.fill(ENGLISH * 3, 70)]
    numbered = [(text + f" ({n})") if text in prose else text  # the same prose twice would be a repeat, read once
                for n, text in enumerate(rng.choice(FURNITURE + prose) for _ in range(lines))]
    return "Port news\n2024-05-01\n\n" + "\n".join(numbered)


def chinese_wrapped(rng: random.Random, lines: int) -> str:
    """Chinese hard-wrapped at 35 characters (70 columns), paragraphs of a random number of lines."""
    text = CHINESE * lines
    rows = [text[start : start + 35] for start in range(0, len(text), 35)]
    return "\n".join(row + ("\n" if rng.random() < 0.2 else "") for row in rows)


def html(rng: random.Random, size: int) -> str:
    return "<html><body>" + "".join(f"<p>{p}</p>" for p in huge_article(size).split("\n\n")) + "</body></html>"


CASES = {  # name -> (file suffix, text of 100-300 thousand characters)
    "wrapped": (".txt", lambda rng: wrapped(rng, 600)),
    "one-per-line": (".txt", lambda rng: one_per_line(rng, 1500)),
    "furniture": (".txt", lambda rng: with_furniture(rng, 3000)),
    "chinese-wrapped": (".txt", lambda rng: chinese_wrapped(rng, 2500)),
    "markdown": (".md", lambda rng: huge_article(150_000).replace("\n\nThe", "\n\n## Part\n\nThe", 40)),
    "html": (".html", lambda rng: html(rng, 150_000)),
    "jsonl": (".jsonl", lambda rng: json.dumps({"text": wrapped(rng, 600), "title": "Row"}) + "\n"),
}


def fit(paragraphs: list[str], limit: int) -> str:
    """The whole paragraphs that fit in `limit` characters (the cut ingest's note describes)."""
    kept: list[str] = []
    for paragraph in paragraphs:
        if len("\n\n".join(kept + [paragraph])) > limit:
            break
        kept.append(paragraph)
    return "\n\n".join(kept)


def read(path, limit: int):
    config = Config()
    config.ingest.max_chars = limit
    [doc] = Ingest(config, RunContext(corpus_root=path.parent)).read(path)
    return doc


@pytest.mark.parametrize("limit", [700, 9_000, 40_000])
@pytest.mark.parametrize("name", CASES)
def test_a_long_text_gives_what_a_full_read_gives_cut_at_the_limit(tmp_path, name, limit):
    suffix, make = CASES[name]
    path = tmp_path / f"{name}{suffix}"
    path.write_text(make(random.Random(len(name))), encoding="utf-8")
    whole, cut = read(path, 10**9), read(path, limit)
    assert len(whole.text) > 2 * limit
    assert cut.text == fit(whole.text.split("\n\n"), limit) and cut.text
    assert (cut.title, cut.date, cut.source) == (whole.title, whole.date, whole.source)
    assert any(flag.startswith(f"truncated: kept {len(cut.text)} of about ") for flag in cut.flags)  # read in part


def test_the_part_after_the_cut_is_not_cleaned(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    path.write_text(huge_article(2_000_000), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").count("\n") + 1
    classified: list[int] = []
    classify = boilerplate.classify
    monkeypatch.setattr(boilerplate, "classify", lambda part: classified.append(len(part)) or classify(part))
    doc = read(path, 6_000)
    assert len(doc.text) <= 6_000 and classified and max(classified) < lines // 20
    assert any("of about" in flag for flag in doc.flags) and any("the rest was not read" in n for n in doc.notes)
