"""The article in a web page: its text blocks and its title, date and source.

`html_blocks` keeps the text blocks of a page without its script, style,
navigation, header, footer and other page furniture (by tag, ARIA role, or
class and id names), preferring the blocks inside <article>/<main>; the title,
date and source come from <h1>, <title>, <time> and meta tags.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP_TAGS = frozenset("script style nav footer aside form noscript iframe svg button select template object".split())
_BLOCK_TAGS = frozenset("""p div section article main header h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre tr
table figure figcaption br hr address caption summary details""".split())
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_FURNITURE = re.compile(r"\b(?:nav|navbar|navigation|menu|footer|sidebar|breadcrumbs?|share|sharing|social"
                        r"|cookies?|advert|advertisement|related|comments)\b", re.IGNORECASE)
_FURNITURE_ROLES = frozenset("navigation banner contentinfo complementary search".split())
_META_KEYS = {
    "title": ("og:title", "twitter:title", "dc.title"),
    "date": ("article:published_time", "datepublished", "date", "pubdate", "publishdate", "dc.date",
             "dcterms.date", "og:published_time"),
    "source": ("og:site_name", "source", "dc.source", "dc.publisher", "publisher", "author", "article:author"),
}


class _Page(HTMLParser):
    """Collects text blocks, noting which lie inside <article>/<main>, plus <title>, <h1> and meta tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, bool]] = []
        self.meta: dict[str, str] = {}
        self.title = self.h1 = ""
        self._text: list[str] = []
        self._skip: tuple[str, int] | None = None  # tag being skipped, its nesting depth
        self._article = self._pre = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if self._skip:
            self._skip = (self._skip[0], self._skip[1] + (tag == self._skip[0]))
        elif tag not in _VOID_TAGS and self._is_furniture(tag, attributes):
            self._flush()
            self._skip = (tag, 1)
        elif tag == "meta":
            key = (attributes.get("property") or attributes.get("name") or attributes.get("itemprop", "")).lower()
            self.meta.setdefault(key, attributes.get("content", "").strip())
        elif tag == "html" and attributes.get("lang"):
            self.meta.setdefault("lang", attributes["lang"])
        elif tag == "time" and attributes.get("datetime"):
            self.meta.setdefault("time", attributes["datetime"].strip())
        elif tag in ("td", "th") and "".join(self._text).strip():
            self._text.append(" | ")
        self._open(tag)

    def _is_furniture(self, tag: str, attributes: dict) -> bool:
        marks = f"{attributes.get('class', '')} {attributes.get('id', '')}"
        return (tag in _SKIP_TAGS or (tag == "header" and not self._article)
                or attributes.get("role", "") in _FURNITURE_ROLES or bool(_FURNITURE.search(marks)))

    def _open(self, tag: str) -> None:
        if self._skip:
            return
        self._in_title = self._in_title or tag == "title"
        self._article += tag in ("article", "main")
        self._pre += tag == "pre"
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            depth = self._skip[1] - (tag == self._skip[0])
            self._skip = (self._skip[0], depth) if depth else None
            return
        if tag in _BLOCK_TAGS or tag == "title":
            self._flush(heading=tag == "h1")
        self._in_title = self._in_title and tag != "title"
        if tag in ("article", "main") and self._article:
            self._article -= 1
        if tag == "pre" and self._pre:
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text.append(data if self._pre else re.sub(r"\s+", " ", data))

    def _flush(self, heading: bool = False) -> None:
        text = "".join(self._text).strip()
        self._text = []
        if not text:
            return
        if self._in_title:
            self.title = self.title or text
        else:
            self.blocks.append((text, self._article > 0))
            self.h1 = self.h1 or (text if heading else "")


def html_blocks(html: str) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(title/date/source, other meta such as lang, text blocks) of a web page."""
    page = _Page()
    page.feed(html)
    page.close()
    page._flush()
    inside = [text for text, in_article in page.blocks if in_article]
    blocks = inside or [text for text, _ in page.blocks]
    found = {field: next((page.meta[k] for k in keys if page.meta.get(k)), "") for field, keys in _META_KEYS.items()}
    found["title"] = page.h1 or found["title"] or page.title
    found["date"] = found["date"] or page.meta.get("time", "")
    extra = {"lang": page.meta["lang"]} if page.meta.get("lang") else {}
    return found, extra, blocks
