"""Summary quality: ROUGE-1, ROUGE-2 and ROUGE-L against references, with a lead-3 baseline.

Tokens are lowercased words (Unicode letters and digits, so French accents
survive and elisions like "l'histoire" split) and single Han characters, so
Chinese is scored by character. `--rouge rouge-score` scores English the way
published results do instead (`published_rouge.py`). Scores are F1 averaged over
documents, with 95% bootstrap intervals and a paired bootstrap test against
lead-3; each system's mean length in words is reported beside them, since ROUGE
F1 rewards a summary as long as the references.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from pipeline.evaluate.plots import bar_chart, distribution_chart
from pipeline.evaluate.published_rouge import PublishedRouge
from pipeline.evaluate.report import Report, Table
from pipeline.evaluate.stats import bootstrap_mean, paired_bootstrap
from pipeline.text.segment import split_paragraphs, split_sentences

MEASURES = ("rouge1", "rouge2", "rougeL")
LABELS = {"rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeL": "ROUGE-L", "rougeLsum": "ROUGE-Lsum"}
LEAD = "lead-3"
REFERENCE = "reference"
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


class MultilingualRouge:
    """digest's ROUGE: `rouge` over `tokenize`'s tokens, for any language."""

    measures = MEASURES

    def __init__(self, lang: str = "en"):
        self.lang = lang

    def __call__(self, candidate: str, reference: str) -> dict[str, float]:
        return rouge(candidate, reference)

    @staticmethod
    def description() -> str:
        """What a report says about how these numbers were computed."""
        return ("digest's multilingual ROUGE: lowercased Unicode words, one token per Han character, no stemming; "
                "ROUGE-L over whole texts")


ROUGE_MODES = {"multilingual": MultilingualRouge, "rouge-score": PublishedRouge}


def rouge_scorer(mode: str, lang: str):
    """The ROUGE of `mode` (see ROUGE_MODES) for `lang`; a mode unknown or unfit for the language is refused."""
    if mode not in ROUGE_MODES:
        raise ValueError(f"unknown ROUGE mode {mode!r}; choose one of {', '.join(ROUGE_MODES)}")
    return ROUGE_MODES[mode](lang)


def words(text: str) -> int:
    """A summary's length in `tokenize`'s words (Han characters for Chinese)."""
    return len(tokenize(text))


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


def score(items: list[dict], lang: str = "en", mode: str = "multilingual", max_words: int | None = None) -> dict:
    """Per-document and mean ROUGE of every system and of lead-3, with intervals, p-values and mean lengths.

    `max_words` is the summary length digest was asked for, when it ran: it is
    only recorded, so that a report states it.
    """
    if not items:
        raise ValueError("summary evaluation: no items to score")
    scorer = rouge_scorer(mode, lang)
    names = sorted({name for item in items for name in item["outputs"]})
    for item in items:
        missing = [n for n in names if n not in item["outputs"]]
        if missing:
            raise ValueError(f"item {item['id']}: no output for system(s) {', '.join(missing)}; "
                             "every item needs every system so that the systems can be compared")
    candidates = {LEAD: [lead(item["document"], lang) for item in items]}
    candidates.update({n: [item["outputs"][n] for item in items] for n in names})
    per_item = {name: [scorer(c, item["reference"]) for c, item in zip(texts, items)]
                for name, texts in candidates.items()}
    systems = {name: _system(rows, per_item[LEAD], name == LEAD, scorer.measures) for name, rows in per_item.items()}
    lengths = {name: sum(words(text) for text in texts) / len(texts) for name, texts in candidates.items()}
    lengths[REFERENCE] = sum(words(item["reference"]) for item in items) / len(items)
    return {"items": len(items), "ids": [item["id"] for item in items], "lang": lang, "baseline": LEAD,
            "rouge": {"mode": mode, "measures": list(scorer.measures), "description": scorer.description()},
            "summary_length": {"max_words": max_words, "mean_words": lengths}, "systems": systems}


def _system(rows: list[dict], baseline_rows: list[dict], is_baseline: bool, measures) -> dict:
    """One system's document scores, and per measure its mean, interval and p-value against the baseline."""
    found = {"documents": {m: [row[m] for row in rows] for m in measures}}
    for measure in measures:
        mean, low, high = bootstrap_mean(found["documents"][measure])
        baseline = [row[measure] for row in baseline_rows]
        p_value = None if is_baseline else paired_bootstrap(found["documents"][measure], baseline)
        found[measure] = {"mean": mean, "low": low, "high": high, "p_value": p_value}
    return found


def length_statement(results: dict) -> str:
    """The summary length digest was asked for (if it ran) beside the references' mean length."""
    length = results["summary_length"]
    reference = f"references average {length['mean_words'][REFERENCE]:.1f} words"
    if length["max_words"] is None:
        return f"Summary length: digest did not summarize here; {reference}."
    return f"Summary length: digest summarized with summarize.max_words = {length['max_words']}; {reference}."


def headline(results: dict) -> Table:
    """The table printed on the terminal: each system's mean length and ROUGE with its interval."""
    measures = results["rouge"]["measures"]
    lengths = results["summary_length"]["mean_words"]
    rows = [[name, f"{lengths[name]:.1f}", *(f"{found[m]['mean']:.2f} [{found[m]['low']:.2f}, {found[m]['high']:.2f}]"
                                             for m in measures)] for name, found in results["systems"].items()]
    rows.append([REFERENCE, f"{lengths[REFERENCE]:.1f}", *("" for _ in measures)])
    caption = f"ROUGE: {results['rouge']['mode']}. {length_statement(results)}"
    return Table(["system", "words", *(LABELS[m] for m in measures)], rows, caption)


def build_report(results: dict, signature: dict, folder: Path) -> Report:
    """Tables and plots of `score` results; figures are written into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    systems, measures = results["systems"], results["rouge"]["measures"]
    report = Report(f"Summary quality ({results['items']} documents)", "summary", signature, results)
    report.paragraph("ROUGE F1 (0-100) averaged over documents; 95% bootstrap intervals over documents; "
                     f"p: paired bootstrap test against {LEAD} (the first three sentences of the document).")
    report.paragraph(f"ROUGE used: {results['rouge']['mode']}, {results['rouge']['description']}.")
    report.paragraph(length_statement(results) + " Mean words per summary are in the table: ROUGE F1 is "
                     "highest for summaries about as long as the references.")
    lengths = results["summary_length"]["mean_words"]
    rows = [[name, f"{lengths[name]:.1f}",
             *(f"{found[m]['mean']:.2f} [{found[m]['low']:.2f}, {found[m]['high']:.2f}]" for m in measures),
             *("-" if found[m]["p_value"] is None else f"{found[m]['p_value']:.4f}" for m in measures)]
            for name, found in systems.items()]
    rows.append([REFERENCE, f"{lengths[REFERENCE]:.1f}", *("" for _ in measures), *("" for _ in measures)])
    report.table(["system", "words", *(LABELS[m] for m in measures), *(f"p {LABELS[m]}" for m in measures)], rows)
    names = list(systems)
    for measure in ("rouge1", measures[-1]):
        report.figure(bar_chart(folder, f"{measure}_bars.png", names, [systems[n][measure]["mean"] for n in names],
                                f"{LABELS[measure]} per system", f"{LABELS[measure]} F1",
                                lows=[systems[n][measure]["low"] for n in names],
                                highs=[systems[n][measure]["high"] for n in names]))
    report.figure(distribution_chart(folder, "rouge2_documents.png",
                                     {n: systems[n]["documents"]["rouge2"] for n in names}, "Document ROUGE-2",
                                     "ROUGE-2 F1"))
    return report
