"""ROUGE exactly as published English summarization results compute it, for numbers that can stand beside theirs.

Google's `rouge-score` package (the reimplementation of ROUGE-1.5.5 that the
PEGASUS, BART and Hugging Face summarization scripts use) with Porter stemming;
ROUGE-Lsum is its summary-level LCS over sentences given one per line, so
candidate and reference are split into sentences and joined with newlines
first. Its tokenizer keeps only ASCII letters and digits, which is why this mode
is for English only: French loses its accented letters and Chinese every token.
"""
from __future__ import annotations

import importlib.metadata

from pipeline.text.segment import split_paragraphs, split_sentences

NAME = "rouge-score"
MEASURES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
LANGUAGES = ("en",)


def sentence_lines(text: str, lang: str = "en") -> str:
    """One sentence per line, as ROUGE-Lsum reads them: a text already in lines keeps them."""
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
    if len(lines) > 1:
        return "\n".join(lines)
    return "\n".join(s for paragraph in split_paragraphs(text) for s in split_sentences(paragraph, lang))


class PublishedRouge:
    """ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum F1 (0..100) from `rouge-score` with stemming."""

    measures = MEASURES

    def __init__(self, lang: str = "en"):
        if lang not in LANGUAGES:
            raise ValueError(f"--rouge {NAME} is the published setup for English; its tokenizer keeps only ASCII "
                             f"letters and digits, so {lang!r} text would lose words: use --rouge multilingual")
        try:
            from rouge_score import rouge_scorer
        except ImportError as error:
            raise ValueError(f"--rouge {NAME} needs the rouge-score package (pip install rouge-score)") from error
        self.lang = lang
        self.scorer = rouge_scorer.RougeScorer(list(MEASURES), use_stemmer=True)

    def __call__(self, candidate: str, reference: str) -> dict[str, float]:
        found = self.scorer.score(sentence_lines(reference, self.lang), sentence_lines(candidate, self.lang))
        return {measure: 100 * found[measure].fmeasure for measure in MEASURES}

    @staticmethod
    def description() -> str:
        """What a report says about how these numbers were computed."""
        return (f"rouge-score {importlib.metadata.version('rouge-score')} with Porter stemming (the published "
                "English setup); tokens are lowercased runs of a-z and 0-9; ROUGE-Lsum is the summary-level LCS "
                "over sentences one per line (split with digest's sentence splitter where a text has no line breaks)")
