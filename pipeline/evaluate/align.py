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
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluate.plots import bar_chart, distribution_chart
from pipeline.evaluate.report import Report, Table
from pipeline.files import write_atomic

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
        """The six counts in field order."""
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
    for number, line in enumerate(text.split("\n"), 1):
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


def find_documents(folder: Path, source: str = "", target: str = "") -> tuple[str, str, list[str]]:
    """(source dir, target dir, document names) of a folder with SRC/NAME, TGT/NAME and gold/NAME.align.

    Without `source` and `target`, a folder with two text subfolders, one of them
    `en`, aligns the other one to English.
    """
    folder = Path(folder)
    if not (folder / "gold").is_dir():
        raise FileNotFoundError(f"{folder}: no gold/ folder of NAME.align files")
    if not (source and target):
        sides = sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name != "gold")
        if len(sides) != 2 or "en" not in sides:
            raise ValueError(f"{folder}: cannot tell source from target among {sides}; give --source and --target")
        source, target = [s for s in sides if s != "en"][0], "en"
    names = sorted(p.name[: -len(".align")] for p in (folder / "gold").glob("*.align"))
    missing = [f"{side}/{n}" for n in names for side in (source, target) if not (folder / side / n).exists()]
    if missing:
        raise FileNotFoundError(f"{folder}: gold links without their text: {', '.join(missing[:5])}")
    return source, target, names


def evaluate_folder(folder: Path, embedder, source: str = "", target: str = "", settings=None) -> dict:
    """Align every document of a gold folder and score the links, per document and in all."""
    from pipeline.evaluate.mt import read_lines
    from pipeline.similarity.aligner import Settings, align

    folder = Path(folder)
    source, target, names = find_documents(folder, source, target)
    documents, total, scored_links, started = {}, Counts(), [], time.perf_counter()
    sentences = 0
    for name in names:
        src, tgt = read_lines(folder / source / name), read_lines(folder / target / name)
        sentences += len(src) + len(tgt)
        links = align(src, tgt, embedder, settings or Settings())
        gold = read_links(folder / "gold" / f"{name}.align")
        counts = count(gold, [(link.source, link.target) for link in links])
        total = total + counts
        gold_set = {(tuple(s), tuple(t)) for s, t in gold}
        scored_links += [(link.score, (tuple(link.source), tuple(link.target)) in gold_set) for link in links]
        documents[name] = {**counts.scores(), "counts": counts.as_tuple(),
                           "links": format_links([(l.source, l.target) for l in links])}
    seconds = time.perf_counter() - started
    return {"source": source, "target": target, "documents": documents, "total": total.scores(),
            "gold_links": total.gold, "test_links": total.tested, "seconds": seconds, "sentences": sentences,
            "sentences_per_second": sentences / seconds if seconds else 0.0, "link_scores": scored_links}


def leave_one_out(runs: dict[str, dict[str, Counts]]) -> tuple[Counts, dict[str, str]]:
    """Held-out counts when each document is scored with the variant that is best on the others.

    `runs` maps a variant name to its counts per document (every variant scores
    the same documents). For each document, the variant with the highest strict
    F1 summed over the other documents (the first listed on a tie) is picked and
    its counts on the held-out document are added up, so no document is scored
    with settings chosen on it. Returns the summed counts and each document's pick.
    """
    variants = list(runs)
    names = list(runs[variants[0]]) if variants else []
    if any(set(found) != set(names) for found in runs.values()):
        raise ValueError("leave_one_out: every variant must score the same documents; rerun the missing ones")
    held_out, picks = Counts(), {}
    for name in names:
        def rest_f1(variant: str) -> float:
            rest = sum((c for other, c in runs[variant].items() if other != name), Counts())
            return rest.scores()["strict_f1"]
        picks[name] = max(variants, key=rest_f1)
        held_out = held_out + runs[picks[name]][name]
    return held_out, picks


def headline(results: dict) -> Table:
    """The table printed on the terminal: strict and lax precision, recall and F1 over every document."""
    total = results["total"]
    columns = ("strict_precision", "strict_recall", "strict_f1", "lax_precision", "lax_recall", "lax_f1")
    caption = (f"{len(results['documents'])} documents, {results['gold_links']} gold links, "
               f"{results['sentences_per_second']:.1f} sentences per second")
    return Table(["links", "strict P", "strict R", "strict F1", "lax P", "lax R", "lax F1"],
                 [[f"{results['source']}-{results['target']}", *(f"{total[c]:.4f}" for c in columns)]], caption)


def build_report(results: dict, signature: dict, folder: Path) -> Report:
    """Tables and plots of `evaluate_folder` results; figures and predicted links go into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, found in results["documents"].items():
        write_atomic(folder / "links" / f"{name}.align", found["links"])
    total = results["total"]
    title = (f"Sentence alignment {results['source']}-{results['target']} ({len(results['documents'])} documents, "
             f"{results['gold_links']} gold links between sentences)")
    report = Report(title, "align", signature, {k: v for k, v in results.items() if k != "link_scores"})
    report.paragraph(f"Strict F1 {total['strict_f1']:.4f}, lax F1 {total['lax_f1']:.4f} "
                     f"({results['seconds']:.1f} s, {results['sentences_per_second']:.1f} sentences/s). "
                     "Strict: the exact link is in the gold set; lax: it shares a source and a target sentence "
                     "with a gold link (Bertalign's definition). Predicted links are in links/.")
    columns = ["strict_precision", "strict_recall", "strict_f1", "lax_precision", "lax_recall", "lax_f1"]
    rows = [[name, *(f"{found[c]:.4f}" for c in columns)] for name, found in results["documents"].items()]
    rows.append(["all", *(f"{total[c]:.4f}" for c in columns)])
    report.table(["document", "strict P", "strict R", "strict F1", "lax P", "lax R", "lax F1"], rows)
    names = list(results["documents"])
    report.figure(bar_chart(folder, "strict_f1.png", names, [results["documents"][n]["strict_f1"] for n in names],
                            "Strict F1 per document", "strict F1"))
    right = [s for s, ok in results["link_scores"] if ok]
    wrong = [s for s, ok in results["link_scores"] if not ok]
    report.figure(distribution_chart(folder, "link_scores.png", {"gold link": right, "not in gold": wrong},
                                     "Link scores", "calibrated similarity"))
    return report
