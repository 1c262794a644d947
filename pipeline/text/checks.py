"""Checks on text that stages and output guards share: repeats, endings, instruction-like and meta sentences.

They read text only (no model), so a stage can flag what a guard would flag.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from pipeline.text.segment import split_sentences


def han_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "CJK" in unicodedata.name(c, "")) / len(letters)


def repetition_problem(text: str) -> bool:
    """A decoding loop: one n-gram repeated many times over a large share of the output, or a sentence said twice."""
    sentences = split_sentences(text, "zh" if han_share(text) >= 0.5 else "en")  # as the summarize stage splits
    if len(without_repeats(sentences)) < len(sentences):
        return True
    units = text.split() if han_share(text) < 0.5 else list(text.replace(" ", ""))
    n = 4
    if len(units) < 4 * n:
        return False
    grams = Counter(tuple(units[i : i + n]) for i in range(len(units) - n + 1))
    gram, count = grams.most_common(1)[0]
    return count >= 4 and count * n >= 0.3 * len(units)


def without_repeats(sentences: list[str]) -> list[str]:
    """The sentences, less those whose `sentence_key` an earlier one already had."""
    kept, seen = [], set()
    for sentence in sentences:
        key = sentence_key(sentence)
        if not key or key not in seen:
            kept.append(sentence)
        seen.add(key)
    return kept


def without_repeated_blocks(blocks: list[str]) -> tuple[list[str], int]:
    """The paragraphs (or sentences) less those an earlier one already said word for word, and how many went:
    scraped pages repeat whole blocks, and no model should read (or be paid to read) a block twice."""
    kept = without_repeats(blocks)
    return kept, len(blocks) - len(kept)


def sentence_key(sentence: str) -> str:
    """Its words, lower-cased; '' for a sentence too short (under five words or ten Han characters) to count
    as a repeat: "Prices rose." twice is style, a whole sentence twice is a decoding loop."""
    key = " ".join(re.findall(r"\w+", sentence.lower()))
    han = sum(1 for c in key if "\u4e00" <= c <= "\u9fff")
    return key if len(key.split()) >= 5 or han >= 10 else ""


def ends_complete(text: str) -> bool:
    """Ends like a finished sentence (a model cut at its token budget stops mid-sentence)."""
    return bool(re.search(r"[.!?。！？…][\"'”’»)\]]*\s*$", text))


# Sentences that address the model rather than report news: an injected instruction (en, fr, zh) or chat markup.
INSTRUCTION_LIKE = re.compile(
    r"\b(?:ignore|disregard|forget)\b[^.]{0,30}\b(?:previous|prior|above|earlier|preceding|instructions?|prompt)\b"
    r"|\bfrom now on,? (?:you|write|reply|answer|respond)\b"
    r"|\b(?:system prompt|new task|developer mode|let's play a game|instead of (?:translating|summari[sz]ing)"
    r"|before (?:translating|summari[sz]ing)|(?:summary|translation) requirement)\b"
    r"|\b(?:reply|respond|answer|output|print|write)\b[^.]{0,40}\b(?:only|instead|word for word)\b"
    r"|\b(?:begin|start|end|finish)\b[^.]{0,20}\b(?:your|every) (?:reply|answer|response|summary)\b"
    r"|^\W*(?:assistant|chatbot|(?-i:AI)|translator|summari[sz]er|traducteur|résumeur)\s*[:,]"
    r"|\b(?:ignore[zr]?|oublie[zr]?)\b[^.]{0,30}\b(?:instructions?|consignes?)\b"
    r"|\b(?:nouvelle consigne|mode développeur|au lieu de (?:traduire|résumer))\b|\[/?SYST[ÈE]ME\]"
    r"|\b(?:note|instruction|message)s? (?:au|à l'|pour l'|pour le) (?:traducteur|résumeur|assistant|modèle|IA)\b"
    r"|\brépon(?:ds|dez)\b[^.]{0,40}\b(?:uniquement|seulement)\b|\brépète[sz]?\b[^.]{0,40}\bfois\b"
    r"|(?:忽略|无视|忘记|忘掉)[^。]{0,8}(?:指令|任务|提示|要求)|系统提示|不要翻译|(?:翻译|摘要)时请|给(?:摘要|翻译)模型"
    r"|(?:助手|机器人)请注意|请重复[^。]{0,10}次|(?:只|仅)(?:输出|回答)"
    r"|<\|[a-z_]+\|>|</?\s*(?:article|text|system)\s*>",
    re.IGNORECASE | re.MULTILINE,
)


# A summary sentence about the article instead of its news ("The article discusses...", "Le texte aborde...",
# "文章讨论了..."). "Article" before a number is a law's article (l'article 49.3), not this one.
META = re.compile(
    r"\b(?:the|this|that|in the|in this)\s+(?:news\s+|given\s+|above\s+|provided\s+|original\s+)?"
    r"(?:article|text(?!\s+messages?)|passage|excerpt|piece|write-?up|summary|author|writer)s?\b(?!\s*\d)"
    r"|\b(?:the|this|that)\s+news\s+(?:story|report|item)\b"
    r"|^\W*It\s+(?:also\s+)?(?:mentions|discusses|explores|delves|touches on)\b"
    r"|\b(?:l['\u2019]|cet |ce |le |du |de l['\u2019]|dans l['\u2019]|selon l['\u2019])\s*"
    r"(?:article|texte|extrait|passage|auteur|autrice)\b(?!\s*\d)"
    r"|(?:本文|该文|此文|文中|原文|全文|这篇(?:文章|报道|新闻|稿件)|该文章|此文章|(?<![\u4e00-\u9fff])文章|文本)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{3,}|\d+")


def instruction_like(text: str) -> bool:
    """Whether `text` reads like an instruction to the model (a likely prompt injection), not like news."""
    return bool(INSTRUCTION_LIKE.search(text))


def echoed_words(output: str, instructions: list[str], others: list[str]) -> list[str]:
    """Words of `output` found in instruction-like sentences and nowhere else in the article."""
    def words(text: str) -> set[str]:
        return {word.casefold() for word in _WORD.findall(text)}

    elsewhere = set().union(*map(words, others)) if others else set()
    injected = set().union(*map(words, instructions)) if instructions else set()
    return sorted((words(output) & injected) - elsewhere)


def meta_sentence(sentence: str, source: str = "") -> bool:
    """Whether a summary sentence talks about the article ("The article discusses...") instead of saying its
    news; a phrase the source itself uses ("the author" of a book the article is about) does not count."""
    found = {match.group().casefold() for match in META.finditer(sentence)}
    folded = source.casefold()
    return any(phrase not in folded for phrase in found)
