"""Site furniture: which lines of a text are not the article, and the article's head.

`classify` names each text line that is navigation or site chrome
(breadcrumbs, phone lines, hashtag lines, bare unix timestamps,
share/login/cookie lines, ...); `read_head` takes the date, title and source
from the first lines. The line rules look at whole lines and only at narrow
patterns, so sentences of the article are kept. The blocks of a web page come
from `webpage.html_blocks`.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

_SEPARATOR = re.compile(r"\s*[>›»]\s*")
_SEPARATOR_OPENERS = re.compile(r"[<‹«]")
_PHONE = re.compile(
    r"(?:(?:tel|tél|téléphone|telephone|phone|fax|mobile|hotline|电话|手机|传真)\.?\s*[:：]?\s*\+?|\+)"
    r"\(?\d[\d\s().\-/]{6,}\d"
)
_HASHTAGS = re.compile(r"(?:#[^\s#]*[^\W\d_][^\s#]*\s*)+")
_TIMESTAMP = re.compile(r"\d{10}(?:\d{3})?")
_SHARE = re.compile(
    r"(?:share|partager|partagez|分享到?)(?:\s*[:：]|\s+(?:this|on|via|to|sur|par|cet|l'article|article|story)\b.*)?"
)
_COOKIE = re.compile(
    r"(?:we use cookies|this (?:web)?site uses cookies|nous utilisons des cookies|ce site utilise des cookies"
    r"|accept(?:er)? (?:all |tous les )?cookies|cookie (?:settings|policy|preferences)|本网站使用cookie)",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4})|版权所有)|all rights reserved|tous droits réservés", re.IGNORECASE
)
_SEE_ALSO = re.compile(r"(?:(?:à )?lire aussi|voir aussi|read also|see also|related|相关阅读|延伸阅读)\s*[:：]", re.I)
_BYLINE = re.compile(  # "Chang Jiang Ri Bao· 2025-05-01 00:03"
    r"(?P<source>[^\d·|]{2,60}?)\s*[·|]\s*(?P<date>\d{4}-\d{1,2}-\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?)"
)
_SOURCE = re.compile(r"(?:source|sources|来源|來源|出处|auteur|author)\s*[:：]\s*(?P<source>.{2,80})", re.IGNORECASE)
_SOURCE_MAX_WORDS = 8  # "Source: Reuters" names a source; a longer line is a sentence
_BY = re.compile(r"(?:[Bb]y|BY|[Pp]ar|PAR)\s+(?P<source>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})")
_NAV_WORDS = frozenset(word.strip() for word in """
home, accueil, 首页, search, rechercher, recherche, 搜索, search documents, menu, log in, login, sign in, sign up,
register, se connecter, connexion, s'inscrire, inscription, 登录, 注册, my account, mon compte, subscribe,
s'abonner, newsletter, share, partager, 分享, print, imprimer, 打印, email, e-mail, facebook, twitter, x, linkedin,
weibo, wechat, whatsapp, 微信, 微博, back to top, retour en haut, 返回顶部, read more, lire la suite, 阅读全文, more,
plus, advertisement, publicité, 广告, previous, next, précédent, suivant, 上一篇, 下一篇, comments, commentaires, 评论,
close, fermer
""".split(","))
_NAV_SPLIT = re.compile(r"\s*(?:[|·•/]|\s{2,})\s*")

_MONTHS = {name: number for number, names in enumerate((
    "jan january janv janvier", "feb february fév févr février", "mar march mars", "apr april avr avril",
    "may mai", "jun june juin", "jul july juil juillet", "aug august août", "sep sept september septembre",
    "oct october octobre", "nov november novembre", "dec december déc décembre",
), start=1) for name in names.split()}
_MONTH = r"(?P<month>[^\W\d_]{3,9})\.?"
_TIME = r"(?:[ T]+(?P<time>\d{1,2}:\d{2}(?::\d{2})?))?"
_DATES = (
    re.compile(r"(?P<year>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<day>\d{1,2})" + _TIME),
    re.compile(r"(?P<year>\d{4})年(?P<m>\d{1,2})月(?P<day>\d{1,2})日" + _TIME),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})" + _TIME),
    re.compile(r"(?P<day>\d{1,2})(?:er)?\s+" + _MONTH + r"\s+(?P<year>\d{4})" + _TIME),
)
_DATE_PREFIX = re.compile(
    r"^(?:[-–—]\s*|(?:mis(?:e)? à jour|mettre à jour|publié|updated|published|posted|date|发布时间|发布日期|更新时间"
    r"|时间|日期)(?:\s+(?:le|on))?\s*[:：]?\s*)?",
    re.IGNORECASE,
)
_DATE_SUFFIX = re.compile(r"(?:\s*[-–—])?(?:\s+[^\s.。]{1,12}){0,3}\s*")
_TWO_SENTENCES = re.compile(r"[a-zà-ÿ]{2}[.!?]\s+[(\"«“A-ZÀ-Ý]")  # "... the pier. (Photo by ...)"
_LONGEST_FURNITURE = 400  # characters; the longest rule (a cookie notice) allows 60 words
_HEAD_LINES = 8
_TITLE_MAX_WORDS = 20
_TITLE_MAX_CHARS = 160


def classify(lines: list[str]) -> list[str | None]:
    """For each line, the kind of boilerplate it is ("breadcrumb", "phone", ...) or None."""
    kinds: list[str | None] = []
    crumbs: set[str] = set()
    for line in lines:
        kind = _kind(line.strip())
        if kind is None and crumbs and _is_section_label(line.strip(), crumbs):
            kind = "section label"
        if line.strip():
            crumbs = _crumbs(line.strip()) if kind == "breadcrumb" else set()
        kinds.append(kind)
    return kinds


def strip_lines(lines: list[str]) -> tuple[list[str], Counter]:
    """Drop boilerplate lines; return the kept lines and a count per kind."""
    kinds = classify(lines)
    kept = [line for line, kind in zip(lines, kinds) if kind is None]
    return kept, Counter(kind for kind in kinds if kind)


def _kind(line: str) -> str | None:
    if not line or "\n" in line or len(line) > _LONGEST_FURNITURE:  # tables, code and paragraphs
        return None
    lowered = line.casefold()
    checks = (
        ("breadcrumb", lambda: len(_crumbs(line)) >= 3),
        ("timestamp", lambda: _TIMESTAMP.fullmatch(line)),
        ("phone", lambda: _PHONE.fullmatch(lowered)),
        ("hashtags", lambda: _HASHTAGS.fullmatch(line)),
        ("navigation", lambda: _is_nav(lowered)),
        ("share", lambda: _SHARE.fullmatch(lowered) and len(line.split()) <= 8),
        ("cookie notice", lambda: _COOKIE.match(line) and len(line.split()) <= 60),
        ("copyright", lambda: _COPYRIGHT.search(line) and len(line.split()) <= 25),
        ("see also", lambda: _SEE_ALSO.match(line) and len(line) <= 200),
        ("byline", lambda: _BYLINE.fullmatch(line)),
    )
    return next((kind for kind, check in checks if check()), None)


def _crumbs(line: str) -> set[str]:
    if _SEPARATOR_OPENERS.search(line):  # "»" closing a « quotation », ">" closing a <tag>: a sentence
        return set()
    parts = [part.strip() for part in _SEPARATOR.split(line)]
    if len(parts) < 3 or not all(re.search(r"[^\W\d_]", p) and len(p.split()) <= 12 for p in parts):
        return set()
    return {part.casefold() for part in parts}


def _is_section_label(line: str, crumbs: set[str]) -> bool:
    """A lone label like "Politiques" right under a breadcrumb repeats its last part."""
    return line.casefold() in crumbs or bool(re.fullmatch(r"[A-Za-zÀ-ÿ'’-]{2,20}", line))


def _is_nav(lowered: str) -> bool:
    pieces = [" ".join(p.strip(" :：.!-").split()) for p in _NAV_SPLIT.split(lowered)]
    pieces = [p for p in pieces if p]
    return bool(pieces) and all(p in _NAV_WORDS for p in pieces)


def parse_date(text: str) -> str | None:
    """The first date in `text` as ISO "YYYY-MM-DD" (plus " HH:MM[:SS]" when given), or None."""
    for pattern in _DATES:
        for match in pattern.finditer(text):
            iso = _iso(match)
            if iso:
                return iso
    return None


def _iso(match: re.Match) -> str | None:
    parts = match.groupdict()
    month = int(parts["m"]) if parts.get("m") else _MONTHS.get(parts["month"].casefold())
    try:
        day = date(int(parts["year"]), month or 0, int(parts["day"]))
    except ValueError:
        return None
    return f"{day.isoformat()} {parts['time']}" if parts.get("time") else day.isoformat()


def date_line(line: str) -> str | None:
    """The date of a line that is only a dateline ("Mettre à jour : 2020-11-11", "- Feb 14, 2019 -")."""
    rest = line[_DATE_PREFIX.match(line).end():]
    for pattern in _DATES:
        match = pattern.match(rest)
        if match and _DATE_SUFFIX.fullmatch(rest[match.end():]):
            return _iso(match)
    return None


def headline_like(line: str) -> bool:
    """Short, no sentence-final punctuation, some letters: reads as a headline."""
    return (
        2 <= len(line) <= _TITLE_MAX_CHARS
        and len(line.split()) <= _TITLE_MAX_WORDS
        and not line.endswith(tuple(".,;:…。，；：、"))
        and "。" not in line
        and not _TWO_SENTENCES.search(line)
        and bool(re.search(r"[^\W\d_]", line))
    )


def read_head(lines: list[str], found: dict[str, str]) -> list[str]:
    """Fill the empty "title", "date", "source" of `found` from the head; return the other lines.

    The head is the first lines before the body starts: datelines, bylines,
    "Source: X" lines and the first line when it reads as a headline (or
    repeats the known title). Boilerplate lines are skipped, not taken.
    """
    kinds = classify(lines)
    taken: set[int] = set()
    title_seen = False
    content = [i for i, line in enumerate(lines) if line.strip() and kinds[i] in (None, "byline")]
    for i in content[:_HEAD_LINES]:
        line = lines[i].strip()
        if _take_meta(line, found, head=True):
            taken.add(i)
        elif title_seen:
            break
        else:
            title_seen = True
            if not found["title"] and headline_like(line) and not _continued(lines, i):
                found["title"] = line
            if line.casefold() != found["title"].casefold():
                break
            taken.add(i)
    later = (i for i in content if i not in taken and _adds_meta(lines[i].strip(), found))
    first = next(later, None)
    if first is not None and _take_meta(lines[first].strip(), found, head=False):
        taken.add(first)
    return [line for i, line in enumerate(lines) if i not in taken]


def _source_line(line: str) -> re.Match | None:
    match = _SOURCE.fullmatch(line)
    return match if match and len(match["source"].split()) <= _SOURCE_MAX_WORDS else None


def _continued(lines: list[str], i: int) -> bool:
    """The next line goes on with the same sentence: `lines[i]` is a wrapped line, not a headline."""
    following = lines[i + 1].strip() if i + 1 < len(lines) else ""
    return following[:1].islower() and not date_line(following)


def _adds_meta(line: str, found: dict[str, str]) -> bool:
    """A byline or "Source:" line that fills a field still empty."""
    if _BYLINE.fullmatch(line):
        return not (found["source"] and found["date"])
    return not found["source"] and bool(_source_line(line))


def _take_meta(line: str, found: dict[str, str], head: bool) -> bool:
    """Record a dateline, byline or source line in `found`; False if `line` is none of them."""
    byline = _BYLINE.fullmatch(line)
    source = _source_line(line) or (_BY.fullmatch(line) if head else None)
    day = date_line(line) if head and not byline else None
    if byline:
        found["source"] = found["source"] or byline["source"].strip()
        found["date"] = found["date"] or parse_date(byline["date"]) or ""
    elif source:
        found["source"] = found["source"] or source["source"].strip()
    elif day:
        found["date"] = found["date"] or day
    return bool(byline or source or day)
