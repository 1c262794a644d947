"""Alignment quality: strict and lax precision, recall and F1 against gold links.

Follows the definition Bertalign reports (from vecalign's scorer): a test link
is a strict hit when the exact link is in the gold set, and a lax hit when it
shares at least one source sentence and one target sentence with a gold link.
Precision counts every test link; recall counts gold links against the test
links, both without insertions and deletions (links with an empty side).
Counts are summed over documents before dividing (micro average).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

Link = tuple[tuple[int, ...], tuple[int, ...]]

_LINK = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]")


@dataclass
class Counts:
    """Hits and totals for one document or a whole corpus."""

    strict_p: int = 0
    lax_p: int = 0
    tested: int = 0
    strict_r: int = 0
    lax_r: int = 0
    gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple())))

    def as_tuple(self) -> tuple[int, ...]:
        return (self.strict_p, self.lax_p, self.tested, self.strict_r, self.lax_r, self.gold)

    def scores(self) -> dict[str, float]:
        """Strict and lax precision, recall and F1."""
        result = {}
        for mode, p_hits, r_hits in (("strict", self.strict_p, self.strict_r), ("lax", self.lax_p, self.lax_r)):
            precision = p_hits / self.tested if self.tested else 0.0
            recall = r_hits / self.gold if self.gold else 0.0
            total = precision + recall
            result[f"{mode}_precision"] = precision
            result[f"{mode}_recall"] = recall
            result[f"{mode}_f1"] = 2 * precision * recall / total if total else 0.0
        return result


def parse_links(text: str, where: str = "alignment") -> list[Link]:
    """Links from lines like `[0,1]:[2]` (0-based; an empty side is `[]`)."""
    links = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _LINK.match(line)
        if not match:
            raise ValueError(f"{where} line {number}: {line!r} is not a link like [0,1]:[2]; fix or remove the line")
        links.append(tuple(tuple(int(i) for i in side.replace(" ", "").split(",") if i) for side in match.groups()))
    return links


def read_links(path: Path) -> list[Link]:
    """Links from a gold or test `.align` file."""
    return parse_links(Path(path).read_text(encoding="utf-8"), str(path))


def format_links(links: list[Link]) -> str:
    """Links as `[i,j]:[k]` lines, the format `parse_links` reads."""
    return "".join(f"[{','.join(map(str, s))}]:[{','.join(map(str, t))}]\n" for s, t in links)


def _hits(reference: list[Link], candidates: list[Link]) -> tuple[int, int, int]:
    """(strict hits, lax hits, candidates) of `candidates` judged against `reference`."""
    reference_set = {link for link in reference if link[0] or link[1]}
    targets_of = defaultdict(set)
    for sources, targets in reference_set:
        for s in sources:
            targets_of[s].update(targets)
    strict = lax = total = 0
    for sources, targets in {link for link in candidates if link[0] or link[1]}:
        total += 1
        if (sources, targets) in reference_set:
            strict += 1
            lax += 1
        elif any(t in targets_of[s] for s in sources for t in targets):
            lax += 1
    return strict, lax, total


def count(gold: list[Link], test: list[Link]) -> Counts:
    """Strict and lax hit counts of one document's test links against its gold links."""
    gold = [(tuple(s), tuple(t)) for s, t in gold]
    test = [(tuple(s), tuple(t)) for s, t in test]
    strict_p, lax_p, tested = _hits(gold, test)
    both = [link for link in gold if link[0] and link[1]], [link for link in test if link[0] and link[1]]
    strict_r, lax_r, gold_total = _hits(both[1], both[0])
    return Counts(strict_p, lax_p, tested, strict_r, lax_r, gold_total)
