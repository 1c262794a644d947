"""How the names of one document were rendered, so that one name keeps one rendering per language.

`names_in` finds the names of a text: runs of capitalised words and acronyms in Latin script (Claire
Montel, State Council, WHDZ), Latin names inside Chinese, and Chinese transliterations joined by a middle
dot (萨拉·丹尼尔斯). A `NameMemory` is fed each unit of a document with its translation, in document
order (`observe`): a name's rendering is the name itself when the translation keeps it, its remembered
rendering when the translation has that, or, when exactly one name of the unit is unaccounted for and
exactly one new name stands in the translation, that one. The first rendering is remembered and offered
to later units (`hints`, either way round: a render into French of an English summary gets "Beijing ->
Pékin" from the French source); a later unit that renders a name differently gets a flag. Everything is
deterministic text work: no model, any backend.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from pipeline.terms.matching import find_term, fold, is_acronym

FLAG = "name-inconsistent"
VARIANTS_FLAG = "name-variants"
_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['\u2019\-][A-Za-z0-9\u00c0-\u024f]+)*")
_ELISION = re.compile(r"(?:[ldjmnstc]|qu)['\u2019](?=[A-Z\u00c0-\u00dd])", re.IGNORECASE)
_CONNECTORS = {"of", "the", "de", "du", "des", "la", "le", "van", "von", "der", "den", "al", "bin", "y", "da", "di"}
STOPWORDS = set(
    "The A An In On At For But And Or So This That These Those It Its He She They We I You His Her Their Our As If "
    "When While After Before According Since With From By To Of Not No Yes Then There Here What Who How Why All "
    "Some Many Most More Other Such Each Every Both Last Next First Meanwhile However Also Under Over Into "
    "Le La Les L Un Une Des Du De D Ce Cet Cette Ces Il Elle Ils Elles On Nous Vous Selon Pour Dans En Au Aux Par "
    "Sur Avec Mais Et Ou Depuis Lors Après Avant Plus Son Sa Ses Leur Leurs Ainsi Cependant Pourtant Mr Mrs Ms Dr "
    "Prof M Mme Mlle Me Monsieur Madame".split())
CALENDAR = set("Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July "
               "August September October November December".split())
# Characters Chinese uses to transliterate foreign names (托莱多 Toledo, 丹尼尔斯 Danius).
TRANSLITERATION = set(
    "阿埃艾爱安昂奥澳巴拜班邦鲍贝本比彼毕波伯博布査查达戴丹道德迪蒂底丁东杜顿多厄恩尔法菲费芬丰弗夫福盖冈戈格哥古圭哈海汉豪"
    "律丽露芙黛琪薇茜娅茨瑙贡霍勃治翰逊登斐"
    "赫亨洪胡霍基吉加贾杰捷金卡凯坎康考柯科克肯库奎拉莱赖兰朗劳勒雷蕾里利莉连林琳隆卢鲁路伦罗洛马玛迈麦曼芒梅蒙米敏"
    "缪莫默姆穆纳娜奈南内尼妮涅纽努诺欧帕派潘庞佩彭皮珀普奇齐恰乔切琼萨塞赛桑瑟森沙莎尚舍什施史斯松苏索塔泰坦汤唐"
    "特提图托瓦旺威韦维温沃乌伍西希锡夏谢辛休雅亚扬耶伊因英尤约泽扎詹珍朱兹宗佐")
_DOT_NAME = re.compile(r"[\u4e00-\u9fff]+(?:[·•‧・][\u4e00-\u9fff]+)+")


def names_in(text: str, lang: str, sentence_starts: bool = False) -> list[str]:
    """The names of `text`, in order, each once. A lone capitalised word opening a sentence is left out
    ("Exports rose"), unless `sentence_starts` (then only function words such as "The" are)."""
    found = _latin_names(text, sentence_starts or lang == "zh")
    if lang == "zh":
        found += _dot_names(text)
    return list(dict.fromkeys(found))


def _latin_names(text: str, sentence_starts: bool) -> list[str]:
    runs: list[list[tuple[int, int, bool]]] = []  # tokens (start, end, opens a sentence)
    previous_end = None
    for match in _WORD.finditer(text):
        start, word = match.start(), match[0]
        elided = _ELISION.match(word)
        if elided:
            start, word = start + elided.end(), word[elided.end():]
        gap = text[previous_end:match.start()] if previous_end is not None else ""
        opens = previous_end is None or bool(re.search(r"[.!?…:;]", gap))
        joined = previous_end is not None and runs and runs[-1] and re.fullmatch(r" ?", gap) and not elided
        if word[0].isupper() or (joined and (word in _CONNECTORS)):
            if not (joined or (elided and runs and runs[-1] and gap == "")):
                runs.append([])
            runs[-1].append((start, match.end(), opens))
        else:
            runs.append([])
        previous_end = match.end()
    return [name for run in runs if (name := _run_name(text, run, sentence_starts))]


def _run_name(text: str, run: list[tuple[int, int, bool]], sentence_starts: bool) -> str:
    """The name a run of capitalised tokens spells, without leading function words and trailing connectors."""
    while run and (text[run[0][0]:run[0][1]] in STOPWORDS or text[run[0][0]:run[0][1]] in _CONNECTORS):
        run = run[1:]
    while run and text[run[-1][0]:run[-1][1]] in _CONNECTORS:
        run = run[:-1]
    if not run:
        return ""
    name = re.sub(r"['\u2019]s$", "", text[run[0][0]:run[-1][1]])  # Beijing's
    if len(run) == 1 and (name in CALENDAR or (run[0][2] and not sentence_starts and not is_acronym(name))):
        return ""
    return name if any(c.isalpha() for c in name) else ""


def _dot_names(text: str) -> list[str]:
    """Transliterated full names (萨拉·丹尼尔斯), trimmed to the transliteration characters around the dot."""
    names = []
    for match in _DOT_NAME.finditer(text):
        parts = re.split(r"[·•‧・]", match[0])
        head = parts[0][len(parts[0]) - _suffix_length(parts[0]):]
        tail = parts[-1][:_prefix_length(parts[-1])]
        if head and tail:
            names.append("·".join([head, *parts[1:-1], tail]))
    return names


def _suffix_length(text: str) -> int:
    count = 0
    while count < len(text) and text[len(text) - 1 - count] in TRANSLITERATION:
        count += 1
    return count


def _prefix_length(text: str) -> int:
    count = 0
    while count < len(text) and text[count] in TRANSLITERATION:
        count += 1
    return count


def transliterations(text: str) -> list[str]:
    """Runs of two or more transliteration characters in Chinese text (托莱多), dotted names first."""
    dotted = _dot_names(text)
    runs = [m[0] for m in re.finditer(f"[{''.join(sorted(TRANSLITERATION))}]{{2,}}", text)]
    return list(dict.fromkeys(dotted + [run for run in runs if not any(run in name for name in dotted)]))


def name_variants(texts: list[str], lang: str, sources: list[str] = ()) -> list[str]:
    """Flags for near-identical names across the texts of one document (Li Wenjie / Li Wenjié, Wang Yaqin /
    Wang Yaqing): one name written two ways. Names both of which the sources contain are two names."""
    names = list(dict.fromkeys(name for text in texts for name in names_in(text, lang)))
    source = " ".join(sources)
    flags = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            x, y = a.casefold(), b.casefold()
            if len(a) < 6 or len(b) < 6 or set(x.split()) <= set(y.split()) or set(y.split()) <= set(x.split()):
                continue  # Montel is Claire Montel
            if " " not in x + y and (x.startswith(y) or y.startswith(x)):
                continue  # Nigeria and Nigerian: a place and its people
            similar = fold(x) == fold(y) or SequenceMatcher(None, x, y).ratio() >= 0.88
            if similar and not (find_term(source, a) and find_term(source, b)):
                flags.append(f"{VARIANTS_FLAG}: {a} / {b}")
    return flags


class NameMemory:
    """The first rendering of each name of one document, per pair of languages, either way round."""

    def __init__(self) -> None:
        self._renderings: dict[tuple[str, str, str], tuple[str, str]] = {}  # (lang, key, target) -> (name, rendering)

    def remember(self, name: str, lang: str, target: str, rendering: str) -> None:
        """Keep `rendering` as how `name` (in `lang`) is written in `target`, unless one is known already."""
        self._renderings.setdefault((lang, _key(name), target), (name, rendering))
        self._renderings.setdefault((target, _key(rendering), lang), (rendering, name))

    def rendering(self, name: str, lang: str, target: str) -> str | None:
        """How `name` was first rendered into `target`, or what it was first rendered from in `target`."""
        known = self._renderings.get((lang, _key(name), target))
        return known[1] if known else None

    def names_of(self, text: str, lang: str, target: str, sentence_starts: bool = True) -> list[str]:
        """The names of `text` (`names_in`), and in Chinese the transliterations (托莱多) whose rendering into
        `target` is known: a Chinese name has no capital to find it by."""
        found = names_in(text, lang, sentence_starts)
        if lang == "zh":
            found += [name for name in transliterations(text) if name not in found and self.rendering(name, lang, target)]
        return found

    def hints(self, text: str, lang: str, target: str) -> list[tuple[str, str]]:
        """(name, rendering) for each name of `text` whose rendering into `target` is known; names a Latin
        target keeps as they are need no hint."""
        pairs = []
        for name in self.names_of(text, lang, target):
            rendering = self.rendering(name, lang, target)
            if rendering and (target == "zh" or _key(rendering) != _key(name)):
                pairs.append((name, rendering))
        return pairs

    def observe(self, text: str, lang: str, translation: str, target: str) -> list[str]:
        """Learn how this unit rendered its names; the flags of names rendered otherwise than before."""
        return self._compare(text, lang, translation, target, learn=True)

    def conflicts(self, text: str, lang: str, translation: str, target: str) -> list[str]:
        """The flags `observe` would give, learning nothing (to judge a candidate translation)."""
        return self._compare(text, lang, translation, target, learn=False)

    def _compare(self, text: str, lang: str, translation: str, target: str, learn: bool) -> list[str]:
        flags = []
        for name, rendering in _renderings_of(self, text, lang, translation, target).items():
            known = self.rendering(name, lang, target)
            source = self.rendering(rendering, target, lang)  # what this rendering stood for until now
            if known is not None and _key(known) != _key(rendering):
                flags.append(f"{FLAG}: {name} -> {known} / {rendering}")
            elif known is None and source is not None and _key(rendering) not in (_key(name), _key(source)):
                flags.append(f"{FLAG}: {rendering} -> {source} / {name}")  # two names, one rendering
                # (not when the source writes the rendering itself: Pékin and Beijing, both Beijing in English)
            elif known is None and learn:
                self.remember(name, lang, target, rendering)
        return flags

    def observe_all(self, units: list[tuple[str, str, str, str]]) -> list[str]:
        """`observe` each (text, lang, translation, target) in document order; every flag, each once."""
        return list(dict.fromkeys(flag for unit in units for flag in self.observe(*unit)))


def _key(name: str) -> str:
    return " ".join(fold(name).casefold().split())


def _renderings_of(memory: NameMemory, text: str, lang: str, translation: str, target: str) -> dict[str, str]:
    """name -> how `translation` renders it, for the names of `text` that can be told (see the module)."""
    found: dict[str, str] = {}
    for name in memory.names_of(text, lang, target):  # "Hubei publie..." kept as Hubei is a name too
        known = memory.rendering(name, lang, target)
        if known and find_term(translation, known):
            found[name] = known
        elif find_term(translation, name):
            found[name] = name
    inside = memory.names_of(text, lang, target, sentence_starts=False)
    # a name the document rendered before counts at a sentence's start too ("Pékin a connu...": Peking)
    left = [name for name in memory.names_of(text, lang, target)
            if name not in found and (name in inside or memory.rendering(name, lang, target))]
    if len(left) == 1:
        candidates = names_in(translation, target, sentence_starts=True)
        if target == "zh":
            candidates += [run for run in transliterations(translation) if could_transliterate(left[0], run)]
        used = [_key(r) for r in found.values()]
        new = [c for c in dict.fromkeys(candidates) if not find_term(text, c) and _key(c) not in used
               and not any(_key(c) in u or u in _key(c) for u in used)]
        if len(new) == 1:
            found[left[0]] = new[0]
    return found


def could_transliterate(name: str, chinese: str) -> bool:
    """Whether `chinese` is long enough to spell `name` by sound: two to four letters a character (To-le-do
    托莱多); "Hainan Free Trade Port" is no 海南, only part of it."""
    letters = sum(c.isalpha() for c in name)
    characters = sum("\u4e00" <= c <= "\u9fff" for c in chinese)
    return not any(c.isalpha() and c.isascii() for c in chinese) and 0 < letters <= 4.5 * characters


def document_names(units: list[tuple[str, str, str]]) -> tuple[NameMemory, list[list[str]]]:
    """The names of one document learned from its translated units, (source text, its language, English) in
    document order, and per unit the flags of the names it renders otherwise than an earlier unit. A Chinese
    unit is read from its English side, where names have capitals (Toledo -> 托莱多 is learned; 托莱多 alone
    is no name to find)."""
    memory = NameMemory()
    flags = [memory.observe(english, "en", text, lang) if lang == "zh" else memory.observe(text, lang, english, "en")
             for text, lang, english in units]
    return memory, flags
