"""Decoding bytes in many encodings, markup to plain blocks, line and paragraph clean-up."""
from __future__ import annotations

import codecs
import random

import pytest

from pipeline.reading.encoding import DecodeError, declared_charset, decode
from pipeline.reading.markup import (
    clean_line,
    front_matter,
    join_lines,
    markdown_blocks,
    paragraphs_from_lines,
    plain,
)

FRENCH = ("La région a publié vingt mesures pour soutenir l'économie locale. « Nous visons les "
          "entreprises innovantes », a déclaré la présidente. Les crédits seront versés dès l'été.")
CHINESE = "上海市政府周三发布新的绿色金融政策，支持企业发行碳中和债券。分析人士认为，这将推动长三角地区的产业转型。"
TRADITIONAL = "台北市政府週三發布新的綠色金融政策，支持企業發行碳中和債券。分析人士認為，這將推動產業轉型。"
JAPANESE = "東京都は水曜日、新しい環境政策を発表した。企業の脱炭素化を支援する計画だ。"


@pytest.mark.parametrize("text, data, note", [
    (FRENCH, FRENCH.encode("utf-8"), ""),
    (FRENCH, codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "encoding: utf-8 (byte-order mark)"),
    (FRENCH, FRENCH.encode("utf-16"), "encoding: utf-16-le (byte-order mark)"),
    (CHINESE, codecs.BOM_UTF16_BE + CHINESE.encode("utf-16-be"), "encoding: utf-16-be (byte-order mark)"),
    (FRENCH, FRENCH.encode("utf-16-le"), "encoding: assumed utf-16-le (detected)"),
    (CHINESE, CHINESE.encode("utf-16-le"), "encoding: assumed utf-16-le (detected)"),
    (FRENCH, FRENCH.encode("utf-16-be"), "encoding: assumed utf-16-be (detected)"),
    (CHINESE, CHINESE.encode("gb18030"), "encoding: assumed gb18030 (detected)"),
    (CHINESE, CHINESE.encode("gbk"), "encoding: assumed gb18030 (detected)"),
    (TRADITIONAL, TRADITIONAL.encode("big5"), "encoding: assumed big5hkscs (detected)"),
    (JAPANESE, JAPANESE.encode("shift_jis"), "encoding: assumed cp932 (detected)"),
    (FRENCH, FRENCH.encode("latin-1"), "encoding: assumed cp1252 (detected)"),
    (FRENCH + " Prix : 5 €.", (FRENCH + " Prix : 5 €.").encode("cp1252"), "encoding: assumed cp1252 (detected)"),
], ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-bom-zh", "utf16le-fr", "utf16le-zh", "utf16be-fr",
        "gb18030", "gbk", "big5", "shift-jis", "latin1", "cp1252"])
def test_decode_recovers_text_and_says_which_encoding(text, data, note):
    assert decode(data) == (text, note)


def test_decode_keeps_mostly_utf8_and_counts_replaced_bytes():
    data = (FRENCH * 3).encode("utf-8") + b" \xff fin."
    text, note = decode(data)
    assert text == FRENCH * 3 + " \ufffd fin."
    assert note == "encoding: assumed utf-8, 1 invalid byte sequence(s) replaced with U+FFFD"


def test_decode_prefers_the_charset_a_page_declares():
    page = f'<html><head><meta charset="gbk"></head><body><p>{CHINESE}</p></body></html>'.encode("gbk")
    assert declared_charset(page) == "gbk"
    text, note = decode(page, declared_charset(page))
    assert CHINESE in text and note == "encoding: gbk (declared by the page)"


@pytest.mark.parametrize("data, reason", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "is a PNG image, not text"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "is a PDF document, not text"),
    (b"PK\x03\x04\x14\x00" + bytes(100), "is a ZIP archive (docx/xlsx/epub are ZIP files too), not text"),
    (random.Random(7).randbytes(4000), "is not text in any recognised encoding (binary or corrupt)"),
], ids=["png", "pdf", "zip", "random-bytes"])
def test_decode_refuses_binary_with_a_reason(data, reason):
    with pytest.raises(DecodeError) as error:
        decode(data)
    assert str(error.value) == reason


@pytest.mark.parametrize("line, expected", [
    ("  Cafe\u0301  au\u00a0\u00a0lait\t ", "Café au lait"),
    ("zero\u200bwidth\ufeff soft\u00adhyphen", "zerowidth softhyphen"),
    ("\u3000\u3000中文段落缩进", "中文段落缩进"),
])
def test_clean_line_normalises_unicode_and_spaces(line, expected):
    assert clean_line(line) == expected


@pytest.mark.parametrize("lines, expected", [
    (["The council met", "on Monday."], "The council met on Monday."),
    (["上海市政府周三发布", "新的政策。"], "上海市政府周三发布新的政策。"),
    (["上海 Shanghai", "今天"], "上海 Shanghai 今天"),
])
def test_join_lines_puts_spaces_only_between_words(lines, expected):
    assert join_lines(lines) == expected


@pytest.mark.parametrize("lines, expected", [
    (["The port authority said on Monday that container traffic", "had doubled in six months.", "",
      "Second paragraph."],
     ["The port authority said on Monday that container traffic had doubled in six months.", "Second paragraph."]),
    (["上海市政府周三发布新的绿色金融政策，支持企业发行碳中和债券，分析人士认为", "这将推动转型。"],
     ["上海市政府周三发布新的绿色金融政策，支持企业发行碳中和债券，分析人士认为这将推动转型。"]),
    (["Home > News > Economy", "Economy"], ["Home > News > Economy", "Economy"]),
    (["A long news paragraph that is written on a single line and ends with a full stop, " * 2,
      "Another paragraph that also sits on one single line of its own without a blank line."],
     ["A long news paragraph that is written on a single line and ends with a full stop, " * 2,
      "Another paragraph that also sits on one single line of its own without a blank line."]),
    (["Short sentence one.", "Short sentence two."], ["Short sentence one.", "Short sentence two."]),
    (["", "", "Only.", "", ""], ["Only."]),
])
def test_paragraphs_from_lines(lines, expected):
    assert paragraphs_from_lines([line.strip() for line in lines]) == [p.strip() for p in expected]


@pytest.mark.parametrize("text, fields, body, note", [
    ("---\ntitle: Hello\ndate: 2024-03-12\nsource: Daily\ntags: [a, b]\n---\nBody.\n",
     {"title": "Hello", "date": "2024-03-12", "source": "Daily", "tags": "a\n\nb"}, "Body.\n", ""),
    ("No front matter.\n", {}, "No front matter.\n", ""),
    ("---\nJust a rule around text\n---\nBody.\n", {}, "---\nJust a rule around text\n---\nBody.\n", ""),
    ("---\ntitle: [unclosed\n---\nBody.\n", {}, "---\ntitle: [unclosed\n---\nBody.\n", "kept as text"),
])
def test_front_matter(text, fields, body, note):
    got_fields, got_body, got_note = front_matter(text)
    assert (got_fields, got_body) == (fields, body)
    assert note in got_note and bool(note) == bool(got_note)


def test_plain_formats_dates_and_lists():
    import datetime

    assert plain(datetime.datetime(2024, 5, 1, 8, 30)) == "2024-05-01 08:30:00"
    assert plain(datetime.date(2024, 5, 1)) == "2024-05-01"
    assert plain(["one", "two"]) == "one\n\ntwo"
    assert plain(None) == ""


MARKDOWN = """# Market report

Stocks *rose* on [Monday](https://example.org) after the `GDP` figures
came out.

| Region | 2023 | 2024 |
|---|---|---|
| Hubei | 12% | 14% |

```
total = exports + imports
```

- first item
- second item

> A quoted line.

![A chart of exports](chart.png)

<div class="note">An <b>HTML</b> block.</div>
"""


def test_markdown_keeps_text_tables_and_code_as_blocks():
    assert markdown_blocks(MARKDOWN) == [
        "Market report",
        "Stocks rose on Monday after the GDP figures came out.",
        "Region | 2023 | 2024",
        "Hubei | 12% | 14%",
        "total = exports + imports",
        "first item",
        "second item",
        "A quoted line.",
        "A chart of exports",
        "An HTML block.",
    ]
