"""Language identification quality: accuracy per language, confusion matrix and speed.

The test data is a folder of one-sentence-per-line files named by language
(`en.txt`, `fr.txt`, ...). Any `detect_fn(texts) -> labels` can be scored;
`project_detector()` wraps the project's own detector.

Speed is measured twice: the first pass over the data also pays for what a
detector loads on first use (the project's detector loads lingua's model of a
language the first time fastText proposes it, about 0.3 s each, which made a
single pass over 15 languages read 100 times slower than the detector runs),
the second pass is the steady speed.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from pipeline.evaluate.mt import read_lines
from pipeline.evaluate.plots import bar_chart, heatmap
from pipeline.evaluate.report import Report, Table

DetectFn = Callable[[list[str]], list[str]]


def read_folder(folder: Path, languages: list[str] | None = None) -> dict[str, list[str]]:
    """{language: non-empty lines} from the `LANG.txt` files of a folder."""
    folder = Path(folder)
    files = {p.stem: p for p in sorted(folder.glob("*.txt"))}
    if not files:
        raise FileNotFoundError(f"{folder}: no LANG.txt files; the LID test folder needs one file per language")
    wanted = languages or list(files)
    missing = [lang for lang in wanted if lang not in files]
    if missing:
        raise ValueError(f"{folder}: no file for {', '.join(missing)}; found {', '.join(files)}")
    return {lang: [line.strip() for line in read_lines(files[lang]) if line.strip()] for lang in wanted}


def project_detector(config=None) -> DetectFn:
    """The project's language guesser (pipeline.language.guesser) as a `detect_fn`, loaded once."""
    from pipeline.config import Config
    from pipeline.language.guesser import LanguageGuesser

    guesser = LanguageGuesser((config or Config()).detect.languages)
    guesser.load()

    def detect(texts: list[str]) -> list[str]:
        return [lang for lang, _ in guesser.guess_many(texts)]

    return detect


def score(data: dict[str, list[str]], detect_fn: DetectFn, batch_size: int = 512) -> dict:
    """Accuracy per language, overall accuracy, the confusion matrix and sentences per second.

    Labels come from the first pass; `first_pass_sentences_per_second` includes
    what the detector loads on first use, `sentences_per_second` is a second pass.
    """
    labels, first_pass = _label_all(data, detect_fn, batch_size)
    _, steady = _label_all(data, detect_fn, batch_size)
    confusion: dict[str, dict[str, int]] = {}
    for lang, predicted in labels.items():
        row = confusion.setdefault(lang, {})
        for label in predicted:
            row[label] = row.get(label, 0) + 1
    sentences = sum(len(texts) for texts in data.values())
    correct = sum(confusion[lang].get(lang, 0) for lang in confusion)
    accuracy = {lang: row.get(lang, 0) / max(sum(row.values()), 1) for lang, row in confusion.items()}
    return {"sentences": sentences, "accuracy": correct / max(sentences, 1), "per_language": accuracy,
            "macro_accuracy": sum(accuracy.values()) / max(len(accuracy), 1), "confusion": confusion,
            "sentences_per_second": sentences / steady if steady else 0.0,
            "first_pass_sentences_per_second": sentences / first_pass if first_pass else 0.0}


def _label_all(data: dict[str, list[str]], detect_fn: DetectFn, batch_size: int) -> tuple[dict, float]:
    """({language: predicted labels}, seconds spent inside `detect_fn`)."""
    labels, seconds = {}, 0.0
    for lang, texts in data.items():
        predicted = []
        for start in range(0, len(texts), batch_size):
            batch = texts[start:start + batch_size]
            began = time.perf_counter()
            found = list(detect_fn(batch))
            seconds += time.perf_counter() - began
            if len(found) != len(batch):
                raise ValueError(f"detector returned {len(found)} labels for {len(batch)} {lang} sentences")
            predicted += [str(label) for label in found]
        labels[lang] = predicted
    return labels, seconds


def headline(results: dict) -> Table:
    """The table printed on the terminal: accuracy per language and over all sentences."""
    rows = [[lang, sum(results["confusion"][lang].values()), f"{100 * accuracy:.2f}"]
            for lang, accuracy in results["per_language"].items()]
    rows.append(["all", results["sentences"], f"{100 * results['accuracy']:.2f}"])
    caption = (f"macro accuracy {100 * results['macro_accuracy']:.2f}%, "
               f"{results['sentences_per_second']:.0f} sentences per second")
    return Table(["language", "sentences", "accuracy %"], rows, caption)


def build_report(results: dict, signature: dict, folder: Path, title: str = "Language identification") -> Report:
    """Tables and plots of `score` results; figures are written into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    report = Report(f"{title} ({results['sentences']} sentences)", "lid", signature, results)
    report.paragraph(f"Accuracy {100 * results['accuracy']:.2f}% over all sentences, "
                     f"{100 * results['macro_accuracy']:.2f}% averaged over languages; "
                     f"{results['sentences_per_second']:.0f} sentences per second "
                     f"({results['first_pass_sentences_per_second']:.0f} in the first pass, which includes "
                     "loading what the detector loads on first use).")
    languages = list(results["per_language"])
    report.table(["language", "sentences", "accuracy %"],
                 [[lang, sum(results["confusion"][lang].values()), f"{100 * results['per_language'][lang]:.2f}"]
                  for lang in languages])
    report.figure(bar_chart(folder, "accuracy.png", languages, [100 * results["per_language"][x] for x in languages],
                            "Accuracy per language", "accuracy %"))
    predicted = sorted({label for row in results["confusion"].values() for label in row},
                       key=lambda label: (label not in languages, label))
    matrix = [[results["confusion"][lang].get(label, 0) for label in predicted] for lang in languages]
    report.heading("Confusion matrix (rows: true language, columns: predicted)")
    report.table(["true \\ predicted", *predicted], [[lang, *row] for lang, row in zip(languages, matrix)])
    report.figure(heatmap(folder, "confusion.png", languages, predicted, matrix, "Confusion matrix"))
    return report
