"""Translations that keep a text's facts: its glossary terms, its numbers and its names.

`translate_keeping_facts` is `GuardedBackend.translate_checked` with, per text, the prompt hint for the
glossary entries it holds and the names its document already rendered (`terms.hints`), and after it the
checks: every rendering the glossary asks for, the numbers of both texts (`text.number_check`), the names
against the document's earlier renderings, and in an English translation the institutions and titles the
source has no word for (`terms.institutions`). A text that fails one is retried with the guards' retry
(and candidates where configured), and a text whose glossary terms both tries missed is translated once
more with the renderings written into it ("bande dessinée (comic)", `hints.pin_terms`); what is still
wrong comes back as flags (`glossary-miss: PIB`, `number-mismatch: 20,000 vs 20万`, `unsupported-name:
State Council`, `name-inconsistent: ...`), except a number mismatch with one certain pairing, which is
rewritten as the source's number and flagged `number-repaired: 20万 -> 2万` (`text.number_repair`).
Engines that take no instructions (seq2seq, CTranslate2) get the checks and flags without the hint. The
translate stage, the renders and `evaluate --translate-with` all translate through it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.language.guesser import script_language
from pipeline.records import PIVOT, UNDETERMINED, Document, Sentence
from pipeline.terms.glossary import FLAG as GLOSSARY_FLAG
from pipeline.terms.glossary import Glossary, check, glossary_flags, term_usage
from pipeline.terms.hints import pin_terms, prompt_hint, unpin
from pipeline.terms.institutions import name_flags, unsupported_names
from pipeline.terms.matching import find_term
from pipeline.terms.names import NameMemory
from pipeline.text.number_check import number_flags, number_mismatches
from pipeline.text.number_repair import repaired


@dataclass
class Translated:
    """One translation, the flags it kept, and how it used the glossary (`glossary.term_usage`)."""

    text: str
    flags: list[str] = field(default_factory=list)
    terms: dict = field(default_factory=dict)


def fact_flags(text: str, source: str, output: str, target: str, entries: list, memory: NameMemory | None = None
               ) -> list[str]:
    """What `output` gets wrong of `text`'s facts: glossary renderings missed, numbers, names made up or
    rendered otherwise than before."""
    misses = term_usage(entries, text, source, output, target).get("misses", {})
    flags = glossary_flags(list(dict.fromkeys(misses.values())))
    flags += number_flags(number_mismatches(text, source, output, target))
    if target == PIVOT and source != PIVOT:  # an English name the source has no word for (State Council)
        asked = [term for entry in entries for term in entry.forms(target)]
        flags += name_flags([name for name in unsupported_names(output, text)
                             if not any(find_term(name, term) for term in asked)])
    return flags + (memory.conflicts(text, source, output, target) if memory else [])


NO_GLOSSARY = Glossary()


def translate_keeping_facts(backend, texts: list[str], source: str, target: str, glossary: Glossary = NO_GLOSSARY,
                            memories: list[NameMemory | None] | None = None, repair: bool = True) -> list[Translated]:
    """Each text translated by a guarded backend with its terms hinted and its facts checked (see the module).
    `memories`: per text, the names its document rendered so far, or None; `repair`: False leaves a wrong
    number the model wrote as it is (only flagged), as the number benchmark needs to compare."""
    memories = memories or [None] * len(texts)
    entries = [glossary.entries_in(text, source) for text in texts]
    hints = [prompt_hint(found, source, target, memory.hints(text, source, target) if memory else [], text=text)
             for text, found, memory in zip(texts, entries, memories)]
    # a text is translated once per hint; a text with a document's names is checked against them: its own unit
    keys = [(text, hint) if memory is None else i for i, (text, hint, memory) in enumerate(zip(texts, hints, memories))]
    first = {key: i for i, key in reversed(list(enumerate(keys)))}
    unique = list(dict.fromkeys(first[key] for key in keys))

    def extra(j: int, output: str) -> list[str]:
        i = unique[j]
        return fact_flags(texts[i], source, output, target, entries[i], memories[i])

    checked = backend.translate_checked([texts[i] for i in unique], source, target, [hints[i] for i in unique], extra)
    by_unit = dict(zip(unique, checked))
    _pin_missed_terms(backend, by_unit, texts, source, target, hints, entries, memories)
    if repair:
        by_unit = {i: repaired(texts[i], source, output, target, flags) for i, (output, flags) in by_unit.items()}
    results = []
    for i, key in enumerate(keys):
        output, flags = by_unit[first[key]]
        results.append(Translated(output, flags, term_usage(entries[i], texts[i], source, output, target)))
    return results


def _pin_missed_terms(backend, by_unit: dict, texts: list[str], source: str, target: str, hints: list[str],
                      entries: list, memories: list) -> None:
    """Translate once more, with each missed rendering written after its term in the text (`hints.pin_terms`),
    the units whose glossary terms the hinted try and its retry both missed; keep the result with fewer flags."""
    missed = {i: [entry for entry in entries[i] if check(output, target, [entry])]
              for i, (output, flags) in by_unit.items() if any(flag.startswith(GLOSSARY_FLAG) for flag in flags)}
    missed = {i: found for i, found in missed.items() if found}
    if not missed:
        return
    units = list(missed)
    forms = {i: [form for entry in missed[i] for form in entry.forms(target)] for i in units}

    def extra(k: int, output: str) -> list[str]:
        i = units[k]
        return fact_flags(texts[i], source, unpin(output, forms[i]), target, entries[i], memories[i])

    pinned = [pin_terms(texts[i], missed[i], source, target) for i in units]
    again = backend.translate_checked(pinned, source, target, [hints[i] for i in units], extra)
    for i, (output, flags) in zip(units, again):
        if len(flags) < len(by_unit[i][1]):
            by_unit[i] = (unpin(output, forms[i]), flags)


def title_language_of(doc: Document) -> str:
    """The language of a document's title: by its script, else the document's ('' without a title)."""
    if not doc.title:
        return ""
    return script_language(doc.title) or doc.lang or PIVOT


def translated_sentences(doc: Document) -> list[Sentence]:
    """The sentences of `doc` that have a translation of their own, in order."""
    return [s for s in doc.sentences if s.lang not in (PIVOT, UNDETERMINED, "") and s.english and s.english != s.text]


def name_units(doc: Document) -> list[tuple[str, str, str]]:
    """(source, language, English) of the translated title, then of each translated sentence, in order."""
    title = [(doc.title, title_language_of(doc), doc.title_english)] if doc.title_english != doc.title else []
    return title + [(s.text, s.lang, s.english) for s in translated_sentences(doc)]

