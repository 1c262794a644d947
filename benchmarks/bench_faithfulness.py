"""How well the summary faithfulness check agrees with people: FRANK's human factuality judgments.

    python benchmarks/bench_faithfulness.py ../shared/eval/summarization/frank_en/cnndm_test.60.jsonl \
        --start 0 --count 30

Each line holds a CNN/DM article, five systems' summaries and, per system, the share of its sentences that
annotators found factual. A summary counts as faithful when they found no error in it. Compared: the plain
embedding-support score (each summary sentence's best calibrated similarity to one source sentence, as the
align stage's support links have it; the summary's lowest and mean), and the summarize stage's check
(`pipeline.quality.faithfulness`: support from one sentence or two adjacent ones, words, names and numbers
found in the source). Printed: ROC AUC of each score, balanced accuracy of each flag, the share of summary
sentences each flags. FRANK's outputs are tokenized and mostly lower-cased: they are detokenized and each
word is given the case the article writes it in (a name the article lacks stays lower-case, so the names
check sees fewer names than it would in a cased summary).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.quality.faithfulness import MAX_NOVEL, MIN_SUPPORT, Source, judge  # noqa: E402
from pipeline.similarity.embed import Embedder, calibrate  # noqa: E402
from pipeline.text.segment import split_paragraphs, split_sentences  # noqa: E402

PLAIN_MIN_SUPPORT = 0.45  # the align stage's align.min_support: a sentence with no link above it is unsupported
_PTB = [(r"-lrb-", "("), (r"-rrb-", ")"), (r"``|''", '"'), (r" ` | `$|^` ", " '"), (r" (n't|'s|'re|'ve|'m|'ll|'d)\b", r"\1"),
        (r" ([.,;:!?)%])", r"\1"), (r"([($]) ", r"\1"), (r" - ", " - ")]


def detokenize(text: str) -> str:
    """A PTB-tokenized summary as plain text."""
    for pattern, replacement in _PTB:
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    return " ".join(text.split())


def truecase(sentence: str, cases: dict[str, str]) -> str:
    """Each word in the case the article most often writes it mid-sentence; the first letter capitalised."""
    words = [cases.get(word.lower(), word) if word.islower() else word for word in re.split(r"(\W+)", sentence)]
    text = "".join(words)
    return text[:1].upper() + text[1:]


def article_cases(article: str) -> dict[str, str]:
    """lower-case word -> the case the article writes it most often in the middle of a sentence."""
    counts: dict[str, Counter] = {}
    for sentence in split_sentences(article, "en"):
        for word in re.findall(r"\w+", sentence)[1:]:
            counts.setdefault(word.lower(), Counter())[word] += 1
    return {lower: forms.most_common(1)[0][0] for lower, forms in counts.items()}


def summary_sentences(output: str, cases: dict[str, str]) -> list[str]:
    parts = [p.strip() for p in re.split(r"(?<=[.!?]) (?=\S)", detokenize(output)) if p.strip()]
    return [truecase(p, cases) for p in parts]


def auc(scores: list[float], labels: list[bool]) -> float:
    """ROC AUC of `scores` for predicting `labels` (ties count half)."""
    positive = [s for s, y in zip(scores, labels) if y]
    negative = [s for s, y in zip(scores, labels) if not y]
    wins = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return wins / (len(positive) * len(negative))


def balanced_accuracy(flagged: list[bool], labels: list[bool]) -> float:
    """Mean of the recall of faithful summaries (not flagged) and of unfaithful ones (flagged)."""
    faithful = [not f for f, y in zip(flagged, labels) if y]
    unfaithful = [f for f, y in zip(flagged, labels) if not y]
    return (sum(faithful) / len(faithful) + sum(unfaithful) / len(unfaithful)) / 2


def summaries(rows: list[dict], embedder) -> list[dict]:
    """Per (article, system): the human label and every score and flag compared."""
    found = []
    for row in rows:
        sources = [s for p in split_paragraphs(row["article"]) for s in split_sentences(p, "en")]
        cases = article_cases(row["article"])
        for system, output in row["system_outputs"].items():
            sentences = summary_sentences(output, cases)
            if not sentences:
                continue
            plain = calibrate(embedder.encode(sentences) @ embedder.encode(sources).T).max(axis=1)
            verdicts = judge(sentences, Source(sources), embedder)
            reasons = [v.reasons() for v in verdicts]
            found.append({
                "faithful": row["human_factuality"][system] >= 1.0, "sentences": len(sentences),
                "plain_min": float(plain.min()), "plain_mean": float(plain.mean()),
                "plain_flags": int((plain < PLAIN_MIN_SUPPORT).sum()),
                "check_score": float(np.mean([check_score(v) for v in verdicts])),
                "check_min": float(min(check_score(v) for v in verdicts)),
                "check_flags": sum(bool(r) for r in reasons),
                "reasons": Counter(re.sub(r"^\d+% of ", "", r.split(":")[0].split(" (")[0]) for rs in reasons for r in rs),
            })
    return found


def check_score(verdict) -> float:
    """One number per sentence for ranking: support, less the share of novel words, zero with a missing name
    or number."""
    if verdict.names or verdict.numbers or verdict.meta:
        return 0.0
    return verdict.support - verdict.novel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, default=0)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[args.start:args.start + args.count if args.count else None]
    found = summaries(rows, Embedder())
    labels = [f["faithful"] for f in found]
    print(f"{len(rows)} articles, {len(found)} summaries, {sum(labels)} judged faithful; "
          f"MIN_SUPPORT {MIN_SUPPORT}, MAX_NOVEL {MAX_NOVEL}")
    print(f"{'score':28} {'AUC':>6}")
    for name in ("plain_min", "plain_mean", "check_min", "check_score"):
        print(f"{name:28} {auc([f[name] for f in found], labels):6.3f}")
    sentences = sum(f["sentences"] for f in found)
    print(f"{'flag (any sentence)':28} {'bal.acc':>7} {'sentences flagged':>18} {'flagged wrong':>14}")
    for name in ("plain_flags", "check_flags"):
        flagged = [f[name] > 0 for f in found]
        share = sum(f[name] for f in found) / sentences
        wrong = sum(not y for f, y in zip(flagged, labels) if f) / max(1, sum(flagged))  # people found an error
        print(f"{name:28} {balanced_accuracy(flagged, labels):7.3f} {share:18.1%} {wrong:14.1%}")
    print(f"summaries people found an error in: {1 - sum(labels) / len(labels):.1%}")
    print("reasons:", dict(sum((f["reasons"] for f in found), Counter())))


if __name__ == "__main__":
    main()
