"""Summary quality: ROUGE-1, ROUGE-2 and ROUGE-L against references, with a lead-3 baseline.

Tokens are lowercased words (Unicode letters and digits, so French accents
survive and elisions like "l'histoire" split) and single Han characters, so
Chinese is scored by character. Scores are F1 averaged over documents, with
95% bootstrap intervals and a paired bootstrap test against lead-3.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from pipeline.evaluate.plots import bar_chart, distribution_chart
from pipeline.evaluate.report import Report
from pipeline.evaluate.stats import bootstrap_mean, paired_bootstrap
from pipeline.text.segment import split_paragraphs, split_sentences

MEASURES = ("rouge1", "rouge2", "rougeL")
LEAD = "lead-3"
_HAN = re.compile(r"([\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f])")
_WORD = re.compile(r"[^\W_]+")
# Penn Treebank escapes found in tokenized CNN/DailyMail references.
_PTB = re.compile(r"-[lr][rcs]b-|``|''", re.IGNORECASE)


def tokenize(text: str) -> list[str]:
    """Lowercased word tokens; every Han character is a token of its own."""
    text = _HAN.sub(r" \1 ", _PTB.sub(" ", text.lower()))
    return _WORD.findall(text)


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence (bit-parallel, Allison-Dix / Hyyrö)."""
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for position, token in enumerate(a):
        masks[token] = masks.get(token, 0) | (1 << position)
    full = (1 << len(a)) - 1
    row = full
    for token in b:
        matches = row & masks.get(token, 0)
        row = ((row + matches) | (row - matches)) & full
    return len(a) - bin(row).count("1")


def _f1(overlap: int, candidate: int, reference: int) -> float:
    if not overlap:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


def rouge(candidate: str, reference: str) -> dict[str, float]:
    """ROUGE-1, ROUGE-2 and ROUGE-L F1 of one candidate against one reference (0..100)."""
    cand, ref = tokenize(candidate), tokenize(reference)
    scores = {}
    for n in (1, 2):
        cand_grams = Counter(zip(*(cand[i:] for i in range(n))))
        ref_grams = Counter(zip(*(ref[i:] for i in range(n))))
        overlap = sum((cand_grams & ref_grams).values())
        scores[f"rouge{n}"] = 100 * _f1(overlap, sum(cand_grams.values()), sum(ref_grams.values()))
    scores["rougeL"] = 100 * _f1(lcs_length(cand, ref), len(cand), len(ref))
    return scores


def lead(document: str, lang: str = "en", count: int = 3) -> str:
    """The first `count` sentences of a document."""
    sentences = [s for paragraph in split_paragraphs(document) for s in split_sentences(paragraph, lang)]
    return " ".join(sentences[:count])


def read_items(path: Path) -> list[dict]:
    """Records with `document` (or `article`), `reference` and `system_outputs` {name: summary}."""
    items = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path} line {number}: not JSON ({error.msg}); one JSON object per line") from None
        document = record.get("document", record.get("article"))
        if not isinstance(document, str) or not isinstance(record.get("reference"), str):
            raise ValueError(f"{path} line {number}: needs string fields 'document' (or 'article') and 'reference'")
        item_id = str(record.get("id", record.get("idx", number)))
        items.append({"id": item_id, "document": document, "reference": record["reference"],
                      "outputs": dict(record.get("system_outputs") or {})})
    return items


def score(items: list[dict], lang: str = "en") -> dict:
    """Per-document and mean ROUGE of every system and of lead-3, with intervals and p-values."""
    if not items:
        raise ValueError("summary evaluation: no items to score")
    names = sorted({name for item in items for name in item["outputs"]})
    for item in items:
        missing = [n for n in names if n not in item["outputs"]]
        if missing:
            raise ValueError(f"item {item['id']}: no output for system(s) {', '.join(missing)}; "
                             "every item needs every system so that the systems can be compared")
    candidates = {LEAD: [lead(item["document"], lang) for item in items]}
    candidates.update({n: [item["outputs"][n] for item in items] for n in names})
    per_item = {name: [rouge(c, item["reference"]) for c, item in zip(texts, items)]
                for name, texts in candidates.items()}
    systems = {}
    for name, rows in per_item.items():
        found = {"documents": {m: [row[m] for row in rows] for m in MEASURES}}
        for measure in MEASURES:
            mean, low, high = bootstrap_mean(found["documents"][measure])
            baseline = [row[measure] for row in per_item[LEAD]]
            p_value = None if name == LEAD else paired_bootstrap(found["documents"][measure], baseline)
            found[measure] = {"mean": mean, "low": low, "high": high, "p_value": p_value}
        systems[name] = found
    return {"items": len(items), "ids": [item["id"] for item in items], "lang": lang, "baseline": LEAD,
            "systems": systems}


def build_report(results: dict, signature: dict, folder: Path) -> Report:
    """Tables and plots of `score` results; figures are written into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    systems = results["systems"]
    report = Report(f"Summary quality ({results['items']} documents)", "summary", signature, results)
    report.paragraph("ROUGE F1 (0-100) averaged over documents; 95% bootstrap intervals over documents; "
                     f"p: paired bootstrap test against {LEAD} (the first three sentences of the document).")
    rows = [[name, *(f"{found[m]['mean']:.2f} [{found[m]['low']:.2f}, {found[m]['high']:.2f}]" for m in MEASURES),
             *("-" if found[m]["p_value"] is None else f"{found[m]['p_value']:.4f}" for m in MEASURES)]
            for name, found in systems.items()]
    report.table(["system", "ROUGE-1", "ROUGE-2", "ROUGE-L", "p R-1", "p R-2", "p R-L"], rows)
    names = list(systems)
    for measure in ("rouge1", "rougeL"):
        report.figure(bar_chart(folder, f"{measure}_bars.png", names, [systems[n][measure]["mean"] for n in names],
                                f"{measure} per system", f"{measure} F1",
                                lows=[systems[n][measure]["low"] for n in names],
                                highs=[systems[n][measure]["high"] for n in names]))
    report.figure(distribution_chart(folder, "rouge2_documents.png",
                                     {n: systems[n]["documents"]["rouge2"] for n in names}, "Document ROUGE-2",
                                     "ROUGE-2 F1"))
    return report
