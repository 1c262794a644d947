"""A corpus of hostile and broken inputs, written into a folder by the tests that use it.

Each case is one file (or one file with several rows) and what must become of
it: `Ok(...)` when it must end digested, with the notes, flags or text it must
carry; `Fails(...)` when it must end as a failed document whose error names the
file and says what is wrong. Nothing here is stored in the repository: the
bytes are produced from the text samples below.
"""
from __future__ import annotations

import codecs
import random
from dataclasses import dataclass
from pathlib import Path

FRENCH = ("Le maire de Marseille a annoncé la création de 300 emplois dans le port. "
          "Les travaux débuteront en été et dureront deux ans.")
FRENCH_2 = "La région Bretagne a voté un budget de 1,6 milliard d'euros pour l'année prochaine."
FRENCH_3 = "À Lyon, la nouvelle ligne de tramway transportera quinze mille voyageurs par jour."
CHINESE = "湖北省发布产业倍增行动方案，到2027年工业规模达到7万亿元。专家认为，增长势头将持续。"
CHINESE_2 = "上海市政府周三发布新的绿色金融政策，支持企业发行碳中和债券。"
CHINESE_3 = "北京今年将新增公园绿地两百公顷，新公园将于明年开放。"
TRADITIONAL = "臺灣的經濟成長率預計將達到百分之三。政府表示將繼續推動產業轉型與綠色發展。"
TRADITIONAL_2 = "香港特區政府宣佈新的房屋政策。專家認為這將幫助年輕人買樓。"
JAPANESE = "東京の株式市場は本日、大幅に上昇しました。専門家は今後も成長が続くと見ています。"
KOREAN = "서울시는 오늘 새로운 교통 정책을 발표했다. 시민들은 대체로 환영하는 분위기다. 시행은 다음 달부터다."
ARABIC = "أعلنت الحكومة اليوم عن خطة جديدة لدعم الاقتصاد المحلي. وقال الوزير إن النمو سيستمر خلال العام المقبل."
ENGLISH = "The council approved the new rail link on Monday. Work will start next year and last three years."
HUGE_PARAGRAPH = ("The regional statistics office published its yearly report on Tuesday, covering {n} towns. "
                  "Exports rose by {p} percent while imports fell slightly over the same period.")


@dataclass(frozen=True)
class Ok:
    """The file must end digested; each of `expect` must appear in its digest JSON, none of `absent`."""

    expect: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fails:
    """The file must end failed at `stage`, the error naming the file and containing `problem`."""

    problem: str
    stage: str = "ingest"


@dataclass(frozen=True)
class Mixed:
    """A table file: some rows digested, some failed with the given problems."""

    ok: int
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    name: str  # path relative to the corpus folder
    content: bytes
    outcome: Ok | Fails | Mixed
    why: str = ""  # what the case stands for, when the name does not say it


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def huge_article(size: int) -> str:
    """An English article of about `size` characters in varied paragraphs."""
    paragraphs, total, n = [], 0, 0
    while total < size:
        n += 1
        paragraph = HUGE_PARAGRAPH.format(n=n, p=n % 17 + 1)
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    return "Yearly statistics\n\n" + "\n\n".join(paragraphs)


def long_sentence(size: int, seed: int = 0) -> str:
    """One French sentence of `size` characters, words only: no punctuation anywhere."""
    words = "le port de la ville investit dans les quais les grues et les entrepôts pour les années à venir".split()
    rng = random.Random(seed)
    parts, total = [], 0
    while total < size:
        word = rng.choice(words)
        parts.append(word)
        total += len(word) + 1
    return " ".join(parts)[:size].rstrip()


def encoding_cases() -> list[Case]:
    """The same kinds of article in the encodings scraped news arrives in."""
    return [
        Case("enc/gb18030.txt", (CHINESE + "𠮷䶮").encode("gb18030"), Ok(("gb18030", CHINESE + "𠮷䶮")),
             "GB18030 with characters outside GBK"),
        Case("enc/gbk.txt", CHINESE_2.encode("gbk"), Ok(("gb18030", CHINESE_2)), "GBK, read with its superset"),
        Case("enc/big5.txt", TRADITIONAL_2.encode("big5"), Ok(("big5", TRADITIONAL_2, "zh-hant")),
             "Big5 Traditional Chinese"),
        Case("enc/shift-jis.txt", JAPANESE.encode("shift_jis"), Ok(("cp932", "東京", "untranslated:ja")),
             "Shift-JIS Japanese: not a digest language"),
        Case("enc/latin-1.txt", FRENCH.encode("latin-1"), Ok(("cp1252", FRENCH)), "Latin-1 French"),
        Case("enc/utf-16-bom.txt", (FRENCH + "\n\n" + CHINESE).encode("utf-16"), Ok(("utf-16", "annoncé", "湖北省")),
             "UTF-16 with a byte-order mark"),
        Case("enc/utf-16le-no-bom.txt", FRENCH_2.encode("utf-16-le"), Ok(("utf-16-le", FRENCH_2)),
             "UTF-16 little-endian without a byte-order mark"),
        Case("enc/utf-16be-no-bom.txt", ("2025: " + CHINESE_3).encode("utf-16-be"), Ok(("utf-16-be", CHINESE_3)),
             "UTF-16 big-endian without a byte-order mark"),
        Case("enc/utf-8-bom.md", codecs.BOM_UTF8 + _utf8(FRENCH_3), Ok(("utf-8", FRENCH_3)), "UTF-8 with a BOM"),
        Case("enc/invalid-utf8.txt", _utf8(FRENCH_2 + " " + FRENCH_3).replace(b"\xc3\xa9", b"\xe9", 1),
             Ok(("U+FFFD", "milliard")), "UTF-8 with one stray Latin-1 byte"),
        Case("enc/binary.txt", random.Random(1).randbytes(4096),
             Fails("not text"), "random bytes named .txt"),
        Case("enc/png.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), Fails("PNG"), "an image named .html"),
    ]


def markup_cases() -> list[Case]:
    """Web pages, Markdown and control characters."""
    page = ("<html><head><meta charset='utf-8'><title>Page</title><style>body{color:red}</style>"
            "<script>document.write('<p>INJECTED SCRIPT TEXT</p>'); alert(1)</script></head><body>"
            "<h1>Le port &amp; la ville &eacute;largissent les quais</h1>"
            "<p>Le maire a annoncé 300 emplois &lt;script&gt;alert(2)&lt;/script&gt; au port &#x4e2d;.</p>"
            "<p onclick=\"alert(3)\">Les travaux débuteront en été et dureront deux ans.</p>"
            "<noscript>Activez JavaScript</noscript></body></html>")
    table = ("# Budget\n\n| Poste | Montant |\n|---|---|\n| Quais | 40 M€ |\n| Grues | 12 M€ |\n\n"
             "```python\nimport os\nos.system('rm -rf /')\n```\n\n" + FRENCH)
    return [
        Case("markup/scripts.html", _utf8(page), Ok(("élargissent", "300 emplois <script>alert(2)</script> au port 中"),
                                                    ("INJECTED", "alert(1)", "color:red", "alert(3)", "JavaScript")),
             "HTML with scripts, styles, entities and handlers"),
        Case("markup/only-script.html", _utf8("<html><script>alert(1)</script><style>p{}</style></html>"),
             Fails("no text"), "a page with nothing but script"),
        Case("markup/table-and-code.md", _utf8(table), Ok(("Quais | 40 M€", "os.system", "annoncé"), ("```", "---|")),
             "Markdown table and code block"),
        Case("markup/broken-front-matter.md", _utf8("---\ntitle: [unclosed\n---\n" + FRENCH_2 + " Rennes."),
             Ok(("front matter",)), "front matter that is not valid YAML"),
        Case("markup/controls.txt", _utf8("\x00\x07" + ENGLISH.replace(" ", "\u200b ", 3) + " \u202eevil\u202c\r" +
                                          "Trains will run every ten minutes.\r\n"),
             Ok(("NUL byte", "The council approved", "evil"), ("\u202e", "\u200b", "â€", "\\u0000")),
             "NUL, bell, zero-width, bidi override, CR"),
    ]


def language_cases() -> list[Case]:
    """Languages outside the digest's, scripts mixed in one sentence, text without letters."""
    mixed = ("Le 湖北省 gouvernement a dit que ВВП растёт and the markets 上涨了 today 🚀 "
             "avec 7万亿元 d'investissements.")
    return [
        Case("lang/korean.txt", _utf8(KOREAN), Ok(("untranslated:ko", "ko is not one of", "summary-skipped"))),
        Case("lang/arabic.txt", _utf8(ARABIC), Ok(("untranslated:ar", "ar is not one of", "summary-skipped"))),
        Case("lang/traditional.txt", _utf8(TRADITIONAL), Ok(("zh-hant", "Traditional Chinese"))),
        Case("lang/mixed-scripts.txt", _utf8(mixed), Ok(("湖北省",))),
        Case("lang/numbers-only.txt", _utf8("2024 — 2025 : 12 345 / 67 890 !!! ???"),
             Ok(("undetermined",), ("untranslated:und",))),
        Case("lang/emoji-only.txt", _utf8("🚀🔥💯 🎉🎉🎉"), Ok(("undetermined",), ("untranslated:und",))),
    ]


def size_cases(huge_chars: int) -> list[Case]:
    """Inputs too big for the models: a huge article and one endless sentence."""
    return [
        Case("size/huge.txt", _utf8(huge_article(huge_chars)), Ok(("truncated: kept", "ingest.max_chars"))),
        Case("size/long-sentence.txt", _utf8(long_sentence(20_000)), Ok(("split:",))),
        Case("size/one-word.txt", _utf8("Bonjour"), Ok(("Bonjour",))),
        Case("size/repeated.txt", _utf8("\n\n".join([FRENCH] * 3_000)),
             Ok(("repeats: dropped 2999 paragraph(s)",)), "one paragraph scraped 3,000 times: the model reads it once"),
    ]


def name_cases() -> list[Case]:
    """Empty files, duplicates and file names that are hard to turn into ids and file names."""
    return [
        Case("names/empty.txt", b"", Fails("empty")),
        Case("names/whitespace.md", _utf8("  \n\t\n\u3000 \r\n"), Fails("whitespace")),
        Case("names/dup-original.txt", _utf8(ENGLISH), Ok((), ("duplicate of",))),
        Case("names/dup-same text.txt", _utf8(ENGLISH), Ok(("duplicate of names__dup-original.txt",))),
        Case("names/name with spaces.txt", _utf8(FRENCH + " Espaces."), Ok()),
        Case("names/ünïcödé 新闻 報道.md", _utf8(CHINESE + "名字。"), Ok()),
        Case("names/back\\slash.txt", _utf8(ENGLISH + " Backslash."), Ok()),
        Case("names/fraction∕slash⁄name.txt", _utf8(ENGLISH + " Fraction slash."), Ok()),
        Case("names/new\nline.txt", _utf8(ENGLISH + " Newline."), Ok()),
        Case("names/latin-1 caf\udce9 \udcff.txt", _utf8(FRENCH_2 + " Octets."),
             Ok(("file name: not UTF-8", "names__latin-1-caf-xe9-xff.txt", "caf\\\\xe9")),
             "a file name whose bytes are not UTF-8 (written by a Latin-1 system)"),
        Case("names/sub dir/article.txt", _utf8(FRENCH + " Sous-dossier."), Ok()),
        Case("names/sub dir__article.txt", _utf8(FRENCH + " Même identifiant."), Ok(("is already used by",))),
    ]


def table_cases() -> list[Case]:
    rows = "\n".join([
        '{"id": "a/../b", "title": "Row", "text": "' + ENGLISH + '"}',
        '{"id": 2, "text": ',
        '{"id": 3, "title": "No text"}',
        '["not", "an", "object"]',
    ])
    return [
        Case("tables/rows.jsonl", _utf8(rows),
             Mixed(ok=1, problems=("not valid JSON", "has no text", "not an object"))),
        Case("tables/broken.json", _utf8('{"text": "unterminated'), Fails("not valid JSON")),
        Case("tables/lone-surrogates.jsonl", _utf8('{"id": "a\\ud800b", "title": "T\\udfff", "text": "' + ENGLISH
                                                   + ' Lone \\ud800 half."}'),
             Ok(("Lone \ufffd half", "T\ufffd", "#a-b")), "JSON escapes of half a surrogate pair, valid JSON"),
    ]


def hostile_cases(huge_chars: int = 5_000_000) -> list[Case]:
    """Every hostile case; `huge_chars` sizes the huge article (5 MB by default)."""
    return (encoding_cases() + markup_cases() + language_cases() + size_cases(huge_chars) + name_cases()
            + table_cases())


def write_corpus(folder: Path, cases: list[Case]) -> Path:
    """Write each case's bytes under `folder`; returns the folder."""
    for case in cases:
        path = folder / case.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.content)
    return folder
