"""Stage `summarize`: an English summary of each document's pivot text.

A text longer than the model's input budget is summarized hierarchically:
sentences are packed into chunks within the budget, each chunk is summarized,
then the chunk summaries are summarized (repeating while they are still too
long). The digest records that this happened, so a reader knows.

The model reads the article's key sentences (the lead, then sentences with
numbers and names, within KEY_WORDS words per summary word), and the summary's
length follows the article's (a word per WORDS_PER_WORD of it, within
summarize.min_words and max_words). Each summary sentence must be backed
by the article (`faithfulness`: a source sentence close in meaning, its names and
numbers found in the source, news rather than talk about "the article"): a
summary with a sentence that is not is generated again once, with a stricter
prompt, and what is still unsupported is dropped, the reason in the flags.
"""
from __future__ import annotations

import logging
import re

from pipeline.backends.loading import describe, load_backend
from pipeline.config import Config
from pipeline.quality.faithfulness import (
    MAX_NOVEL,
    MIN_SUPPORT,
    Source,
    from_mistranslation,
    judge,
    missing_names,
    wrong_facts,
)
from pipeline.records import OVER_BUDGET, PIVOT, Document
from pipeline.similarity.embed import Embedder
from pipeline.stages.base import RunContext, Stage
from pipeline.terms.glossary import config_glossary
from pipeline.terms.names import names_in
from pipeline.text.checks import (
    ends_complete,
    instruction_like,
    sentence_key,
    without_repeats,
)
from pipeline.text.numbers import extract_numbers
from pipeline.text.segment import split_long, split_sentences

VERSION = 8  # 2: repeats; 3: input read once; 4: unsupported; 5: key sentences; 6: "It mentions"; 7: glossary terms;
# 8: facts the translation got wrong, carried into the summary, flagged

log = logging.getLogger("digest.summarize")

PROMPT_RESERVE = 160  # tokens the instructions and chat markup take around the article
MAX_UNTRANSLATED = 0.5  # share of characters left untranslated above which a document gets no summary
WORDS_PER_WORD = 8  # article words per summary word: 400 words get 50, within summarize.min_words..max_words
KEY_WORDS, MIN_KEY_WORDS = 4, 220  # the model reads four words of key sentences per summary word, 220 at least
CAPTION = re.compile(r"^[A-Z][\w' ]{0,30}:")  # "Flying high: ..." a picture's caption inside a scraped article
UNSUPPORTED = "unsupported"  # the problem a summary has once per sentence its article does not back


class Summarize(Stage):
    """Fill `Document.summary` (English sentences) and `Document.summary_method`."""

    name = "summarize"
    requires = ("english",)
    provides = ("summary", "summary_method")

    def __init__(self, config: Config, context: RunContext | None = None):
        super().__init__(config, context)
        self.backend = None
        self.embedder = Embedder()  # loads on first use
        self.glossary = config_glossary(config)
        self.terms = tuple((entry.term(PIVOT), tuple(form for _, forms in entry.terms for form in forms))
                           for entry in self.glossary.entries if entry.term(PIVOT) and not entry.keep)

    def load(self) -> None:
        self.backend = load_backend(self.config.summarize.model, self.config.summarize, self.config.run)
        self.embedder.load()

    def signature(self) -> dict:
        settings = self.config.summarize
        return {"version": VERSION, "model": describe(settings.model, settings), "max_words": settings.max_words,
                "min_words": settings.min_words, "max_input_tokens": settings.max_input_tokens,
                "max_document_tokens": settings.max_document_tokens,
                "faithfulness": {"embedder": self.embedder.signature(), "min_support": MIN_SUPPORT,
                                 "max_novel": MAX_NOVEL}, **self.glossary.signature()}

    def length(self, text: str) -> int:
        """The summary length for an article: a word per WORDS_PER_WORD of it, in fives, within the bounds."""
        settings = self.config.summarize
        words = 5 * round(len(text.split()) / WORDS_PER_WORD / 5)
        return min(settings.max_words, max(settings.min_words, words))

    def process(self, docs: list[Document]) -> list[Document]:
        budget = self.backend.max_input_tokens
        shares = [untranslated_share(doc) for doc in docs]
        for doc, share in zip(docs, shares):
            if share > MAX_UNTRANSLATED:  # an English summary of it would be an unchecked translation
                doc.flags.append(f"summary-skipped: {share:.0%} of the text was not translated")
        todo = [doc for doc, share in zip(docs, shares) if share <= MAX_UNTRANSLATED]
        texts = {id(doc): self.summary_input(doc) for doc in todo}
        direct = [doc for doc in todo if self.backend.count_tokens(texts[id(doc)]) <= budget]
        # articles of every length in one call, each asked its own length: the seeds' five took 88 s, 104-110 by length
        lengths = [self.length(texts[id(doc)]) for doc in direct]
        inputs = [key_sentences(texts[id(doc)], max(MIN_KEY_WORDS, KEY_WORDS * words))
                  for doc, words in zip(direct, lengths)]
        for doc, words, (summary, flags) in zip(direct, lengths, self._summarize(inputs, lengths, direct)):
            self._set(doc, summary, flags, "direct", words)
        for doc in todo:
            if not any(doc is done for done in direct):
                self._summarize_long(doc, texts[id(doc)], budget)
        return docs

    def summary_input(self, doc: Document) -> str:
        """The English text the summary reads: each sentence once (pages repeat blocks), none the translate
        budget left out, and no further than `summarize.max_document_tokens`; a cut is flagged and logged."""
        limit, used, total, repeats, full = self.config.summarize.max_document_tokens, 0, 0, 0, False
        paragraphs: dict[int, list[str]] = {}
        seen: set[str] = set()
        for sentence in doc.sentences:
            text = sentence.english or sentence.text
            key = sentence_key(text)
            if any(flag.startswith(OVER_BUDGET) for flag in sentence.flags) or (key and key in seen):
                repeats += key in seen
                continue
            seen.add(key)
            tokens = self.backend.count_tokens(text) if limit else 0
            total += tokens
            full = full or bool(limit and used + tokens > limit)
            if not full:
                paragraphs.setdefault(sentence.paragraph, []).append(text)
                used += tokens
        if repeats:
            doc.flags.append(f"summary-input: {repeats} repeated sentence(s) read once")
        if full:
            message = f"summary-budget: read the first {used} of {total} tokens (summarize.max_document_tokens={limit})"
            doc.flags.append(message)
            log.warning("%s: %s", doc.doc_id, message)
        return "\n\n".join(" ".join(parts) for _, parts in sorted(paragraphs.items()))

    def _summarize(self, texts: list[str], max_words: int | list[int], docs: list[Document] = ()
                   ) -> list[tuple[str, list[str]]]:
        """Summaries with their flags; with `docs` (the final summaries, not chunk summaries), one
        unsupported-sentence problem per sentence the article does not back, so the guards' retry runs."""
        sources = [self.source(doc) for doc in docs]

        def unsupported(i: int, output: str) -> list[str]:
            verdicts = judge(self._sentences(output), sources[i], self.embedder) if sources[i].sentences else []
            return [f"guard:{UNSUPPORTED}" for verdict in verdicts if verdict.reasons()]

        return self.backend.summarize_checked(texts, max_words, unsupported if docs else None) if texts else []

    def source(self, doc: Document) -> Source:
        """The article as the faithfulness check reads it: the English of the sentences the summary may use
        (none the translate budget left out, none that reads like an instruction to the model)."""
        kept = [s for s in doc.sentences if not any(flag.startswith(OVER_BUDGET) for flag in s.flags)
                and not (instruction_like(s.text) or instruction_like(s.english))]
        return Source([s.english or s.text for s in kept], original=" ".join(s.text for s in kept), lang=doc.lang,
                      terms=self.terms, wrong=wrong_facts(kept, doc.lang))

    def _summarize_long(self, doc: Document, text: str, budget: int) -> None:
        level, flags, previous = 0, [], 0
        while (tokens := self.backend.count_tokens(text)) > budget:
            level += 1
            if level > 1 and tokens >= previous:
                raise ValueError(f"{doc.doc_id}: chunk summaries ({tokens} tokens) are no shorter than their input; "
                                 f"raise summarize.max_input_tokens (now a {budget}-token budget per chunk)")
            previous = tokens
            chunks = self.pack(split_sentences(text, "en"), budget)
            log.info("%s: summarizing %d chunks (level %d)", doc.doc_id, len(chunks), level)
            words = max(40, self.config.summarize.max_words // 2 + 10)
            partial = self._summarize(chunks, words)
            flags += [f for _, fs in partial for f in fs]
            text = "\n\n".join(summary for summary, _ in partial)
            if level == 1:
                first_chunks = len(chunks)
        summary, final_flags = self._summarize([text], self.config.summarize.max_words, [doc])[0]
        method = f"hierarchical: {first_chunks} chunks, {level} level(s)"
        self._set(doc, summary, list(dict.fromkeys(flags + final_flags)), method, self.config.summarize.max_words)
        doc.flags.append(f"summary:{method}")

    def pack(self, sentences: list[str], budget: int) -> list[str]:
        """Group consecutive sentences into chunks of at most `budget` tokens; an oversized sentence is split."""
        chunks, current, used = [], [], 0
        for sentence in sentences:
            for piece in self._fit(sentence, budget):
                tokens = self.backend.count_tokens(piece)
                if current and used + tokens > budget:
                    chunks.append(" ".join(current))
                    current, used = [], 0
                current.append(piece)
                used += tokens
        if current:
            chunks.append(" ".join(current))
        return chunks

    def _fit(self, sentence: str, budget: int) -> list[str]:
        if self.backend.count_tokens(sentence) <= budget:
            return [sentence]
        return split_long(sentence, max_chars=budget)

    def _set(self, doc: Document, summary: str, flags: list[str], method: str, max_words: int) -> None:
        """Keep the summary's finished, distinct, supported sentences, as many as `max_words` allows (one at
        least: small models write past the length they are asked for), and flag what went and each fact of a
        wrong translation it carries on."""
        sentences = self._sentences(summary)
        if len(sentences) > 1 and not ends_complete(sentences[-1]):
            log.warning("%s: summary stopped mid-sentence; dropped %r", doc.doc_id, sentences[-1])
            doc.flags.append(f"summary-dropped-unfinished-sentence: {sentences.pop()}")
            flags = [f for f in flags if f != "guard:incomplete"]
        sentences = self._without_repeats(doc, sentences)
        source = self.source(doc)
        sentences, doc.summary_method = self._supported(doc, source, sentences, method)
        doc.summary = self._lead(sentences, max_words)
        doc.flags.extend(f"summary-{flag}" for flag in flags if flag not in (f"guard:{UNSUPPORTED}", "guard:meta"))
        # a fact the translation got wrong stays (the English has nothing better), flagged
        wrong = (flag for sentence in doc.summary for flag in from_mistranslation(sentence, source))
        doc.flags.extend(dict.fromkeys(wrong))

    def _supported(self, doc: Document, source: Source, sentences: list[str], method: str
                   ) -> tuple[list[str], str]:
        """The sentences the article (`source`, as `self.source` reads `doc`) backs, each other one dropped and
        flagged with its reasons; the article's first sentences (method `extractive`) when none is left."""
        if not source.sentences:
            return sentences, method
        kept = []
        for sentence, verdict in zip(sentences, judge(sentences, source, self.embedder)):
            reasons = verdict.reasons()
            if reasons:
                log.warning("%s: summary sentence dropped (%s): %r", doc.doc_id, "; ".join(reasons), sentence)
                doc.flags.append(f"summary-dropped-unsupported: {sentence} ({'; '.join(reasons)})")
            else:
                kept.append(sentence)
        if kept:
            return kept, method
        doc.flags.append("summary-extractive: the model's summary had no sentence the article backs; "
                         "the article's first sentences (with no made-up term) stand in")
        backed = [sentence for sentence in source.sentences if not missing_names(sentence, source)]
        return self._lead(backed, self.length(source.english)), "extractive"

    @staticmethod
    def _lead(sentences: list[str], max_words: int) -> list[str]:
        """The first sentences, as many as fit in `max_words` (one at least)."""
        lead, used = [], 0
        for sentence in sentences:
            used += len(sentence.split())
            if lead and used > max_words:
                break
            lead.append(sentence)
        return lead

    @staticmethod
    def _sentences(summary: str) -> list[str]:
        return split_sentences(summary, "en") if summary.strip() else []

    @staticmethod
    def _without_repeats(doc: Document, sentences: list[str]) -> list[str]:
        """The summary with sentences the model said again (a decoding loop that survived the retry) dropped."""
        kept = without_repeats(sentences)
        if len(kept) < len(sentences):
            dropped = len(sentences) - len(kept)
            log.warning("%s: summary repeated %d sentence(s); dropped the repeats", doc.doc_id, dropped)
            doc.flags.append(f"summary-dropped-repeated-sentences: {dropped}")
        return kept


def untranslated_share(doc: Document) -> float:
    """Share of a document's characters in sentences the translate stage left untranslated."""
    left = sum(len(s.text) for s in doc.sentences if any(f.startswith("untranslated:") for f in s.flags))
    return left / max(1, sum(len(s.text) for s in doc.sentences))


def key_sentences(text: str, budget: int) -> str:
    """The sentences of `text` that carry its facts, in the article's order, within `budget` words: the lead
    first, then sentences with numbers and names; fragments, run-ons and captions last. A small model
    summarizes these better than the whole article (measured on CNN/DM dev), and faster."""
    sentences = [s for paragraph in text.split("\n\n") for s in split_sentences(paragraph, "en")]
    if sum(len(s.split()) for s in sentences) <= budget:
        return text
    scores = []
    for i, sentence in enumerate(sentences):
        score = max(0.0, 3.0 - i) - i / len(sentences)
        score += 0.5 * min(2, sum(n.firm for n in extract_numbers(sentence, "en")))
        score += 0.3 * min(3, len(names_in(sentence, "en")))
        words = len(sentence.split())
        scores.append(score - 3.0 * (words < 6 or words > 70 or bool(CAPTION.match(sentence))))
    chosen, used = set(), 0
    for i in sorted(range(len(sentences)), key=lambda i: -scores[i]):
        if used + len(sentences[i].split()) <= budget:
            chosen.add(i)
            used += len(sentences[i].split())
    return " ".join(sentences[i] for i in sorted(chosen))
